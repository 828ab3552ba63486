//! What can go wrong while recording a live system: every error names what was lost.

/// A live recording that failed.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// etcd could not be reached.
    #[error("cannot reach etcd at {url}: {source}")]
    Connect {
        /// `--etcd`.
        url: String,
        /// Why.
        #[source]
        source: etcd_client::Error,
    },
    /// Reading the keyspace the recording starts from failed.
    #[error("cannot read the keyspace at {url} the recording starts from: {source}")]
    Initial {
        /// `--etcd`.
        url: String,
        /// Why.
        #[source]
        source: etcd_client::Error,
    },
    /// etcd compacted revisions the watch still needed.
    #[error(
        "etcd compacted its history up to revision {compacted}: the writes of revisions {from}..={compacted} are lost; record again (and keep etcd from compacting while you do)"
    )]
    Compacted {
        /// First revision not yet received.
        from: i64,
        /// etcd's compaction revision.
        compacted: i64,
    },
    /// The watch ended or failed before the recording was stopped.
    #[error(
        "the watch on {url} was lost after revision {seen} ({why}): every write from revision {} on is missing; record again",
        seen + 1
    )]
    Lost {
        /// `--etcd`.
        url: String,
        /// Last revision received.
        seen: i64,
        /// What happened.
        why: String,
    },
    /// The watch did not deliver every write made before the recording was stopped.
    #[error(
        "the watch on {url} delivered writes up to revision {seen} but etcd was at {current} when the recording stopped: the writes of revisions {}..={current} are missing",
        seen + 1
    )]
    Behind {
        /// `--etcd`.
        url: String,
        /// Last revision received.
        seen: i64,
        /// etcd's revision at the stop.
        current: i64,
    },
    /// The recording saw no Gohan write and no raw write: nothing to replay.
    #[error(
        "nothing was recorded between revisions {from} and {to}: no write under the watched prefixes ({watched})"
    )]
    Empty {
        /// First revision watched.
        from: i64,
        /// Last revision at the stop.
        to: i64,
        /// The watched prefixes.
        watched: String,
    },
    /// The scenario (YAML) or the Heat journal (JSON) could not be serialized.
    #[error("cannot serialize the recording: {0}")]
    Serialize(String),
}
