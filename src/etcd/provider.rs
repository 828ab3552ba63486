//! Isolation: every scenario sees a clean keyspace. The embedded backend gives each scenario
//! an etcd of its own (scenarios can then run in parallel); a container or external etcd is
//! shared, wiped before each scenario and lent to one scenario at a time.

use std::ops::Deref;

use tokio::sync::{Mutex, MutexGuard};

use super::{Backend, Etcd, EtcdError};

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
    /// Resolves `backend`; starts the shared etcd if the backend is shared.
    pub async fn new(backend: &Backend) -> Result<Self, EtcdError> {
        let backend = backend.resolve()?;
        let shared = if backend.per_scenario() {
            None
        } else {
            Some(Mutex::new(backend.start().await?))
        };
        Ok(Provider { backend, shared })
    }

    /// The resolved backend.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// A clean etcd.
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
}
