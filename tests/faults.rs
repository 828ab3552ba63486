//! Every `scenarios/faults/*.yaml` (a fault x create/update/delete) is its own named test,
//! snapshots as in `tests/scenarios.rs`. They run on a 3-member embedded cluster, so
//! `etcd: kill_leader` kills a leader the other members outlive (`heatbed run
//! scenarios/faults` on the default lone member gives the same snapshots). Each ends with
//! its final keyspace: no `/jobs` key left, every job retired once (0 lost, 0 duplicated).

#[path = "support/etcd_binary.rs"]
mod etcd_binary;
use etcd_binary::etcd_binary;

#[path = "support/scenario_snapshots.rs"]
mod scenario_snapshots;

use std::path::PathBuf;

use heatbed::etcd::Backend;
use rstest::rstest;

#[rstest]
fn fault(#[files("scenarios/faults/*.yaml")] path: PathBuf) {
    if etcd_binary("fault scenarios need the embedded backend") {
        scenario_snapshots::assert_scenario(&path, &Backend::Cluster(3));
    }
}
