//! Every `scenarios/*.yaml` is its own named test: it runs on its own etcd and each of its
//! checkpoints is an insta snapshot in `snapshots/<scenario>/`. CI never writes snapshots
//! (`INSTA_UPDATE=no`): a missing or changed one fails with insta's diff. The fault
//! scenarios (`scenarios/faults/`) are `tests/faults.rs`.

#[path = "support/scenario_snapshots.rs"]
mod scenario_snapshots;

use std::path::PathBuf;

use heatbed::etcd::Backend;
use rstest::rstest;

#[rstest]
fn scenario(#[files("scenarios/*.yaml")] path: PathBuf) {
    scenario_snapshots::assert_scenario(&path, &Backend::Auto);
}
