//! An external worker: `sh -c <command>` in its own process group, with the env contract and
//! a clean environment (no inherited `ETCD*`, `OS_*`, `HEATBED_*` or proxy variables).
//! stdout and stderr are captured together; the group gets SIGTERM at the end, then SIGKILL,
//! and SIGKILL when dropped without being stopped (a panic, a cancelled run).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use super::{WorkerEnv, WorkerError};

/// How long a worker may take to exit after SIGTERM.
const GRACE: Duration = Duration::from_secs(5);

/// A running external worker.
#[derive(Debug)]
pub struct External {
    child: Child,
    group: Option<Pid>,
    output: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    status: Option<String>,
}

impl External {
    /// Starts `command` with the contract `env` and `extra` variables.
    pub fn start(
        command: &str,
        env: &WorkerEnv,
        extra: &BTreeMap<String, String>,
        dir: Option<&Path>,
    ) -> Result<Self, WorkerError> {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(command);
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            let inherited = [
                "ETCD",
                "OS_",
                "HEATBED_",
                "http_proxy",
                "https_proxy",
                "HTTP_PROXY",
                "HTTPS_PROXY",
                "no_proxy",
                "NO_PROXY",
            ];
            if inherited.iter().any(|p| name.starts_with(p)) {
                cmd.env_remove(name.as_ref());
            }
        }
        cmd.envs(env.vars()).envs(extra);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        let mut child = cmd.spawn().map_err(|error| WorkerError::Spawn {
            command: command.to_string(),
            error,
        })?;
        let group = child.id().map(|pid| Pid::from_raw(pid as i32));
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut readers = Vec::new();
        if let Some(out) = child.stdout.take() {
            readers.push(capture(out, output.clone()));
        }
        if let Some(err) = child.stderr.take() {
            readers.push(capture(err, output.clone()));
        }
        Ok(External {
            child,
            group,
            output,
            readers,
            status: None,
        })
    }

    /// Resolves when the process exits; its status in words.
    pub async fn exited(&mut self) -> String {
        if let Some(status) = &self.status {
            return status.clone();
        }
        let status = match self.child.wait().await {
            Ok(status) => status.to_string(),
            Err(e) => format!("unknown status: {e}"),
        };
        self.status = Some(status.clone());
        status
    }

    /// Stops the process group (SIGTERM, then SIGKILL after a grace period) and returns
    /// everything it printed.
    pub async fn stop(mut self) -> String {
        // The whole group: a shell's background children go too, even after it exited.
        self.signal(Signal::SIGTERM);
        let _ = tokio::time::timeout(GRACE, self.child.wait()).await;
        // What ignored SIGTERM, or outlived the shell, goes now.
        self.kill().await
    }

    /// Kills the process group at once (SIGKILL, as a crash) and returns what it printed.
    pub async fn kill(mut self) -> String {
        self.signal(Signal::SIGKILL);
        let _ = self.child.wait().await;
        self.group = None;
        for reader in std::mem::take(&mut self.readers) {
            let _ = tokio::time::timeout(GRACE, reader).await;
        }
        let output = self.output.lock().expect("output lock");
        String::from_utf8_lossy(&output).into_owned()
    }

    fn signal(&self, signal: Signal) {
        if let Some(group) = self.group {
            let _ = killpg(group, signal);
        }
    }
}

impl Drop for External {
    /// Not stopped (a panic unwinding, a cancelled run): the whole group is killed at once.
    fn drop(&mut self) {
        self.signal(Signal::SIGKILL);
        for reader in &self.readers {
            reader.abort();
        }
    }
}

fn capture(
    mut pipe: impl AsyncRead + Unpin + Send + 'static,
    sink: Arc<Mutex<Vec<u8>>>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf).await {
            if n == 0 {
                break;
            }
            sink.lock()
                .expect("output lock")
                .extend_from_slice(&buf[..n]);
        }
    })
}
