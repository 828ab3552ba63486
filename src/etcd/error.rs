//! What can go wrong getting an etcd.

/// An etcd that could not be started, reached or used.
#[derive(Debug, thiserror::Error)]
pub enum EtcdError {
    /// `--etcd` or `HEATBED_ETCD` holds something unusable.
    #[error(
        "bad etcd choice `{value}`: expected auto, embedded, cluster:N (N members, 1 to 7), \
         container or http://host:port[,...]"
    )]
    BadChoice {
        /// What was given.
        value: String,
    },
    /// Nothing to run etcd with.
    #[error(
        "no etcd available: install it (`apt-get install etcd-server`), set ETCD_BIN, \
         name a running etcd with `--etcd http://host:port` (or HEATBED_ETCD), or build the \
         container image \
         with `ci/build-etcd-image.sh`"
    )]
    Unavailable,
    /// The etcd binary could not be started.
    #[error("cannot start `{bin}`: {source}")]
    Spawn {
        /// The binary.
        bin: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// etcd exited before it was ready.
    #[error("`{bin}` exited before it was ready ({status}); its log:\n{log}")]
    Exited {
        /// The binary.
        bin: String,
        /// Exit status.
        status: String,
        /// What it printed.
        log: String,
    },
    /// etcd did not answer a status request in time.
    #[error("etcd at {endpoints} not ready after {waited:?}: {last_error}")]
    NotReady {
        /// Endpoints polled.
        endpoints: String,
        /// How long we polled.
        waited: std::time::Duration,
        /// The last client error.
        last_error: String,
    },
    /// The container backend failed.
    #[error(
        "etcd container from image `{image}` failed: {message} \
         (build the image with `ci/build-etcd-image.sh`; HEATBED_ETCD_IMAGE names another)"
    )]
    Container {
        /// The image.
        image: String,
        /// What failed.
        message: String,
    },
    /// A request to etcd failed.
    #[error("etcd request `{request}` failed: {source}")]
    Request {
        /// Which request.
        request: String,
        /// The client error.
        #[source]
        source: etcd_client::Error,
    },
    /// An external etcd holds keys heatbed did not write.
    #[error(
        "etcd at {endpoints} holds {count} key(s) heatbed did not write (e.g. {examples}); \
         heatbed deletes every key of an external etcd before each scenario, so it refuses \
         to use this one: pass --wipe to delete them, or choose another etcd"
    )]
    Foreign {
        /// The endpoints.
        endpoints: String,
        /// How many keys.
        count: i64,
        /// The first few.
        examples: String,
    },
    /// A fault asked of an etcd heatbed does not run itself.
    #[error(
        "cannot {fault} the etcd at {endpoints}: heatbed only kills and restarts an etcd it \
         started (the embedded backend or `cluster:N`), not {backend}"
    )]
    FaultUnsupported {
        /// What was asked (`kill`, `kill the leader of`, `restart`).
        fault: &'static str,
        /// The endpoints.
        endpoints: String,
        /// The backend.
        backend: &'static str,
    },
    /// No member was found leading the others.
    #[error("no member of the etcd cluster at {endpoints} leads it")]
    NoLeader {
        /// The running members' endpoints.
        endpoints: String,
    },
    /// A temporary directory or port could not be had.
    #[error("cannot prepare embedded etcd: {0}")]
    Io(#[from] std::io::Error),
}
