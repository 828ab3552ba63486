//! The `collector:` section as written in a scenario file.

use std::borrow::Cow;
use std::time::Duration;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::scenario::heat::HttpErrorFile;
use crate::scenario::tagged::tagged;

/// Fake collector-agent settings.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectorFile {
    /// Public base URL used in `link` and `monitorer` (default `http://collector-agents-se:7070`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// RFC 3339 `created_at` of the first target; each next target is one second later and
    /// each agent result one minute later (default `2018-02-19T05:22:01Z`). Never wall time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
    /// Per-target behaviour; the first rule that fits a target applies.
    #[serde(default)]
    #[schemars(with = "Vec<TargetRuleFile>")]
    pub targets: Vec<Spanned<TargetRuleFile>>,
}

/// What the agents do for the targets that match.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetRuleFile {
    /// `<resource_type>/<resource_id>`, or a glob where `*` matches any run of characters and
    /// `?` one character, e.g. `load_balancer_interfaces/*`.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Only for targets of this `version` (a resource's target is replaced, with a new
    /// version, when its stack is updated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Only for targets whose `type` matches this glob, e.g. `vrrp_pool`, `snmp_ports*`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Only for targets whose `field_name` matches this glob, e.g. `primary_*`: tells apart
    /// the targets of one resource (in the catalogue a target's `field_name` is also its
    /// `syncer_properties.etcd.status.key` when it has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The results the agent reports (default: the target's healthy status once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportFile>,
    /// Treat the results as the agent's polls, one a minute, and let the target's
    /// `hold_options` hold back a status outside `positive_status` that lasts less than
    /// `time_seconds` (default false: every result is written as given, repeats skipped,
    /// which is how recorded writes are replayed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hold: bool,
    /// HTTP 5xx answers for the next REST calls about these targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_error: Option<HttpErrorFile>,
    /// Latency added to every REST answer about these targets.
    #[serde(
        default,
        with = "crate::scenario::duration",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Duration>,
}

/// The agent's results for a target. `kind` comes first.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportFile {
    /// These statuses, in order (a repeated status is not written again, as recorded).
    Statuses(StatusesReport),
    /// Alternates between two statuses.
    Flapping(FlappingReport),
    /// The device does not answer: the agent reports `FAIL`, as for the recorded VMIs that
    /// Contrail did not know.
    Unreachable(NoFields),
    /// The agent never reports: `values` stays empty and nothing reaches etcd.
    Silent(NoFields),
}

/// `kind: statuses`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusesReport {
    /// E.g. `[UP]`, `[UP, DOWN, UP]`, `[{primary: MASTER, secondary: BACKUP}]`.
    pub statuses: Vec<StatusFile>,
}

/// `kind: flapping`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlappingReport {
    /// The two statuses, first one first (default `[UP, FAIL]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub between: Option<[StatusFile; 2]>,
    /// How many results (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

/// A kind without settings.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

tagged! { ReportFile, "kind", {
    "statuses" => Statuses,
    "flapping" => Flapping,
    "unreachable" => Unreachable,
    "silent" => Silent,
}}

/// One status an agent reports: a string such as `UP`, or a mapping such as
/// `{primary: MASTER, secondary: BACKUP}` (an HA pair). Checked when validated.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(transparent)]
pub struct StatusFile(pub Value);

impl JsonSchema for StatusFile {
    fn schema_name() -> Cow<'static, str> {
        "Status".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A status: a string such as `UP`, or a mapping such as `{primary: MASTER, secondary: BACKUP}`.",
            "oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "minProperties": 1}
            ]
        })
    }
}
