//! The catalogue as a test: every template of the published catalogue
//! (`tests/recorded/esi/heat_template/`) gets a scenario generated from its mappings, run
//! through the reference worker, and reaches `CREATE_COMPLETED`, `MODIFY_COMPLETED`,
//! `DELETE_COMPLETED` and its `/monitoring` values. The same generator works for a template no
//! schema and no test knows (`tests/fixtures/catalogue/`).

#[path = "support/heatbed.rs"]
mod bin;

use std::path::Path;

use bin::run as heatbed;
use heatbed::catalogue::{Cell, DEFAULT_DIR, generate, judge_all, load_dir, table, to_yaml};
use heatbed::etcd::Backend;
use heatbed::scenario::{StepKind, load};

/// Scenarios at once (the CI machine has 2 cores).
const JOBS: usize = 4;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("tokio runtime")
}

#[test]
fn every_template_of_the_catalogue_creates_updates_and_deletes() {
    let templates = load_dir(Path::new(DEFAULT_DIR)).expect("the catalogue loads");
    assert_eq!(
        templates.len(),
        47,
        "the published catalogue has 47 templates"
    );
    let rows = runtime().block_on(judge_all(&templates, &[], &Backend::Auto, JOBS));
    assert_eq!(rows.len(), 47);
    assert!(rows.iter().all(|r| r.passes()), "\n{}", table(&rows));
}

#[test]
fn a_template_no_one_has_seen_is_generated_and_passes() {
    let dir = Path::new("tests/fixtures/catalogue");
    let mut templates = load_dir(dir).expect("the fixture loads");
    templates.extend(load_dir(Path::new(DEFAULT_DIR)).expect("the catalogue loads"));
    let only = ["traffic_mirror".to_string()];
    let rows = runtime().block_on(judge_all(&templates, &only, &Backend::Auto, 1));
    assert_eq!(rows.len(), 1);
    assert!(rows[0].passes(), "\n{}", table(&rows));
    assert_eq!(rows[0].cells[3], Cell::Ok, "its monitoring target reports");

    let generated = generate(&templates[0], &templates).expect("generates");
    let created = |prefix: &str| {
        generated.scenario.steps.iter().find_map(|s| match &s.kind {
            StepKind::Gohan(gohan) if gohan.key.starts_with(prefix) => gohan.body.clone(),
            _ => None,
        })
    };
    let mirror = created("/config/v2.0/traffic_mirrors/").expect("the mirror is created");
    let network = created("/config/v2.0/networks/").expect("the network it reads comes first");
    assert_eq!(
        mirror["network_id"], network["id"],
        "the F hop points at it"
    );
    assert!(mirror["peer"]["address"].is_string(), "O form: {mirror}");
    assert!(
        mirror["vrrp"][0].get("vrid").is_some(),
        "for_field: {mirror}"
    );
}

#[test]
fn generated_scenarios_are_ordinary_scenario_files() {
    let templates = load_dir(Path::new(DEFAULT_DIR)).expect("the catalogue loads");
    let dir = tempfile::tempdir().expect("temp dir");
    for template in &templates {
        let generated =
            generate(template, &templates).unwrap_or_else(|e| panic!("{}: {e}", template.id));
        let path = dir.path().join(format!("{}.yaml", template.id));
        std::fs::write(&path, to_yaml(&generated.scenario).expect("serializes")).expect("write");
        let loaded = load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.steps.len(), generated.scenario.steps.len());
        assert_eq!(
            loaded.documents[0].checkpoints.len(),
            generated.scenario.documents[0].checkpoints.len()
        );
        let ids = |s: &heatbed::scenario::Scenario| -> Vec<String> {
            s.steps
                .iter()
                .filter_map(|s| match &s.kind {
                    StepKind::Gohan(gohan) => Some(gohan.key.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(ids(&loaded), ids(&generated.scenario));
        let again = generate(template, &templates).expect("generates");
        assert_eq!(
            ids(&again.scenario),
            ids(&generated.scenario),
            "deterministic"
        );
    }
}

#[test]
fn the_command_prints_the_table_writes_scenarios_and_exits_by_the_rows() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out_path = out_dir.path().to_str().expect("utf-8");
    let out = heatbed(&["catalogue", "--only", "network", "--out", out_path]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("| template | create | update | delete | monitoring |"));
    assert!(
        stdout.contains("| network | ok | ok | ok | none |"),
        "{stdout}"
    );
    assert!(stdout.contains("1 of 1 templates pass"), "{stdout}");
    load(&out_dir.path().join("network.yaml")).expect("an ordinary scenario file");

    let out = heatbed(&["catalogue", "--only", "no_such_template"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such template"));
}

#[test]
fn a_failing_row_names_its_reason_and_fails_the_command() {
    // A template whose mapping no one understands: the create fails with the reason.
    let dir = tempfile::tempdir().expect("temp dir");
    let source = std::fs::read_to_string("tests/fixtures/catalogue/traffic_mirror.md").unwrap();
    let broken = source.replace("\"Psession_number\"", "\"Qsession_number\"");
    std::fs::write(dir.path().join("traffic_mirror.md"), broken).unwrap();
    let out = heatbed(&["catalogue", "--templates", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("| traffic_mirror | CREATE_FAILED: cannot build the job from template traffic_mirror: unsupported mapping"),
        "{stdout}"
    );
    assert!(stdout.contains("0 of 1 templates pass"), "{stdout}");
}
