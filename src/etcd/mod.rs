//! etcd behind one interface: an embedded `etcd` process (or a cluster of them), a container,
//! or external endpoints; [`Follow`], a watch that survives etcd restarts.

mod backend;
mod container;
mod embedded;
mod error;
mod follow;
mod provider;
mod ready;

pub use backend::{Backend, Etcd};
pub use error::EtcdError;
pub use follow::{Follow, FollowError, Range};
pub use provider::{Lease, Provider};
