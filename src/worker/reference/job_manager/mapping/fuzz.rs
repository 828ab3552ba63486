//! Property tests of the mapping parser: on any JSON it never panics, nesting however deep
//! is a clear error, and an error stays short however long the mapping is.

use proptest::prelude::*;
use serde_json::{Map, Value};

use super::{Mapping, MappingError};

/// As `tests/fuzz/main.rs` configures its properties: `HEATBED_FUZZ_CASES` cases from the
/// fixed seed `HEATBED_FUZZ_SEED` (13 unless set).
fn config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("HEATBED_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    let seed = std::env::var("HEATBED_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(13);
    proptest::test_runner::Config {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// The keys the object forms read, and a stranger.
const KEYS: &[&str] = &[
    "if_mapping",
    "equal",
    "regexp",
    "then_mapping",
    "else_mapping",
    "for_field",
    "for_mapping",
    "constant",
    "version",
    "path",
    "output_key",
    "field",
    "type",
    "id",
    "ignore_missing",
    "other",
];

/// Strings near the string forms (`P`, `C`, `V`, `O`, `M`, `F`, `A`) and any others.
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[PCVOMFAX]?[a-z:+&A]{0,12}", any::<String>(),]
}

/// JSON made of the mapping vocabulary: near-valid mappings and everything around them.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(8, 128, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((proptest::sample::select(KEYS), inner), 0..6).prop_map(
                |entries| {
                    let map: Map<String, Value> = entries
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect();
                    Value::Object(map)
                }
            ),
        ]
    })
}

/// A mapping nested `depth` times in the object form named by `form`.
fn nested(form: usize, depth: usize) -> Value {
    let mut value = Value::String("Pname".into());
    for _ in 0..depth {
        value = match form % 3 {
            0 => serde_json::json!({"if_mapping": {"equal": [value, "Cx"]}}),
            1 => serde_json::json!({"for_field": "items", "for_mapping": value}),
            _ => serde_json::json!({"for_field": value, "for_mapping": "Cx"}),
        };
    }
    value
}

fn short(error: &MappingError) -> Result<(), TestCaseError> {
    let message = error.to_string();
    let chars = message.chars().count();
    prop_assert!(chars <= 300, "{chars} characters: {message:.300}");
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_json_parses_or_is_a_short_error(raw in json()) {
        if let Err(error) = Mapping::parse(&raw) {
            short(&error)?;
        }
    }

    #[test]
    fn any_string_parses(s in text()) {
        prop_assert!(Mapping::parse(&Value::String(s)).is_ok());
    }

    #[test]
    // serde_json parses no deeper than 128 levels, so no mapping a worker reads nests
    // deeper (and a deeper `Value` would overflow the stack in its own `Drop`).
    fn deep_nesting_is_a_clear_error(form in 0usize..3, depth in 0usize..40) {
        match Mapping::parse(&nested(form, depth)) {
            Ok(_) => prop_assert!(depth <= 33, "depth {depth} accepted"),
            Err(error) => prop_assert!(
                matches!(error, MappingError::TooDeep { .. }) && depth > 32,
                "depth {depth}: {error}"
            ),
        }
    }

    #[test]
    fn a_long_unsupported_mapping_is_a_short_error(
        key in proptest::sample::select(KEYS),
        len in 0usize..200_000,
    ) {
        // An `if_mapping` without a test is unsupported whatever else the object holds.
        let mut raw = serde_json::json!({key: ["X".repeat(len)]});
        raw["if_mapping"] = serde_json::json!({});
        let error = Mapping::parse(&raw).expect_err("unsupported");
        short(&error)?;
    }
}

/// Found by `a_long_unsupported_mapping_is_a_short_error`: the error quoted the whole mapping.
#[test]
fn an_unsupported_mapping_error_quotes_an_excerpt() {
    let raw = serde_json::json!({"if_mapping": {}, "x": "y".repeat(1000)});
    let message = Mapping::parse(&raw).expect_err("unsupported").to_string();
    assert_eq!(
        message,
        format!(
            "unsupported mapping {{\"if_mapping\":{{}},\"x\":\"{}...",
            "y".repeat(178)
        )
    );
}
