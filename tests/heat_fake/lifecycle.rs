//! A stack's life (create, lookup, show, update, delete) and the stack list.

use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Api, TEMPLATE};

#[tokio::test]
async fn a_stack_lives_through_create_show_update_and_delete() {
    let api = Api::start(HeatSpec::default()).await;
    let (status, created) = api
        .create("lb_1", json!({"name": "one", "version": "2"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["stack"]["id"].as_str().expect("id").to_string();
    let self_url = format!("{}/stacks/lb_1/{id}", api.fakes.heat_url());
    assert_eq!(created["stack"]["links"][0]["href"], self_url);

    let (status, body) = api.create("lb_1", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["message"], "The Stack (lb_1) already exists.");

    // Lookup keeps the query string and answers an absolute URL.
    let (status, _, location) = api
        .call(Method::GET, "/stacks/lb_1?resolve_outputs=False", None)
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(
        location.as_deref(),
        Some(format!("{self_url}?resolve_outputs=False").as_str())
    );
    let (_, _, by_id) = api
        .call(Method::GET, &format!("/stacks/{id}/events"), None)
        .await;
    assert_eq!(by_id, Some(format!("{self_url}/events")));

    assert_eq!(
        api.settle("lb_1").await,
        ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]
    );
    let stack = api.show("lb_1").await;
    assert_eq!(
        stack["stack_status_reason"],
        "Stack CREATE completed successfully"
    );
    assert_eq!(
        stack["parameters"],
        json!({
            "OS::stack_id": id, "OS::stack_name": "lb_1", "OS::project_id": api.fakes.project_id(),
            "name": "one", "version": "2", "flag": "False", "secret": "******",
        })
    );
    assert_eq!(stack["timeout_mins"], 3);
    assert_eq!(stack["disable_rollback"], true);
    assert_eq!(stack["updated_time"], Value::Null);
    let outputs = stack["outputs"].as_array().expect("outputs");
    let keys: Vec<&str> = outputs
        .iter()
        .filter_map(|o| o["output_key"].as_str())
        .collect();
    assert_eq!(keys, ["target_id", "link", "label"]);
    let target = outputs[0]["output_value"].as_str().expect("target id");
    assert_eq!(
        outputs[1]["output_value"],
        format!("http://collector-agents-se:7070/targets/{target}")
    );
    assert_eq!(outputs[1]["description"], "No description given");
    assert_eq!(outputs[2]["output_value"], "one-2-False");

    let (status, body, _) = api
        .call(Method::GET, &format!("/stacks/lb_1/{id}/outputs"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["outputs"][0],
        json!({"output_key": "target_id", "description": "Monitoring Target ID"})
    );
    let (_, body, _) = api
        .call(
            Method::GET,
            &format!("/stacks/lb_1/{id}/outputs/label"),
            None,
        )
        .await;
    assert_eq!(body["output"]["output_value"], "one-2-False");
    let (status, body, _) = api
        .call(
            Method::GET,
            &format!("/stacks/lb_1/{id}/outputs/nope"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["error"]["message"],
        "Specified output key nope not found."
    );
    let (_, template, _) = api
        .call(Method::GET, &format!("/stacks/lb_1/{id}/template"), None)
        .await;
    assert_eq!(template["heat_template_version"], "2015-10-15");

    // A new version replaces the monitor: a new physical id.
    let update = json!({"template": TEMPLATE, "parameters": {"name": "one", "version": 3}});
    let (status, _, _) = api
        .call(Method::PUT, &format!("/stacks/lb_1/{id}"), Some(update))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        api.settle("lb_1").await,
        ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]
    );
    let stack = api.show("lb_1").await;
    assert_eq!(stack["stack_status_reason"], "Stack successfully updated");
    assert!(stack["updated_time"].is_string());
    assert_ne!(stack["outputs"][0]["output_value"], target);

    // PATCH keeps the template and the other parameters.
    let (status, _, _) = api
        .call(
            Method::PATCH,
            &format!("/stacks/lb_1/{id}"),
            Some(json!({"parameters": {"flag": true}})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    api.settle("lb_1").await;
    assert_eq!(
        api.show("lb_1").await["outputs"][2]["output_value"],
        "one-3-True"
    );

    let (status, _, location) = api.call(Method::DELETE, "/stacks/lb_1", None).await;
    assert_eq!(status, StatusCode::FOUND);
    let (status, body, _) = api
        .call(Method::DELETE, &location.expect("Location"), None)
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (_, shown, _) = api.call(Method::GET, &self_url, None).await;
    assert_eq!(shown["stack"]["stack_status"], "DELETE_IN_PROGRESS");
    let (_, shown, _) = api.call(Method::GET, &self_url, None).await;
    assert_eq!(shown["stack"]["stack_status"], "DELETE_COMPLETE");
    assert!(shown["stack"].get("outputs").is_none());
    let (status, body, _) = api.call(Method::GET, "/stacks/lb_1", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["error"]["message"],
        "The Stack (lb_1) could not be found."
    );
    let (status, _, _) = api.call(Method::GET, &format!("/stacks/{id}"), None).await;
    assert_eq!(
        status,
        StatusCode::FOUND,
        "a deleted stack stays readable by id"
    );
    let (status, _, _) = api.call(Method::DELETE, &self_url, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, again) = api.create("lb_1", json!({"name": "two"})).await;
    assert_eq!(status, StatusCode::CREATED, "the name is free again");
    assert_ne!(again["stack"]["id"], id);
}

#[tokio::test]
async fn list_filters_and_sorts_newest_first() {
    let api = Api::start(HeatSpec::default()).await;
    for name in ["a1", "b2", "c3"] {
        api.create(name, json!({"name": name})).await;
    }
    let (_, body, _) = api.call(Method::GET, "/stacks", None).await;
    let names: Vec<&str> = body["stacks"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["stack_name"].as_str())
        .collect();
    assert_eq!(names, ["c3", "b2", "a1"]);
    assert_eq!(body["stacks"][0]["description"], "");
    let (_, body, _) = api
        .call(
            Method::GET,
            "/stacks?name=b2&name=a1&sort_keys=stack_name&sort_dir=asc&with_count=true",
            None,
        )
        .await;
    let names: Vec<&str> = body["stacks"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["stack_name"].as_str())
        .collect();
    assert_eq!(names, ["a1", "b2"]);
    assert_eq!(body["count"], 2);
    let (_, body, _) = api.call(Method::GET, "/stacks?status=COMPLETE", None).await;
    assert_eq!(
        body["stacks"].as_array().map(Vec::len),
        Some(3),
        "the first list was a read"
    );
    let (_, body, _) = api
        .call(Method::GET, "/stacks?status=CREATE_FAILED", None)
        .await;
    assert_eq!(body["stacks"], json!([]));
}
