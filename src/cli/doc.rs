//! `heatbed doc`: run one scenario and render its documents in the seed format. When some
//! checkpoints never happen, the others are still written and the missing ones marked.

use std::path::PathBuf;
use std::process::ExitCode;

use heatbed::docs::render_document;
use heatbed::etcd::Provider;
use heatbed::run::run_scenario;
use heatbed::scenario::load;

pub(super) async fn doc(
    scenario: PathBuf,
    out: Option<PathBuf>,
    etcd: &str,
    worker: Option<&String>,
) -> anyhow::Result<ExitCode> {
    let backend = super::backend(etcd)?;
    let scenario = load(&scenario)?;
    let provider = Provider::new(&backend).await?;
    let etcd = provider.acquire().await?;
    let worker = super::worker_override(worker);
    let (outcome, failure) = match run_scenario(&scenario, &etcd, worker.as_ref()).await {
        Ok(outcome) => (outcome, None),
        Err(mut e) => match e.partial.take() {
            Some(outcome) => (*outcome, Some(e)),
            None => return Err(e.into()),
        },
    };
    if let Some(out) = &out {
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
        match &out {
            Some(dir) => {
                let path = dir.join(format!("{}.md", document.name));
                std::fs::write(&path, text)?;
                eprintln!("wrote {}", path.display());
            }
            None => println!("{text}"),
        }
    }
    match failure {
        None => Ok(ExitCode::SUCCESS),
        Some(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
