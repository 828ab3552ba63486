//! The `heatbed` binary as the tests start it: from the crate root, without the caller's
//! `HEATBED_ETCD` / `HEATBED_ETCD_ENDPOINTS` (each test picks its etcd). Shared by the test
//! binaries that include it with `#[path]`; not every one uses every helper.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// A `heatbed` command in the crate root, with no etcd chosen by the environment.
pub fn heatbed() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_heatbed"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("HEATBED_ETCD")
        .env_remove("HEATBED_ETCD_ENDPOINTS");
    command
}

/// Runs `heatbed args` in the crate root and waits for it.
pub fn run(args: &[&str]) -> Output {
    heatbed().args(args).output().expect("heatbed runs")
}

/// Runs `heatbed args` in `dir` and waits for it.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    heatbed()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("heatbed runs")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
