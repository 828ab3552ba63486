//! Invariants checked from etcd's revision history after every run: one job per `/config`
//! version, no double claim or execution, one final `/state` per job, `/state` versions never
//! going back, no `/jobs/*` key left (ARCHITECTURE.md, "Checked after every run").

mod checks;
mod index;
mod layout;
mod report;

#[cfg(test)]
mod tests;

pub use checks::check;
pub(crate) use checks::pending;
pub use report::{Check, Counts, Invariant, Invariants, Violation, ViolationKind};
