//! The validated `collector:` section the fake collector consumes.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::scenario::heat::HttpError;

/// Validated fake collector settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectorSpec {
    /// Public base URL used in `link` and `monitorer`, without a trailing slash.
    pub public_url: String,
    /// `created_at` of the first target.
    pub clock: SystemTime,
    /// Per-target rules, first match wins.
    pub targets: Vec<TargetRule>,
}

impl Default for CollectorSpec {
    fn default() -> Self {
        CollectorSpec {
            public_url: crate::scenario::validate::RECORDED_COLLECTOR.into(),
            clock: recorded_clock(),
            targets: Vec::new(),
        }
    }
}

impl CollectorSpec {
    /// The index of the first rule that fits `target`, if any.
    pub fn rule(&self, target: &TargetSelector<'_>) -> Option<usize> {
        self.targets.iter().position(|r| r.matches(target))
    }
}

/// A monitoring target as rules see it. `None` fields match every rule (a REST call that
/// only knows part of the target).
#[derive(Debug, Clone, Copy, Default)]
pub struct TargetSelector<'a> {
    /// `resource_type`, e.g. `gw_interfaces`.
    pub resource_type: &'a str,
    /// `resource_id`.
    pub resource_id: &'a str,
    /// The target's `type`, e.g. `vrrp_pool`.
    pub kind: Option<&'a str>,
    /// The target's `field_name`.
    pub field_name: Option<&'a str>,
    /// The target's `version`.
    pub version: Option<i64>,
}

/// Validated per-target behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRule {
    /// `<resource_type>/<resource_id>` glob.
    pub pattern: String,
    /// The target version it is for, or every one.
    pub version: Option<i64>,
    /// A glob on the target's `type`, or every type.
    pub kind: Option<String>,
    /// A glob on the target's `field_name`, or every field.
    pub field: Option<String>,
    /// What the agent reports.
    pub report: Report,
    /// Whether the target's `hold_options` filter the results.
    pub hold: bool,
    /// HTTP errors for the next REST calls.
    pub http_error: Option<HttpError>,
    /// Added latency.
    pub latency: Option<Duration>,
}

impl TargetRule {
    /// A rule for the targets of `pattern` (`<resource_type>/<resource_id>` glob) of any
    /// version, type and field, reporting `report`.
    pub fn new(pattern: impl Into<String>, report: Report) -> Self {
        TargetRule {
            pattern: pattern.into(),
            version: None,
            kind: None,
            field: None,
            report,
            hold: false,
            http_error: None,
            latency: None,
        }
    }

    /// Whether the rule fits `target`: its glob matches `<resource_type>/<resource_id>`, and
    /// its version, type and field (when it names them) are the target's (when known).
    pub fn matches(&self, target: &TargetSelector<'_>) -> bool {
        let name = format!("{}/{}", target.resource_type, target.resource_id);
        let fits = |wanted: &Option<String>, actual: Option<&str>| match (wanted, actual) {
            (Some(glob), Some(actual)) => crate::scenario::glob(glob.as_bytes(), actual.as_bytes()),
            _ => true,
        };
        let version_fits = match (self.version, target.version) {
            (Some(wanted), Some(actual)) => wanted == actual,
            _ => true,
        };
        crate::scenario::glob(self.pattern.as_bytes(), name.as_bytes())
            && version_fits
            && fits(&self.kind, target.kind)
            && fits(&self.field, target.field_name)
    }
}

/// What the agent reports for a target.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Report {
    /// The target's healthy status, once: the first `positive_status` of its
    /// `syncer_properties.etcd.hold_options` (a string or a mapping), else `UP`.
    #[default]
    Healthy,
    /// These statuses, in order (flapping is expanded into this): strings or JSON objects.
    Statuses(Vec<Value>),
    /// `FAIL`, with a growing `fail_counter`.
    Unreachable,
    /// Nothing.
    Silent,
}

/// The `created_at` of the recorded load balancer interface targets.
const RECORDED_CLOCK: &str = "2018-02-19T05:22:01Z";

fn recorded_clock() -> SystemTime {
    humantime::parse_rfc3339(RECORDED_CLOCK).unwrap_or(SystemTime::UNIX_EPOCH)
}
