//! How runs fail: every message names what was expected and what happened.

use heatbed::etcd::Backend;
use heatbed::run::{RunError, run_scenario};
use heatbed::scenario::load;

async fn run(yaml: &str) -> Result<heatbed::run::Outcome, RunError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("failing.yaml");
    std::fs::write(&path, yaml).unwrap();
    let scenario = load(&path).unwrap_or_else(|e| panic!("{e}"));
    let etcd = Backend::Embedded.start().await.expect("etcd");
    run_scenario(&scenario, &etcd, None).await
}

#[tokio::test]
async fn a_wait_timeout_says_what_it_expected_and_what_etcd_holds_nearby() {
    let error = run("name: w\nworker: {kind: none}\nsteps:\n\
        - {action: put, key: /state/v2.0/ports/other, value: {version: 1}}\n\
        - {action: put, key: /state/v2.0/ports/p, value: {version: 1}}\n\
        - {action: wait, key: /state/v2.0/ports/p, until: matches, value: {version: 2}, timeout: 200ms}\n")
    .await
    .expect_err("the wait must time out")
    .to_string();
    assert!(error.contains("step 3 (`wait`, line 6)"), "{error}");
    assert!(
        error.contains(r#"to contain {"version":2}; it holds {"version":1}"#),
        "{error}"
    );
    assert!(
        error.contains("etcd holds under `/state/v2.0/ports/`"),
        "{error}"
    );
    assert!(
        error.contains("/state/v2.0/ports/other = {\"version\":1}"),
        "{error}"
    );
}

#[tokio::test]
async fn a_checkpoint_that_never_happens_fails_with_what_its_key_saw() {
    let error = run("name: m\nworker: {kind: none}\ntimeout: 300ms\nsteps:\n\
        - {action: put, key: /a, value: 1}\n\
        documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /a}\n      - {key: /a, nth: 2}\n")
    .await
    .expect_err("checkpoint (2) never happens")
    .to_string();
    assert!(error.contains("checkpoints never happened"), "{error}");
    assert!(
        error.contains("d (2) /a wants write 2: the key was written 1 time(s)"),
        "{error}"
    );
    assert!(!error.contains("d (1)"), "{error}");
}

#[tokio::test]
async fn a_run_with_a_missing_checkpoint_keeps_the_others() {
    let error = run("name: m\nworker: {kind: none}\ntimeout: 200ms\nsteps:\n\
        - {action: put, key: /a, value: 1}\n\
        - {action: put, key: /b, value: 2}\n\
        documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /a}\n      - {key: /never}\n      - {key: /b}\n")
    .await
    .expect_err("checkpoint (2) never happens");
    let partial = error.partial.expect("what did happen is kept");
    let kept: Vec<(usize, &str)> = partial
        .checkpoints
        .iter()
        .map(|c| (c.number, c.text.as_str()))
        .collect();
    assert_eq!(kept, [(1, "/a\n1"), (3, "/b\n2")]);
    let missing: Vec<(usize, &str)> = partial
        .missing
        .iter()
        .map(|m| (m.number, m.key.as_str()))
        .collect();
    assert_eq!(missing, [(2, "/never")]);
}

#[tokio::test]
async fn a_huge_timeout_never_overflows() {
    let outcome = run(
        "name: h\nworker: {kind: none}\ntimeout: 18446744073709551615s\nsteps:\n\
        - {action: put, key: /a, value: 1}\n\
        - {action: wait, key: /a, timeout: 18446744073709551615s}\n\
        documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /a}\n\
        keyspace: {}\n",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.checkpoints.len(), 1);
    assert_eq!(outcome.keyspace.unwrap().text, "/a\n1");
}

#[tokio::test]
async fn a_worker_that_exits_during_the_steps_is_noticed_at_once() {
    // The wait would take 10 minutes; the worker's exit ends the run instead, with its status.
    let error = run(
        "name: x\nworker: {kind: command, command: 'echo bye; exit 4'}\n\
        steps:\n  - {action: wait, key: /never, timeout: 10m}\n\
        documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /never}\n",
    )
    .await
    .expect_err("the worker exits during the wait step")
    .to_string();
    assert!(
        error.contains("worker exited (exit status: 4) during step 1 (`wait`, line 4)"),
        "{error}"
    );
    assert!(error.contains("d (1) /never"), "{error}");
    assert!(error.contains("--- worker output ---\nbye"), "{error}");
}

#[tokio::test]
async fn checkpoints_out_of_declared_order_fail() {
    let error = run("name: o\nworker: {kind: none}\nsteps:\n\
        - {action: put, key: /b, value: 1}\n\
        - {action: put, key: /a, value: 1}\n\
        documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /a}\n      - {key: /b}\n")
    .await
    .expect_err("order is violated")
    .to_string();
    assert!(
        error.contains("document `d`: checkpoint (2) was written before (1)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_worker_that_exits_early_fails_the_run_and_its_output_is_shown() {
    let error = run("name: x\nworker: {kind: command, command: 'echo worker says hi; echo oops >&2; exit 3'}\n\
        steps: []\ndocuments:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /never}\n")
    .await
    .expect_err("the worker exits before the checkpoint")
    .to_string();
    assert!(
        error.contains("worker exited (exit status: 3) before every checkpoint happened"),
        "{error}"
    );
    assert!(
        error.contains("--- worker output ---\nworker says hi\noops"),
        "{error}"
    );
}

#[tokio::test]
async fn gohan_refuses_to_create_twice_or_update_what_does_not_exist() {
    let twice = run("name: g\nworker: {kind: none}\nsteps:\n\
        - {action: gohan, op: create, path: /v2.0/ports/p, body: {id: p}}\n\
        - {action: gohan, op: create, path: /v2.0/ports/p, body: {id: p}}\n")
    .await
    .expect_err("second create")
    .to_string();
    assert!(
        twice.contains(
            "step 2 (`gohan`, line 5): gohan create: `/config/v2.0/ports/p` exists already"
        ),
        "{twice}"
    );
    let absent = run("name: g\nworker: {kind: none}\nsteps:\n\
        - {action: gohan, op: update, path: /v2.0/ports/q, body: {id: q}}\n")
    .await
    .expect_err("update of nothing")
    .to_string();
    assert!(
        absent.contains("gohan update: `/config/v2.0/ports/q` does not exist"),
        "{absent}"
    );
}

#[tokio::test]
async fn the_recorder_keeps_every_value_at_the_moment_it_was_written() {
    let outcome = run("name: r\nworker: {kind: none}\nsteps:\n\
        - {action: put, key: /k, value: one}\n\
        - {action: put, key: /k, value: two}\n\
        - {action: delete, key: /k}\n\
        - {action: put, key: /k, value: three}\n\
        documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /k}\n      - {key: /k, nth: 2}\n      - {key: /k, nth: 3}\n")
    .await
    .expect("run passes");
    let values: Vec<&str> = outcome
        .checkpoints
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(values, ["/k\none", "/k\ntwo", "/k\nthree"]);
    let kinds: Vec<(&str, bool)> = outcome
        .history
        .iter()
        .map(|w| (w.key.as_str(), w.value.is_some()))
        .collect();
    assert_eq!(
        kinds,
        [("/k", true), ("/k", true), ("/k", false), ("/k", true)]
    );
    assert!(
        outcome
            .history
            .windows(2)
            .all(|w| w[0].revision < w[1].revision)
    );
}

/// A prefix wait holds once no key (`deleted`) or some key (`exists`) is under the prefix;
/// one key left under it times out naming it.
#[tokio::test]
async fn a_prefix_wait_waits_for_the_whole_prefix() {
    let outcome = run("name: w\nworker: {kind: none}\nsteps:\n\
        - {action: wait, key: '/jobs/all/', prefix: true, until: deleted, timeout: 200ms}\n\
        - {action: put, key: '/jobs/all/a:1:xyz', value: x}\n\
        - {action: wait, key: '/jobs/all/a:1:', prefix: true, timeout: 200ms}\n\
        - {action: delete, key: '/jobs/all/a:1:xyz'}\n\
        - {action: wait, key: '/jobs/all/a:1:', prefix: true, until: deleted, timeout: 200ms}\n")
    .await;
    assert!(
        outcome.is_ok(),
        "{:?}",
        outcome.err().map(|e| e.to_string())
    );
    let error = run("name: w\nworker: {kind: none}\nsteps:\n\
        - {action: put, key: '/jobs/all/a:1:xyz', value: x}\n\
        - {action: put, key: '/jobs/all/b:1:xyz', value: y}\n\
        - {action: delete, key: '/jobs/all/b:1:xyz'}\n\
        - {action: wait, key: '/jobs/all/', prefix: true, until: deleted, timeout: 200ms}\n")
    .await
    .expect_err("a key is left under the prefix")
    .to_string();
    assert!(error.contains("/jobs/all/a:1:xyz = x"), "{error}");
}
