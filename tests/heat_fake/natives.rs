//! Heat's own resource types behave as Heat's do where a template can observe it.

use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::Api;

const TEMPLATE: &str = "heat_template_version: 2016-10-14
resources:
  nothing: {type: OS::Heat::None, properties: {anything: [1, 2]}}
  test: {type: OS::Heat::TestResource, properties: {value: hello}}
  default: {type: OS::Heat::TestResource}
  val: {type: OS::Heat::Value, properties: {value: {k: [1, 2]}}}
  secret: {type: OS::Heat::RandomString, properties: {length: 12, sequence: lowercase}}
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 3
      resource_def:
        type: OS::Heat::TestResource
        properties: {value: member-%index%}
outputs:
  nothing: {value: {get_resource: nothing}}
  test_id: {value: {get_resource: test}}
  output: {value: {get_attr: [test, output]}}
  default: {value: {get_attr: [default, output]}}
  value: {value: {get_attr: [val, value, k, 1]}}
  secret: {value: {get_attr: [secret, value]}}
  secret_ref: {value: {get_resource: secret}}
  refs: {value: {get_attr: [group, refs]}}
  outputs: {value: {get_attr: [group, output]}}
  second: {value: {get_attr: [group, resource.1.output]}}
  second_id: {value: {get_attr: [group, resource.1]}}
  by_index: {value: {get_attr: [group, attributes, output]}}
";

#[tokio::test]
async fn heat_native_resources_answer_as_heat() {
    let api = Api::start(HeatSpec::default()).await;
    let out = api.outputs("natives", TEMPLATE, json!({})).await;
    assert_eq!(out["nothing"].as_str().map(str::len), Some(36));
    let test_id = out["test_id"].as_str().expect("test id");
    let suffix = test_id
        .strip_prefix("natives-test-")
        .expect("<stack>-<resource>-<suffix>");
    assert!(
        suffix.len() == 12
            && suffix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{test_id}"
    );
    assert_eq!(out["output"], "hello");
    assert_eq!(out["default"], "test_string");
    assert_eq!(out["value"], 2);
    let secret = out["secret"].as_str().expect("random string");
    assert!(
        secret.len() == 12 && secret.chars().all(|c| c.is_ascii_lowercase()),
        "{secret}"
    );
    assert_eq!(out["secret_ref"], out["secret"]);
    assert_eq!(out["refs"].as_array().map(Vec::len), Some(3));
    assert_eq!(out["outputs"], json!(["member-0", "member-1", "member-2"]));
    assert_eq!(out["second"], "member-1");
    assert_eq!(out["second_id"], out["refs"][1]);
    assert_eq!(
        out["by_index"],
        json!({"0": "member-0", "1": "member-1", "2": "member-2"})
    );

    // Deterministic: the same stack on a fresh fake gives the same values.
    let again = Api::start(HeatSpec::default()).await;
    assert_eq!(again.outputs("natives", TEMPLATE, json!({})).await, out);
}

#[tokio::test]
async fn os_heat_none_has_no_attributes() {
    let api = Api::start(HeatSpec::default()).await;
    let template = "heat_template_version: 2016-10-14
resources:
  nothing: {type: OS::Heat::None}
outputs:
  bad: {value: {get_attr: [nothing, name]}}
";
    let body = json!({"stack_name": "none", "template": template});
    let (status, answer, _) = api.call(Method::POST, "/stacks", Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer["error"]["message"],
        "outputs.bad.value.get_attr: The Referenced Attribute (nothing name) is incorrect."
    );
}

#[tokio::test]
async fn group_members_count_against_the_resource_limit() {
    let api = Api::start(HeatSpec::default()).await;
    let template = |count: &str| {
        format!(
            "heat_template_version: 2016-10-14
resources:
  other: {{type: OS::Heat::None}}
  group:
    type: OS::Heat::ResourceGroup
    properties: {{count: \"{count}\", resource_def: {{type: OS::Heat::None}}}}
outputs:
  refs: {{value: {{get_attr: [group, refs]}}}}
"
        )
    };
    let body = json!({"stack_name": "strings", "template": template("2")});
    let (status, answer, _) = api.call(Method::POST, "/stacks", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    api.settle("strings").await;
    let shown = api.show("strings").await;
    assert_eq!(
        shown["outputs"][0]["output_value"].as_array().map(Vec::len),
        Some(2)
    );
    let body = json!({"stack_name": "huge", "template": template("1000")});
    let (status, answer, _) = api.call(Method::POST, "/stacks", Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["error"]["type"], "RequestLimitExceeded");
}
