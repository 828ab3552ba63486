//! `heatbed merge`: the reports of a sharded run (`run --partition K/N --format json` on each
//! machine) as the one report a whole run writes. Scenarios are concatenated and sorted by
//! path (the order `run` takes a folder in), counts summed; a shard that is not a report,
//! whose counts disagree with its scenarios, that repeats a scenario or a shard, or a missing
//! shard, is an error naming the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::json::{MergeError, RunReport, ScenarioStatus};
use crate::run::Partition;

/// How many missing shards an error lists at most.
const LISTED: usize = 10;

impl RunReport {
    /// Reads each file and merges them.
    pub fn merge_files(paths: &[PathBuf]) -> Result<RunReport, MergeError> {
        let shards = paths
            .iter()
            .map(|path| RunReport::read(path).map(|report| (path.clone(), report)))
            .collect::<Result<Vec<_>, _>>()?;
        RunReport::merge(shards)
    }

    /// Merges reports, each with the file it came from.
    pub fn merge(shards: Vec<(PathBuf, RunReport)>) -> Result<RunReport, MergeError> {
        check_partitions(&shards)?;
        let mut seen: HashMap<String, PathBuf> = HashMap::new();
        let mut backends: Vec<String> = Vec::new();
        let mut scenarios = Vec::new();
        for (path, report) in shards {
            report.check_counts(&path)?;
            if !backends.contains(&report.backend) {
                backends.push(report.backend);
            }
            for scenario in report.scenarios {
                if let Some(other) = seen.get(&scenario.id) {
                    return Err(MergeError::Overlap {
                        path,
                        id: scenario.id,
                        other: other.clone(),
                    });
                }
                seen.insert(scenario.id.clone(), path.clone());
                scenarios.push(scenario);
            }
        }
        scenarios.sort_by(|a, b| a.path.cmp(&b.path));
        let passed = scenarios
            .iter()
            .filter(|s| s.status == ScenarioStatus::Pass)
            .count();
        Ok(RunReport {
            backend: backends.join(", "),
            passed,
            failed: scenarios.len() - passed,
            partition: None,
            scenarios,
        })
    }
}

/// Whole runs only, or every shard of one partition exactly once.
fn check_partitions(shards: &[(PathBuf, RunReport)]) -> Result<(), MergeError> {
    let Some((first_path, first)) = shards.first() else {
        return Err(MergeError::Empty);
    };
    let Some(expected) = first.partition else {
        return match shards.iter().find(|(_, r)| r.partition.is_some()) {
            Some((path, report)) => Err(mixed(path, report, first_path)),
            None => Ok(()),
        };
    };
    let mut taken: HashMap<u64, &Path> = HashMap::new();
    for (path, report) in shards {
        let Some(partition) = report.partition else {
            return Err(MergeError::Shards {
                path: path.clone(),
                reason: format!(
                    "is a whole run, but {} is shard {expected}",
                    first_path.display()
                ),
            });
        };
        if (partition.kind, partition.count) != (expected.kind, expected.count) {
            return Err(MergeError::Shards {
                path: path.clone(),
                reason: format!(
                    "is shard {partition}, which does not go with {} (shard {expected})",
                    first_path.display()
                ),
            });
        }
        if let Some(other) = taken.insert(partition.shard, path) {
            return Err(MergeError::Shards {
                path: path.clone(),
                reason: format!("is shard {partition}, as {} is", other.display()),
            });
        }
    }
    // At most `shards.len() + LISTED` steps, whatever the count says.
    let missing: Vec<String> = (1..=expected.count)
        .filter(|shard| !taken.contains_key(shard))
        .take(LISTED)
        .map(|shard| Partition { shard, ..expected }.to_string())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MergeError::MissingShards { missing })
    }
}

