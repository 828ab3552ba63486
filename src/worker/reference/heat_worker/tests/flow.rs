//! Whole jobs: the heat worker alone on a real etcd and the fakes ([`World`]): recorded
//! creates, modifies and deletes, failures, timeouts, retries and `output_key` params.

use serde_json::{Map, Value, json};

use super::recorded::{recorded_job, recorded_results};
use super::world::{World, position, value_of};
use crate::encoding::python_json;
use crate::scenario::{Failure, HeatSpec, HttpError, StackAction, StackRule};

fn rule(pattern: &str) -> StackRule {
    StackRule {
        pattern: pattern.into(),
        generation: None,
        in_progress_reads: None,
        outputs: Map::new(),
        output_order: Vec::new(),
        fail: Vec::new(),
        http_error: None,
        latency: None,
        hold_until: Vec::new(),
    }
}

/// A fake Heat with the one stack rule `rule`.
fn spec(rule: StackRule) -> HeatSpec {
    HeatSpec {
        stacks: vec![rule],
        ..HeatSpec::default()
    }
}

/// The fake Heat answering the recorded lb_interface 24580bfc outputs.
fn recorded_outputs_spec() -> HeatSpec {
    let mut r = rule("load_balancer_interface_*");
    r.outputs.insert(
        "monitoring_target_id".into(),
        json!("2da66917-604c-4076-8c21-79da05f6479e"),
    );
    r.outputs.insert(
        "monitoring_link".into(),
        json!("http://collector-agents-se:7070/targets/2da66917-604c-4076-8c21-79da05f6479e"),
    );
    spec(r)
}

