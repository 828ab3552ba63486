//! `keyspace:` end to end: the keyspace a run ends with is one snapshot (`keyspace.snap`)
//! that fails the run on a stray key, a missing key or a wrong value, and `run --recorded`
//! compares it key by key with a recorded store dump.

#[path = "support/heatbed.rs"]
mod bin;

use std::io::Write as _;
use std::path::Path;
use std::process::Output;

const SCENARIO: &str = "name: Keyspace\n\
worker: {kind: command, command: 'sh worker.sh'}\n\
steps: []\n\
documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /state/x}\n\
keyspace:\n  prefixes: [/state/, /monitoring/, /stray]\n  ignore: ['/monitoring/ignored*']\n  recorded: store.dump\n";

/// The worker writes `before` (etcdctl put lines), then the checkpoint, then idles.
fn worker(dir: &Path, before: &str) {
    let script = format!(
        "set -e\n{before}\netcdctl put /monitoring/ignored-1 whatever >/dev/null\n\
         etcdctl put /state/x '{{\"version\":1}}' >/dev/null\nexec sleep 600\n"
    );
    std::fs::write(dir.join("worker.sh"), script).unwrap();
}

fn heatbed(dir: &Path, args: &[&str]) -> Output {
    bin::heatbed()
        .args(args)
        .args([
            "scenario.yaml",
            "--snapshots",
            "snapshots",
            "--etcd",
            "embedded",
        ])
        .current_dir(dir)
        .output()
        .expect("heatbed runs")
}

fn stdout(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A store dump like `result_log/08_etcd_store/test.dump`.
fn dump(dir: &Path, tree: serde_json::Value) {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(tree.to_string().as_bytes()).unwrap();
    std::fs::write(dir.join("store.dump"), z.finish().unwrap()).unwrap();
}

const GOOD: &str = "etcdctl put /monitoring/x '{\"vmi\":\"UP\",\"version\":1}' >/dev/null";

#[test]
fn the_final_keyspace_is_a_snapshot_that_catches_stray_missing_and_wrong_keys() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    std::fs::write(dir.join("scenario.yaml"), SCENARIO).unwrap();
    worker(dir, GOOD);
    let out = heatbed(dir, &["record", "--accept"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let snap = std::fs::read_to_string(dir.join("snapshots/scenario/keyspace.snap")).unwrap();
    assert!(
        snap.ends_with(
            "---\n/monitoring/x\n{\n    \"vmi\": \"UP\", \n    \"version\": 1\n}\n\n\
             /state/x\n{\n    \"version\": 1\n}\n"
        ),
        "{snap}"
    );
    let out = heatbed(dir, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("final keyspace [keyspace]: match"));

    // Each change is reported key by key, with a diff of the value.
    let cases = [
        (
            format!("{GOOD}\netcdctl put /stray left-behind >/dev/null"),
            "extra key /stray:\n  +left-behind",
        ),
        (
            String::new(),
            "missing key /monitoring/x:\n  -{\n  -    \"vmi\": \"UP\", ",
        ),
        (
            GOOD.replace("UP", "FAIL"),
            "changed key /monitoring/x:\n   {\n  -    \"vmi\": \"UP\", \n  +    \"vmi\": \"FAIL\", ",
        ),
    ];
    for (before, diff) in cases {
        worker(dir, &before);
        let out = heatbed(dir, &["run"]);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{before}: {text}");
        assert!(
            text.contains("final keyspace [keyspace]: changed"),
            "{text}"
        );
        let indented: String = diff.lines().map(|l| format!("      {l}\n")).collect();
        assert!(
            text.contains(&indented),
            "{before}: no\n{indented}in {text}"
        );
        assert_eq!(text.matches(" key /").count(), 1, "one key changed: {text}");
    }
}

#[test]
fn run_recorded_compares_the_final_keyspace_with_a_store_dump_key_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    std::fs::write(dir.join("scenario.yaml"), SCENARIO).unwrap();
    worker(dir, GOOD);
    let recorded = |monitoring: &str, extra: Option<(&str, &str)>| {
        let mut tree = serde_json::json!({
            "state": {"x": "{\"version\": 1}"},
            "monitoring": {"x": monitoring, "ignored-2": "not compared"},
            "gohan": {"cluster": {"sync": "not taken"}},
        });
        if let Some((name, value)) = extra {
            tree["state"][name] = value.into();
        }
        dump(dir, tree);
    };
    recorded("{\"version\": 1, \"vmi\": \"UP\"}", None);
    assert_eq!(heatbed(dir, &["record", "--accept"]).status.code(), Some(0));
    let out = heatbed(dir, &["run", "--recorded"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    recorded(
        "{\"version\": 1, \"vmi\": \"FAIL\"}",
        Some(("y", "{\"version\": 2}")),
    );
    worker(
        dir,
        &format!("{GOOD}\netcdctl put /stray left-behind >/dev/null"),
    );
    let out = heatbed(dir, &["run", "--recorded"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "keyspace: different key /monitoring/x:\n      at vmi: recorded \"FAIL\", captured \"UP\""
        ),
        "{text}"
    );
    assert!(
        text.contains("keyspace: missing key /state/y: recorded\n"),
        "{text}"
    );
    assert!(
        text.contains("keyspace: extra key /stray: captured\n      left-behind"),
        "{text}"
    );
    assert!(!text.contains("ignored"), "{text}");
}

/// The keyspace is read once the job queue drained: a job cleaned up after the last
/// checkpoint is not in it, a job never cleaned up is (after the scenario's timeout).
#[test]
fn the_keyspace_waits_for_the_job_queue_to_drain() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let scenario = SCENARIO
        .replace("steps: []", "timeout: 2s\nsteps: []")
        .replace(
            "prefixes: [/state/, /monitoring/, /stray]",
            "prefixes: [/state/, /jobs/]",
        );
    std::fs::write(dir.join("scenario.yaml"), scenario).unwrap();
    let keyspace = |cleanup: &str, code: i32| {
        let script = format!(
            "set -e\netcdctl put /jobs/all/j '[]' >/dev/null\n\
             etcdctl put /state/x '{{\"version\":1}}' >/dev/null\n\
             {cleanup}\nexec sleep 600\n"
        );
        std::fs::write(dir.join("worker.sh"), script).unwrap();
        let out = heatbed(dir, &["record", "--accept"]);
        assert_eq!(out.status.code(), Some(code), "{}", stdout(&out));
        let snap = std::fs::read_to_string(dir.join("snapshots/scenario/keyspace.snap")).unwrap();
        (snap, stdout(&out))
    };
    // The worker takes its time to clean up (its own sleep, not the test's).
    let (cleaned, _) = keyspace("sleep 0.3; etcdctl del /jobs/all/j >/dev/null", 0);
    assert!(
        cleaned.ends_with("---\n/state/x\n{\n    \"version\": 1\n}\n"),
        "{cleaned}"
    );
    // A job key left behind breaks an invariant; the keyspace is still recorded.
    let (left, text) = keyspace("", 1);
    assert!(
        left.contains("---\n/jobs/all/j\n[]\n\n/state/x\n"),
        "{left}"
    );
    assert!(
        text.contains("broken: no /jobs/* key outlives the run\n"),
        "{text}"
    );
    assert!(
        text.contains("/jobs/all/j: still there at the end of the run"),
        "{text}"
    );
}
