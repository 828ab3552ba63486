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
