//! The `collector:` section of a scenario: what the fake collector agents do. File model,
//! runtime types and validation live together here.
//!
//! ```yaml
//! collector:
//!   public_url: http://collector-agents-se:7070   # used in `link` and `monitorer`
//!   clock: 2018-02-19T05:22:01Z                   # `created_at` of the first target
//!   targets:
//!     - match: "ports/*"          # `<resource_type>/<resource_id>`, a glob with * and ?
//!       report: {kind: flapping, between: [UP, FAIL], times: 4}
//!     - match: "gw_interfaces/*"  # an HA pair: a status may be a mapping
//!       type: vrrp_pool           # only targets of this `type` (a glob)
//!       field: status             # only targets of this `field_name` (a glob)
//!       report: {kind: statuses, statuses: [{primary: MASTER, secondary: BACKUP}]}
//!       hold: true                # the target's hold_options hold back short failovers
//!     - match: "load_balancers/b311c470-d878-4fea-8466-a4393938f2d4"
//!       report: {kind: unreachable}
//!       http_error: {status: 503, count: 2}   # the next 2 REST calls about it answer 503
//!       latency: 200ms
//! ```
//!
//! For each target, the first rule that fits applies; without one the agent reports the
//! target's healthy status once ([`Report::Healthy`]): `UP`, as every target did in the
//! recorded flows, or the first `positive_status` of its `hold_options`.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::{Location, Spanned};

use super::heat::{HttpError, HttpErrorFile};
use super::tagged::tagged;

/// Fake collector-agent settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectorFile {
    /// Public base URL used in `link` and `monitorer` (default `http://collector-agents-se:7070`).
    #[serde(default)]
    pub public_url: Option<String>,
    /// RFC 3339 `created_at` of the first target; each next target is one second later and
    /// each agent result one minute later (default `2018-02-19T05:22:01Z`). Never wall time.
    #[serde(default)]
    pub clock: Option<String>,
    /// Per-target behaviour; the first rule that fits a target applies.
    #[serde(default)]
    #[schemars(with = "Vec<TargetRuleFile>")]
    pub targets: Vec<Spanned<TargetRuleFile>>,
}

/// What the agents do for the targets that match.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetRuleFile {
    /// `<resource_type>/<resource_id>`, or a glob where `*` matches any run of characters and
    /// `?` one character, e.g. `load_balancer_interfaces/*`.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Only for targets of this `version` (a resource's target is replaced, with a new
    /// version, when its stack is updated).
    #[serde(default)]
    pub version: Option<i64>,
    /// Only for targets whose `type` matches this glob, e.g. `vrrp_pool`, `snmp_ports*`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Only for targets whose `field_name` matches this glob, e.g. `primary_*`: tells apart
    /// the targets of one resource (in the catalogue a target's `field_name` is also its
    /// `syncer_properties.etcd.status.key` when it has one).
    #[serde(default)]
    pub field: Option<String>,
    /// The results the agent reports (default: the target's healthy status once).
    #[serde(default)]
    pub report: Option<ReportFile>,
    /// Treat the results as the agent's polls, one a minute, and let the target's
    /// `hold_options` hold back a status outside `positive_status` that lasts less than
    /// `time_seconds` (default false: every result is written as given, repeats skipped,
    /// which is how recorded writes are replayed).
    #[serde(default)]
    pub hold: bool,
    /// HTTP 5xx answers for the next REST calls about these targets.
    #[serde(default)]
    pub http_error: Option<HttpErrorFile>,
    /// Latency added to every REST answer about these targets.
    #[serde(default, with = "humantime_serde")]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Duration>,
}

/// The agent's results for a target. `kind` comes first.
#[derive(Debug, JsonSchema)]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusesReport {
    /// E.g. `[UP]`, `[UP, DOWN, UP]`, `[{primary: MASTER, secondary: BACKUP}]`.
    pub statuses: Vec<StatusFile>,
}

/// `kind: flapping`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlappingReport {
    /// The two statuses, first one first (default `[UP, FAIL]`).
    #[serde(default)]
    pub between: Option<[StatusFile; 2]>,
    /// How many results (default 4).
    #[serde(default)]
    pub times: Option<u32>,
}

