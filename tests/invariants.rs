//! The invariants after a run: a deliberately broken external worker
//! (`tests/fixtures/workers/broken.sh`) fails the run naming the invariant it broke, and the
//! checkpoints that happened are kept.

use heatbed::etcd::Backend;
use heatbed::run::{Invariant, RunError, RunErrorKind, ViolationKind, run_scenario};
use heatbed::scenario::load;

const STATE: &str = "/state/v2.0/networks/n-1";

/// Runs one network create against `broken.sh <mode>`.
async fn run_broken(mode: &str) -> RunError {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/workers/broken.sh"
    );
    let yaml = format!(
        "name: broken\nworker: {{kind: command, command: 'sh {script} {mode}'}}\ntimeout: 20s\n\
         steps:\n\
         - {{action: wait, key: /worker/ready}}\n\
         - {{action: gohan, op: create, path: /v2.0/networks/n-1, body: {{id: n-1, name: net}}}}\n\
         documents:\n  - name: state\n    title: State\n    checkpoints:\n      - {{key: {STATE}}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, yaml).unwrap();
    let scenario = load(&path).unwrap_or_else(|e| panic!("{e}"));
    let etcd = Backend::Embedded.start().await.expect("etcd");
    run_scenario(&scenario, &etcd, None)
        .await
        .expect_err("a broken invariant fails the run")
}

/// The broken invariants of a failed run, and the violation kinds of each.
fn broken(error: &RunError) -> Vec<(Invariant, Vec<ViolationKind>)> {
    let RunErrorKind::Invariants(invariants) = &error.kind else {
        panic!("not an invariant failure: {error}");
    };
    invariants
        .broken()
        .map(|c| (c.invariant, c.violations.iter().map(|v| v.kind).collect()))
        .collect()
}

#[tokio::test]
async fn a_state_version_going_back_fails_the_run_naming_the_invariant_and_key() {
    let error = run_broken("state_backwards").await;
    assert_eq!(
        broken(&error),
        [(
            Invariant::StateVersionsNeverGoBack,
            vec![ViolationKind::StateRegression]
        )]
    );
    let message = error.to_string();
    assert!(
        message.contains("broken: no /state version goes backwards"),
        "{message}"
    );
    assert!(
        message.contains(&format!("{STATE}: version went from 2 back to 1")),
        "{message}"
    );
    let partial = error.partial.expect("the checkpoints are kept");
    assert_eq!(partial.checkpoints.len(), 1);
    assert!(partial.missing.is_empty());
    let counts = partial.invariants.expect("checked").counts;
    assert_eq!(
        (counts.state_regressions, counts.lost, counts.jobs),
        (1, 0, 0)
    );
}

#[tokio::test]
async fn two_jobs_for_one_config_version_fail_the_run_as_duplicated() {
    let error = run_broken("job_twice").await;
    assert_eq!(
        broken(&error),
        [(
            Invariant::OneJobPerConfigVersion,
            vec![ViolationKind::DuplicateJob]
        )]
    );
    let message = error.to_string();
    assert!(
        message.contains("broken: every /config version gets exactly one job"),
        "{message}"
    );
    assert!(
        message.contains("/config/v2.0/networks/n-1: version 1"),
        "{message}"
    );
    assert!(
        message.contains("/jobs/all/create:heat_worker:network:n-1:1:bbbbb"),
        "{message}"
    );
    let counts = error
        .partial
        .expect("kept")
        .invariants
        .expect("checked")
        .counts;
    assert_eq!((counts.jobs, counts.duplicated, counts.lost), (2, 1, 0));
}
