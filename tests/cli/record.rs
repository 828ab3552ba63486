//! `record` and `doc`: partial runs, snapshot headers, concurrent accepts.

use std::path::Path;
use std::process::Stdio;

use super::bin::{self, run_in as heatbed_in, text};

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
