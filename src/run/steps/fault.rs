//! `action: fault`: takes a piece of the world away or brings it back, as a step.
//!
//! ```yaml
//! - {action: fault, etcd: kill}           # kill | kill_leader | restart
//! - {action: fault, worker: kill}         # kill | restart
//! - {action: fault, heat: down, status: 503, requests: 3}  # down | refused | slow | up
//! - {action: fault, heat: slow, latency: 200ms, requests: 2}
//! - {action: fault, collector: down}      # down | up
//! ```
//!
//! A step names exactly one of `etcd`, `worker`, `heat` and `collector`. `requests` bounds a
//! Heat outage (counted in requests, never in time); without it the outage lasts until
//! `heat: up`. What each fault does, and the state a run ends in, is in ARCHITECTURE.md
//! ("Faults").

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::context::{FileContext, StepAction, StepContext, StepForm};
use crate::fakes::{Outage, OutageKind};
use crate::run::error::StepError;
use crate::scenario::FieldError;

/// `action: fault`.
#[derive(Debug, Default, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultStep {
    /// Kill etcd (every member), its leader, or restart what was killed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd: Option<EtcdFault>,
    /// Kill the worker (as a crash), or start it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerFault>,
    /// An outage of the fake Heat, or its end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heat: Option<HeatFault>,
    /// Take the collector agents down, or bring them up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<CollectorFault>,
    /// `heat: down`: the status answered, 500 to 599 (default 503).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `heat: slow`: how late each answer comes.
    #[serde(
        default,
        with = "humantime_serde",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Duration>,
    /// `heat: down | refused | slow`: how many requests the outage lasts (default: until
    /// `heat: up`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<u32>,
}

/// An etcd fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EtcdFault {
    /// SIGKILL every member heatbed started (data and ports kept).
    Kill,
    /// SIGKILL the member the others follow (`--etcd cluster:N`; a lone member is its own
    /// leader).
    KillLeader,
    /// Start the killed members again on their data and ports; waits until etcd serves.
    Restart,
}

/// A worker fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkerFault {
    /// SIGKILL an external worker's process group, abort the reference worker's tasks; the
    /// leases it held expire at once (heatbed has no clock to wait for their TTL).
    Kill,
    /// Start it again with the same env.
    Restart,
}

/// A fake Heat fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeatFault {
    /// Answer `status` (default 503).
    Down,
    /// Close each connection without an answer.
    Refused,
    /// Answer `latency` late.
    Slow,
    /// End the outage under way.
    Up,
}

/// A collector fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CollectorFault {
    /// The REST API answers 503 and nothing reaches etcd.
    Down,
    /// Back: the reports due meanwhile are written, in order.
    Up,
}

/// A validated fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// An etcd fault.
    Etcd(EtcdFault),
    /// A worker fault.
    Worker(WorkerFault),
    /// A Heat outage; `None` ends the one under way.
    Heat(Option<Outage>),
    /// The collector agents up (`true`) or down.
    Collector(bool),
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = |v: &dyn std::fmt::Debug| format!("{v:?}").to_lowercase();
        match self {
            Fault::Etcd(EtcdFault::KillLeader) => f.write_str("etcd: kill_leader"),
            Fault::Etcd(e) => write!(f, "etcd: {}", word(e)),
            Fault::Worker(w) => write!(f, "worker: {}", word(w)),
            Fault::Heat(None) => f.write_str("heat: up"),
            Fault::Heat(Some(outage)) => write!(f, "heat {outage}"),
            Fault::Collector(up) => write!(f, "collector: {}", if *up { "up" } else { "down" }),
        }
    }
}

impl StepForm for FaultStep {
    type Step = Fault;

    /// Exactly one target, and only the fields its fault takes.
    fn validate(self, _files: &FileContext<'_>) -> Result<Fault, FieldError> {
        validate(self)
    }
}

