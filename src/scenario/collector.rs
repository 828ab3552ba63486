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
//!     - match: "load_balancers/b311c470-d878-4fea-8466-a4393938f2d4"
//!       report: {kind: unreachable}
//!       http_error: {status: 503, count: 2}   # the next 2 REST calls about it answer 503
//!       latency: 200ms
//! ```
//!
//! For each target, the first rule whose `match` fits applies; without one the agent reports
//! `UP` once, as every non-port target did in the recorded flows.

use std::time::{Duration, SystemTime};

use schemars::JsonSchema;
use serde::Deserialize;

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
    /// Per-target behaviour; the first rule matching `<resource_type>/<resource_id>` applies.
    #[serde(default)]
    pub targets: Vec<TargetRuleFile>,
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
    /// The results the agent reports (default `{kind: statuses, statuses: [UP]}`).
    #[serde(default)]
    pub report: Option<ReportFile>,
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
    /// E.g. `[UP]`, `[UP, DOWN, UP]`.
    pub statuses: Vec<String>,
}

/// `kind: flapping`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlappingReport {
    /// The two statuses, first one first (default `[UP, FAIL]`).
    #[serde(default)]
    pub between: Option<[String; 2]>,
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
    /// The rule for a target of `resource_type` and `resource_id` at `version` (`None`: any
    /// version), if any.
    pub fn rule(
        &self,
        resource_type: &str,
        resource_id: &str,
        version: Option<i64>,
    ) -> Option<&TargetRule> {
        self.targets
            .iter()
            .find(|r| r.matches(resource_type, resource_id, version))
    }
}

/// Validated per-target behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRule {
    /// `<resource_type>/<resource_id>` glob.
    pub pattern: String,
    /// The target version it is for, or every one.
    pub version: Option<i64>,
    /// What the agent reports.
    pub report: Report,
    /// HTTP errors for the next REST calls.
    pub http_error: Option<HttpError>,
    /// Added latency.
    pub latency: Option<Duration>,
}

impl TargetRule {
    /// Whether the rule's glob matches `<resource_type>/<resource_id>`, and its version (if it
    /// names one) is `version` (unless that is `None`).
    pub fn matches(&self, resource_type: &str, resource_id: &str, version: Option<i64>) -> bool {
        let name = format!("{resource_type}/{resource_id}");
        let version_fits = match (self.version, version) {
            (Some(wanted), Some(actual)) => wanted == actual,
            _ => true,
        };
        super::glob::glob(self.pattern.as_bytes(), name.as_bytes()) && version_fits
    }
}

/// What the agent reports for a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// These statuses, in order (flapping is expanded into this).
    Statuses(Vec<String>),
    /// `FAIL`, with a growing `fail_counter`.
    Unreachable,
    /// Nothing.
    Silent,
}

impl Default for Report {
    fn default() -> Self {
        Report::Statuses(vec!["UP".into()])
    }
}

/// The `created_at` of the recorded load balancer interface targets.
const RECORDED_CLOCK: &str = "2018-02-19T05:22:01Z";

fn recorded_clock() -> SystemTime {
    humantime::parse_rfc3339(RECORDED_CLOCK).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Validates the `collector` section; errors are (key path, message).
pub(crate) fn validate(file: Option<CollectorFile>) -> Result<CollectorSpec, (String, String)> {
    let file = file.unwrap_or_default();
    let defaults = CollectorSpec::default();
    let public_url = match file.public_url {
        None => defaults.public_url,
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            url.trim_end_matches('/').to_string()
        }
        Some(_) => {
            return Err((
                "collector.public_url".into(),
                "must be an http:// or https:// URL".into(),
            ));
        }
    };
    let clock = match file.clock {
        None => defaults.clock,
        Some(text) => humantime::parse_rfc3339(&text).map_err(|_| {
            (
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
            target_rule(rule)
                .map_err(|(field, message)| (format!("collector.targets[{i}]{field}"), message))
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
    let report = match rule.report {
        None => Report::default(),
        Some(ReportFile::Statuses(s)) => {
            if s.statuses.is_empty() {
                return err(".report.statuses", "must name at least one status");
            }
            if s.statuses.iter().any(|s| s.trim().is_empty()) {
                return err(".report.statuses", "statuses must not be empty");
            }
            Report::Statuses(s.statuses)
        }
        Some(ReportFile::Flapping(f)) => {
            let [a, b] = f.between.unwrap_or_else(|| ["UP".into(), "FAIL".into()]);
            if a.trim().is_empty() || b.trim().is_empty() || a == b {
                return err(
                    ".report.between",
                    "must be two different, non-empty statuses",
                );
            }
            let times = f.times.unwrap_or(4);
            if times < 2 {
                return err(".report.times", "must be at least 2");
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
        report,
        http_error,
        latency: rule.latency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<CollectorSpec, (String, String)> {
        validate(Some(serde_saphyr::from_str(yaml).expect("parses")))
    }

    #[test]
    fn defaults_report_up_once_at_the_recorded_address() {
        let spec = parse("{}").expect("valid");
        assert_eq!(spec, CollectorSpec::default());
        assert_eq!(spec.public_url, "http://collector-agents-se:7070");
        assert!(spec.rule("ports", "x", None).is_none());
    }

    #[test]
    fn flapping_expands_into_alternating_statuses() {
        let spec =
            parse("targets:\n  - match: 'ports/*'\n    report: {kind: flapping, times: 3}\n")
                .expect("valid");
        let rule = spec.rule("ports", "abc", None).expect("matches");
        assert_eq!(
            rule.report,
            Report::Statuses(vec!["UP".into(), "FAIL".into(), "UP".into()])
        );
        assert!(spec.rule("load_balancers", "abc", None).is_none());
    }

    #[test]
    fn first_matching_rule_applies() {
        let spec = parse(
            "targets:\n  - {match: 'ports/a*', report: {kind: silent}}\n  - {match: '*', report: {kind: unreachable}}\n",
        )
        .expect("valid");
        assert_eq!(
            spec.rule("ports", "ab", None).map(|r| &r.report),
            Some(&Report::Silent)
        );
        assert_eq!(
            spec.rule("ports", "b", None).map(|r| &r.report),
            Some(&Report::Unreachable)
        );
    }

    #[test]
    fn errors_name_the_key() {
        let err = parse("targets:\n  - {match: x, http_error: {status: 404, count: 1}}\n")
            .expect_err("invalid");
        assert_eq!(err.0, "collector.targets[0].http_error.status");
        let err = parse("targets:\n  - {match: x, report: {kind: statuses, statuses: []}}\n")
            .expect_err("invalid");
        assert_eq!(err.0, "collector.targets[0].report.statuses");
        let err = parse("clock: yesterday\n").expect_err("invalid");
        assert_eq!(err.0, "collector.clock");
        let err = parse("public_url: collector:7070\n").expect_err("invalid");
        assert_eq!(err.0, "collector.public_url");
    }

    #[test]
    fn unknown_keys_and_kinds_are_refused() {
        assert!(
            serde_saphyr::from_str::<CollectorFile>("targets:\n  - {match: x, reprot: {}}\n")
                .is_err()
        );
        assert!(
            serde_saphyr::from_str::<CollectorFile>(
                "targets:\n  - {match: x, report: {kind: down}}\n"
            )
            .is_err()
        );
        assert!(
            serde_saphyr::from_str::<CollectorFile>(
                "targets:\n  - {match: x, report: {statuses: [UP], kind: statuses}}\n"
            )
            .is_err()
        );
    }
}
