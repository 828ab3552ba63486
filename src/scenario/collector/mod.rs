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
//!
//! `file.rs` is the section as written (serde), `spec.rs` the validated runtime types the
//! fake collector consumes, `validate.rs` the checks between them.

mod file;
mod spec;
mod validate;

pub use file::{CollectorFile, ReportFile, StatusFile, StatusesReport, TargetRuleFile};
pub use spec::{CollectorSpec, Report, TargetRule, TargetSelector};
pub(crate) use validate::validate;

#[cfg(test)]
mod tests;
