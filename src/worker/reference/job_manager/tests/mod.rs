//! The job manager alone on a real etcd: Gohan `/config` writes (encoded as the recorded
//! Gohan wrote them) become `READ_COMPLETE` states, mirrors and jobs; the test plays the heat
//! worker's part of the `/jobs/*` contract (claim, state, finished) and checks promotion and
//! clean-up. (`whole_worker.rs` runs the whole reference worker.)

mod failures;
mod restart;
mod scheduling;
mod support;
mod whole_worker;
