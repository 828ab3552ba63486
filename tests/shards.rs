//! Sharding across machines: `heatbed run --partition K/N --format json` on each, then
//! `heatbed merge` of the shards' reports is the whole run's report (timings aside).

#[path = "support/heatbed.rs"]
mod bin;

use std::path::{Path, PathBuf};

use bin::{run, text};
use heatbed::report::RunReport;

/// Three quick scenarios, so two shards differ in size; sorted by path, the order a merge
/// (and a run of their folder) gives.
const SCENARIOS: [&str; 3] = [
    "scenarios/final_keyspace.yaml",
    "scenarios/gohan_writes.yaml",
    "scenarios/heat_journal.yaml",
];

/// `heatbed run --format json` of the scenarios (and `extra` arguments), its report parsed.
fn report(extra: &[&str]) -> (String, RunReport) {
    let mut args = vec!["run", "--format", "json", "--etcd", "embedded"];
    args.extend(extra);
    args.extend(SCENARIOS);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    let report = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    (json, report)
}

fn without_timings(mut report: RunReport) -> RunReport {
    for scenario in &mut report.scenarios {
        scenario.elapsed_ms = None;
    }
    report
}

fn write(dir: &Path, name: &str, json: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, json).unwrap();
    path
}

#[test]
fn merged_shards_are_the_whole_run() {
    let (_, whole) = report(&[]);
    assert_eq!(whole.scenarios.len(), SCENARIOS.len());
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    let mut ids = Vec::new();
    for shard in ["count:2/2", "count:1/2"] {
        let (json, report) = report(&["--partition", shard]);
        assert_eq!(
            report.partition.map(|p| p.to_string()).as_deref(),
            Some(shard)
        );
        ids.extend(report.scenarios.iter().map(|s| s.id.clone()));
        paths.push(write(dir.path(), &format!("{}.json", &shard[6..7]), &json));
    }
    // Disjoint and covering: each scenario in exactly one shard.
    ids.sort();
    assert_eq!(ids, ["final_keyspace", "gohan_writes", "heat_journal"]);

    let out_file = dir.path().join("merged.json");
    let mut args = vec!["merge", "--out", out_file.to_str().unwrap()];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "3 passed, 0 failed\n");
    let merged = RunReport::read(&out_file).unwrap();
    assert_eq!(without_timings(merged), without_timings(whole));
}

#[test]
fn a_bad_or_overlapping_shard_is_named_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let (json, _) = report(&["--partition", "count:1/2"]);
    let first = write(dir.path(), "first.json", &json);
    let again = write(dir.path(), "again.json", &json);
    let broken = write(dir.path(), "broken.json", &json[..json.len() / 2]);
    for (shards, named) in [
        ([&first, &again], "again.json: is shard count:1/2, as "),
        ([&first, &broken], "broken.json: not a heatbed JSON report"),
    ] {
        let args: Vec<&str> = std::iter::once("merge")
            .chain(shards.iter().map(|p| p.to_str().unwrap()))
            .collect();
        let out = run(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(named), "{stderr}");
    }
    let out = run(&["merge", first.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no report for shard(s) count:2/2"));
}

#[test]
fn a_bad_partition_exits_two() {
    let out = run(&["run", "--partition", "3/2", "scenarios/gohan_writes.yaml"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("partition `3/2`"), "{stderr}");
}
