//! `heatbed list`.

use std::path::PathBuf;
use std::process::ExitCode;

use heatbed::scenario::{WorkerSpec, discover, load};

pub(super) fn list(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    for path in discover(paths)? {
        let scenario = load(&path)?;
        let checkpoints: usize = scenario.documents.iter().map(|d| d.checkpoints.len()).sum();
        let worker = match &scenario.worker {
            WorkerSpec::Reference { .. } => "reference".to_string(),
            WorkerSpec::Command { command, .. } => format!("command `{command}`"),
            WorkerSpec::None => "none".to_string(),
        };
        println!(
            "{:<32} {} ({} steps, {} checkpoints in {} documents, worker: {worker})",
            scenario.id,
            scenario.name,
            scenario.steps.len(),
            checkpoints,
            scenario.documents.len(),
        );
    }
    Ok(ExitCode::SUCCESS)
}
