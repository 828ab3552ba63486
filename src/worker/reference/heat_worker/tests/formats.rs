//! The three result values of every recorded heat worker job, rebuilt from Heat's answer and
//! compared with the recorded `03_HeatWorker` documents and the seeds: `heat_stacks` and
//! `job_state` as JSON, `/state` as JSON with `heat_outputs` byte for byte.

use serde_json::{Map, Value, json};

use super::super::job::{Action, Job};
use super::super::state::{Outcome, job_state_value, stack_value, state_value};
use super::recorded::{blocks, documents, read, recorded};
use crate::encoding::python_json;

/// The recorded Heat's key order of an output object (CPython 2 dict order, ESI-SPEC §1.2).
const HEAT_ORDER: [&str; 3] = ["output_value", "description", "output_key"];

/// `outputs` with each object's keys in `order`, as a Heat answering in that order sends them.
/// The recorded `heat_stacks` outputs are sorted (PY-S), so the order must come from Heat.
fn heat_wire(outputs: &Value, order: [&str; 3]) -> Vec<Value> {
    outputs
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let mut m = Map::new();
            for k in order {
                m.insert(k.into(), o[k].clone());
            }
            Value::Object(m)
        })
        .collect()
}

/// A job without params for `resource_type`/`resource_id` at `version`.
fn job(action: Action, resource_type: &str, resource_id: &str, version: Value) -> Job {
    Job {
        id: "j".into(),
        action,
        resource_type: resource_type.into(),
        resource_id: resource_id.into(),
        version,
        params: Vec::new(),
        resource_input: json!({}),
    }
}

/// Checks every `/state` block with `heat_outputs` in `doc`; returns how many.
fn check_document(name: &str, doc: &str) -> usize {
    let blocks = blocks(doc);
    let find = |prefix: &str, path: &str| {
        blocks
            .iter()
            .find(|(k, _)| k == &format!("{prefix}/{path}"))
            .map(|(_, v)| v.clone())
    };
    let mut checked = 0;
    for (key, state) in &blocks {
        let Some(path) = key.strip_prefix("/state/") else {
            continue;
        };
        let Some(Value::String(recorded_outputs)) = state["state"].get("heat_outputs") else {
            continue;
        };
        let stack = find("/esi-worker/heat_stacks", path)
            .unwrap_or_else(|| panic!("{name}: no heat_stacks block for {path}"));
        let (kind, id) = stack["id"]
            .as_str()
            .and_then(|i| i.split_once(':'))
            .expect("id");
        let action = match state["state"]["worker_state"].as_str() {
            Some("CREATE_COMPLETED") => Action::Create,
            Some("MODIFY_COMPLETED") => Action::Modify,
            Some("DELETE_COMPLETED") => Action::LogicalDelete,
            other => panic!("{name}: worker_state {other:?}"),
        };
        let mut job = job(action, kind, id, state["version"].clone());
        job.resource_input = json!({"tenant_id": stack["tenant_id"]});
        assert_eq!(job.path(), path, "{name}: path");
        let outcome = Outcome {
            stack_status: stack["stack_status"].as_str().expect("status").into(),
            reason: stack["status_reason"].as_str().expect("reason").into(),
            outputs: heat_wire(&stack["output"], HEAT_ORDER),
            stack_id: stack["stack_id"].as_str().expect("stack_id").into(),
            settled: true,
            error: None,
        };
        let built = stack_value(&job, &outcome);
        assert_eq!(
            python_json(&built, true),
            python_json(&stack, true),
            "{name}: heat_stacks"
        );
        if let Some(job_state) = find("/esi-worker/job_state", path) {
            let built = job_state_value(&outcome);
            assert_eq!(
                python_json(&built, true),
                python_json(&job_state, true),
                "{name}: job_state"
            );
        }
        let built = state_value(&job, &outcome);
        let raw = python_json(&built, true);
        let decoded: Value = serde_json::from_str(&raw).expect("PY-S is JSON");
        assert_eq!(decoded, *state, "{name}: /state");
        assert_eq!(
            decoded["state"]["heat_outputs"].as_str(),
            Some(recorded_outputs.as_str()),
            "{name}: heat_outputs bytes"
        );
        checked += 1;
    }
    checked
}

#[test]
fn results_match_every_recorded_heat_worker_document() {
    let docs = documents("03_HeatWorker");
    assert!(docs.len() >= 30, "expected the recorded documents");
    let checked: usize = docs.iter().map(|(n, d)| check_document(n, d)).sum();
    assert_eq!(checked, docs.len(), "one /state per document");
}

#[test]
fn heat_outputs_match_the_seed_checkpoints_byte_for_byte() {
    let dir = recorded("seeds");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let checked: usize = names
        .iter()
        .map(|n| check_document(n, &read(&format!("seeds/{n}"))))
        .sum();
    assert!(checked >= 5, "seed /state checkpoints checked: {checked}");
}

#[test]
fn a_failed_job_reports_its_error() {
    let job = job(Action::Modify, "port", "p", json!(2));
    let outcome = Outcome {
        stack_status: "UPDATE_FAILED".into(),
        reason: "Resource UPDATE failed".into(),
        outputs: Vec::new(),
        stack_id: "port_p".into(),
        settled: true,
        error: Some("stack port_p ended UPDATE_FAILED: Resource UPDATE failed".into()),
    };
    assert_eq!(
        python_json(&state_value(&job, &outcome), true),
        r#"{"error": "stack port_p ended UPDATE_FAILED: Resource UPDATE failed", "state": {"heat_outputs": "[]", "orchestration_state": "UPDATE_FAILED", "worker_state": "MODIFY_FAILED"}, "version": 2}"#
    );
}

#[test]
fn heat_outputs_keep_the_key_order_heat_returned() {
    let job = job(Action::Create, "network", "n", json!(1));
    let recorded =
        json!([{"description": "Network ID", "output_key": "id", "output_value": "n-1"}]);
    let outcome = |order| Outcome {
        stack_status: "CREATE_COMPLETE".into(),
        reason: "Stack CREATE completed successfully".into(),
        outputs: heat_wire(&recorded, order),
        stack_id: "network_n".into(),
        settled: true,
        error: None,
    };
    let heat_outputs = |order| state_value(&job, &outcome(order))["state"]["heat_outputs"].clone();
    assert_eq!(
        heat_outputs(HEAT_ORDER),
        r#"[{"output_value": "n-1", "description": "Network ID", "output_key": "id"}]"#
    );
    assert_eq!(
        heat_outputs(["output_key", "output_value", "description"]),
        r#"[{"output_key": "id", "output_value": "n-1", "description": "Network ID"}]"#,
        "another Heat's order is kept, not rewritten to the recorded one"
    );
    let with_error: Value = serde_json::from_str(
        r#"{"output_value": null, "output_error": "boom", "description": "d", "output_key": "k"}"#,
    )
    .expect("json");
    let mut failed = outcome(HEAT_ORDER);
    failed.outputs = vec![with_error];
    assert_eq!(
        state_value(&job, &failed)["state"]["heat_outputs"],
        r#"[{"output_value": null, "output_error": "boom", "description": "d", "output_key": "k"}]"#
    );
}
