//! `heatbed generate`: a seeded, deterministic flow of N resources drawn from the template
//! catalogue, with the dependencies the templates' mappings need, written by Gohan as the
//! recordings pace it, one document per resource. The output is an ordinary scenario.
//!
//! - `rng.rs`: SplitMix64, the seeded stream.
//! - `unit.rs`: one template's resource and the resources it reaches (the catalogue's plan,
//!   every workable related resource satisfied too).
//! - `flow.rs`: drawing units, instances and shared resources, steps and documents.

mod flow;
mod rng;
mod unit;

pub use flow::{GenerateError, MAX_RESOURCES, Options, generate};

/// The scenario file of a generated flow.
pub fn to_yaml(scenario: &crate::scenario::Scenario) -> Result<String, String> {
    crate::catalogue::render(scenario, "heatbed generate", "the catalogue")
}
