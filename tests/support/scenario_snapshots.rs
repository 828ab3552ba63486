//! Runs one scenario file and asserts each checkpoint (and the final keyspace) against its
//! insta snapshot in `snapshots/<scenario>/`; no snapshot may be orphaned. Shared by the
//! test binaries that include it with `#[path]`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use heatbed::etcd::Backend;
use heatbed::run::run_on;
use heatbed::scenario::load;
use heatbed::snapshot::{KEYSPACE, Store};

/// Runs `path` on `backend` and compares every checkpoint with its snapshot.
pub fn assert_scenario(path: &Path, backend: &Backend) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let scenario = load(&relative).unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let outcome = runtime
        .block_on(run_on(backend, &scenario))
        .unwrap_or_else(|e| panic!("{e}"));

    let store = Store::new(&root.join("snapshots"), &scenario);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(store.dir());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(&relative);
    settings.set_omit_expression(true);
    let mut failed = Vec::new();
    for checkpoint in &outcome.checkpoints {
        let name = Store::name(checkpoint);
        settings.set_description(Store::description(checkpoint));
        let asserted = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name.clone(), checkpoint.text));
        }));
        if asserted.is_err() {
            failed.push(name);
        }
    }
    // The final keyspace, when the scenario declares `keyspace:`, is one snapshot more.
    assert_eq!(outcome.keyspace.is_some(), scenario.keyspace.is_some());
    if let Some(keyspace) = &outcome.keyspace {
        settings.set_description("final keyspace");
        let asserted = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(KEYSPACE, keyspace.text));
        }));
        if asserted.is_err() {
            failed.push(KEYSPACE.into());
        }
    }
    let orphans = store.orphans(&Store::names(&outcome));
    assert!(
        failed.is_empty(),
        "checkpoints differ from their snapshots: {failed:?}"
    );
    assert!(
        orphans.is_empty(),
        "snapshots no checkpoint refers to: {orphans:?}"
    );
}
