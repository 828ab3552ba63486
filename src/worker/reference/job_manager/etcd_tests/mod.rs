//! The job manager alone on a real etcd: Gohan `/config` writes (encoded as the recorded
//! Gohan wrote them) become `READ_COMPLETE` states, mirrors and jobs; the test plays the heat
//! worker's part of the `/jobs/*` contract (claim, state, finished) and checks promotion and
//! clean-up. (`tests/job_manager.rs` runs the whole reference worker end to end.)

mod restart;
mod scheduling;
mod support;