fn mixed(path: &Path, report: &RunReport, whole: &Path) -> MergeError {
    let shard = report.partition.map(|p| p.to_string()).unwrap_or_default();
    MergeError::Shards {
        path: path.to_path_buf(),
        reason: format!("is shard {shard}, but {} is a whole run", whole.display()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::report::{MergeError, RunReport, ScenarioReport, ScenarioStatus};
    use crate::run::Partition;

    fn scenario(id: &str, status: ScenarioStatus) -> ScenarioReport {
        ScenarioReport {
            id: id.into(),
            name: format!("the {id} scenario"),
            path: PathBuf::from(format!("scenarios/{id}.yaml")),
            status,
            elapsed_ms: Some(3),
            checkpoints: Vec::new(),
            missing: Vec::new(),
            keyspace: None,
            orphans: Vec::new(),
            recorded_mismatches: Vec::new(),
            error: None,
            invariants: None,
        }
    }

    fn whole() -> RunReport {
        use ScenarioStatus::*;
        let scenarios = vec![
            scenario("a", Pass),
            scenario("b", Fail),
            scenario("c", Pass),
            scenario("d", Error),
            scenario("e", Partial),
        ];
        RunReport {
            backend: "embedded".into(),
            passed: 2,
            failed: 3,
            partition: None,
            scenarios,
        }
    }

    /// `whole` split as `run --partition` splits it.
    fn shards(kind: &str) -> Vec<(PathBuf, RunReport)> {
        (1..=3)
            .map(|shard| {
                let partition: Partition = format!("{kind}:{shard}/3").parse().unwrap();
                let scenarios = partition.select(whole().scenarios, |s| s.id.as_str());
                let passed = scenarios
                    .iter()
                    .filter(|s| s.status == ScenarioStatus::Pass)
                    .count();
                let report = RunReport {
                    backend: "embedded".into(),
                    passed,
                    failed: scenarios.len() - passed,
                    partition: Some(partition),
                    scenarios,
                };
                (PathBuf::from(format!("shard-{shard}.json")), report)
            })
            .collect()
    }

    #[test]
    fn merged_shards_are_the_whole_run() {
        for kind in ["count", "hash"] {
            let mut shards = shards(kind);
            shards.reverse();
            assert_eq!(RunReport::merge(shards).unwrap(), whole(), "{kind}");
        }
    }

    #[test]
    fn whole_runs_merge_too() {
        let (mut first, mut second) = (whole(), whole());
        first.scenarios.truncate(2);
        (first.passed, first.failed) = (1, 1);
        second.scenarios.drain(..2);
        (second.passed, second.failed) = (1, 2);
        second.backend = "container".into();
        let merged = RunReport::merge(vec![("x".into(), first), ("y".into(), second)]).unwrap();
        assert_eq!(merged.backend, "embedded, container");
        assert_eq!(merged.scenarios, whole().scenarios);
        assert_eq!((merged.passed, merged.failed), (2, 3));
    }

    fn error(shards: Vec<(PathBuf, RunReport)>) -> String {
        RunReport::merge(shards).unwrap_err().to_string()
    }

    #[test]
    fn an_overlapping_shard_is_named() {
        let mut shards = shards("count");
        // Shard 1 of count:_/3 starts with `a`, which passed.
        let extra = shards[0].1.scenarios[0].clone();
        assert_eq!(extra.status, ScenarioStatus::Pass);
        shards[2].1.scenarios.push(extra);
        shards[2].1.passed += 1;
        let message = error(shards);
        assert!(message.starts_with("shard-3.json: scenario `"), "{message}");
        assert!(message.contains("also in shard-1.json"), "{message}");
    }

    #[test]
    fn a_repeated_missing_or_foreign_shard_is_named() {
        let mut repeated = shards("count");
        repeated[1] = ("again.json".into(), repeated[0].1.clone());
        let message = error(repeated);
        assert!(message.starts_with("again.json: is shard count:1/3, as shard-1.json is"));

        let mut missing = shards("count");
        missing.remove(1);
        assert!(error(missing).contains("no report for shard(s) count:2/3"));

        let mut foreign = shards("count");
        foreign[2].1.partition = Some("hash:3/3".parse().unwrap());
        assert!(error(foreign).starts_with("shard-3.json: is shard hash:3/3, which does not go"));

        let mut mixed = shards("count");
        mixed[1].1.partition = None;
        assert!(error(mixed).starts_with("shard-2.json: is a whole run"));
        assert!(matches!(
            RunReport::merge(Vec::new()),
            Err(MergeError::Empty)
        ));
    }

    #[test]
    fn wrong_counts_are_named() {
        let mut shards = shards("count");
        shards[1].1.passed += 1;
        assert!(error(shards).starts_with("shard-2.json: says "));
    }

    #[test]
    fn files_that_are_not_reports_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.json");
        std::fs::write(&good, whole().to_json()).unwrap();
        let cases = [
            ("truncated.json", "{\"backend\": \"embedded\", \"pas"),
            ("other.json", "{\"tests\": []}"),
            (
                "extra.json",
                &whole().to_json().replacen('{', "{\"surprise\":1,", 1),
            ),
        ];
        for (name, text) in cases {
            let bad = dir.path().join(name);
            std::fs::write(&bad, text).unwrap();
            let message = RunReport::merge_files(&[good.clone(), bad.clone()])
                .unwrap_err()
                .to_string();
            let expected = format!("{}: not a heatbed JSON report: ", bad.display());
            assert!(message.starts_with(&expected), "{message}");
        }
        let absent = dir.path().join("absent.json");
        let message = RunReport::merge_files(std::slice::from_ref(&absent))
            .unwrap_err()
            .to_string();
        assert!(message.starts_with(&format!("{}: cannot read", absent.display())));
        let back = RunReport::merge_files(&[good]).unwrap();
        assert_eq!(back, whole());
    }
}
