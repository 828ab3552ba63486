//! The journal of calls the fake Heat answered.

use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::Api;

#[tokio::test]
async fn the_journal_records_every_call_with_secrets_hidden() {
    let api = Api::start(HeatSpec::default()).await;
    api.create("j", json!({"name": "x", "secret": "hunter2"}))
        .await;
    api.call(Method::GET, "/stacks/j?resolve_outputs=False", None)
        .await;
    let journal = api.fakes.heat_journal();
    assert_eq!(journal.len(), 2);
    let project = api.fakes.project_id();
    assert_eq!(journal[0].method, "POST");
    assert_eq!(journal[0].path, format!("/v1/{project}/stacks"));
    assert_eq!(
        journal[0].body()["parameters"],
        json!({"name": "x", "secret": "******"})
    );
    assert_eq!(
        journal[0].body()["template"]["resources"]["monitor"]["type"],
        "ESI::Monitoring::MonitoringTarget"
    );
    assert!(
        journal[0]
            .render()
            .starts_with(&format!("POST /v1/{project}/stacks\n{{\n"))
    );
    assert_eq!(
        journal[1].render(),
        format!("GET /v1/{project}/stacks/j?resolve_outputs=False\n")
    );
    assert_eq!(journal[1].status, 302);
}

/// A create that fails while its resources are built calls no hook (the collector gets no
/// target): a dry run comes first wherever a hook could be called.
#[tokio::test]
async fn a_create_failing_after_a_hooked_resource_leaves_no_target() {
    let api = Api::start(HeatSpec::default()).await;
    let failing = format!(
        "{TEMPLATE_HEAD}  broken:\n    type: OS::Heat::Value\n    depends_on: monitor\n    \
         properties: {{value: {{list_join: [',', {{get_param: name}}]}}}}\n"
    );
    let body = json!({"stack_name": "f", "template": failing, "parameters": {"name": "x"}});
    let (status, answer, _) = api.call(Method::POST, "/stacks", Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    api.create("ok", json!({"name": "y"})).await;
    let hooks: Vec<Vec<String>> = api
        .fakes
        .heat_journal()
        .iter()
        .map(|c| c.hooks.clone())
        .collect();
    assert_eq!(hooks[0], Vec::<String>::new());
    assert_eq!(hooks[1].len(), 1);
    assert!(hooks[1][0].starts_with("created ESI::Monitoring::MonitoringTarget "));
}

/// The head of a template with one hooked resource, `monitor`, to add resources to.
const TEMPLATE_HEAD: &str = "heat_template_version: 2015-10-15
parameters:
  name: {type: string}
resources:
  monitor:
    type: ESI::Monitoring::MonitoringTarget
    properties: {resource_id: {get_param: name}, version: 1}
";
