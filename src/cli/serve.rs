//! `heatbed serve`: etcd and the fakes for hand debugging, until SIGINT or SIGTERM.

use std::process::ExitCode;

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec};
use heatbed::worker::WorkerEnv;
use tokio::signal::unix::{SignalKind, signal};

pub(super) async fn serve(etcd: &str) -> anyhow::Result<ExitCode> {
    let backend = super::backend(etcd)?;
    let etcd = backend.start().await?;
    let fakes = Fakes::start_synced(
        &HeatSpec::default(),
        &CollectorSpec::default(),
        etcd.client(),
    )
    .await?;
    let env = WorkerEnv::new(&etcd, &fakes);
    print!("{}", env.exports());
    eprintln!(
        "# heatbed serve: etcd ({}) and fakes are up; Ctrl-C stops them",
        backend.resolve()?
    );
    until_signal().await?;
    eprintln!("# heatbed serve: stopping");
    drop(fakes);
    drop(etcd);
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM.
pub(super) async fn until_signal() -> std::io::Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    Ok(())
}
