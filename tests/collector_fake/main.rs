//! The fake collector agents over HTTP, as heat-engine called them (`collector_agents/*.md`),
//! their MonitoringTarget resource in the fake Heat, and the etcd syncer on a real etcd.

mod api;
mod catalogue;
mod down;
mod heat;
#[path = "../support/heat_client.rs"]
mod heat_client;
mod heat_resource;
mod run_settles;
mod settle;
mod shapes;
mod shared_keys;
mod support;
mod syncer;
