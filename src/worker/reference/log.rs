//! The reference worker's log: kept for the run's failure report, or echoed to stderr when it
//! runs standalone (`heatbed worker`).

use std::fmt::Display;
use std::sync::{Arc, Mutex};

/// Where log lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogSink {
    /// Kept in memory, returned by `stop`.
    Buffer,
    /// Printed to stderr as they come (and kept).
    Stderr,
}

/// A shared, cheap-to-clone log.
#[derive(Debug, Clone)]
pub struct Log {
    sink: LogSink,
    lines: Arc<Mutex<String>>,
}

impl Log {
    /// An empty log.
    pub fn new(sink: LogSink) -> Self {
        Log {
            sink,
            lines: Arc::default(),
        }
    }

    /// Adds `message` from `component`.
    pub fn line(&self, component: &str, message: impl Display) {
        let line = format!("[{component}] {message}\n");
        tracing::debug!(target: "heatbed::worker", "{}", line.trim_end());
        if self.sink == LogSink::Stderr {
            eprint!("{line}");
        }
        if let Ok(mut lines) = self.lines.lock() {
            lines.push_str(&line);
        }
    }

    /// Everything logged so far.
    pub fn take(&self) -> String {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }
}
