//! `heatbed run --junit FILE`, read back by junitparser (from PyPI, in a throwaway venv under
//! `target/`, kept between runs): counts, the failure's diff, the error, the worker's log.
//!
//! Without python3, venv or PyPI the test prints `SKIP: <reason>` and passes, unless `CI` is
//! set: then it fails.

#[path = "support/heatbed.rs"]
mod bin;
#[path = "support/venv.rs"]
mod venv;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The junitparser version this test was verified with.
const PACKAGE: &str = "junitparser==5.0.3";

/// A scenario whose worker prints a line and exits before its checkpoint happens.
const FAILING_WORKER: &str = "name: A worker that gives up
worker: {kind: command, command: 'echo giving-up-now; exit 3'}
steps: []
documents:
  - name: never
    title: Never written
    checkpoints:
      - key: /state/v2.0/ports/never
";

/// A scenario whose worker talks, then writes its one checkpoint.
const TALKING_WORKER: &str = "name: A talking worker
worker: {kind: command, command: 'echo hello-from-worker; etcdctl put /talk said-hello >/dev/null; exec tail -f /dev/null'}
steps: []
documents:
  - name: talk
    title: Talk
    checkpoints:
      - key: /talk
";

fn heatbed(args: &[&std::ffi::OsStr]) -> std::process::Output {
    bin::heatbed().args(args).output().expect("heatbed runs")
}

/// junitparser's reading of `report`.
fn parse(venv: &Path, report: &Path) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let parsed = Command::new(venv.join("bin/python"))
        .arg(root.join("tests/clients/junit_report.py"))
        .arg(report)
        .output()
        .expect("python runs");
    assert!(
        parsed.status.success(),
        "junitparser failed: {}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    serde_json::from_slice(&parsed.stdout).expect("JSON")
}

#[test]
fn junit_reports_suites_cases_failures_and_errors() {
    let Some(venv) = venv::venv("junit-venv", &[&[PACKAGE]]) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    // Snapshots: gohan_writes with one changed, the monitoring scenario as checked in.
    for scenario in ["gohan_writes", "monitoring_load_balancer_interface"] {
        let target = dir.path().join("snapshots").join(scenario);
        std::fs::create_dir_all(&target).expect("dir");
        for entry in std::fs::read_dir(root.join("snapshots").join(scenario)).expect("snapshots") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, target.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let snap = dir.path().join("snapshots/gohan_writes/port-02.snap");
    let edited = std::fs::read_to_string(&snap)
        .expect("snapshot")
        .replace("\"version\": 2", "\"version\": 7");
    std::fs::write(&snap, edited).expect("written");
    let failing = dir.path().join("gives_up.yaml");
    std::fs::write(&failing, FAILING_WORKER).expect("written");
    let report = dir.path().join("report.xml");

    let talking = dir.path().join("talker.yaml");
    std::fs::write(&talking, TALKING_WORKER).expect("written");
    let snapshots = dir.path().join("snapshots");
    let recorded = dir.path().join("record.xml");

    // `record --accept` reports too: one passing testcase, the worker's log in the suite.
    let out = heatbed(&[
        "record".as_ref(),
        "--accept".as_ref(),
        talking.as_os_str(),
        "--snapshots".as_ref(),
        snapshots.as_os_str(),
        "--junit".as_ref(),
        recorded.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let record = parse(&venv, &recorded);
    assert_eq!(
        (&record["tests"], &record["failures"]),
        (&Value::from(1), &Value::from(0))
    );
    let log = record["suites"][0]["system_out"]
        .as_str()
        .unwrap_or_default();
    assert!(log.contains("hello-from-worker"), "{record:#}");

    let out = heatbed(&[
        "run".as_ref(),
        "scenarios/gohan_writes.yaml".as_ref(),
        "scenarios/monitoring_load_balancer_interface.yaml".as_ref(),
        failing.as_os_str(),
        "--snapshots".as_ref(),
        snapshots.as_os_str(),
        "--junit".as_ref(),
        report.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = parse(&venv, &report);
    assert_eq!(
        (&report["tests"], &report["failures"], &report["errors"]),
        (&Value::from(4), &Value::from(2), &Value::from(0)),
        "{report:#}"
    );
    let suites = report["suites"].as_array().expect("suites");
    let names: Vec<&str> = suites.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "gohan_writes",
            "monitoring_load_balancer_interface",
            "gives_up"
        ]
    );

    // The changed checkpoint: a failure in its document, carrying the diff.
    let gohan = &suites[0];
    assert_eq!(
        (&gohan["tests"], &gohan["failures"]),
        (&Value::from(1), &Value::from(1))
    );
    let case = &gohan["cases"][0];
    assert_eq!(case["name"], "port: Create Loadbalancer");
    let failure = &case["results"][0];
    assert_eq!(failure["kind"], "failure");
    let message = failure["message"].as_str().expect("message");
    assert!(
        message.contains("(2) /config/v2.0/ports/ddc14be4"),
        "{message}"
    );
    assert!(message.contains("changed"), "{message}");
    let diff = failure["text"].as_str().expect("diff");
    assert!(
        diff.contains("\"version\": 7") && diff.contains("\"version\": 2"),
        "{diff}"
    );
    let body = case["system_out"].as_str().expect("checkpoints");
    for n in 1..=4 {
        assert!(body.contains(&format!("({n}) /")), "{body}");
    }
    assert!(gohan["time"].as_f64().is_some_and(|t| t > 0.0));
    assert_eq!(gohan["properties"]["path"], "scenarios/gohan_writes.yaml");

    // A scenario that passed: a testcase per document, none failing.
    let monitoring = &suites[1];
    assert_eq!(
        (
            &monitoring["tests"],
            &monitoring["failures"],
            &monitoring["errors"]
        ),
        (&Value::from(2), &Value::from(0), &Value::from(0))
    );
    assert!(
        monitoring["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .all(|c| c["passed"] == true)
    );

    // A worker that gave up: its checkpoint never happened, a failure (the worker's fault,
    // not the harness's) naming the checkpoint, with the worker's output.
    let gives_up = &suites[2]["cases"][0];
    assert_eq!(gives_up["name"], "never: Never written");
    let error = &gives_up["results"][0];
    assert_eq!(error["kind"], "failure");
    assert!(
        error["text"]
            .as_str()
            .is_some_and(|t| t.contains("/state/v2.0/ports/never")),
        "{error}"
    );
    assert!(
        error["text"]
            .as_str()
            .is_some_and(|t| t.contains("giving-up-now")),
        "{error}"
    );
}