fn validate(step: FaultStep) -> Result<Fault, FieldError> {
    let err = |field: &str, message: &str| Err(FieldError::new(field, message));
    let named = [
        step.etcd.is_some(),
        step.worker.is_some(),
        step.heat.is_some(),
        step.collector.is_some(),
    ];
    if named.iter().filter(|n| **n).count() != 1 {
        return err(
            "",
            "a fault step names exactly one of `etcd`, `worker`, `heat` and `collector`",
        );
    }
    let heat = step.heat;
    if step.status.is_some() && heat != Some(HeatFault::Down) {
        return err(".status", "only `heat: down` takes a `status`");
    }
    if step.latency.is_some() && heat != Some(HeatFault::Slow) {
        return err(".latency", "only `heat: slow` takes a `latency`");
    }
    if step.requests.is_some() && matches!(heat, None | Some(HeatFault::Up)) {
        return err(
            ".requests",
            "only a Heat outage (`down`, `refused`, `slow`) lasts `requests`",
        );
    }
    if step.requests == Some(0) {
        return err(
            ".requests",
            "must be at least 1 (leave it out: until `heat: up`)",
        );
    }
    let outage = |kind| {
        Ok(Fault::Heat(Some(Outage {
            kind,
            requests: step.requests,
        })))
    };
    match (step.etcd, step.worker, heat, step.collector) {
        (Some(e), ..) => Ok(Fault::Etcd(e)),
        (_, Some(w), ..) => Ok(Fault::Worker(w)),
        (_, _, Some(HeatFault::Down), _) => match step.status.unwrap_or(503) {
            status @ 500..=599 => outage(OutageKind::Status(status)),
            _ => err(".status", "must be a server error, 500 to 599"),
        },
        (_, _, Some(HeatFault::Refused), _) => outage(OutageKind::Refused),
        (_, _, Some(HeatFault::Slow), _) => match step.latency {
            Some(latency) => outage(OutageKind::Latency(latency)),
            None => err(".latency", "`heat: slow` needs a `latency`, e.g. 200ms"),
        },
        (_, _, Some(HeatFault::Up), _) => Ok(Fault::Heat(None)),
        (.., Some(c)) => Ok(Fault::Collector(c == CollectorFault::Up)),
        (None, None, None, None) => err("", "a fault step names what it takes away"),
    }
}

impl StepAction for Fault {
    type Form = FaultStep;

    fn to_file(&self) -> FaultStep {
        let mut file = FaultStep::default();
        match self {
            Fault::Etcd(e) => file.etcd = Some(*e),
            Fault::Worker(w) => file.worker = Some(*w),
            Fault::Heat(None) => file.heat = Some(HeatFault::Up),
            Fault::Heat(Some(outage)) => {
                file.requests = outage.requests;
                file.heat = Some(match outage.kind {
                    OutageKind::Status(status) => {
                        file.status = Some(status);
                        HeatFault::Down
                    }
                    OutageKind::Refused => HeatFault::Refused,
                    OutageKind::Latency(latency) => {
                        file.latency = Some(latency);
                        HeatFault::Slow
                    }
                });
            }
            Fault::Collector(up) => {
                file.collector = Some(if *up {
                    CollectorFault::Up
                } else {
                    CollectorFault::Down
                });
            }
        }
        file
    }

    async fn apply(&self, ctx: &StepContext<'_>) -> Result<(), StepError> {
        let control = ctx.control;
        let done = match self {
            Fault::Etcd(EtcdFault::Kill) => control.etcd_kill().await,
            Fault::Etcd(EtcdFault::KillLeader) => control.etcd_kill_leader().await,
            Fault::Etcd(EtcdFault::Restart) => control.etcd_restart().await,
            Fault::Worker(WorkerFault::Kill) => control.worker_kill().await,
            Fault::Worker(WorkerFault::Restart) => control.worker_restart().await,
            Fault::Heat(Some(outage)) => {
                control.fakes.heat_outage(*outage);
                Ok(())
            }
            Fault::Heat(None) => {
                control.fakes.heat_recover();
                Ok(())
            }
            Fault::Collector(up) => {
                control.fakes.collector_up(*up);
                Ok(())
            }
        };
        done.map_err(|cause| StepError::Fault {
            fault: self.to_string(),
            cause: Box::new(cause),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Fault, FieldError> {
        validate(serde_saphyr::from_str(yaml).expect("a fault step"))
    }

    #[test]
    fn each_form_validates_and_round_trips() {
        for yaml in [
            "etcd: kill",
            "etcd: kill_leader",
            "etcd: restart",
            "worker: kill",
            "worker: restart",
            "heat: down",
            "heat: down\nstatus: 502\nrequests: 3",
            "heat: refused\nrequests: 10",
            "heat: slow\nlatency: 200ms",
            "heat: up",
            "collector: down",
            "collector: up",
        ] {
            let fault = parse(yaml).unwrap_or_else(|e| panic!("{yaml}: {e:?}"));
            assert_eq!(validate(fault.to_file()), Ok(fault.clone()), "{yaml}");
        }
        assert_eq!(
            parse("heat: down"),
            Ok(Fault::Heat(Some(Outage {
                kind: OutageKind::Status(503),
                requests: None
            })))
        );
    }

    #[test]
    fn a_step_names_one_target_and_only_the_fields_its_fault_takes() {
        let field = |yaml: &str| parse(yaml).expect_err(yaml).field;
        assert_eq!(field("etcd: kill\nworker: kill"), "");
        assert_eq!(field("{}"), "");
        assert_eq!(field("heat: refused\nstatus: 503"), ".status");
        assert_eq!(field("heat: down\nstatus: 404"), ".status");
        assert_eq!(field("heat: down\nlatency: 1s"), ".latency");
        assert_eq!(field("heat: slow"), ".latency");
        assert_eq!(field("heat: up\nrequests: 2"), ".requests");
        assert_eq!(field("etcd: kill\nrequests: 2"), ".requests");
        assert_eq!(field("heat: down\nrequests: 0"), ".requests");
    }
}
