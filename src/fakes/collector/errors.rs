//! What can go wrong in the collector fake (starting it, and requests it refuses) and in the
//! fake Heat's etcd watch for `hold_until`.

use serde_json::json;
use wiremock::ResponseTemplate;

use crate::encoding::go_json;

/// A fake could not be started, or did not settle.
#[derive(Debug, thiserror::Error)]
pub enum FakeError {
    /// The collector's etcd syncer could not start watching `/state/`.
    #[error("the etcd syncer could not watch `/state/`")]
    SyncerWatch {
        /// etcd's answer.
        #[source]
        source: etcd_client::Error,
    },
    /// The collector's etcd syncer could not read a key.
    #[error("the etcd syncer could not read `{key}`")]
    SyncerRead {
        /// The key or prefix.
        key: String,
        /// etcd's answer.
        #[source]
        source: etcd_client::Error,
    },
    /// The fake Heat could not read or watch etcd for its `hold_until` rules.
    #[error("the fake Heat could not read or watch etcd for `hold_until`")]
    HeatHoldWatch {
        /// etcd's answer.
        #[source]
        source: etcd_client::Error,
    },
    /// Reports were still pending when the wait for the collector to settle ended.
    #[error(
        "the collector did not settle within {}: reports still pending for {}",
        humantime::format_duration(*waited),
        pending.join(", ")
    )]
    Unsettled {
        /// How long it was waited for.
        waited: std::time::Duration,
        /// The targets, `<resource_type>/<resource_id> v<version> <field_name> (<id>)`.
        pending: Vec<String>,
    },
}

impl FakeError {
    /// Which fake failed.
    pub fn service(&self) -> &'static str {
        match self {
            FakeError::SyncerWatch { .. }
            | FakeError::SyncerRead { .. }
            | FakeError::Unsettled { .. } => "collector",
            FakeError::HeatHoldWatch { .. } => "heat",
        }
    }
}

/// A REST call the fake refuses: an HTTP status and a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub(super) struct ApiError {
    pub(super) status: u16,
    pub(super) message: String,
}

impl ApiError {
    pub(super) fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            message: message.into(),
        }
    }

    pub(super) fn not_found(id: &str) -> Self {
        ApiError {
            status: 404,
            message: format!("monitoring target `{id}` not found"),
        }
    }

    /// The answer: `{"error": <message>}`, Go-encoded like the collector's other answers.
    pub(super) fn response(&self) -> ResponseTemplate {
        ResponseTemplate::new(self.status).set_body_raw(
            go_json(&json!({"error": self.message})).into_bytes(),
            "application/json",
        )
    }
}
