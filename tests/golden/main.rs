//! The golden flows against the recorded truth vendored in `tests/recorded/` (the seed documents and the
//! recorded ESI documents each scenario document names with `recorded:`). The checked-in
//! snapshots are compared with the recordings too, so they can never drift from them: edit a
//! snapshot and this fails even when `cargo test --test scenarios` was made to pass.

#[path = "../support/heatbed.rs"]
mod bin;
mod coverage;

use std::path::{Path, PathBuf};

use heatbed::docs::{
    KeyMismatch, ParsedCheckpoint, compare_keyspace_with_recorded, compare_keyspaces,
    compare_values, compare_with_recorded, keyspace_entries, parse_document, read_store_dump,
    recorded_checkpoints,
};
use heatbed::etcd::Backend;
use heatbed::run::run_on;
use heatbed::scenario::{Scenario, discover, load};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn recorded_root() -> PathBuf {
    let recorded = root().join("tests/recorded");
    assert!(
        recorded.join("seeds").is_dir(),
        "the recorded truth is missing: expected {}",
        recorded.display()
    );
    recorded
}

/// The scenarios with documents that name recordings, loaded relative to the repository.
fn golden() -> Vec<Scenario> {
    let _ = recorded_root();
    let files = discover(&[root().join("scenarios")]).expect("scenarios");
    let scenarios: Vec<Scenario> = files
        .iter()
        .map(|f| load(f.strip_prefix(root()).unwrap_or(f)).unwrap_or_else(|e| panic!("{e}")))
        .filter(|s| s.documents.iter().any(|d| !d.recorded.is_empty()))
        .collect();
    assert!(
        scenarios.len() >= 2,
        "the golden flows are missing from scenarios/"
    );
    scenarios
}

/// The recorded checkpoints of a document.
fn recorded(scenario: &Scenario, recorded: &[String]) -> Vec<ParsedCheckpoint> {
    let base = root().join(scenario.path.parent().unwrap_or(Path::new(".")));
    let paths: Vec<PathBuf> = recorded.iter().map(|r| base.join(r)).collect();
    recorded_checkpoints(&paths).unwrap_or_else(|e| panic!("{e}"))
}

/// A snapshot file's key and value.
fn snapshot(scenario: &Scenario, document: &str, number: usize) -> (String, Value) {
    let path = root()
        .join("snapshots")
        .join(&scenario.id)
        .join(format!("{document}-{number:02}.snap"));
    let snap =
        insta::Snapshot::from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = snap
        .contents()
        .as_text()
        .map(ToString::to_string)
        .unwrap_or_default();
    let (key, rest) = text.split_once('\n').unwrap_or((&text, ""));
    (
        key.to_string(),
        serde_json::from_str(rest).unwrap_or_else(|_| Value::String(rest.into())),
    )
}

#[test]
fn golden_flows_reproduce_their_recordings() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut keyspaces = Vec::new();
    for scenario in golden() {
        let outcome = runtime
            .block_on(run_on(&Backend::Auto, &scenario))
            .unwrap_or_else(|e| panic!("{e}"));
        let mismatches = compare_with_recorded(&scenario, &outcome.checkpoints)
            .unwrap_or_else(|e| panic!("{e}"));
        let report: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
        assert!(
            report.is_empty(),
            "{} differs from the recordings:\n{}",
            scenario.id,
            report.join("\n")
        );
        let compared: usize = scenario
            .documents
            .iter()
            .map(|d| recorded(&scenario, &d.recorded).len())
            .sum();
        assert!(
            compared > 0 && outcome.checkpoints.len() >= compared,
            "{}: nothing compared",
            scenario.id
        );
        let invariants = outcome
            .invariants
            .expect("the reference worker ran: checked");
        assert!(invariants.hold(), "{}: {invariants}", scenario.id);
        println!("{}: invariants: {}", scenario.id, invariants.summary());
        if let Some(recorded) = recorded_dump(&scenario).map(|d| d.len()) {
            // The last flow schedules every job the recorded run did, and no other.
            let log = root().join(
                "tests/recorded/esi/05_load_balancer/result_log/04_etcd_watcher_log/etcd-jobs-watcher.log",
            );
            let log = std::fs::read_to_string(log).unwrap();
            let jobs = log.matches("action=[set], key=[/jobs/all/").count();
            assert_eq!(invariants.counts.jobs, jobs, "{}: jobs", scenario.id);
            let captured = outcome
                .keyspace
                .as_ref()
                .expect("a declared keyspace is captured");
            let mismatches = compare_keyspace_with_recorded(&scenario, captured)
                .unwrap_or_else(|e| panic!("{e}"));
            keyspaces.push((scenario.id.clone(), recorded, mismatches));
        }
    }
    // The last flow ends with the store the recorded run ended with: every key of the dump
    // (Gohan's own and the recorded job manager's id aside), and no other.
    let [(id, recorded, mismatches)] = &keyspaces[..] else {
        panic!("one golden flow (the last) declares the recorded store: {keyspaces:?}");
    };
    let unequal = mismatches
        .iter()
        .filter(|m| !matches!(m, KeyMismatch::Extra { .. }))
        .count();
    let extra = mismatches.len() - unequal;
    let shown: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
    println!(
        "{id}: final keyspace {} of {recorded} recorded keys equal, {extra} extra",
        recorded - unequal
    );
    assert!(mismatches.is_empty(), "{id}:\n{}", shown.join("\n"));
    assert_eq!(*recorded, 145, "{id}: the recorded store's keys");
}

