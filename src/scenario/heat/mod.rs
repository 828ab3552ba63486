//! The `heat:` section of a scenario: what the fake Heat (and Keystone) does. File model,
//! runtime types and validation live together here.
//!
//! ```yaml
//! heat:
//!   in_progress_reads: 1          # reads a stack stays *_IN_PROGRESS (default 1)
//!   stacks:
//!     - match: "load_balancer_interface_*"   # a stack name, or a glob with * and ?
//!       outputs:                             # replace computed output values
//!         monitoring_target_id: 2da66917-604c-4076-8c21-79da05f6479e
//!       fail:
//!         - {action: create, reason: "Resource CREATE failed: ..."}
//!       http_error: {status: 503, count: 2}  # the next 2 calls about the stack answer 503
//!       latency: 200ms
//!     - match: vnf_instance_398d65ba-0060-456e-b415-5bc954450717
//!       generation: 1
//!       hold_until:                          # IN_PROGRESS until these keys are in etcd
//!         exists: ["/jobs/all/create:heat_worker:load_balancer:b311c470-*:1:*"]
//! ```
//!
//! For each stack, the first rule whose `match` fits its name applies.
//!
//! `hold_until` orders a stack's completion after other writes to etcd: the fake answers
//! `*_IN_PROGRESS` to every read of the operation until each key (or glob) has been written
//! at least once since the fakes started, then counts `in_progress_reads` as usual. A recorded
//! job that lists another job as a dependency needs this: the job manager computes
//! dependencies from the jobs still unfinished when it processes the write, so the
//! dependency's stack must not complete before that. A hold never met ends with the
//! scenario's timeout, whose error names the stack and the keys it waited for.
//!
//! `file.rs` is the section as written (serde), `spec.rs` the validated runtime types the
//! fakes consume, `validate.rs` the checks between them.

mod file;
mod spec;
mod validate;

pub use file::{
    FailureFile, HeatFile, HoldFile, HttpErrorFile, HttpMethod, StackAction, StackRuleFile,
};
pub use spec::{Failure, HeatSpec, HttpError, StackRule};
pub(crate) use validate::{http_error, validate};

#[cfg(test)]
mod tests;
