//! `heatbed import`: the recorded `05_load_balancer` folder gives the checked-in golden
//! scenarios, and a flow of a resource type heatbed has never seen (`traffic_mirror`: no
//! embedded schema, no code names it; `tests/fixtures/import/`) imports and reproduces its
//! recording on the reference worker.

use std::path::{Path, PathBuf};
use std::process::Command;

use heatbed::docs::{ImportError, compare_with_recorded, import, recorded_checkpoints};
use heatbed::etcd::Backend;
use heatbed::run::run_scenario;
use heatbed::scenario::load;

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

#[test]
fn importing_the_recorded_folder_gives_the_checked_in_scenarios() {
    let scenarios = root().join("scenarios");
    let templates = scenarios.join("fixtures/run05_heat_templates");
    for (flow, file) in [
        ("CreateLoadbalancer", "create_loadbalancer.yaml"),
        (
            "UpdateLoadbalancerInterface",
            "update_loadbalancer_interface.yaml",
        ),
    ] {
        let imported = import(&load_balancer_folder(), &templates, Some(flow), &scenarios)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(imported.len(), 1, "{flow}");
        assert_eq!(imported[0].flow, flow);
        assert_eq!(imported[0].file_name, file);
        let path = scenarios.join(file);
        let checked_in =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            imported[0].yaml == checked_in,
            "{} is not what `heatbed import` makes of the recording; regenerate it:\n  cargo run -- import tests/recorded/esi/05_load_balancer --templates scenarios/fixtures/run05_heat_templates --flow {flow} --out scenarios/{file}",
            path.display()
        );
    }
}

#[test]
fn an_unseen_flow_with_an_unseen_resource_type_imports_and_reproduces_its_recording() {
    let out = tempfile::tempdir().expect("temp dir");
    let imported = import(
        &fixtures().join("unseen_flow"),
        &fixtures().join("unseen_templates"),
        None,
        out.path(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let flows: Vec<&str> = imported.iter().map(|i| i.flow.as_str()).collect();
    assert_eq!(flows, ["CreateTrafficMirror", "UpdateTrafficMirror"]);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    for scenario in &imported {
        let path = out.path().join(&scenario.file_name);
        std::fs::write(&path, &scenario.yaml).expect("write the scenario");
        let loaded = load(&path).unwrap_or_else(|e| panic!("{e}\n{}", scenario.yaml));
        let outcome = runtime
            .block_on(async {
                let etcd = Backend::Embedded.start().await.map_err(|e| e.to_string())?;
                run_scenario(&loaded, &etcd, None)
                    .await
                    .map_err(|e| e.to_string())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", scenario.flow));
        let mismatches =
            compare_with_recorded(&loaded, &outcome.checkpoints).unwrap_or_else(|e| panic!("{e}"));
        let report: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
        assert!(
            report.is_empty(),
            "{} differs from its recording:\n{}",
            scenario.flow,
            report.join("\n")
        );

        // Every recorded document of the flow is named, and each of its checkpoints compared.
        let mut named: Vec<PathBuf> = Vec::new();
        let mut expected = 0;
        for document in &loaded.documents {
            let paths: Vec<PathBuf> = document
                .recorded
                .iter()
                .map(|r| out.path().join(r))
                .collect();
            let recorded = recorded_checkpoints(&paths).unwrap_or_else(|e| panic!("{e}"));
            let captured = outcome
                .checkpoints
                .iter()
                .filter(|c| c.document == document.name)
                .count();
            assert_eq!(recorded.len(), captured, "{}", document.name);
            expected += recorded.len();
            for path in paths {
                named.push(std::fs::canonicalize(&path).unwrap_or(path));
            }
        }
        assert_eq!(outcome.checkpoints.len(), expected, "{}", scenario.flow);
        let stored = fixtures().join("unseen_flow/stored_in_etcd");
        for component in std::fs::read_dir(&stored).expect("stored_in_etcd") {
            for file in std::fs::read_dir(component.expect("entry").path()).expect("component") {
                let file = std::fs::canonicalize(file.expect("entry").path()).expect("fixture");
                let name = file.file_name().unwrap_or_default().to_string_lossy();
                if name.starts_with(&format!("{}_", scenario.flow)) {
                    assert!(named.contains(&file), "{} is not compared", file.display());
                }
            }
        }
    }
}

#[test]
fn a_folder_without_recordings_or_templates_is_a_clear_error() {
    let scenarios = root().join("scenarios");
    let templates = fixtures().join("unseen_templates");
    let not_a_flow = fixtures().join("unseen_templates");
    let err = import(&not_a_flow, &templates, None, &scenarios).expect_err("no stored_in_etcd");
    assert!(
        matches!(&err, ImportError::NotAFlowFolder { path } if *path == not_a_flow),
        "{err:?}"
    );
    assert!(err.to_string().contains(&*not_a_flow.to_string_lossy()));
    assert!(err.to_string().contains("stored_in_etcd"), "{err}");

    let missing = fixtures().join("no_such_templates");
    let err = import(&fixtures().join("unseen_flow"), &missing, None, &scenarios)
        .expect_err("no template folder");
    assert!(
        matches!(&err, ImportError::NoTemplates { path } if *path == missing),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&*missing.to_string_lossy()),
        "{err}"
    );

    for (dir, templates, named) in [
        (
            "tests/fixtures/import/unseen_templates",
            "tests/fixtures/import/unseen_templates",
            "tests/fixtures/import/unseen_templates",
        ),
        (
            "tests/fixtures/import/unseen_flow",
            "tests/fixtures/import/no_such_templates",
            "tests/fixtures/import/no_such_templates",
        ),
    ] {
        let out = tempfile::tempdir().expect("temp dir");
        let output = Command::new(env!("CARGO_BIN_EXE_heatbed"))
            .args(["import", dir, "--templates", templates, "--out"])
            .arg(out.path())
            .current_dir(root())
            .output()
            .expect("run heatbed");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(named), "{stderr}");
        assert_eq!(
            std::fs::read_dir(out.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0,
            "nothing is written on bad input"
        );
    }
}
