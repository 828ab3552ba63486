//! Choosing and holding an etcd.

use std::fmt;
use std::str::FromStr;

use etcd_client::{Client, DeleteOptions};
use tokio::sync::Mutex;

use super::EtcdError;
use super::container::{self, Container};
use super::embedded::{self, Embedded};

/// Which etcd to use (`--etcd`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Backend {
    /// The binary, else Docker. Never the worker's env contract (`HEATBED_ETCD_ENDPOINTS`):
    /// an external etcd is only ever one named with `--etcd`/`HEATBED_ETCD`.
    #[default]
    Auto,
    /// The local `etcd` binary.
    Embedded,
    /// A cluster of that many members of the local `etcd` binary (`cluster:3`), so a
    /// member, the leader too, can be killed while the others serve.
    Cluster(usize),
    /// A container from the locally built image.
    Container,
    /// Running endpoints, e.g. `http://127.0.0.1:2379`.
    External(Vec<String>),
}

impl FromStr for Backend {
    type Err = EtcdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(Backend::Auto),
            "embedded" => Ok(Backend::Embedded),
            "container" => Ok(Backend::Container),
            _ => match s.strip_prefix("cluster:") {
                Some(n) => match n.parse::<usize>() {
                    Ok(n @ 1..=embedded::MAX_MEMBERS) => Ok(Backend::Cluster(n)),
                    _ => Err(EtcdError::BadChoice { value: s.into() }),
                },
                None => parse_endpoints(s).map(Backend::External),
            },
        }
    }
}

fn parse_endpoints(s: &str) -> Result<Vec<String>, EtcdError> {
    let endpoints: Vec<String> = s.split(',').map(|e| e.trim().to_string()).collect();
    let valid = endpoints
        .iter()
        .all(|e| e.starts_with("http://") || e.starts_with("https://"));
    if valid && !endpoints.is_empty() {
        Ok(endpoints)
    } else {
        Err(EtcdError::BadChoice { value: s.into() })
    }
}

impl Backend {
    /// Resolves `Auto` to a concrete backend.
    pub fn resolve(&self) -> Result<Backend, EtcdError> {
        if *self != Backend::Auto {
            return Ok(self.clone());
        }
        if embedded::binary().is_some() {
            return Ok(Backend::Embedded);
        }
        if container::available() {
            return Ok(Backend::Container);
        }
        Err(EtcdError::Unavailable)
    }

    /// Whether each scenario gets an etcd of its own (else one is shared and wiped).
    pub fn per_scenario(&self) -> bool {
        matches!(self, Backend::Embedded | Backend::Cluster(_))
    }

    /// Starts (or connects to) an etcd. `Auto` is resolved first.
    #[must_use = "an etcd heatbed started stops when the returned `Etcd` is dropped"]
    pub async fn start(&self) -> Result<Etcd, EtcdError> {
        let (guard, endpoints, client) = match self.resolve()? {
            Backend::Auto => unreachable!("resolve never returns Auto"),
            Backend::Embedded => {
                let bin = embedded::binary().ok_or(EtcdError::Unavailable)?;
                let (e, endpoints, client) = Embedded::start(bin, 1).await?;
                (Guard::Embedded(Box::new(Mutex::new(e))), endpoints, client)
            }
            Backend::Cluster(members) => {
                let bin = embedded::binary().ok_or(EtcdError::Unavailable)?;
                let (e, endpoints, client) = Embedded::start(bin, members).await?;
                (Guard::Embedded(Box::new(Mutex::new(e))), endpoints, client)
            }
            Backend::Container => {
                let (c, endpoint, client) = Container::start().await?;
                (Guard::Container(Box::new(c)), vec![endpoint], client)
            }
            Backend::External(endpoints) => {
                let client = super::ready::wait_ready(&endpoints, || Ok(())).await?;
                (Guard::External, endpoints, client)
            }
        };
        Ok(Etcd {
            endpoints,
            client,
            guard,
        })
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Backend::Auto => f.write_str("auto"),
            Backend::Embedded => f.write_str("embedded"),
            Backend::Container => f.write_str("container"),
            Backend::Cluster(n) => write!(f, "cluster:{n}"),
            Backend::External(e) => f.write_str(&e.join(",")),
        }
    }
}

