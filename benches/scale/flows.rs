//! Generated flows through the reference worker, one process each (so peak RSS is the flow's
//! own): wall time of the run, jobs per second, peak RSS of heatbed (etcd is a process of its
//! own and not counted), and how much each 10x step in resources costs.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use heatbed::etcd::Backend;
use heatbed::run::run_on;

/// Set in a child: the number of resources of the flow it runs.
const CHILD: &str = "HEATBED_BENCH_FLOW";
/// Flow sizes.
const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// One flow's figures, as the child prints them.
struct Figures {
    resources: usize,
    generate: Duration,
    wall: Duration,
    jobs: usize,
    writes: usize,
    rss_kib: u64,
}

pub(crate) fn bench(max: usize) {
    println!("\n## Generated flows through the reference worker (seed 1, a process each)\n");
    println!(
        "| resources | generate | wall | jobs | etcd writes | jobs/s | peak RSS | wall vs 10x fewer | RSS vs 10x fewer |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut previous: Option<Figures> = None;
    for n in SIZES.into_iter().filter(|n| *n <= max) {
        let Some(f) = spawn(n) else {
            println!("| {n} | failed (see stderr) | | | | | | | |");
            break;
        };
        let (wall_growth, rss_growth) = match &previous {
            Some(p) => (
                super::ratio(f.wall.as_secs_f64(), p.wall.as_secs_f64()),
                super::ratio(f.rss_kib as f64, p.rss_kib as f64),
            ),
            None => ("-".into(), "-".into()),
        };
        println!(
            "| {} | {} | {} | {} | {} | {:.0} | {:.1} MB | {wall_growth} | {rss_growth} |",
            f.resources,
            super::secs(f.generate),
            super::secs(f.wall),
            f.jobs,
            f.writes,
            f.jobs as f64 / f.wall.as_secs_f64(),
            f.rss_kib as f64 / 1024.0,
        );
        previous = Some(f);
    }
}

/// Runs the flow of `n` resources in a child process; its figures.
fn spawn(n: usize) -> Option<Figures> {
    let exe = std::env::current_exe().expect("the bench binary");
    let out = Command::new(exe)
        .env(CHILD, n.to_string())
        .output()
        .expect("the bench binary runs");
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let line = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<u64> = line
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [generate, wall, jobs, writes, rss_kib] = fields[..] else {
        eprintln!("unexpected child output: {line}");
        return None;
    };
    Some(Figures {
        resources: n,
        generate: Duration::from_micros(generate),
        wall: Duration::from_micros(wall),
        jobs: jobs as usize,
        writes: writes as usize,
        rss_kib,
    })
}

/// In a child: runs the flow and prints `generate_us wall_us jobs writes rss_kib`; `None` in the
/// parent.
pub(crate) fn child() -> Option<()> {
    let n: usize = std::env::var(CHILD).ok()?.parse().expect("a number");
    let started = Instant::now();
    let scenario = super::flow(n);
    let generate = started.elapsed();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let outcome = runtime
        .block_on(run_on(&Backend::Embedded, &scenario))
        .unwrap_or_else(|e| panic!("{e}"));
    let jobs: BTreeSet<&str> = outcome
        .history
        .iter()
        .filter(|w| w.value.is_some() && w.key.starts_with("/jobs/all/"))
        .map(|w| w.key.as_str())
        .collect();
    println!(
        "{} {} {} {} {}",
        generate.as_micros(),
        outcome.elapsed.as_micros(),
        jobs.len(),
        outcome.history.len(),
        peak_rss_kib()
    );
    Some(())
}

/// VmHWM of this process, in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
