//! The default backend: the local `etcd` binary on free loopback ports with a throw-away
//! data directory. The process is killed and the directory removed when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;

use etcd_client::Client;
use tempfile::TempDir;
use tokio::process::{Child, Command};

use super::EtcdError;
use super::ready::wait_ready;

/// A running embedded etcd.
#[derive(Debug)]
pub(super) struct Embedded {
    child: Child,
    _dir: TempDir,
}

impl Drop for Embedded {
    /// Kills etcd and waits until it is gone, so its ports are free when drop returns.
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            let pid = nix::unistd::Pid::from_raw(pid as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            let _ = nix::sys::wait::waitpid(pid, None);
        }
    }
}

/// The binary to run: `ETCD_BIN`, else `etcd` on the PATH.
pub(super) fn binary() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("ETCD_BIN") {
        return Some(PathBuf::from(bin));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("etcd"))
        .find(|candidate| candidate.is_file())
}

impl Embedded {
    /// Starts etcd and waits until it answers. Returns the endpoint and a ready client.
    pub(super) async fn start(bin: PathBuf) -> Result<(Self, String, Client), EtcdError> {
        let dir = tempfile::Builder::new().prefix("heatbed-etcd-").tempdir()?;
        let (client_port, peer_port) = (free_port()?, free_port()?);
        let client_url = format!("http://127.0.0.1:{client_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let log_path = dir.path().join("etcd.log");
        let log = std::fs::File::create(&log_path)?;
        let mut child = Command::new(&bin)
            .args(["--name", "heatbed", "--data-dir"])
            .arg(dir.path().join("data"))
            .args(["--listen-client-urls", &client_url])
            .args(["--advertise-client-urls", &client_url])
            .args(["--listen-peer-urls", &peer_url])
            .args(["--initial-advertise-peer-urls", &peer_url])
            .args(["--initial-cluster", &format!("heatbed={peer_url}")])
            .args([
                "--unsafe-no-fsync",
                "--logger",
                "zap",
                "--log-level",
                "warn",
            ])
            // A lone member elects itself after one election timeout: keep that short.
            .args(["--heartbeat-interval", "10", "--election-timeout", "50"])
            .stdin(Stdio::null())
            // A group of its own: a Ctrl-C to heatbed's group must not kill etcd under a
            // run that is still stopping its worker; heatbed stops it last.
            .process_group(0)
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| EtcdError::Spawn {
                bin: bin.display().to_string(),
                source,
            })?;
        let endpoints = [client_url.clone()];
        let client = wait_ready(&endpoints, || match child.try_wait() {
            Ok(Some(status)) => Err(EtcdError::Exited {
                bin: bin.display().to_string(),
                status: status.to_string(),
                log: std::fs::read_to_string(&log_path).unwrap_or_default(),
            }),
            _ => Ok(()),
        })
        .await?;
        Ok((Embedded { child, _dir: dir }, client_url, client))
    }
}

/// A port the OS just handed out on loopback. etcd binds it a moment later; a clash shows
/// up as an early exit, which the caller reports.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
