//! Scenario stack rules: slow reads, scripted failures, HTTP errors and outputs.

use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{Api, rule};

#[tokio::test]
async fn scenario_rules_script_reads_failures_errors_and_outputs() {
    let mut slow = rule("slow_*");
    slow.in_progress_reads = Some(3);
    let mut failing = rule("fail_*");
    failing.fail = vec![heatbed::scenario::Failure {
        action: heatbed::scenario::StackAction::Create,
        reason: Some("Resource CREATE failed: boom".into()),
        times: Some(1),
    }];
    let mut flaky = rule("flaky");
    flaky.http_error = Some(heatbed::scenario::HttpError {
        status: 503,
        count: 2,
        methods: Vec::new(),
    });
    let mut scripted = rule("scripted");
    scripted.outputs = json!({"link": "http://recorded/targets/1", "extra": [1]})
        .as_object()
        .cloned()
        .unwrap_or_default();
    scripted.output_order = vec!["label".into(), "link".into()];
    let spec = HeatSpec {
        stacks: vec![slow, failing, flaky, scripted],
        ..HeatSpec::default()
    };
    let api = Api::start(spec).await;

    api.create("slow_1", json!({"name": "x"})).await;
    assert_eq!(api.settle("slow_1").await.len(), 4);

    api.create("fail_1", json!({"name": "x"})).await;
    assert_eq!(
        api.settle("fail_1").await,
        ["CREATE_IN_PROGRESS", "CREATE_FAILED"]
    );
    assert_eq!(
        api.show("fail_1").await["stack_status_reason"],
        "Resource CREATE failed: boom"
    );
    api.create("fail_2", json!({"name": "x"})).await;
    assert_eq!(
        api.settle("fail_2").await.last().map(String::as_str),
        Some("CREATE_COMPLETE"),
        "times: 1"
    );

    let (status, body) = api.create("flaky", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["code"], 503);
    let (status, _, _) = api.call(Method::GET, "/stacks/flaky", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = api.create("flaky", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::CREATED);

    api.create("scripted", json!({"name": "x"})).await;
    api.settle("scripted").await;
    let outputs = api.show("scripted").await["outputs"].clone();
    let keys: Vec<&str> = outputs
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["output_key"].as_str())
        .collect();
    assert_eq!(keys, ["label", "link", "target_id", "extra"]);
    assert_eq!(outputs[1]["output_value"], "http://recorded/targets/1");
    assert_eq!(outputs[3]["output_value"], json!([1]));
}
