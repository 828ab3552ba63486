//! `heatbed doc`: run one scenario and render its documents in the seed format. When some
//! checkpoints never happen (or a signal stops the run), the others are still written and
//! the missing ones marked.

use std::path::PathBuf;
use std::process::ExitCode;

use heatbed::docs::render_document;
use heatbed::etcd::Provider;
use heatbed::run::{Outcome, run_scenario_until};
use heatbed::scenario::{Scenario, load};

use super::html::Html;
use super::signals::Signals;

/// What `doc` writes besides the documents.
pub(super) struct Extras {
    /// `--report DIR`.
    pub(super) report: Option<PathBuf>,
    /// `--sequence`.
    pub(super) sequence: bool,
}

pub(super) async fn doc(
    scenario: PathBuf,
    out: Option<PathBuf>,
    etcd: &str,
    worker: Option<&String>,
    wipe: bool,
    extras: Extras,
) -> anyhow::Result<ExitCode> {
    let backend = super::backend(etcd)?;
    let scenario = load(&scenario)?;
    let signals = Signals::listen()?;
    let stop = signals.stop().clone();
    let interrupted = || signals.exit_code().unwrap_or(ExitCode::FAILURE);
    // Not cancelled half-way: a container is only removed once heatbed holds it.
    let provider = Provider::with_wipe(&backend, wipe).await?;
    let result = {
        let etcd = tokio::select! {
            etcd = provider.acquire() => etcd?,
            () = stop.cancelled() => return Ok(interrupted()),
        };
        let worker = super::worker_override(worker);
        run_scenario_until(&scenario, &etcd, worker.as_ref(), &stop).await
    };
    if let Err(e) = provider.close().await {
        eprintln!("warning: {e}");
    }
    let (outcome, failure) = match result {
        Ok(outcome) => (outcome, None),
        Err(mut e) => match e.partial.take() {
            Some(outcome) => (*outcome, Some(e)),
            None => return Err(e.into()),
        },
    };
    write(&scenario, &outcome, out.as_ref())?;
    if extras.sequence {
        sequence(&outcome, out.as_ref())?;
    }
    if let Some(mut html) = Html::new(extras.report.as_ref()) {
        html.rendered(
            &scenario,
            &outcome,
            failure.as_ref().map(|e| e.to_string()).as_deref(),
        );
        html.write()?;
    }
    Ok(match (signals.exit_code(), failure) {
        (Some(code), _) => code,
        (None, None) => ExitCode::SUCCESS,
        (None, Some(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    })
}

/// Every document of `scenario`, to `out` or stdout.
fn write(scenario: &Scenario, outcome: &Outcome, out: Option<&PathBuf>) -> anyhow::Result<()> {
    if let Some(out) = out {
        std::fs::create_dir_all(out)?;
    }
    for document in &scenario.documents {
        let checkpoints: Vec<_> = outcome
            .checkpoints
            .iter()
            .filter(|c| c.document == document.name)
            .collect();
        let missing: Vec<_> = outcome
            .missing
            .iter()
            .filter(|m| m.document == document.name)
            .collect();
        let text = render_document(
            &document.title,
            document.preamble.as_deref(),
            &checkpoints,
            &missing,
        );
        match out {
            Some(dir) => {
                let path = dir.join(format!("{}.md", document.name));
                std::fs::write(&path, text)?;
                eprintln!("wrote {}", path.display());
            }
            None => println!("{text}"),
        }
    }
    Ok(())
}

/// The run's sequence diagram as Mermaid text, next to the documents or on stdout.
fn sequence(outcome: &Outcome, out: Option<&PathBuf>) -> anyhow::Result<()> {
    let events = heatbed::report::events(outcome, |_| true);
    let text = heatbed::report::sequence_diagram(&events, &outcome.missing);
    match out {
        Some(dir) => {
            let path = dir.join("sequence.mmd");
            std::fs::write(&path, text)?;
            eprintln!("wrote {}", path.display());
        }
        None => println!("```mermaid\n{text}```"),
    }
    Ok(())
}
