//! `heatbed import`: recorded flow documents in, runnable scenarios out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use heatbed::docs::import;

pub(super) fn import_flows(
    dir: &Path,
    templates: &Path,
    flow: Option<&str>,
    out: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let single = out
        .as_ref()
        .is_some_and(|o| o.extension().is_some_and(|e| e == "yaml" || e == "yml"));
    let out_dir = match &out {
        Some(o) if single => o
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| ".".into()),
        Some(o) => o.clone(),
        None => "scenarios".into(),
    };
    let imported = import(dir, templates, flow, &out_dir)?;
    if single && imported.len() != 1 {
        let flows: Vec<&str> = imported.iter().map(|i| i.flow.as_str()).collect();
        return Err(super::BadInput(format!(
            "--out names one file but the folder has {} flows with results ({}); pick one with --flow",
            imported.len(),
            flows.join(", ")
        ))
        .into());
    }
    std::fs::create_dir_all(&out_dir)?;
    for scenario in imported {
        let path = match &out {
            Some(o) if single => o.clone(),
            _ => out_dir.join(&scenario.file_name),
        };
        let temp = path.with_extension("yaml.tmp");
        std::fs::write(&temp, &scenario.yaml)?;
        std::fs::rename(&temp, &path)?;
        eprintln!(
            "wrote {} (flow {}); `heatbed record {}` writes its snapshots",
            path.display(),
            scenario.flow,
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
