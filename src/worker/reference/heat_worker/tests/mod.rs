//! Tests of the heat worker against the recorded run: formats, rendering, claims, and whole
//! jobs on a real etcd and the fakes.

mod claims;
mod flow;
mod formats;
mod recorded;
mod rendering;
mod world;
