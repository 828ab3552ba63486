//! Property-based fuzzing (issue 13.4). Each property runs `HEATBED_FUZZ_CASES` cases
//! (default: a few hundred); the long mode is
//! `HEATBED_FUZZ_CASES=1000000 cargo test --release --test fuzz`.

mod heat;
#[path = "../support/heat_client.rs"]
mod heat_client;
mod scenario;

/// The proptest configuration every property uses: `HEATBED_FUZZ_CASES` cases, no
/// persisted failure files (a failure prints its minimal input instead).
pub(crate) fn config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("HEATBED_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}
