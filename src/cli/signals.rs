//! SIGINT and SIGTERM for `run`, `record` and `doc`: the first one cancels the runs (their
//! workers, etcds, containers, fakes and temp dirs are stopped as at any end), the partial
//! report is printed, and the command exits 130 (SIGINT) or 143 (SIGTERM).

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use heatbed::run::CancellationToken;
use tokio::signal::unix::{SignalKind, signal};

/// The signals a command listens to, from the moment it starts.
pub(super) struct Signals {
    stop: CancellationToken,
    caught: Arc<AtomicU8>,
}

impl Signals {
    /// Installs the handlers (so neither signal kills the process outright any more).
    pub(super) fn listen() -> std::io::Result<Self> {
        let mut int = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        let (stop, caught) = (CancellationToken::new(), Arc::new(AtomicU8::new(0)));
        let (token, number) = (stop.clone(), caught.clone());
        tokio::spawn(async move {
            let signo = tokio::select! {
                _ = int.recv() => libc_number(SignalKind::interrupt()),
                _ = term.recv() => libc_number(SignalKind::terminate()),
            };
            number.store(signo, Ordering::SeqCst);
            eprintln!("heatbed: stopping (signal {signo}); cleaning up");
            token.cancel();
        });
        Ok(Signals { stop, caught })
    }

    /// Cancelled once a signal arrived.
    pub(super) fn stop(&self) -> &CancellationToken {
        &self.stop
    }

    /// `128 + signal` once a signal arrived.
    pub(super) fn exit_code(&self) -> Option<ExitCode> {
        match self.caught.load(Ordering::SeqCst) {
            0 => None,
            signo => Some(ExitCode::from(128u8.saturating_add(signo))),
        }
    }
}

fn libc_number(kind: SignalKind) -> u8 {
    u8::try_from(kind.as_raw_value()).unwrap_or(u8::MAX)
}
