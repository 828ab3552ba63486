//! `heatbed run` and `heatbed record`: load every scenario first (bad input: exit 2), then run
//! each on a clean etcd and compare (or write) its snapshots.

use std::path::PathBuf;
use std::process::ExitCode;

use futures::StreamExt;
use heatbed::docs::compare_with_recorded;
use heatbed::etcd::Provider;
use heatbed::run::{Captured, run_scenario};
use heatbed::scenario::{discover, load};
use heatbed::snapshot::{Store, Verdict};

use super::junit::Junit;
use super::report::{CheckpointResult, Report, Status};
use super::{BAD_INPUT, RunArgs};

/// `record` is `None` for `run`, `Some(accept)` for `record`.
pub(super) async fn run(args: RunArgs, record: Option<bool>) -> anyhow::Result<ExitCode> {
    let backend = super::backend(&args.etcd)?;
    let mut scenarios = Vec::new();
    let mut bad = 0;
    for path in discover(&args.paths)? {
        match load(&path) {
            Ok(scenario) => scenarios.push(scenario),
            Err(e) => {
                eprintln!("error: {e}");
                bad += 1;
            }
        }
    }
    if bad > 0 {
        eprintln!("{bad} scenario file(s) are invalid; nothing was run");
        return Ok(ExitCode::from(BAD_INPUT));
    }
    let provider = Provider::new(&backend).await?;
    let worker = super::worker_override(args.worker.as_ref());
    let mut report = Report::new(args.format, args.show, provider.backend().to_string());
    let mut junit = args
        .junit
        .as_ref()
        .map(|_| Junit::new(provider.backend().to_string()));
    // Scenarios with an etcd each run side by side; a shared etcd is lent to one at a time.
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let runs = futures::stream::iter(scenarios.iter().map(|scenario| {
        let (provider, worker) = (&provider, worker.as_ref());
        async move {
            match provider.acquire().await {
                Ok(etcd) => run_scenario(scenario, &etcd, worker)
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(format!("{}: {e}", scenario.path.display())),
            }
        }
    }))
    .buffered(jobs.max(1));
    futures::pin_mut!(runs);
    for scenario in &scenarios {
        report.start(scenario);
        let store = Store::new(&args.snapshots, scenario);
        let result = runs.next().await.unwrap_or_else(|| Err("not run".into()));
        match result {
            Ok(outcome) => {
                let results = match record {
                    None => compare(&store, &outcome.checkpoints),
                    Some(accept) => write(&store, &outcome.checkpoints, accept),
                };
                let orphans = orphans(&store, &outcome.checkpoints, record == Some(true));
                let recorded = if args.recorded {
                    match compare_with_recorded(scenario, &outcome.checkpoints) {
                        Ok(mismatches) => mismatches.iter().map(ToString::to_string).collect(),
                        Err(e) => vec![e.to_string()],
                    }
                } else {
                    Vec::new()
                };
                if let Some(junit) = junit.as_mut() {
                    let log = &outcome.worker_log;
                    junit.finish(
                        scenario,
                        outcome.elapsed,
                        &results,
                        &orphans,
                        &recorded,
                        log,
                    );
                }
                report.finish(scenario, outcome.elapsed, results, orphans, recorded);
            }
            Err(message) => {
                if let Some(junit) = junit.as_mut() {
                    junit.error(scenario, &message);
                }
                report.error(scenario, message)
            }
        }
    }
    if let (Some(junit), Some(path)) = (&junit, &args.junit) {
        junit.write(path)?;
    }
    Ok(if report.summary() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn compare(store: &Store, captured: &[Captured]) -> Vec<CheckpointResult> {
    captured
        .iter()
        .map(|c| {
            let status = match store.check(c) {
                Ok(Verdict::Match) => Status::Match,
                Ok(Verdict::Missing) => Status::Missing,
                Ok(Verdict::Changed(diff)) => Status::Changed(diff),
                Err(e) => Status::Broken(e),
            };
            CheckpointResult::new(c, status)
        })
        .collect()
}

fn write(store: &Store, captured: &[Captured], accept: bool) -> Vec<CheckpointResult> {
    captured
        .iter()
        .map(|c| {
            let status = match store.check(c) {
                Ok(Verdict::Match) => {
                    let _ = std::fs::remove_file(
                        store.dir().join(format!("{}.snap.new", Store::name(c))),
                    );
                    Status::Match
                }
                Ok(_) | Err(_) => match store.write(c, accept) {
                    Ok(path) if accept => Status::Accepted(path),
                    Ok(path) => Status::Pending(path),
                    Err(e) => Status::Broken(format!("cannot write snapshot: {e}")),
                },
            };
            CheckpointResult::new(c, status)
        })
        .collect()
}

/// Snapshot files no checkpoint refers to; removed when `remove` (record --accept).
fn orphans(store: &Store, captured: &[Captured], remove: bool) -> Vec<PathBuf> {
    store
        .orphans(captured)
        .into_iter()
        .filter(|p| !(remove && std::fs::remove_file(p).is_ok()))
        .collect()
}
