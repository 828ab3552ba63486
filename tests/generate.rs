//! `heatbed generate`: seeded flows of N resources from the template catalogue. The same seed
//! gives the same bytes, the output is an ordinary scenario file that `record` and `run`
//! accept, and a flow of 1,000 resources runs green through the reference worker.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use heatbed::catalogue::{DEFAULT_DIR, Template, load_dir};
use heatbed::etcd::Backend;
use heatbed::generate::{GenerateError, Options, generate, to_yaml};
use heatbed::run::run_on;
use heatbed::scenario::{Gohan, GohanOp, Pick, Scenario, StepKind, load};

fn catalogue() -> Vec<Template> {
    load_dir(Path::new(DEFAULT_DIR)).expect("the catalogue loads")
}

fn flow(resources: usize, seed: u64) -> Scenario {
    generate(&catalogue(), &Options { resources, seed }).expect("generates")
}

fn heatbed(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_heatbed"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("HEATBED_ETCD")
        .output()
        .expect("heatbed runs")
}

/// The bodies Gohan creates, heat templates left out.
fn created(scenario: &Scenario) -> Vec<&serde_json::Value> {
    scenario
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Gohan(Gohan {
                op: GohanOp::Create,
                key,
                body: Some(body),
            }) if !key.starts_with("/config/v2.0/heat_templates/") => Some(body),
            _ => None,
        })
        .collect()
}

fn gohan_ops(scenario: &Scenario) -> BTreeMap<&'static str, usize> {
    let mut ops = BTreeMap::new();
    for step in &scenario.steps {
        if let StepKind::Gohan(Gohan { op, key, .. }) = &step.kind
            && !key.starts_with("/config/v2.0/heat_templates/")
        {
            let op = match op {
                GohanOp::Create => "create",
                GohanOp::Update => "update",
                GohanOp::Delete => "delete",
            };
            *ops.entry(op).or_default() += 1;
        }
    }
    ops
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_another_flow() {
    let yaml = |seed| to_yaml(&flow(300, seed)).expect("serializes");
    assert_eq!(yaml(7), yaml(7));
    assert_ne!(yaml(7), yaml(8));
}

#[test]
fn a_flow_has_n_resources_with_shared_dependencies_updates_and_deletes() {
    let scenario = flow(1000, 1);
    let ops = gohan_ops(&scenario);
    assert_eq!(ops["create"], 1000, "{ops:?}");
    assert!(ops["update"] > 100 && ops["delete"] > 20, "{ops:?}");
    assert_eq!(scenario.documents.len(), 1000, "a document per resource");
    // Fan-out: some resource is referenced by many others (a network, a subnet...).
    let bodies = created(&scenario);
    let ids: Vec<&str> = bodies.iter().filter_map(|b| b["id"].as_str()).collect();
    assert_eq!(ids.len(), 1000);
    let mut references: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for body in &bodies {
        let text = body.to_string();
        let own = body["id"].as_str().unwrap_or_default();
        for id in ids.iter().filter(|id| **id != own && text.contains(**id)) {
            *references.entry(id).or_default() += 1;
            // Every resource is created after the ones it refers to.
            assert!(
                seen.contains(id),
                "{own} refers to {id} before its creation"
            );
        }
        seen.insert(own);
    }
    let most = references.values().max().copied().unwrap_or(0);
    assert!(
        most >= 10,
        "the most referenced resource has {most} referrers"
    );
}

#[test]
fn out_of_range_counts_are_clear_errors() {
    let catalogue = catalogue();
    for resources in [0, heatbed::generate::MAX_RESOURCES + 1] {
        let error = generate(&catalogue, &Options { resources, seed: 1 }).unwrap_err();
        assert!(matches!(error, GenerateError::Count(n) if n == resources));
    }
    let out = heatbed(&["generate", "-n", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("must be 1 to 100000, not 0"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn heatbed_generate_writes_a_scenario_that_record_and_run_accept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("flow.yaml");
    let file = file.to_str().expect("utf-8");
    let out = heatbed(&["generate", "-n", "25", "--seed", "3", "--out", file]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let loaded = load(Path::new(file)).unwrap_or_else(|e| panic!("{e}"));
    let generated = flow(25, 3);
    assert_eq!(loaded.steps.len(), generated.steps.len());
    assert_eq!(loaded.documents.len(), 25);
    let stdout = heatbed(&["generate", "-n", "25", "--seed", "3"]).stdout;
    assert_eq!(
        stdout,
        std::fs::read(file).expect("written"),
        "stdout = --out"
    );

    let snapshots = dir.path().join("snapshots");
    let snapshots = snapshots.to_str().expect("utf-8");
    for command in ["record", "run"] {
        let mut args = vec![command, "--snapshots", snapshots, file];
        if command == "record" {
            args.insert(1, "--accept");
        }
        let out = heatbed(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("1 passed, 0 failed"), "{command}: {stdout}");
    }
}

#[test]
fn a_thousand_resource_flow_runs_green_through_the_reference_worker() {
    let scenario = flow(1000, 1000);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let outcome = runtime
        .block_on(run_on(&Backend::Auto, &scenario))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(outcome.missing.is_empty());
    let declared: usize = scenario.documents.iter().map(|d| d.checkpoints.len()).sum();
    assert_eq!(outcome.checkpoints.len(), declared);
    // Each checkpoint picks the worker state its version must reach; check the text too.
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    for (captured, checkpoint) in outcome
        .checkpoints
        .iter()
        .zip(scenario.documents.iter().flat_map(|d| &d.checkpoints))
    {
        let Pick::Matching(subset) = &checkpoint.pick else {
            panic!("a generated checkpoint matches a state");
        };
        let state = subset["state"]["worker_state"].as_str().expect("a state");
        assert!(captured.text.contains(state), "{}", captured.text);
        *states.entry(state.to_string()).or_default() += 1;
    }
    for state in ["CREATE_COMPLETED", "MODIFY_COMPLETED", "DELETE_COMPLETED"] {
        assert!(states.get(state).is_some_and(|n| *n > 0), "{states:?}");
    }
    let failed = outcome.history.iter().filter(|w| {
        w.key.starts_with("/state/")
            && w.value
                .as_deref()
                .is_some_and(|v| String::from_utf8_lossy(v).contains("_FAILED"))
    });
    assert_eq!(failed.count(), 0, "no job failed");
}
