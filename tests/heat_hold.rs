//! `hold_until` of a heat stack rule, end to end: the fake Heat follows etcd and keeps a
//! stack in progress until the keys appear; keys that never appear end the run with the
//! timeout error naming the stack and the keys, never a hang.

use std::path::{Path, PathBuf};

use heatbed::etcd::Backend;
use heatbed::run::{Outcome, RunError, run_scenario};
use heatbed::scenario::load;

const A: &str = "ce9a7a92-0c5a-4d5d-9d9e-b6f62cfb2b9d";
const B: &str = "168c1535-9001-49c7-bb05-21844570a83c";

/// The shell heat worker (one network stack at a time, polled until final) that also puts
/// the status its first poll of a stack saw at `/worker/first_poll/<id>`.
fn worker(dir: &Path) -> PathBuf {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/workers/heat_curl.sh"
    );
    let script = std::fs::read_to_string(script).expect("heat_curl.sh");
    let poll = "    done\n    etcdctl put \"/state/";
    assert!(script.contains(poll), "heat_curl.sh changed: {script}");
    let first = "        [ -n \"${first:-}\" ] || { first=$status; \
                 etcdctl put \"/worker/first_poll/$id\" \"$status\" >/dev/null; }\n";
    let path = dir.join("worker.sh");
    std::fs::write(&path, script.replace(poll, &format!("{first}{poll}"))).unwrap();
    path
}

/// A scenario with [`worker`], `network_A` held until `hold` exists, then `steps`.
async fn run(hold: &str, steps: &str) -> Result<Outcome, RunError> {
    let dir = tempfile::tempdir().unwrap();
    let worker = worker(dir.path()).display().to_string();
    let yaml = format!(
        "name: hold\ntimeout: 3s\nworker: {{kind: command, command: \"sh '{worker}'\"}}\n\
         heat:\n  in_progress_reads: 0\n  stacks:\n    - {{match: network_{A}, generation: 1, hold_until: {{exists: ['{hold}']}}}}\n\
         steps:\n  - {{action: wait, key: /worker/ready}}\n  - {{action: gohan, op: create, path: /v2.0/networks/{A}, body: {{id: {A}}}}}\n{steps}\
         documents:\n  - name: state\n    title: hold\n    checkpoints:\n      - key: /state/v2.0/networks/{A}\n"
    );
    let path = dir.path().join("hold.yaml");
    std::fs::write(&path, yaml).unwrap();
    let scenario = load(&path).unwrap_or_else(|e| panic!("{e}"));
    let etcd = Backend::Embedded.start().await.expect("etcd");
    run_scenario(&scenario, &etcd, None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_stack_completes_only_after_its_keys_are_written() {
    let steps = format!(
        "  - {{action: wait, key: /worker/first_poll/{A}}}\n  - {{action: put, key: /gate/open, value: {{}}}}\n"
    );
    let outcome = run("/gate/*", &steps)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // in_progress_reads is 0: only the hold keeps the stack in progress on the first poll,
    // which happens before the gate is written.
    let value = |key: &str| {
        let write = outcome.history.iter().position(|w| w.key == key);
        let write = write.unwrap_or_else(|| panic!("{key} never written"));
        let value = outcome.history[write].value.clone().unwrap_or_default();
        (write, String::from_utf8_lossy(&value).into_owned())
    };
    let (_, first_poll) = value(&format!("/worker/first_poll/{A}"));
    assert_eq!(first_poll, "CREATE_IN_PROGRESS");
    let (state, reported) = value(&format!("/state/v2.0/networks/{A}"));
    assert!(state > value("/gate/open").0, "completed before the gate");
    assert!(reported.contains("CREATE_COMPLETE"), "{reported}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_never_lifted_ends_with_the_timeout_naming_the_stack_and_keys() {
    // The worker handles one network at a time: B waits behind the held A, so A's hold on
    // B's state can never lift.
    let hold = format!("/state/v2.0/networks/{B}");
    let steps =
        format!("  - {{action: gohan, op: create, path: /v2.0/networks/{B}, body: {{id: {B}}}}}\n");
    let error = run(&hold, &steps)
        .await
        .expect_err("the hold can never lift")
        .to_string();
    assert!(
        error.contains("checkpoints never happened within 3s"),
        "{error}"
    );
    assert!(
        error.contains(&format!(
            "stack `network_{A}` held CREATE_IN_PROGRESS (heat hold_until) until etcd has `{hold}`"
        )),
        "{error}"
    );
}

/// The reverse check: the golden flows' holds only delay stacks, so a worker that ignores
/// dependencies is still caught. Its job manager would write every job with an empty
/// `dependency` (the holds wait only for job keys to exist, whatever their value): each such
/// job of a real run of `create_loadbalancer`, holds in place, differs from its recording.
#[test]
fn a_job_written_without_its_recorded_dependencies_is_still_caught() {
    use heatbed::docs::compare_with_recorded;
    use serde_json::{Value, json};

    let scenario = load(Path::new("scenarios/create_loadbalancer.yaml")).expect("scenario");
    assert!(
        scenario
            .heat
            .stacks
            .iter()
            .any(|r| !r.hold_until.is_empty()),
        "the golden flow holds the stacks its recorded jobs depend on"
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let outcome = runtime
        .block_on(heatbed::run::run_on(&Backend::Auto, &scenario))
        .unwrap_or_else(|e| panic!("{e}"));
    let mismatches = compare_with_recorded(&scenario, &outcome.checkpoints).expect("compared");
    assert!(mismatches.is_empty(), "{mismatches:?}");

    let mut ignoring = outcome.checkpoints.clone();
    let mut dependants = 0;
    for c in &mut ignoring {
        let Some((key, value)) = c.unredacted.split_once('\n') else {
            continue;
        };
        let Ok(mut value) = serde_json::from_str::<Value>(value) else {
            continue;
        };
        match value.pointer_mut("/1/dependency") {
            Some(Value::Array(list)) if !list.is_empty() => list.clear(),
            _ => continue,
        }
        dependants += 1;
        c.unredacted = format!("{key}\n{}", json!(value));
    }
    let caught = compare_with_recorded(&scenario, &ignoring).expect("compared");
    let dependency_differences = caught
        .iter()
        .flat_map(|m| &m.differences)
        .filter(|d| d.to_string().contains("dependency"))
        .count();
    assert!(dependants >= 5, "{dependants} dependant jobs");
    assert!(
        dependency_differences >= dependants,
        "{dependency_differences} of {dependants} jobs without their dependencies caught: {caught:?}"
    );
}
