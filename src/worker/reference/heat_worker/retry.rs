//! Retrying transient failures with exponential backoff, and sleeping that wakes on shutdown.

use std::future::Future;
use std::time::Duration;

use super::errors::JobError;
use crate::worker::reference::Shutdown;

/// How often and how patiently a step is retried.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    /// The first pause.
    pub(crate) first: Duration,
    /// The longest pause.
    pub(crate) max: Duration,
    /// Attempts in total (at least 1).
    attempts: u32,
}

impl Backoff {
    /// The policy for a worker polling every `poll_interval`: pauses from one interval (at
    /// least 5 ms) doubling up to 2 s, 10 attempts.
    pub(crate) fn for_poll_interval(poll_interval: Duration) -> Self {
        let first = poll_interval.max(Duration::from_millis(5));
        Backoff {
            first,
            max: Duration::from_secs(2).max(first),
            attempts: 10,
        }
    }

    /// The pause after failed attempt `n` (0-based).
    fn pause(&self, n: u32) -> Duration {
        self.first.saturating_mul(1u32 << n.min(16)).min(self.max)
    }
}

/// Runs `step` until it succeeds, fails for good, runs out of attempts or the worker stops.
pub(crate) async fn retry<T, F, Fut>(
    backoff: Backoff,
    shutdown: &Shutdown,
    mut step: F,
) -> Result<T, JobError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, JobError>>,
{
    let mut n = 0;
    loop {
        match step().await {
            Ok(value) => return Ok(value),
            Err(error) if error.is_transient() && n + 1 < backoff.attempts => {
                tracing::debug!(target: "heatbed::worker", "retrying: {error}");
                pause(shutdown, backoff.pause(n)).await?;
                n += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Sleeps `duration` unless the worker stops first.
pub(crate) async fn pause(shutdown: &Shutdown, duration: Duration) -> Result<(), JobError> {
    let mut shutdown = shutdown.clone();
    if *shutdown.borrow() {
        return Err(JobError::Stopping);
    }
    tokio::select! {
        () = tokio::time::sleep(duration) => Ok(()),
        _ = shutdown.wait_for(|stop| *stop) => Err(JobError::Stopping),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap() {
        let b = Backoff::for_poll_interval(Duration::from_millis(5));
        assert_eq!(b.pause(0), Duration::from_millis(5));
        assert_eq!(b.pause(3), Duration::from_millis(40));
        assert_eq!(b.pause(20), Duration::from_secs(2));
    }

    #[tokio::test]
    async fn retries_transient_errors_only() {
        let (_tx, shutdown) = tokio::sync::watch::channel(false);
        let b = Backoff {
            first: Duration::from_millis(1),
            max: Duration::from_millis(1),
            attempts: 3,
        };
        let mut calls = 0;
        let result: Result<(), _> = retry(b, &shutdown, || {
            calls += 1;
            async {
                Err(JobError::Status {
                    service: "heat",
                    request: "GET x".into(),
                    status: 503,
                    message: String::new(),
                })
            }
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls, 3);
        let mut calls = 0;
        let result: Result<(), _> = retry(b, &shutdown, || {
            calls += 1;
            async { Err(JobError::Input("bad".into())) }
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls, 1);
    }
}
