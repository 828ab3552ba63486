//! `heatbed merge`: the JSON reports of a sharded run as one (exit 2 for a bad or overlapping
//! shard, naming the file; 1 when a scenario failed; 0 otherwise).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use heatbed::report::RunReport;

use super::BadInput;

pub(super) fn merge(reports: &[PathBuf], out: Option<&PathBuf>) -> anyhow::Result<ExitCode> {
    let merged = RunReport::merge_files(reports).map_err(|e| BadInput(e.to_string()))?;
    match out {
        Some(path) => {
            std::fs::write(path, merged.to_json() + "\n")
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("{} passed, {} failed", merged.passed, merged.failed);
        }
        None => println!("{}", merged.to_json()),
    }
    Ok(if merged.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
