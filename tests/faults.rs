//! Every `scenarios/faults/*.yaml` (a fault x create/update/delete) is its own named test,
//! snapshots as in `tests/scenarios.rs`. They run on a 3-member embedded cluster, so
//! `etcd: kill_leader` kills a leader the other members outlive (`heatbed run
//! scenarios/faults` on the default lone member gives the same snapshots). Each ends with
//! its final keyspace: no `/jobs` key left, every job retired once (0 lost, 0 duplicated).

#[path = "support/scenario_snapshots.rs"]
mod scenario_snapshots;

use std::path::PathBuf;

use heatbed::etcd::Backend;
use rstest::rstest;

/// Whether the `etcd` binary the embedded backends run is here (faults kill and restart
/// an etcd heatbed started; a container or an external etcd cannot be).
fn etcd_binary() -> bool {
    let found = std::env::var_os("ETCD_BIN").is_some()
        || std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("etcd").is_file()));
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "no etcd binary under CI"
        );
        println!("SKIP: no etcd binary (fault scenarios need the embedded backend)");
    }
    found
}

#[rstest]
fn fault(#[files("scenarios/faults/*.yaml")] path: PathBuf) {
    if etcd_binary() {
        scenario_snapshots::assert_scenario(&path, &Backend::Cluster(3));
    }
}
