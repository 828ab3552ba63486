//! The invariants after a run: a deliberately broken external worker
//! (`tests/fixtures/workers/broken.sh`) fails the run naming the invariant it broke, and the
//! checkpoints that happened are kept.

use heatbed::etcd::Backend;
use heatbed::run::{Invariant, RunError, RunErrorKind, ViolationKind, Write, run_scenario};
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

/// One event of a recorded etcd watcher log, with the time its watcher consumed it.
fn watcher_events(log: &str) -> Vec<(String, String, Option<Vec<u8>>)> {
    let is_log_line = |l: &str| {
        l.len() > 24
            && l.as_bytes()[4] == b'-'
            && l.as_bytes()[19] == b','
            && l[..4].chars().all(|c| c.is_ascii_digit())
    };
    let mut events = vec![];
    let (mut time, mut lines) = (String::new(), log.lines().peekable());
    while let Some(line) = lines.next() {
        if is_log_line(line) {
            time = line[..23].to_string();
            continue;
        }
        let Some(rest) = line.strip_prefix(" action=[") else {
            continue;
        };
        let (action, rest) = rest.split_once("], key=[").expect("action and key");
        let key = rest.trim_end_matches("],").to_string();
        let mut value = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches(" value=[")
            .to_string();
        while let Some(next) = lines.peek().filter(|l| !is_log_line(l)) {
            value.push('\n');
            value.push_str(next);
            lines.next();
        }
        let value = value
            .trim_end()
            .strip_suffix(']')
            .unwrap_or(&value)
            .to_string();
        let put = action != "delete" && !value.is_empty();
        events.push((time.clone(), key, put.then(|| value.into_bytes())));
    }
    events
}

#[test]
fn the_recorded_system_holds_every_invariant_its_watcher_logs_can_show() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/recorded/esi/05_load_balancer/result_log/04_etcd_watcher_log"
    );
    let mut events = vec![];
    let (mut sets, mut templates) = (0, 0);
    for name in ["config", "jobs", "state"] {
        let log = std::fs::read_to_string(format!("{dir}/etcd-{name}-watcher.log")).unwrap();
        events.extend(watcher_events(&log));
        sets += log.matches("action=[set], key=[/jobs/all/").count();
        templates += log
            .matches("action=[set], key=[/config/v2.0/heat_templates/")
            .count();
    }
    let configs = events
        .iter()
        .filter(|(_, k, v)| k.starts_with("/config/") && v.is_some())
        .count();
    // One order across the logs: the time each watcher consumed the event (stable: a log's
    // own order is kept). etcd v2's directory node `/jobs/all` (set with no value) is no key.
    events.sort_by(|a, b| a.0.cmp(&b.0));
    let history: Vec<Write> = events
        .into_iter()
        .filter(|(_, key, _)| key != "/jobs/all")
        .enumerate()
        .map(|(i, (_, key, value))| Write {
            revision: i as i64 + 1,
            key,
            value,
        })
        .collect();
    let invariants = heatbed::run::check_invariants(&history);
    assert!(invariants.hold(), "{invariants}");
    let counts = invariants.counts;
    // Every job the log shows, every resource version Gohan wrote (each once in this run).
    assert!(sets > 0);
    assert_eq!(counts.jobs, sets, "{counts:?}");
    assert_eq!(counts.config_versions, configs - templates, "{counts:?}");

    // Not vacuous: without the worker's last `/state` write, its job never ended.
    let mut without = history.clone();
    let last = without
        .iter()
        .rposition(|w| {
            w.key.starts_with("/state/")
                && w.value
                    .as_deref()
                    .is_some_and(|v| String::from_utf8_lossy(v).contains("_COMPLETED"))
        })
        .expect("the worker wrote /state");
    let key = without.remove(last).key;
    let broken = heatbed::run::check_invariants(&without);
    let kinds: Vec<ViolationKind> = broken
        .broken()
        .flat_map(|c| c.violations.iter().map(|v| v.kind))
        .collect();
    assert_eq!(kinds, [ViolationKind::NoFinalState], "{broken}");
    assert!(
        broken.to_string().contains(&format!("no final {key}")),
        "{broken}"
    );
    assert_eq!(broken.counts.lost, 1);
}

/// A job that fails is fine by definition: the reference worker, with Heat failing the create
/// and answering 503 twice, ends each job in one final `/state` (`CREATE_FAILED`, then the
/// modify that depended on it): nothing lost, nothing duplicated.
#[tokio::test]
async fn failing_heat_leaves_no_job_lost_or_duplicated() {
    let template = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/fixtures/05_load_balancer/config_v2.0_heat_templates_network.json"
    );
    let yaml = format!(
        "name: failing\nworker: {{kind: reference}}\ntimeout: 30s\n\
         heat:\n  stacks:\n    - match: network_*\n      fail: [{{action: create, reason: boom}}]\n      http_error: {{count: 2}}\n\
         steps:\n\
         - {{action: put, key: /config/v2.0/heat_templates/network, file: '{template}'}}\n\
         - {{action: gohan, op: create, path: /v2.0/networks/n-1, body: {{id: n-1, name: net}}}}\n\
         - {{action: gohan, op: update, path: /v2.0/networks/n-1, body: {{id: n-1, name: net2}}}}\n\
         documents:\n  - name: state\n    title: State\n    checkpoints:\n\
         \x20     - {{key: {STATE}, matching: {{version: 2}}}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("failing.yaml");
    std::fs::write(&path, yaml).unwrap();
    let scenario = load(&path).unwrap_or_else(|e| panic!("{e}"));
    let etcd = Backend::Embedded.start().await.expect("etcd");
    let outcome = run_scenario(&scenario, &etcd, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let invariants = outcome.invariants.expect("a worker ran: checked");
    assert!(invariants.hold(), "{invariants}");
    let counts = invariants.counts;
    assert_eq!(
        (counts.jobs, counts.lost, counts.duplicated),
        (2, 0, 0),
        "{counts:?}"
    );
    let failed = outcome.history.iter().any(|w| {
        w.key == STATE
            && w.value
                .as_deref()
                .is_some_and(|v| String::from_utf8_lossy(v).contains("CREATE_FAILED"))
    });
    assert!(failed, "the create failed");
}
