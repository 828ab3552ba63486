//! The `heatbed` binary end to end: exit codes, output, snapshots, serve.

#[path = "support/heatbed.rs"]
mod bin;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use bin::{run as heatbed, run_in as heatbed_in, text};

/// A copy of the checked-in snapshots to change freely.
fn snapshot_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/gohan_writes");
    let target = dir.path().join("gohan_writes");
    std::fs::create_dir_all(&target).unwrap();
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, target.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// A copy whose checkpoint (2) no longer matches the run: its version says 7.
fn changed_snapshot_copy() -> tempfile::TempDir {
    let dir = snapshot_copy();
    let snap = dir.path().join("gohan_writes/port-02.snap");
    let edited = std::fs::read_to_string(&snap)
        .unwrap()
        .replace("\"version\": 2", "\"version\": 7");
    std::fs::write(&snap, edited).unwrap();
    dir
}

#[test]
fn run_prints_numbered_checkpoints_and_exits_zero() {
    let out = heatbed(&["run", "scenarios/gohan_writes.yaml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("PASS gohan_writes"), "{stdout}");
    for n in 1..=4 {
        assert!(stdout.contains(&format!("    ({n}) /")), "{stdout}");
    }
    assert!(stdout.ends_with("1 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn a_changed_snapshot_fails_the_run_with_a_diff() {
    let dir = changed_snapshot_copy();
    let snapshots = dir.path().to_str().unwrap();
    let out = heatbed(&[
        "run",
        "scenarios/gohan_writes.yaml",
        "--snapshots",
        snapshots,
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("(2) /config/v2.0/ports/ddc14be4-3480-4e97-a978-817b18f9904c: changed"),
        "{stdout}"
    );
    assert!(stdout.contains("-    \"version\": 7"), "{stdout}");
    assert!(stdout.contains("+    \"version\": 2"), "{stdout}");
}

#[test]
fn a_missing_snapshot_fails_and_record_writes_it_pending_then_accepted() {
    let dir = snapshot_copy();
    let snapshots = dir.path().to_str().unwrap();
    let snap = dir.path().join("gohan_writes/port-03.snap");
    std::fs::remove_file(&snap).unwrap();
    let out = heatbed(&[
        "run",
        "scenarios/gohan_writes.yaml",
        "--snapshots",
        snapshots,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains(
            "(3) /config/v2.0/ports/ddc14be4-3480-4e97-a978-817b18f9904c: missing snapshot"
        )
    );

    let out = heatbed(&[
        "record",
        "scenarios/gohan_writes.yaml",
        "--snapshots",
        snapshots,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(!snap.exists());
    let pending = snap.with_extension("snap.new");
    let pending_text = std::fs::read_to_string(&pending).expect("pending snapshot written");
    assert!(
        pending_text.contains("\"marked_for_deletion\": true"),
        "{pending_text}"
    );

    let out = heatbed(&[
        "record",
        "--accept",
        "scenarios/gohan_writes.yaml",
        "--snapshots",
        snapshots,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(snap.exists());
    assert_eq!(
        heatbed(&[
            "run",
            "scenarios/gohan_writes.yaml",
            "--snapshots",
            snapshots
        ])
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn a_malformed_scenario_names_file_line_column_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        "name: bad\nsteps:\n  - action: put\n    key: /a\n    vaule: 1\n",
    )
    .unwrap();
    let out = heatbed(&["run", path.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:5:5: at `steps[0].vaule`", path.display())),
        "{stderr}"
    );
}

#[test]
fn a_bad_etcd_choice_exits_two() {
    let out = heatbed(&[
        "run",
        "--etcd",
        "carrier-pigeon",
        "scenarios/gohan_writes.yaml",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn json_format_reports_every_checkpoint() {
    let out = heatbed(&["run", "--format", "json", "scenarios/gohan_writes.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(report["passed"], 1);
    let checkpoints = report["scenarios"][0]["checkpoints"].as_array().unwrap();
    assert_eq!(checkpoints.len(), 4);
    assert!(checkpoints.iter().all(|c| c["status"] == "match"));
}

#[test]
fn reports_show_the_invariants_of_a_run_with_a_worker() {
    let scenarios = [
        "scenarios/external_worker_env.yaml",
        "scenarios/gohan_writes.yaml",
    ];
    let out = heatbed(&[&["run", "--format", "json"], &scenarios[..]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let invariants = &report["scenarios"][0]["invariants"];
    assert_eq!(invariants["counts"]["config_versions"], 2, "{invariants}");
    assert_eq!(invariants["counts"]["lost"], 0, "{invariants}");
    assert_eq!(invariants["counts"]["duplicated"], 0, "{invariants}");
    let checks = invariants["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 5, "{invariants}");
    assert!(
        checks
            .iter()
            .all(|c| c["violations"] == serde_json::json!([]))
    );
    assert_eq!(checks[0]["invariant"], "one_job_per_config_version");
    // Without a worker there is nothing to check.
    assert!(report["scenarios"][1]["invariants"].is_null(), "{report}");

    let out = heatbed(&[&["run"], &scenarios[..1]].concat());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "  invariants: 0 jobs, 0 lost, 0 duplicated, 0 state regressions, 0 leftover /jobs keys\n"
        ),
        "{stdout}"
    );
}

#[test]
fn list_names_every_scenario() {
    let out = heatbed(&["list"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let scenarios: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
    for scenario in scenarios {
        let id = scenario.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(stdout.contains(&id), "{id} missing from:\n{stdout}");
    }
}

#[test]
fn serve_prints_the_env_contract_and_cleans_up_on_sigterm() {
    let mut child = bin::heatbed()
        .args(["serve", "--etcd", "embedded"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut exports = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.starts_with("export HEATBED_COLLECTOR_URL=");
        exports.push(line);
        if done {
            break;
        }
    }
    for name in [
        "HEATBED_ETCD_ENDPOINTS",
        "ETCDCTL_ENDPOINTS",
        "OS_AUTH_URL",
        "OS_USERNAME",
        "OS_PASSWORD",
        "OS_PROJECT_ID",
        "OS_USER_DOMAIN_NAME",
        "OS_PROJECT_DOMAIN_NAME",
        "HEATBED_HEAT_URL",
        "HEATBED_COLLECTOR_URL",
    ] {
        assert!(
            exports
                .iter()
                .any(|l| l.starts_with(&format!("export {name}="))),
            "{name}: {exports:?}"
        );
    }
    let endpoint = exports[0].split('\'').nth(1).unwrap().to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut client = etcd_client::Client::connect([endpoint.as_str()], None)
            .await
            .unwrap();
        client
            .put("/served", "yes", None)
            .await
            .expect("etcd answers while serving");
    });

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let port = endpoint.rsplit(':').next().unwrap();
    assert!(
        std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err(),
        "etcd still listens after serve stopped"
    );
}

/// A scenario in a folder of its own whose checkpoint (2) never happens.
fn partial_scenario() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("partial.yaml"),
        "name: Partial\nworker: {kind: none}\ntimeout: 200ms\nsteps:\n\
         - {action: put, key: /a, value: {x: 1}}\n\
         - {action: put, key: /b, value: {y: 2}}\n\
         documents:\n  - name: d\n    title: Partial\n    checkpoints:\n\
         \x20     - {key: /a}\n      - {key: /never}\n      - {key: /b}\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_missing_checkpoint_never_hides_the_others_in_run_record_and_doc() {
    let dir = partial_scenario();
    let out = heatbed_in(dir.path(), &["record", "--accept", "partial.yaml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL partial"), "{stdout}");
    assert!(stdout.contains("(1) /a: accepted"), "{stdout}");
    assert!(stdout.contains("(2) /never: NEVER HAPPENED"), "{stdout}");
    assert!(stdout.contains("(3) /b: accepted"), "{stdout}");
    assert!(stdout.contains("checkpoints never happened"), "{stdout}");
    let snapshots = dir.path().join("snapshots/partial");
    assert!(snapshots.join("d-01.snap").exists());
    assert!(snapshots.join("d-03.snap").exists());
    assert!(!snapshots.join("d-02.snap").exists());

    let out = heatbed_in(dir.path(), &["run", "partial.yaml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("(1) /a: match"), "{stdout}");
    assert!(stdout.contains("(2) /never: NEVER HAPPENED"), "{stdout}");
    assert!(stdout.contains("(3) /b: match"), "{stdout}");
    assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
    let json = heatbed_in(dir.path(), &["run", "--format", "json", "partial.yaml"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let scenario = &report["scenarios"][0];
    assert_eq!(scenario["status"], "partial");
    assert_eq!(scenario["checkpoints"].as_array().unwrap().len(), 2);
    assert_eq!(scenario["missing"][0]["number"], 2);

    let out = heatbed_in(dir.path(), &["doc", "partial.yaml", "--out", "docs"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc = std::fs::read_to_string(dir.path().join("docs/d.md")).unwrap();
    let (one, two, three) = (
        doc.find("point of (1) in etcd\n\n```\n/a\n").unwrap(),
        doc.find("point of (2) in etcd\n\n**NEVER HAPPENED**: `/never`")
            .unwrap(),
        doc.find("point of (3) in etcd\n\n```\n/b\n").unwrap(),
    );
    assert!(one < two && two < three, "{doc}");
    assert!(text(&out.stderr).contains("checkpoints never happened"));
}

/// Snapshot headers never carry run-to-run randomness (a job's suffix): a clean
/// `record --accept` would otherwise rewrite unchanged files.
#[test]
fn no_snapshot_header_carries_a_job_suffix() {
    let suffix = regex::Regex::new(r":[0-9]+:[a-z0-9]{5}\b").unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let mut checked = 0;
    for scenario in std::fs::read_dir(root).unwrap().flatten() {
        for snap in std::fs::read_dir(scenario.path()).unwrap().flatten() {
            let text = std::fs::read_to_string(snap.path()).unwrap();
            let header = text.split("\n---\n").next().unwrap_or_default();
            assert!(
                !suffix.is_match(header),
                "{}: {header}",
                snap.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} snapshots checked");
}

#[test]
fn two_record_accepts_at_once_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let snapshots = dir.path().to_str().unwrap();
    let record = || {
        bin::heatbed()
            .args(["record", "--accept", "scenarios/gohan_writes.yaml"])
            .args(["--snapshots", snapshots])
            .stdout(Stdio::piped())
            .spawn()
            .expect("heatbed runs")
    };
    let (first, second) = (record(), record());
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    }
    let written: Vec<_> = std::fs::read_dir(dir.path().join("gohan_writes"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 4, "{written:?}");
    assert!(written.iter().all(|n| n.ends_with(".snap")), "{written:?}");
}

#[test]
fn worker_slots_beyond_the_limit_are_bad_input_not_a_panic() {
    let out = heatbed(&["worker", "--slots", "2305843009213693952"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("more than the 1024 allowed"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn colour_is_used_when_asked_and_never_with_no_color_or_in_a_pipe() {
    let dir = changed_snapshot_copy();
    let run = |color: &str, no_color: Option<&str>| {
        let mut command = bin::heatbed();
        command
            .args(["run", "scenarios/gohan_writes.yaml", "--color", color])
            .arg("--snapshots")
            .arg(dir.path())
            .env_remove("NO_COLOR");
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let out = command.output().expect("heatbed runs");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        text(&out.stdout)
    };
    let coloured = run("always", Some("1"));
    assert!(
        coloured.contains("\x1b[31mFAIL\x1b[0m gohan_writes"),
        "{coloured:?}"
    );
    // The removed line red, the changed word reversed; the added line green.
    assert!(
        coloured.contains("\x1b[31m-    \"version\": \x1b[7m7"),
        "{coloured:?}"
    );
    assert!(
        coloured.contains("\x1b[32m+    \"version\": \x1b[7m2"),
        "{coloured:?}"
    );
    for (color, no_color) in [("auto", Some("1")), ("auto", None), ("never", None)] {
        let plain = run(color, no_color);
        assert!(!plain.contains('\x1b'), "--color {color}: {plain:?}");
        assert!(plain.contains("-    \"version\": 7"), "{plain}");
    }
}
