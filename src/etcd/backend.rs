//! Choosing and holding an etcd.

use std::fmt;
use std::str::FromStr;

use etcd_client::{Client, DeleteOptions};

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
            _ => parse_endpoints(s).map(Backend::External),
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
        matches!(self, Backend::Embedded)
    }

    /// Starts (or connects to) an etcd. `Auto` is resolved first.
    #[must_use = "an etcd heatbed started stops when the returned `Etcd` is dropped"]
    pub async fn start(&self) -> Result<Etcd, EtcdError> {
        let (guard, endpoints, client) = match self.resolve()? {
            Backend::Auto => unreachable!("resolve never returns Auto"),
            Backend::Embedded => {
                let bin = embedded::binary().ok_or(EtcdError::Unavailable)?;
                let (e, endpoint, client) = Embedded::start(bin).await?;
                (Guard::Embedded(Box::new(e)), vec![endpoint], client)
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
            _guard: guard,
        })
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Backend::Auto => f.write_str("auto"),
            Backend::Embedded => f.write_str("embedded"),
            Backend::Container => f.write_str("container"),
            Backend::External(e) => f.write_str(&e.join(",")),
        }
    }
}

/// What keeps an etcd alive; dropping it stops and removes what heatbed started.
#[derive(Debug)]
enum Guard {
    Embedded(#[expect(dead_code, reason = "held for its Drop")] Box<Embedded>),
    Container(#[expect(dead_code, reason = "held for its Drop")] Box<Container>),
    External,
}

/// A ready etcd. Dropping it stops what heatbed started.
pub struct Etcd {
    endpoints: Vec<String>,
    client: Client,
    _guard: Guard,
}

impl fmt::Debug for Etcd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Etcd")
            .field("endpoints", &self.endpoints)
            .field("guard", &self._guard)
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