/// What keeps an etcd alive; dropping it stops and removes what heatbed started.
#[derive(Debug)]
enum Guard {
    Embedded(Box<Mutex<Embedded>>),
    Container(#[expect(dead_code, reason = "held for its Drop")] Box<Container>),
    External,
}

/// A ready etcd. Dropping it stops what heatbed started.
pub struct Etcd {
    endpoints: Vec<String>,
    client: Client,
    guard: Guard,
}

impl fmt::Debug for Etcd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Etcd")
            .field("endpoints", &self.endpoints)
            .field("guard", &self.guard)
            .finish()
    }
}

impl Etcd {
    /// Client URLs, e.g. `http://127.0.0.1:40123`.
    pub fn endpoints(&self) -> &[String] {
        &self.endpoints
    }

    /// A connected client (cheap to clone).
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// Kills (SIGKILL, as a crash) every member of an etcd heatbed started; their names.
    /// The data directories and ports are kept for [`Etcd::restart`].
    pub async fn kill(&self) -> Result<Vec<String>, EtcdError> {
        Ok(self.embedded("kill")?.lock().await.kill_all().await)
    }

    /// Kills the member the others follow (found with `status`); its name. On a lone
    /// member that is the member itself.
    pub async fn kill_leader(&self) -> Result<String, EtcdError> {
        let mut embedded = self.embedded("kill the leader of")?.lock().await;
        let (name, url) = embedded.kill_leader().await?;
        if embedded.running() > 0 {
            // The client's requests go to the members left, none to the dead one.
            let _ = self.client.remove_endpoint(&url).await;
        }
        Ok(name)
    }

    /// Restarts every killed member on its data directory and ports, and waits until it
    /// answers (a cluster: until its members agree on a leader); their names. The client
    /// gets a fresh connection to each: none keeps the error of the dead member's.
    pub async fn restart(&self) -> Result<Vec<String>, EtcdError> {
        let restarted = self.embedded("restart")?.lock().await.restart().await?;
        for (_, url) in &restarted {
            let _ = self.client.remove_endpoint(url).await;
            let _ = self.client.add_endpoint(url).await;
        }
        Ok(restarted.into_iter().map(|(name, _)| name).collect())
    }

    /// Revokes every lease etcd holds, as their TTLs running out would (heatbed has no
    /// clock to wait on): what a killed worker leaves behind expires now. How many.
    pub async fn expire_leases(&self) -> Result<usize, EtcdError> {
        let fail = |request: &str| {
            let request = request.to_string();
            move |source| EtcdError::Request { request, source }
        };
        let mut client = self.client();
        let leases = client.leases().await.map_err(fail("list the leases"))?;
        let ids: Vec<i64> = leases.leases().iter().map(|l| l.id()).collect();
        for id in &ids {
            match client.lease_revoke(*id).await {
                Ok(_) => {}
                // Expired meanwhile: what was asked.
                Err(etcd_client::Error::GRpcStatus(s)) if s.message().contains("not found") => {}
                Err(e) => return Err(fail(&format!("revoke lease {id:x}"))(e)),
            }
        }
        Ok(ids.len())
    }

    fn embedded(&self, fault: &'static str) -> Result<&Mutex<Embedded>, EtcdError> {
        match &self.guard {
            Guard::Embedded(embedded) => Ok(embedded),
            other => Err(EtcdError::FaultUnsupported {
                fault,
                endpoints: self.endpoints.join(","),
                backend: match other {
                    Guard::Container(_) => "a container",
                    _ => "an external etcd",
                },
            }),
        }
    }

    /// Deletes every key, for a shared etcd between scenarios.
    pub async fn wipe(&self) -> Result<(), EtcdError> {
        self.client()
            .delete(vec![0u8], Some(DeleteOptions::new().with_from_key()))
            .await
            .map_err(|source| EtcdError::Request {
                request: "delete all keys".into(),
                source,
            })?;
        Ok(())
    }
}
