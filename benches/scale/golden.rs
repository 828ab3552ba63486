//! The golden suite against its floor: for each golden scenario, a run on an etcd of its own
//! (what `cargo test --test golden` does), against starting an etcd and writing as many keys
//! as the run wrote.

use std::path::Path;
use std::time::{Duration, Instant};

use heatbed::etcd::Backend;
use heatbed::run::run_on;
use heatbed::scenario::{discover, load};

/// Rounds of the whole suite (the median is printed).
const ROUNDS: usize = 3;

pub(crate) async fn bench() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("the repository");
    let files = discover(&[root.join("scenarios")]).expect("scenarios");
    let scenarios: Vec<_> = files
        .iter()
        .map(|f| load(f.strip_prefix(root).unwrap_or(f)).expect("loads"))
        .filter(|s| s.documents.iter().any(|d| !d.recorded.is_empty()))
        .collect();
    let mut suite = vec![];
    let mut floor = vec![];
    let mut writes = 0;
    for _ in 0..ROUNDS {
        let (mut run_time, mut floor_time) = (Duration::ZERO, Duration::ZERO);
        writes = 0;
        for scenario in &scenarios {
            let started = Instant::now();
            let outcome = run_on(&Backend::Embedded, scenario)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            run_time += started.elapsed();
            writes += outcome.history.len();
            let started = Instant::now();
            write_keys(outcome.history.len()).await;
            floor_time += started.elapsed();
        }
        suite.push(run_time);
        floor.push(floor_time);
    }
    suite.sort();
    floor.sort();
    let (suite, floor) = (suite[ROUNDS / 2], floor[ROUNDS / 2]);
    println!(
        "\n## Golden suite against the floor ({} scenarios, {writes} writes, median of {ROUNDS})\n",
        scenarios.len()
    );
    println!("| | wall | ratio |");
    println!("|---|---|---|");
    println!(
        "| floor: etcd started + {writes} keys written | {} | 1.00x |",
        super::secs(floor)
    );
    println!(
        "| golden suite, one after the other | {} | {} |",
        super::secs(suite),
        super::ratio(suite.as_secs_f64(), floor.as_secs_f64())
    );
}

/// An etcd of its own, `n` keys written one after the other, stopped.
async fn write_keys(n: usize) {
    let etcd = Backend::Embedded.start().await.expect("etcd");
    let mut client = etcd.client();
    for i in 0..n {
        client
            .put(format!("/floor/{i}"), "v", None)
            .await
            .expect("put");
    }
}
