//! The typed result of the invariant checks: per invariant, pass or the violations (each
//! naming the key, revisions and values at fault), and the counts a report shows.

use serde::{Deserialize, Serialize};

/// The invariants checked after every run (ARCHITECTURE.md, "Checked after every run").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invariant {
    /// Every `/config` version gets exactly one job (or is answered in `/state` without one).
    OneJobPerConfigVersion,
    /// No job is claimed or executed twice.
    NoDoubleClaimOrExecution,
    /// Every job ends in exactly one final `/state`.
    OneFinalState,
    /// No `/state` version goes backwards.
    StateVersionsNeverGoBack,
    /// No `/jobs/*` key outlives the run.
    NoLeftoverJobKeys,
}

impl Invariant {
    /// Every invariant, in the order they are reported.
    pub const ALL: [Invariant; 5] = [
        Invariant::OneJobPerConfigVersion,
        Invariant::NoDoubleClaimOrExecution,
        Invariant::OneFinalState,
        Invariant::StateVersionsNeverGoBack,
        Invariant::NoLeftoverJobKeys,
    ];

    /// The invariant in words.
    pub fn describe(self) -> &'static str {
        match self {
            Invariant::OneJobPerConfigVersion => "every /config version gets exactly one job",
            Invariant::NoDoubleClaimOrExecution => "no job is claimed or executed twice",
            Invariant::OneFinalState => "every job ends in one final /state",
            Invariant::StateVersionsNeverGoBack => "no /state version goes backwards",
            Invariant::NoLeftoverJobKeys => "no /jobs/* key outlives the run",
        }
    }
}

/// How an invariant was broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    /// A `/config` version that no job and no `/state` answered, and no later version or
    /// delete superseded.
    Lost,
    /// More than one job for one `/config` version, or one job id scheduled again.
    DuplicateJob,
    /// A claim (`/jobs/working/<id>`) taken over by another reservation while it was held.
    DoubleClaim,
    /// A claim of a job that had already finished.
    ClaimAfterFinish,
    /// `/jobs/finished/<id>` created more than once.
    ExecutedTwice,
    /// A job without a final `/state` at its version.
    NoFinalState,
    /// A job with more than one final `/state` at its version.
    SeveralFinalStates,
    /// A `/state` put with a lower `version` than the key held.
    StateRegression,
    /// A `/jobs/` key that exists at the end of the run.
    Leftover,
}

impl ViolationKind {
    /// A unit of work that never got done.
    pub fn is_lost(self) -> bool {
        matches!(self, ViolationKind::Lost | ViolationKind::NoFinalState)
    }

    /// A unit of work done more than once.
    pub fn is_duplicated(self) -> bool {
        matches!(
            self,
            ViolationKind::DuplicateJob
                | ViolationKind::DoubleClaim
                | ViolationKind::ClaimAfterFinish
                | ViolationKind::ExecutedTwice
                | ViolationKind::SeveralFinalStates
        )
    }
}

/// One violation: the key at fault, the revisions and values involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// How.
    pub kind: ViolationKind,
    /// The key at fault.
    pub key: String,
    /// The unit of work at fault: `<config path>@<version>` (a job's own, when it names
    /// one), else the job id or key. `lost` and `duplicated` count these once each.
    pub subject: String,
    /// The revisions of the writes involved, in order.
    pub revisions: Vec<i64>,
    /// Their values (shortened), in the same order (empty for a delete).
    pub values: Vec<String>,
    /// What happened, in words.
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} (revisions {:?})",
            self.key, self.detail, self.revisions
        )?;
        for value in &self.values {
            write!(f, "\n      {value}")?;
        }
        Ok(())
    }
}

/// One invariant's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Which invariant.
    pub invariant: Invariant,
    /// It holds when there is none.
    pub violations: Vec<Violation>,
}

impl Check {
    /// Whether the invariant holds.
    pub fn holds(&self) -> bool {
        self.violations.is_empty()
    }
}

/// What the checks counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// `/config` resource versions written in the run.
    pub config_versions: usize,
    /// Jobs created (`/jobs/all/<id>`).
    pub jobs: usize,
    /// Units of work (config versions) never done: lost versions, jobs without a final
    /// `/state`.
    pub lost: usize,
    /// Units of work (config versions) done more than once: several jobs, claims,
    /// executions or final states.
    pub duplicated: usize,
    /// `/state` puts that lowered the version.
    pub state_regressions: usize,
    /// `/jobs/` keys left at the end.
    pub leftover_job_keys: usize,
    /// Claims taken again after an earlier claim was released unfinished (a lease that
    /// expired): allowed, counted.
    pub reclaimed: usize,
}

/// The invariants of one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invariants {
    /// The counts.
    pub counts: Counts,
    /// One per invariant, in [`Invariant::ALL`] order.
    pub checks: Vec<Check>,
}

impl Invariants {
    /// Whether every invariant holds.
    pub fn hold(&self) -> bool {
        self.checks.iter().all(Check::holds)
    }

    /// The invariants that do not hold.
    pub fn broken(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.holds())
    }

    /// The one-line summary: `31 jobs, 0 lost, 0 duplicated, 0 state regressions, 0 leftover
    /// /jobs keys`.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        format!(
            "{} jobs, {} lost, {} duplicated, {} state regressions, {} leftover /jobs keys",
            c.jobs, c.lost, c.duplicated, c.state_regressions, c.leftover_job_keys
        )
    }
}

impl std::fmt::Display for Invariants {
    /// The summary, then each broken invariant and its violations.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())?;
        for check in self.broken() {
            write!(f, "\n  broken: {}", check.invariant.describe())?;
            for violation in &check.violations {
                write!(f, "\n    {violation}")?;
            }
        }
        Ok(())
    }
}
