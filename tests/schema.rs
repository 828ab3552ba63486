//! `scenarios/schema.json` is generated from the scenario model and must stay current.

#[test]
fn checked_in_schema_matches_the_model() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/schema.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = format!("{}\n", heatbed::scenario::json_schema());
    assert!(
        checked_in == generated,
        "scenarios/schema.json is stale: run `cargo run -q -- schema > scenarios/schema.json`"
    );
}

/// The scenario the README shows is a valid scenario.
#[test]
fn the_readme_scenario_example_loads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = readme
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a yaml example");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("fixtures")).unwrap();
    std::fs::copy(
        root.join("scenarios/fixtures/heat_template_port.json"),
        dir.path().join("fixtures/heat_template_port.json"),
    )
    .unwrap();
    let path = dir.path().join("example.yaml");
    std::fs::write(&path, example).unwrap();
    let scenario = heatbed::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.documents.len(), 2);
}
