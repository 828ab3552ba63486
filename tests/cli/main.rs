//! The `heatbed` binary end to end: exit codes, output, snapshots (`record.rs`: recording
//! and accepting them), `serve` (`serve.rs`).

#[path = "../support/heatbed.rs"]
mod bin;
mod record;
mod serve;

use std::path::{Path, PathBuf};

use bin::{run as heatbed, text};

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
