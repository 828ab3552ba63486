//! Property-based fuzzing (issue 13.4). Each property runs `HEATBED_FUZZ_CASES` cases
//! (default: a few hundred); the long mode is
//! `HEATBED_FUZZ_CASES=1000000 cargo test --release --test fuzz`.

mod heat;
#[path = "../support/heat_client.rs"]
mod heat_client;
mod scenario;

/// The proptest configuration every property uses: `HEATBED_FUZZ_CASES` cases from the
/// fixed seed `HEATBED_FUZZ_SEED` (13 unless set: the same cases every run), no persisted
/// failure files (a failure prints its minimal input instead).
pub(crate) fn config(default_cases: u32) -> proptest::test_runner::Config {
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