/// The keys of the recorded store dump a scenario's `keyspace:` takes, if it names one.
fn recorded_dump(scenario: &Scenario) -> Option<Vec<(String, String)>> {
    let keyspace = scenario.keyspace.as_ref()?;
    let dump = root()
        .join(scenario.path.parent().unwrap_or(Path::new(".")))
        .join(keyspace.recorded.as_ref()?);
    let entries = read_store_dump(&dump).unwrap_or_else(|e| panic!("{e}"));
    Some(
        entries
            .into_iter()
            .filter(|(k, _)| keyspace.takes(k))
            .collect(),
    )
}

#[test]
fn golden_snapshots_equal_the_recordings() {
    let mut compared = 0;
    for scenario in golden() {
        for document in scenario.documents.iter().filter(|d| !d.recorded.is_empty()) {
            let expected = recorded(&scenario, &document.recorded);
            assert_eq!(
                expected.len(),
                document.checkpoints.len(),
                "{}: {}",
                scenario.id,
                document.name
            );
            for (i, e) in expected.iter().enumerate() {
                let (key, value) = snapshot(&scenario, &document.name, i + 1);
                let differences = compare_values(&e.key, &e.value, &key, &value);
                let shown: Vec<String> = differences.iter().map(ToString::to_string).collect();
                assert!(
                    differences.is_empty(),
                    "snapshots/{}/{}-{:02}.snap drifted from {:?}:\n{}",
                    scenario.id,
                    document.name,
                    i + 1,
                    document.recorded,
                    shown.join("\n")
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} snapshots compared");
    let mut keyspaces = 0;
    for scenario in golden() {
        let Some(recorded) = recorded_dump(&scenario) else {
            continue;
        };
        let path = root()
            .join("snapshots")
            .join(&scenario.id)
            .join("keyspace.snap");
        let snap =
            insta::Snapshot::from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = snap.contents().as_text().map(ToString::to_string);
        let mismatches = compare_keyspaces(&recorded, &keyspace_entries(&text.unwrap_or_default()));
        let shown: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
        assert!(
            mismatches.is_empty(),
            "{} drifted from the recorded store:\n{}",
            path.display(),
            shown.join("\n")
        );
        keyspaces += 1;
    }
    assert_eq!(keyspaces, 1, "the last golden flow's keyspace.snap");
}

/// Every seed document is one document of a golden flow: its checkpoints, in order, are
/// that document's recorded ones and its snapshots.
#[test]
fn the_twenty_seed_checkpoints_are_golden_snapshots() {
    let scenarios = golden();
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(recorded_root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    let mut checked = 0;
    for seed in seeds {
        let parsed = parse_document(&std::fs::read_to_string(&seed).unwrap()).unwrap();
        let found = scenarios.iter().find_map(|s| {
            let d = s.documents.iter().find(|d| {
                let r = recorded(s, &d.recorded);
                !d.recorded.is_empty()
                    && r.len() == parsed.checkpoints.len()
                    && r.iter()
                        .zip(&parsed.checkpoints)
                        .all(|(a, b)| a.key == b.key && a.value == b.value)
            })?;
            Some((s, d))
        });
        let (scenario, document) =
            found.unwrap_or_else(|| panic!("no golden document reproduces {}", seed.display()));
        assert_eq!(document.title, parsed.title, "{}", seed.display());
        for (i, c) in parsed.checkpoints.iter().enumerate() {
            assert_eq!(c.number, i + 1, "{}", seed.display());
            let (key, value) = snapshot(scenario, &document.name, i + 1);
            let differences = compare_values(&c.key, &c.value, &key, &value);
            assert!(
                differences.is_empty(),
                "{} ({}): {:?}",
                seed.display(),
                c.number,
                differences
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked, 20,
        "the five seed documents hold 20 numbered checkpoints"
    );
}

/// `heatbed doc` renders the seed documents: same title, preamble, numbering and values.
#[test]
fn heatbed_doc_renders_the_seed_documents() {
    let out = tempfile::tempdir().unwrap();
    for scenario in [
        "scenarios/create_loadbalancer.yaml",
        "scenarios/update_loadbalancer_interface.yaml",
    ] {
        let status = bin::heatbed()
            .args(["doc", scenario, "--out"])
            .arg(out.path().join(Path::new(scenario).file_stem().unwrap()))
            .status()
            .unwrap();
        assert!(status.success(), "heatbed doc {scenario}");
    }
    let mut matched = 0;
    for seed in std::fs::read_dir(recorded_root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
    {
        let seed_text = std::fs::read_to_string(&seed).unwrap();
        let wanted = parse_document(&seed_text).unwrap();
        let rendered = std::fs::read_dir(out.path())
            .unwrap()
            .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
            .map(|e| e.unwrap().path())
            .find_map(|p| {
                let text = std::fs::read_to_string(&p).ok()?;
                let doc = parse_document(&text).ok()?;
                let same = doc.title == wanted.title
                    && doc.preamble == wanted.preamble
                    && doc.checkpoints.len() == wanted.checkpoints.len()
                    && doc
                        .checkpoints
                        .iter()
                        .zip(&wanted.checkpoints)
                        .all(|(a, b)| {
                            a.number == b.number
                                && compare_values(&b.key, &b.value, &a.key, &a.value).is_empty()
                        });
                same.then_some(text)
            });
        let text = rendered.unwrap_or_else(|| {
            let near = near(out.path(), &wanted);
            panic!("no rendered document equals {}:\n{near}", seed.display())
        });
        let headings = |t: &str| {
            t.lines()
                .filter(|l| l.starts_with('#') || l.starts_with("```"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(headings(&text), headings(&seed_text), "{}", seed.display());
        assert!(text.contains(", \n"), "the seeds' `\", \"` line ends");
        matched += 1;
    }
    assert_eq!(matched, 5);
}

/// What the rendered documents with the seed's title and length differ in, for a failure.
fn near(out: &Path, wanted: &heatbed::docs::ParsedDocument) -> String {
    let mut lines = Vec::new();
    for dir in std::fs::read_dir(out).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let Ok(doc) = parse_document(&std::fs::read_to_string(&path).unwrap()) else {
                continue;
            };
            if doc.title != wanted.title || doc.checkpoints.len() != wanted.checkpoints.len() {
                continue;
            }
            for (a, b) in doc.checkpoints.iter().zip(&wanted.checkpoints) {
                for d in compare_values(&b.key, &b.value, &a.key, &a.value) {
                    lines.push(format!("{} ({}): {d}", path.display(), a.number));
                }
            }
        }
    }
    lines.join("\n")
}

/// `heatbed worker`, started through the external-worker env contract, passes the golden
/// flows like the in-process reference worker: same snapshots, same recorded truth.
#[test]
fn the_reference_worker_as_an_external_command_passes_the_golden_flows() {
    let _ = recorded_root();
    let exe = env!("CARGO_BIN_EXE_heatbed");
    let out = bin::heatbed()
        .args(["run", "--recorded", "--worker", &format!("'{exe}' worker")])
        .args([
            "scenarios/create_loadbalancer.yaml",
            "scenarios/update_loadbalancer_interface.yaml",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.ends_with("2 passed, 0 failed\n"), "{stdout}");
}