/// A kind without settings.
#[derive(Debug, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize)]
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
            public_url: super::validate::RECORDED_COLLECTOR.into(),
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
            (Some(glob), Some(actual)) => super::glob::glob(glob.as_bytes(), actual.as_bytes()),
            _ => true,
        };
        let version_fits = match (self.version, target.version) {
            (Some(wanted), Some(actual)) => wanted == actual,
            _ => true,
        };
        super::glob::glob(self.pattern.as_bytes(), name.as_bytes())
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

/// The most results a `flapping` report expands into.
const MAX_FLAPS: u32 = 10_000;

/// The `created_at` of the recorded load balancer interface targets.
const RECORDED_CLOCK: &str = "2018-02-19T05:22:01Z";

fn recorded_clock() -> SystemTime {
    humantime::parse_rfc3339(RECORDED_CLOCK).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// A `collector` section error: where (a rule's position, when known), key path, message.
pub(crate) type Invalid = (Option<Location>, String, String);

/// Validates the `collector` section.
pub(crate) fn validate(file: Option<CollectorFile>) -> Result<CollectorSpec, Invalid> {
    let file = file.unwrap_or_default();
    let defaults = CollectorSpec::default();
    let public_url = match file.public_url {
        None => defaults.public_url,
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            url.trim_end_matches('/').to_string()
        }
        Some(_) => {
            return Err((
                None,
                "collector.public_url".into(),
                "must be an http:// or https:// URL".into(),
            ));
        }
    };
    let clock = match file.clock {
        None => defaults.clock,
        Some(text) => humantime::parse_rfc3339(&text).map_err(|_| {
            (
                None,
                "collector.clock".to_string(),
                "must be an RFC 3339 time such as 2018-02-19T05:22:01Z".to_string(),
            )
        })?,
    };
    let targets = file
        .targets
        .into_iter()
        .enumerate()
        .map(|(i, rule)| {
            let at = rule.defined;
            target_rule(rule.value).map_err(|(field, message)| {
                (Some(at), format!("collector.targets[{i}]{field}"), message)
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(CollectorSpec {
        public_url,
        clock,
        targets,
    })
}

fn target_rule(rule: TargetRuleFile) -> Result<TargetRule, (String, String)> {
    let err = |field: &str, message: &str| Err((field.to_string(), message.to_string()));
    if rule.pattern.trim().is_empty() {
        return err(".match", "must not be empty");
    }
    if rule.kind.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return err(".type", "must not be empty");
    }
    if rule.field.as_deref().is_some_and(|f| f.trim().is_empty()) {
        return err(".field", "must not be empty");
    }
    let report = match rule.report {
        None => Report::Healthy,
        Some(ReportFile::Statuses(s)) => {
            if s.statuses.is_empty() {
                return err(".report.statuses", "must name at least one status");
            }
            let statuses = s.statuses.into_iter().enumerate().map(|(i, s)| {
                status(s).map_err(|message| (format!(".report.statuses[{i}]"), message))
            });
            Report::Statuses(statuses.collect::<Result<_, _>>()?)
        }
        Some(ReportFile::Flapping(f)) => {
            let [a, b] = match f.between {
                None => [Value::from("UP"), Value::from("FAIL")],
                Some([a, b]) => {
                    let check = |s| status(s).map_err(|m| (".report.between".to_string(), m));
                    [check(a)?, check(b)?]
                }
            };
            if a == b {
                return err(".report.between", "must be two different statuses");
            }
            let times = f.times.unwrap_or(4);
            if !(2..=MAX_FLAPS).contains(&times) {
                return err(".report.times", "must be from 2 to 10000");
            }
            let pair = [a, b];
            Report::Statuses((0..times).map(|n| pair[n as usize % 2].clone()).collect())
        }
        Some(ReportFile::Unreachable(_)) => Report::Unreachable,
        Some(ReportFile::Silent(_)) => Report::Silent,
    };
    let http_error = super::heat::http_error(rule.http_error)?;
    Ok(TargetRule {
        pattern: rule.pattern,
        version: rule.version,
        kind: rule.kind,
        field: rule.field,
        report,
        hold: rule.hold,
        http_error,
        latency: rule.latency,
    })
}

/// A status is a non-empty string or a non-empty mapping.
fn status(status: StatusFile) -> Result<Value, String> {
    match status.0 {
        Value::String(s) if !s.trim().is_empty() => Ok(Value::String(s)),
        Value::Object(map) if !map.is_empty() => Ok(Value::Object(map)),
        _ => Err(
            "a status is a non-empty string such as UP or a non-empty mapping such as \
             {primary: MASTER, secondary: BACKUP}"
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests;
