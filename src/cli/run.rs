//! `heatbed run` and `heatbed record`: load every scenario first (bad input: exit 2), then run
//! each on a clean etcd and compare (or write) its snapshots.

use std::process::ExitCode;

use futures::StreamExt;
use heatbed::docs::{compare_keyspace_with_recorded, compare_with_recorded, keyspace_diff};
use heatbed::etcd::Provider;
use heatbed::run::{Outcome, run_scenario_until};
use heatbed::scenario::{Scenario, discover, load};
use heatbed::snapshot::{KEYSPACE, Store, Verdict};

use super::html::Html;
use super::junit::Junit;
use super::report::{CheckpointResult, Judged, Report, Status};
use super::signals::Signals;
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
    if let Some(partition) = &args.partition {
        let total = scenarios.len();
        scenarios = partition.select(scenarios, |s| s.id.as_str());
        eprintln!(
            "shard {partition}: {} of {total} scenarios",
            scenarios.len()
        );
    }
    let signals = Signals::listen()?;
    let stop = signals.stop().clone();
    // Not cancelled half-way: a container is only removed once heatbed holds it.
    let provider = Provider::with_wipe(&backend, args.wipe).await?;
    let worker = super::worker_override(args.worker.as_ref());
    let color = args.color.enabled();
    let backend_name = provider.backend().to_string();
    let mut report = Report::new(
        args.format,
        args.show,
        backend_name,
        args.partition,
        &scenarios,
        color,
    );
    let mut junit = args
        .junit
        .as_ref()
        .map(|_| Junit::new(provider.backend().to_string()));
    let mut html = Html::new(args.report.as_ref());
    // Scenarios with an etcd each run side by side; a shared etcd is lent to one at a time.
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let runs = futures::stream::iter(scenarios.iter().map(|scenario| {
        let (provider, worker, stop) = (&provider, worker.as_ref(), &stop);
        async move {
            let lease = tokio::select! {
                lease = provider.acquire(), if !stop.is_cancelled() => lease,
                () = stop.cancelled() => return Err(Failed::Error("interrupted: not run".into())),
            };
            match lease {
                Ok(etcd) => run_scenario_until(scenario, &etcd, worker, stop)
                    .await
                    .map_err(|mut e| match e.partial.take() {
                        Some(outcome) => Failed::Partial(outcome, e.to_string()),
                        None => Failed::Error(e.to_string()),
                    }),
                Err(e) => Err(Failed::Error(format!("{}: {e}", scenario.path.display()))),
            }
        }
    }))
    .buffered(jobs.max(1));
    let mut runs = Box::pin(runs);
    for scenario in &scenarios {
        report.start(scenario);
        let store = Store::new(&args.snapshots, scenario);
        let result = runs
            .next()
            .await
            .unwrap_or_else(|| Err(Failed::Error("not run".into())));
        let (outcome, error) = match result {
            Ok(outcome) => (Box::new(outcome), None),
            Err(Failed::Partial(outcome, message)) => (outcome, Some(message)),
            Err(Failed::Error(message)) => {
                if let Some(junit) = junit.as_mut() {
                    junit.error(scenario, &message);
                }
                if let Some(html) = html.as_mut() {
                    html.error(scenario, &message);
                }
                report.error(scenario, message);
                continue;
            }
        };
        let judged = judge(scenario, &store, &outcome, error, record, args.recorded);
        if let Some(junit) = junit.as_mut() {
            junit.finish(scenario, outcome.elapsed, &judged, &outcome.worker_log);
        }
        if let Some(html) = html.as_mut() {
            html.judged(scenario, &store, &outcome, &judged);
        }
        report.finish(scenario, outcome.elapsed, judged);
    }
    if let (Some(junit), Some(path)) = (&junit, &args.junit) {
        junit.write(path)?;
    }
    if let Some(html) = &html {
        html.write()?;
    }
    drop(runs);
    let passed = report.summary();
    if let Err(e) = provider.close().await {
        eprintln!("warning: {e}");
    }
    Ok(match signals.exit_code() {
        Some(code) => code,
        None if passed => ExitCode::SUCCESS,
        None => ExitCode::FAILURE,
    })
}

