//! The default backend: the local `etcd` binary on free loopback ports with a throw-away
//! data directory; also a cluster of such members (`cluster:N`). Members can be killed
//! (SIGKILL, as a crash) and restarted on their data directory and ports, which is how the
//! fault steps take etcd away. Every process is killed and the directory removed when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use etcd_client::Client;
use tempfile::TempDir;
use tokio::process::{Child, Command};

use super::EtcdError;
use super::ready::{wait_leader, wait_ready};

/// Running embedded etcd members (one, or a cluster).
#[derive(Debug)]
pub(super) struct Embedded {
    members: Vec<Member>,
    _dir: TempDir,
}

/// One member: how to start it, and its process while it runs.
#[derive(Debug)]
struct Member {
    bin: PathBuf,
    name: String,
    client_url: String,
    peer_url: String,
    data: PathBuf,
    log_path: PathBuf,
    initial_cluster: String,
    /// `--heartbeat-interval` and `--election-timeout`, in ms.
    timing: (&'static str, &'static str),
    child: Option<Child>,
}

impl Drop for Member {
    /// Kills etcd and waits until it is gone, so its ports are free when drop returns.
    fn drop(&mut self) {
        if let Some(pid) = self.child.as_ref().and_then(Child::id) {
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

/// Starts at most this many times: two etcds started at once can be handed the same free
/// port, and the one that binds it second exits; it starts again on other ports.
const ATTEMPTS: usize = 3;

/// The most members a cluster may have.
pub(super) const MAX_MEMBERS: usize = 7;

impl Embedded {
    /// Starts one member (`members` = 1) or a cluster, and waits until it answers (a
    /// cluster: until its members agree on a leader). Returns the client endpoints and a
    /// ready client on all of them.
    pub(super) async fn start(
        bin: PathBuf,
        members: usize,
    ) -> Result<(Self, Vec<String>, Client), EtcdError> {
        let mut attempt = 1;
        loop {
            match Self::start_once(&bin, members, None).await {
                Err(EtcdError::Exited { log, .. })
                    if attempt < ATTEMPTS && log.contains("address already in use") =>
                {
                    tracing::debug!("embedded etcd lost a port race; starting it again");
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn start_once(
        bin: &Path,
        count: usize,
        ports: Option<(u16, u16)>,
    ) -> Result<(Self, Vec<String>, Client), EtcdError> {
        let dir = tempfile::Builder::new().prefix("heatbed-etcd-").tempdir()?;
        let mut members = Vec::with_capacity(count);
        for i in 0..count {
            let (client_port, peer_port) = match ports {
                Some(ports) => ports,
                None => (free_port()?, free_port()?),
            };
            let name = if count == 1 {
                "heatbed".to_string()
            } else {
                format!("heatbed-{i}")
            };
            members.push(Member {
                bin: bin.to_path_buf(),
                data: dir.path().join(format!("{name}.data")),
                log_path: dir.path().join(format!("{name}.log")),
                client_url: format!("http://127.0.0.1:{client_port}"),
                peer_url: format!("http://127.0.0.1:{peer_port}"),
                name,
                initial_cluster: String::new(),
                // A lone member elects itself after one election timeout: keep that short.
                // Members of a cluster must not lose their leader to a loaded machine.
                timing: if count == 1 {
                    ("10", "50")
                } else {
                    ("25", "250")
                },
                child: None,
            });
        }
        let initial_cluster = members
            .iter()
            .map(|m| format!("{}={}", m.name, m.peer_url))
            .collect::<Vec<_>>()
            .join(",");
        for member in &mut members {
            member.initial_cluster.clone_from(&initial_cluster);
            member.spawn()?;
        }
        let mut embedded = Embedded { members, _dir: dir };
        let endpoints = embedded.endpoints();
        for i in 0..embedded.members.len() {
            embedded.wait_member(i).await?;
        }
        if count > 1 {
            wait_leader(&endpoints).await?;
        }
        let client = wait_ready(&endpoints, || Ok(())).await?;
        Ok((embedded, endpoints, client))
    }

    /// How many members are running.
    pub(super) fn running(&self) -> usize {
        self.members.iter().filter(|m| m.child.is_some()).count()
    }

    /// Every member's client URL.
    pub(super) fn endpoints(&self) -> Vec<String> {
        self.members.iter().map(|m| m.client_url.clone()).collect()
    }

    /// Kills every running member (SIGKILL); their names.
    pub(super) async fn kill_all(&mut self) -> Vec<String> {
        let mut killed = Vec::new();
        for member in &mut self.members {
            if member.kill().await {
                killed.push(member.name.clone());
            }
        }
        killed
    }

    /// Kills the member the others follow; its name and client URL.
    pub(super) async fn kill_leader(&mut self) -> Result<(String, String), EtcdError> {
        let running: Vec<String> = self
            .members
            .iter()
            .filter(|m| m.child.is_some())
            .map(|m| m.client_url.clone())
            .collect();
        let leader = wait_leader(&running).await?;
        let member = self
            .members
            .iter_mut()
            .find(|m| m.client_url == leader)
            .ok_or_else(|| EtcdError::NoLeader {
                endpoints: running.join(","),
            })?;
        member.kill().await;
        Ok((member.name.clone(), member.client_url.clone()))
    }

    /// Restarts every killed member on its data directory and ports and waits until it
    /// answers (a cluster: until it has a leader again); their names and client URLs.
    pub(super) async fn restart(&mut self) -> Result<Vec<(String, String)>, EtcdError> {
        // All at once: members of a cluster that lost its quorum answer only together.
        let killed: Vec<usize> = (0..self.members.len())
            .filter(|i| self.members[*i].child.is_none())
            .collect();
        for i in &killed {
            self.members[*i].spawn()?;
        }
        let mut restarted = Vec::new();
        for i in killed {
            self.wait_member(i).await?;
            let member = &self.members[i];
            restarted.push((member.name.clone(), member.client_url.clone()));
        }
        if self.members.len() > 1 {
            wait_leader(&self.endpoints()).await?;
        }
        Ok(restarted)
    }

    /// Waits until member `i` answers, failing early if it exits.
    async fn wait_member(&mut self, i: usize) -> Result<(), EtcdError> {
        let member = &mut self.members[i];
        let endpoint = [member.client_url.clone()];
        let (bin, log_path) = (member.bin.clone(), member.log_path.clone());
        let child = &mut member.child;
        wait_ready(&endpoint, || match child.as_mut().map(Child::try_wait) {
            Some(Ok(Some(status))) => Err(EtcdError::Exited {
                bin: bin.display().to_string(),
                status: status.to_string(),
                log: std::fs::read_to_string(&log_path).unwrap_or_default(),
            }),
            _ => Ok(()),
        })
        .await
        .map(drop)
    }
}

impl Member {
    /// Starts the process (on the member's data directory, which a restart finds again).
    fn spawn(&mut self) -> Result<(), EtcdError> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_path)?;
        let child = Command::new(&self.bin)
            .args(["--name", &self.name, "--data-dir"])
            .arg(&self.data)
            .args(["--listen-client-urls", &self.client_url])
            .args(["--advertise-client-urls", &self.client_url])
            .args(["--listen-peer-urls", &self.peer_url])
            .args(["--initial-advertise-peer-urls", &self.peer_url])
            .args(["--initial-cluster", &self.initial_cluster])
            .args([
                "--unsafe-no-fsync",
                "--logger",
                "zap",
                "--log-level",
                "warn",
            ])
            .args(["--heartbeat-interval", self.timing.0])
            .args(["--election-timeout", self.timing.1])
            .stdin(Stdio::null())
            // A group of its own: a Ctrl-C to heatbed's group must not kill etcd under a
            // run that is still stopping its worker; heatbed stops it last.
            .process_group(0)
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| EtcdError::Spawn {
                bin: self.bin.display().to_string(),
                source,
            })?;
        self.child = Some(child);
        Ok(())
    }

    /// SIGKILLs the process and reaps it; whether it was running.
    async fn kill(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return false;
        };
        let _ = child.start_kill();
        let _ = child.wait().await;
        true
    }
}

/// A port the OS just handed out on loopback. etcd binds it a moment later; a clash shows
/// up as an early exit, after which `start` tries other ports.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The retry in `start` depends on recognising a port clash in etcd's own words.
    #[tokio::test]
    async fn a_port_taken_by_someone_else_is_a_clash_start_recognises() {
        let Some(bin) = binary() else {
            println!("SKIP: no etcd binary");
            return;
        };
        let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = taken.local_addr().expect("bound").port();
        let ports = (port, free_port().expect("a port"));
        let clash = Embedded::start_once(&bin, 1, Some(ports)).await;
        match clash {
            Err(EtcdError::Exited { log, .. }) => {
                assert!(log.contains("address already in use"), "{log}");
            }
            Err(other) => panic!("expected an early exit, got {other}"),
            Ok(_) => panic!("etcd started on a port someone else holds"),
        }
        let (_etcd, endpoints, _client) = Embedded::start(bin, 1).await.expect("starts");
        assert!(
            !endpoints[0].ends_with(&format!(":{port}")),
            "{endpoints:?}"
        );
    }
}
