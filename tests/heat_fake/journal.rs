//! The journal of calls the fake Heat answered.

use heatbed::scenario::HeatSpec;
use reqwest::Method;
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
