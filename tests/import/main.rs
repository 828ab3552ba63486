//! `heatbed import`: the recorded `05_load_balancer` folder gives the checked-in golden
//! scenarios, a flow of a resource type heatbed has never seen (`traffic_mirror`: no
//! embedded schema, no code names it; `tests/fixtures/import/`) imports and reproduces its
//! recording on the reference worker (`flows.rs`), and imperfect folders import with warnings
//! and a summary of what could not be derived (`lenient.rs`).

#[path = "../support/heatbed.rs"]
mod bin;
mod flows;
mod lenient;

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/import")
}

/// The recorded load-balancer folder, vendored in `tests/recorded/`.
fn load_balancer_folder() -> PathBuf {
    let dir = root().join("tests/recorded/esi/05_load_balancer");
    assert!(
        dir.join("stored_in_etcd").is_dir(),
        "the recorded flow folder is missing: expected {}",
        dir.display()
    );
    dir
}
