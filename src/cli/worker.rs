//! `heatbed worker`: the reference worker as an external process.

use std::process::ExitCode;

use heatbed::worker::{LogSink, MAX_SLOTS, Reference, WorkerEnv};

use super::BadInput;

pub(super) async fn worker(slots: usize) -> anyhow::Result<ExitCode> {
    if slots == 0 {
        return Err(BadInput("--slots must be at least 1".into()).into());
    }
    if slots > MAX_SLOTS {
        return Err(BadInput(format!(
            "--slots {slots} is more than the {MAX_SLOTS} allowed"
        ))
        .into());
    }
    let env = WorkerEnv::from_process_env().map_err(BadInput)?;
    let worker = Reference::start(&env, slots, LogSink::Stderr);
    super::serve::until_signal().await?;
    worker.stop().await;
    Ok(ExitCode::SUCCESS)
}