/// A run that failed: with what it did capture, or with nothing.
enum Failed {
    Partial(Box<Outcome>, String),
    Error(String),
}

/// Compares (or, for `record`, writes) what a run captured; a partial run (`error`) keeps
/// every checkpoint that happened and marks the others.
fn judge(
    scenario: &Scenario,
    store: &Store,
    outcome: &Outcome,
    error: Option<String>,
    record: Option<bool>,
    recorded: bool,
) -> Judged {
    let snap = |name: &str, description: &str, text: &str| match record {
        None => compare(store, name, text),
        Some(accept) => write(store, name, description, text, accept),
    };
    let results = outcome
        .checkpoints
        .iter()
        .map(|c| CheckpointResult::new(c, snap(&Store::name(c), &Store::description(c), &c.text)))
        .collect();
    // The final keyspace's changes are shown key by key.
    let keyspace = outcome.keyspace.as_ref().map(|k| {
        match (
            snap(KEYSPACE, "final keyspace", &k.text),
            store.contents(KEYSPACE),
        ) {
            (Status::Changed(diff), Ok(Some(old))) => {
                let by_key = keyspace_diff(&old, &k.text);
                Status::Changed(if by_key.is_empty() { diff } else { by_key })
            }
            (status, _) => status,
        }
    });
    // Snapshots of checkpoints that never happened (and of a keyspace never reached) are
    // not orphans: they are kept, and removed only after a complete run.
    let mut wanted = Store::names(outcome);
    wanted.extend(
        outcome
            .missing
            .iter()
            .map(|m| format!("{}-{:02}", m.document, m.number)),
    );
    if scenario.keyspace.is_some() {
        wanted.push(KEYSPACE.into());
    }
    let remove = record == Some(true) && error.is_none();
    let orphans = store
        .orphans(&wanted)
        .into_iter()
        .filter(|p| !(remove && std::fs::remove_file(p).is_ok()))
        .collect();
    let recorded = if recorded {
        against_recordings(scenario, outcome)
    } else {
        Vec::new()
    };
    Judged {
        results,
        missing: outcome.missing.clone(),
        keyspace,
        orphans,
        recorded,
        error,
        invariants: outcome.invariants.clone(),
    }
}

/// Differences from the recorded documents and the recorded store.
fn against_recordings(scenario: &Scenario, outcome: &Outcome) -> Vec<String> {
    let mut found: Vec<String> = match compare_with_recorded(scenario, &outcome.checkpoints) {
        Ok(mismatches) => mismatches.iter().map(ToString::to_string).collect(),
        Err(e) => vec![e.to_string()],
    };
    if let Some(keyspace) = &outcome.keyspace {
        match compare_keyspace_with_recorded(scenario, keyspace) {
            Ok(mismatches) => found.extend(mismatches.iter().map(|m| format!("keyspace: {m}"))),
            Err(e) => found.push(e.to_string()),
        }
    }
    found
}

fn compare(store: &Store, name: &str, text: &str) -> Status {
    match store.check_text(name, text) {
        Ok(Verdict::Match) => Status::Match,
        Ok(Verdict::Missing) => Status::Missing,
        Ok(Verdict::Changed(diff)) => Status::Changed(diff),
        Err(e) => Status::Broken(e),
    }
}

fn write(store: &Store, name: &str, description: &str, text: &str, accept: bool) -> Status {
    match store.check_text(name, text) {
        Ok(Verdict::Match) => {
            let _ = std::fs::remove_file(store.dir().join(format!("{name}.snap.new")));
            Status::Match
        }
        Ok(_) | Err(_) => match store.write_text(name, description, text, accept) {
            Ok(path) if accept => Status::Accepted(path),
            Ok(path) => Status::Pending(path),
            Err(e) => Status::Broken(format!("cannot write snapshot: {e}")),
        },
    }
}