/// The job's three results equal the recorded ones (PY-S bytes of the decoded documents).
fn assert_results(writes: &[(String, Option<String>)], recorded: &[(String, Value)]) {
    for (key, expected) in recorded {
        // For job_state: the value after the compare-and-swap, before the delete.
        let written = value_of(writes, key);
        assert_eq!(
            python_json(&written, true),
            python_json(expected, true),
            "{key}"
        );
        if let Some(Value::String(outputs)) = expected["state"].get("heat_outputs") {
            assert_eq!(
                written["state"]["heat_outputs"].as_str(),
                Some(outputs.as_str())
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_a_load_balancer_interface_as_recorded() {
    let mut world = World::start(recorded_outputs_spec()).await;
    let job = recorded_job("CreateLoadbalancer_11.md");
    let writes = world.run_job(&job).await;
    let recorded = recorded_results("CreateLoadbalancer_11.md");
    assert_results(&writes, &recorded);
    let path = "v2.0/load_balancer_interfaces/24580bfc-32f4-4c0f-8e8a-c7288497aa7c";
    let id = job["id"].as_str().expect("id");
    let order = [
        position(&writes, &format!("/jobs/working/{id}"), true),
        position(&writes, &format!("/esi-worker/job_state/{path}"), true),
        position(&writes, &format!("/esi-worker/heat_stacks/{path}"), true),
        position(&writes, &format!("/state/{path}"), true),
        position(&writes, &format!("/jobs/finished/{id}"), true),
        position(&writes, &format!("/esi-worker/job_state/{path}"), false),
    ];
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "ESI-SPEC §1.11 order: {writes:#?}"
    );
    let first = writes
        .iter()
        .find(|(k, _)| k.ends_with(path) && k.starts_with("/esi-worker/job_state/"));
    assert_eq!(
        first.and_then(|(_, v)| v.as_deref()),
        Some("{}"),
        "job_state starts as {{}}"
    );
    assert!(
        writes
            .iter()
            .any(|(k, v)| k == &format!("/jobs/ready/{id}") && v.is_none()),
        "ready deleted"
    );
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modifies_then_deletes_the_stack() {
    let mut world = World::start(recorded_outputs_spec()).await;
    let mut job = recorded_job("CreateLoadbalancer_11.md");
    world.run_job(&job).await;

    job["action"] = json!("modify");
    job["version"] = json!(2);
    job["id"] = json!(
        "modify:heat_worker:load_balancer_interface:24580bfc-32f4-4c0f-8e8a-c7288497aa7c:2:mzlsm"
    );
    let writes = world.run_job(&job).await;
    let path = "v2.0/load_balancer_interfaces/24580bfc-32f4-4c0f-8e8a-c7288497aa7c";
    let state = value_of(&writes, &format!("/state/{path}"));
    assert_eq!(state["state"]["worker_state"], "MODIFY_COMPLETED");
    assert_eq!(state["state"]["orchestration_state"], "UPDATE_COMPLETE");
    assert_eq!(state["version"], 2);
    let stack = value_of(&writes, &format!("/esi-worker/heat_stacks/{path}"));
    assert_eq!(stack["status_reason"], "Stack successfully updated");

    job["action"] = json!("logical_delete");
    job["version"] = json!(3);
    job["id"] = json!(
        "logical_delete:heat_worker:load_balancer_interface:24580bfc-32f4-4c0f-8e8a-c7288497aa7c:3:ajjld"
    );
    let writes = world.run_job(&job).await;
    // The recorded shape of a logical delete (UpdateLoadbalancerInterface_07, a port).
    let recorded: Vec<(String, Value)> = recorded_results("UpdateLoadbalancerInterface_07.md")
        .into_iter()
        .map(|(key, mut value)| {
            let key = key.replace("v2.0/ports/db3bff62-cf93-48ce-8d6b-cfb2f7fd7dfc", path);
            if value.get("id").is_some() {
                value["id"] = json!("load_balancer_interface:24580bfc-32f4-4c0f-8e8a-c7288497aa7c");
            }
            if value.get("version").is_some() {
                value["version"] = json!(3);
            }
            (key, value)
        })
        .collect();
    assert_results(&writes, &recorded);
    world.stop().await;
}

/// A job of the fake's own: one network stack with `heat_timeout` minutes.
fn network_job(id: &str, heat_timeout: Value) -> Value {
    json!({
        "action": "create", "dependency": [], "handler": "heat_worker",
        "id": format!("create:heat_worker:network:{id}:1:abcde"),
        "is_first": true, "is_last": true, "on_failure": "fail",
        "job_name": format!("network:{id}:1"),
        "params": [
            {"param": "admin_state_up", "type": "value", "value": true, "resources": []},
            {"param": "uuid", "type": "value", "value": id, "resources": []},
            {"param": "name", "type": "value", "value": id, "resources": []},
            {"param": "heat_timeout", "type": "value", "value": heat_timeout, "resources": []},
        ],
        "resource_id": id, "resource_type": "network",
        "resource_input": {"id": id, "tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c"},
        "version": 1,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_stack_fails_the_job_and_finishes_it() {
    let mut r = rule("network_n-fail");
    r.fail.push(Failure {
        action: StackAction::Create,
        reason: Some("Resource CREATE failed: boom".into()),
        times: None,
    });
    let mut world = World::start(spec(r)).await;
    let writes = world.run_job(&network_job("n-fail", json!("3"))).await;
    let state = value_of(&writes, "/state/v2.0/networks/n-fail");
    assert_eq!(state["state"]["worker_state"], "CREATE_FAILED");
    assert_eq!(state["state"]["orchestration_state"], "CREATE_FAILED");
    assert!(
        state["error"].as_str().is_some_and(|e| e.contains("boom")),
        "{state}"
    );
    let stack = value_of(&writes, "/esi-worker/heat_stacks/v2.0/networks/n-fail");
    assert_eq!(stack["stack_status"], "CREATE_FAILED");
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_that_never_settles_times_out_in_polls() {
    let mut r = rule("network_n-slow");
    r.in_progress_reads = Some(1_000_000);
    let mut world = World::start(spec(r)).await;
    // 1 minute = 54 modelled polls of 1.1 s, a fraction of a second at the test poll interval.
    let writes = world.run_job(&network_job("n-slow", json!(1))).await;
    let state = value_of(&writes, "/state/v2.0/networks/n-slow");
    assert_eq!(state["state"]["worker_state"], "CREATE_FAILED");
    assert_eq!(state["state"]["orchestration_state"], "CREATE_FAILED");
    assert!(
        state["error"]
            .as_str()
            .is_some_and(|e| e.contains("timed out")),
        "{state}"
    );
    assert!(
        !writes
            .iter()
            .any(|(k, _)| k.starts_with("/esi-worker/heat_stacks/")),
        "no heat_stacks for a stack that never settled"
    );
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_heat_errors_are_retried() {
    let mut r = rule("network_n-flaky");
    r.http_error = Some(HttpError {
        status: 503,
        count: 3,
        methods: Vec::new(),
    });
    let mut world = World::start(spec(r)).await;
    let writes = world.run_job(&network_job("n-flaky", json!("3"))).await;
    let state = value_of(&writes, "/state/v2.0/networks/n-flaky");
    assert_eq!(
        state["state"]["worker_state"],
        "CREATE_COMPLETED",
        "{}",
        world.log.take()
    );
    assert_eq!(state["error"], "");
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_key_params_come_from_the_referenced_heat_stacks() {
    let mut world = World::start(HeatSpec::default()).await;
    world.run_job(&network_job("n-ref", json!("3"))).await;
    let mut job = network_job("n-user", json!("3"));
    job["resource_type"] = json!("load_balancer_interface");
    job["id"] = json!("create:heat_worker:load_balancer_interface:n-user:1:abcde");
    job["params"] = json!([
        {"param": "jinja_slot_number", "type": "value", "value": 2, "resources": []},
        {"param": "tenant_id", "type": "value", "value": "fe3a4a1a72c04479bb6c19c2c0ccba4c", "resources": []},
        {"param": "management_ip", "type": "output_key", "resources": [],
         "value": {"output_key": "id", "resource_type": "network", "resource_id": "n-ref"}},
        {"param": "version", "type": "value", "value": 1, "resources": []},
        {"param": "gohan_id", "type": "value", "value": "n-user", "resources": []},
    ]);
    let writes = world.run_job(&job).await;
    let state = value_of(&writes, "/state/v2.0/load_balancer_interfaces/n-user");
    assert_eq!(
        state["state"]["worker_state"],
        "CREATE_COMPLETED",
        "{}",
        world.log.take()
    );
    let log = world.stop().await;
    assert!(log.contains("\"management_ip\":\"n-ref\""), "{log}");
    assert!(log.contains("if_name: 1/2"), "{log}");
}
