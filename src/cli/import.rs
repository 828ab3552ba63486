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
    let import = import(dir, templates, flow, &out_dir)?;
    for warning in import.summary.warnings() {
        eprintln!("warning: {warning}");
    }
    let imported = import.scenarios;
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
    for fixture in &import.fixtures {
        let path = out_dir.join(&fixture.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomically(&path, &fixture.content)?;
    }
    if !import.fixtures.is_empty() {
        eprintln!(
            "wrote {} fixtures (the store the run started from) under {}",
            import.fixtures.len(),
            out_dir.join("fixtures").display()
        );
    }
    for scenario in imported {
        let path = match &out {
            Some(o) if single => o.clone(),
            _ => out_dir.join(&scenario.file_name),
        };
        write_atomically(&path, &scenario.yaml)?;
        eprintln!(
            "wrote {} (flow {}); `heatbed record {}` writes its snapshots",
            path.display(),
            scenario.flow,
            path.display()
        );
    }
    eprintln!("{}", import.summary);
    Ok(ExitCode::SUCCESS)
}

/// Writes `content` to a temporary file next to `path`, then renames it.
pub(super) fn write_atomically(path: &Path, content: &str) -> std::io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    std::fs::write(&temp, content)?;
    std::fs::rename(&temp, path)
}
