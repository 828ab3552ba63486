//! etcd behind one interface: an embedded `etcd` process, a container, or external endpoints.

mod backend;
mod container;
mod embedded;
mod error;
mod provider;
mod ready;

pub use backend::{Backend, Etcd};
pub use error::EtcdError;
pub use provider::{Lease, Provider};
