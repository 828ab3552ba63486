//! The shape of stack-show and its outputs, as the recorded Heat answered them.

use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Api, rule};

/// The recorded Heat ran on CPython 2: its output objects' keys come in that dict order
/// (ESI-SPEC §1.2), and a worker that keeps them prints `heat_outputs` as recorded.
#[tokio::test]
async fn output_objects_come_in_cpython_2_key_order() {
    let api = Api::start(HeatSpec::default()).await;
    let (status, created) = api.create("lb_1", json!({"name": "one"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["stack"]["id"].as_str().expect("id").to_string();
    api.settle("lb_1").await;
    let keys =
        |o: &Value| -> Vec<String> { o.as_object().expect("object").keys().cloned().collect() };
    let shown = api.show("lb_1").await;
    for output in shown["outputs"].as_array().expect("outputs") {
        assert_eq!(keys(output), ["output_value", "description", "output_key"]);
    }
    let (_, listed, _) = api
        .call(Method::GET, &format!("/stacks/lb_1/{id}/outputs"), None)
        .await;
    for output in listed["outputs"].as_array().expect("outputs") {
        assert_eq!(keys(output), ["description", "output_key"]);
    }
    let (_, one, _) = api
        .call(
            Method::GET,
            &format!("/stacks/lb_1/{id}/outputs/label"),
            None,
        )
        .await;
    assert_eq!(
        keys(&one["output"]),
        ["output_value", "description", "output_key"]
    );
}

/// `heat-stack/CreateLoadbalancer_05.md`: the recorded stack-show of load_balancer_interface.
#[tokio::test]
async fn the_recorded_load_balancer_interface_template_gives_the_recorded_show_shape() {
    let name = "load_balancer_interface_24580bfc-32f4-4c0f-8e8a-c7288497aa7c";
    let mut recorded = rule(name);
    recorded.outputs = json!({
        "monitoring_target_id": "2da66917-604c-4076-8c21-79da05f6479e",
        "monitoring_link": "http://collector-agents-se:7070/targets/2da66917-604c-4076-8c21-79da05f6479e",
    }).as_object().cloned().unwrap_or_default();
    let api = Api::start(HeatSpec::default()).await;
    let template = include_str!("../fixtures/heat/load_balancer_interface.yaml");
    let parameters = json!({"tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c", "management_ip": "100.64.193.3",
        "version": 1, "gohan_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c"});
    let body = json!({"stack_name": name, "template": template, "parameters": parameters,
        "timeout_mins": 3, "disable_rollback": true});
    let (status, _, _) = api.call(Method::POST, "/stacks", Some(body.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    api.settle(name).await;
    let stack = api.show(name).await;

    for key in [
        "capabilities",
        "creation_time",
        "description",
        "disable_rollback",
        "id",
        "links",
        "notification_topics",
        "outputs",
        "parameters",
        "parent",
        "stack_name",
        "stack_owner",
        "stack_status",
        "stack_status_reason",
        "stack_user_project_id",
        "template_description",
        "timeout_mins",
        "updated_time",
    ] {
        assert!(stack.get(key).is_some(), "stack-show lacks {key}");
    }
    let id = stack["id"].as_str().expect("id");
    assert_eq!(stack["capabilities"], json!([]));
    assert_eq!(stack["description"], "Load Balancer Interface");
    assert_eq!(stack["template_description"], "Load Balancer Interface");
    assert_eq!(stack["disable_rollback"], true);
    assert_eq!(
        stack["links"][0]["href"],
        format!("{}/stacks/{name}/{id}", api.fakes.heat_url())
    );
    assert_eq!(stack["notification_topics"], json!([]));
    assert_eq!(stack["parent"], Value::Null);
    assert_eq!(stack["stack_owner"], "admin");
    assert_eq!(stack["stack_status"], "CREATE_COMPLETE");
    assert_eq!(
        stack["stack_status_reason"],
        "Stack CREATE completed successfully"
    );
    assert_eq!(
        stack["stack_user_project_id"],
        "fe3a4a1a72c04479bb6c19c2c0ccba4c"
    );
    assert_eq!(stack["timeout_mins"], 3);
    assert_eq!(stack["updated_time"], Value::Null);
    assert_eq!(
        stack["parameters"],
        json!({
            "OS::stack_id": id, "OS::stack_name": name, "OS::project_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c",
            "management_ip": "100.64.193.3", "gohan_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c",
            "tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c", "version": "1",
        })
    );
    let outputs = stack["outputs"].as_array().expect("outputs");
    assert_eq!(outputs.len(), 2);
    let target = outputs[0]["output_value"].as_str().expect("target id");
    assert_eq!(target.len(), 36);
    assert_eq!(outputs[0]["description"], "Monitoring Target ID");
    assert_eq!(outputs[0]["output_key"], "monitoring_target_id");
    assert_eq!(
        outputs[1],
        json!({"output_key": "monitoring_link", "description": "Monitoring Process Link",
        "output_value": format!("http://collector-agents-se:7070/targets/{target}")})
    );
    let (_, shown, _) = api
        .call(Method::GET, &format!("/stacks/{name}/{id}/template"), None)
        .await;
    assert_eq!(
        shown["resources"]["lb_interface_monitor"]["properties"]["properties"]["if_name"],
        "1/1"
    );

    // A rule with the recorded outputs reproduces them exactly.
    let api = Api::start(HeatSpec {
        stacks: vec![recorded],
        ..HeatSpec::default()
    })
    .await;
    api.call(Method::POST, "/stacks", Some(body)).await;
    api.settle(name).await;
    assert_eq!(
        api.show(name).await["outputs"],
        json!([
            {"output_key": "monitoring_target_id", "description": "Monitoring Target ID",
             "output_value": "2da66917-604c-4076-8c21-79da05f6479e"},
            {"output_key": "monitoring_link", "description": "Monitoring Process Link",
             "output_value": "http://collector-agents-se:7070/targets/2da66917-604c-4076-8c21-79da05f6479e"},
        ])
    );
}
