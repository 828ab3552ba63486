//! Step kinds: one file per kind owns its file form, its validation and its execution. This
//! table is the one list of kinds; adding a kind is its file plus one arm here (see
//! ARCHITECTURE.md, "Adding a step kind").

#[macro_use]
mod table;
mod context;
mod delete;
mod fault;
mod gohan;
mod put;
mod wait;

pub(crate) use context::{FileContext, StepContext};
pub use delete::{Delete, DeleteStep};
pub use fault::{CollectorFault, EtcdFault, Fault, FaultStep, HeatFault, WorkerFault};
pub use gohan::{Gohan, GohanOp, GohanStep};
pub use put::{Put, PutStep};
pub use wait::{Condition, Until, Wait, WaitStep};

step_kinds! {
    /// Write a Gohan resource under `/config` the way Gohan does.
    "gohan" => Gohan(gohan::GohanStep -> Gohan),
    /// Write a raw key.
    "put" => Put(put::PutStep -> Put),
    /// Delete a raw key, or every key under a prefix.
    "delete" => Delete(delete::DeleteStep -> Delete),
    /// Wait until a key reaches a condition.
    "wait" => Wait(wait::WaitStep -> Wait),
    /// Take a piece of the world away (etcd, the worker, Heat, the collector) or bring it
    /// back.
    "fault" => Fault(fault::FaultStep -> Fault),
}
