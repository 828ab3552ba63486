//! How heatbed's cost grows with the size of a deployment, each figure printed as a ratio
//! against a baseline measured in the same run (release build: `cargo bench --bench scale`,
//! or `ci/bench.sh`). Sections, all by default, or only those named:
//!
//! - `golden`: the golden suite against the floor (an etcd started and the same number of
//!   keys written, per scenario).
//! - `flows`: generated flows of 10, 100, 1,000 and 10,000 resources (`--max N` stops
//!   earlier) through the reference worker, each in a process of its own: wall time, jobs
//!   per second, peak RSS, and the growth of each 10x step.
//! - `heat`: the fake Heat's `GET /stacks/{name}/{id}` and create throughput against a bare
//!   hyper server answering the same bodies on loopback.
//! - `recorder`: a flow with its checkpoints captured against the same flow without them.
//!
//! Timings are printed, never asserted (CI does not gate on them).

mod flows;
mod golden;
mod heat;
#[path = "../../tests/support/heat_client.rs"]
mod heat_client;
mod recorder;

use std::path::Path;
use std::time::Duration;

use heatbed::catalogue::{DEFAULT_DIR, load_dir};
use heatbed::generate::{Options, generate};
use heatbed::scenario::Scenario;

fn main() {
    if let Some(result) = flows::child() {
        return result;
    }
    let mut sections = vec![];
    let mut max = 10_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max" => {
                max = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--max takes a number of resources");
            }
            // cargo bench passes `--bench`; nothing else is ours.
            a if a.starts_with('-') => {}
            section => sections.push(section.to_string()),
        }
    }
    let wanted = |s: &str| sections.is_empty() || sections.iter().any(|x| x == s);
    println!("heatbed scale benchmarks ({})", machine());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if wanted("golden") {
        runtime.block_on(golden::bench());
    }
    if wanted("flows") {
        flows::bench(max);
    }
    if wanted("heat") {
        runtime.block_on(heat::bench());
    }
    if wanted("recorder") {
        runtime.block_on(recorder::bench());
    }
}

/// The generated flow of `resources` (seed 1).
fn flow(resources: usize) -> Scenario {
    let catalogue = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_DIR))
        .expect("the catalogue loads");
    generate(&catalogue, &Options { resources, seed: 1 }).expect("generates")
}

/// Seconds with three decimals.
fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// `a / b`, as `1.23x`.
fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}x", a / b)
    } else {
        "-".into()
    }
}

/// CPUs and model, for the figures' context.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpus} CPUs, {model}")
}
