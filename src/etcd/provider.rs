//! Isolation: every scenario sees a clean keyspace. The embedded backend gives each scenario
//! an etcd of its own (scenarios can then run in parallel); a container or external etcd is
//! shared, wiped before each scenario and lent to one scenario at a time. An external etcd
//! that holds keys heatbed did not write is refused unless wiping it was asked for, and is
//! left empty at the end ([`Provider::close`]).

use std::ops::Deref;

use etcd_client::GetOptions;
use tokio::sync::{Mutex, MutexGuard};

use super::{Backend, Etcd, EtcdError};

/// How many foreign keys a refusal names.
const EXAMPLES: i64 = 3;

/// Hands out clean etcds.
#[derive(Debug)]
pub struct Provider {
    backend: Backend,
    shared: Option<Mutex<Etcd>>,
}

/// A clean etcd for one scenario.
#[derive(Debug)]
pub enum Lease<'a> {
    /// Started for this scenario; stopped when dropped.
    Own(Box<Etcd>),
    /// The shared one, wiped, held exclusively until dropped.
    Shared(MutexGuard<'a, Etcd>),
}

impl Deref for Lease<'_> {
    type Target = Etcd;

    fn deref(&self) -> &Etcd {
        match self {
            Lease::Own(etcd) => etcd,
            Lease::Shared(guard) => guard,
        }
    }
}

impl Provider {
    /// Resolves `backend`; starts the shared etcd if the backend is shared. An external etcd
    /// holding keys is refused ([`EtcdError::Foreign`]).
    pub async fn new(backend: &Backend) -> Result<Self, EtcdError> {
        Self::with_wipe(backend, false).await
    }

    /// Like [`Provider::new`], but `wipe` lets heatbed delete the keys an external etcd
    /// holds.
    pub async fn with_wipe(backend: &Backend, wipe: bool) -> Result<Self, EtcdError> {
        let backend = backend.resolve()?;
        let shared = if backend.per_scenario() {
            None
        } else {
            let etcd = backend.start().await?;
            if matches!(backend, Backend::External(_)) && !wipe {
                refuse_foreign(&etcd).await?;
            }
            Some(Mutex::new(etcd))
        };
        Ok(Provider { backend, shared })
    }

    /// The resolved backend.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// A clean etcd.
    #[must_use = "the lease is the etcd: dropping it stops (or gives back) the etcd"]
    pub async fn acquire(&self) -> Result<Lease<'_>, EtcdError> {
        match &self.shared {
            None => Ok(Lease::Own(Box::new(self.backend.start().await?))),
            Some(shared) => {
                let guard = shared.lock().await;
                guard.wipe().await?;
                Ok(Lease::Shared(guard))
            }
        }
    }

    /// Leaves an external etcd as empty as heatbed found it (a container is removed anyway).
    pub async fn close(self) -> Result<(), EtcdError> {
        match (&self.backend, self.shared) {
            (Backend::External(_), Some(shared)) => shared.into_inner().wipe().await,
            _ => Ok(()),
        }
    }
}

/// An error if `etcd` holds any key.
async fn refuse_foreign(etcd: &Etcd) -> Result<(), EtcdError> {
    let options = GetOptions::new()
        .with_from_key()
        .with_keys_only()
        .with_limit(EXAMPLES);
    let response = etcd
        .client()
        .get(vec![0u8], Some(options))
        .await
        .map_err(|source| EtcdError::Request {
            request: "get every key".into(),
            source,
        })?;
    if response.count() == 0 {
        return Ok(());
    }
    let examples: Vec<String> = response
        .kvs()
        .iter()
        .map(|kv| String::from_utf8_lossy(kv.key()).into_owned())
        .collect();
    Err(EtcdError::Foreign {
        endpoints: etcd.endpoints().join(","),
        count: response.count(),
        examples: examples.join(", "),
    })
}
