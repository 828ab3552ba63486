//! `heatbed import`: the recorded `05_load_balancer` folder gives the checked-in golden
//! scenarios, and a flow of a resource type heatbed has never seen (`traffic_mirror`: no
//! embedded schema, no code names it; `tests/fixtures/import/`) imports and reproduces its
//! recording on the reference worker.

use std::path::{Path, PathBuf};
use std::process::Command;

use heatbed::docs::{Gap, ImportError, compare_with_recorded, import, recorded_checkpoints};
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
        let imported_scenarios = &imported.scenarios;
        assert_eq!(imported_scenarios.len(), 1, "{flow}");
        assert_eq!(imported_scenarios[0].flow, flow);
        assert_eq!(imported_scenarios[0].file_name, file);
        let path = scenarios.join(file);
        let checked_in =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            imported_scenarios[0].yaml == checked_in,
            "{} is not what `heatbed import` makes of the recording; regenerate it:\n  cargo run -- import tests/recorded/esi/05_load_balancer --templates scenarios/fixtures/run05_heat_templates --flow {flow} --out scenarios/{file}",
            path.display()
        );
        assert_fixtures_checked_in(&imported.fixtures, &scenarios);
    }
}

/// The fixtures an import writes are checked in under `scenarios/`, byte for byte, and their
/// folder holds nothing else.
fn assert_fixtures_checked_in(fixtures: &[heatbed::docs::Fixture], scenarios: &Path) {
    assert!(!fixtures.is_empty(), "the recorded run's store has keys");
    for fixture in fixtures {
        let path = scenarios.join(&fixture.path);
        let checked_in =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            checked_in == fixture.content,
            "{} is not what `heatbed import` makes of the recording",
            path.display()
        );
    }
    let folder = scenarios.join(fixtures[0].path.parent().expect("a fixture folder"));
    let on_disk = std::fs::read_dir(&folder).expect("fixture folder").count();
    assert_eq!(
        on_disk,
        fixtures.len(),
        "stale files in {}",
        folder.display()
    );
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
    let flows: Vec<&str> = imported.scenarios.iter().map(|i| i.flow.as_str()).collect();
    assert_eq!(flows, ["CreateTrafficMirror", "UpdateTrafficMirror"]);
    write_fixtures(&imported.fixtures, out.path());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    for scenario in &imported.scenarios {
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

fn write_fixtures(fixtures: &[heatbed::docs::Fixture], dir: &Path) {
    for fixture in fixtures {
        let path = dir.join(&fixture.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("fixture folder");
        std::fs::write(&path, &fixture.content).expect("write a fixture");
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

/// The published catalogue, with its stray unclosed fence in `edge_router.md`.
fn catalogue() -> PathBuf {
    root().join("tests/recorded/esi/heat_template")
}

#[test]
fn the_imperfect_published_catalogue_imports_with_a_warning_naming_file_and_line() {
    let out = tempfile::tempdir().expect("temp dir");
    let imported = import(
        &load_balancer_folder(),
        &catalogue(),
        Some("CreateLoadbalancer"),
        out.path(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.scenarios.len(), 1);
    let warnings: Vec<&Gap> = imported.summary.warnings().collect();
    assert!(
        matches!(warnings[..], [Gap::PartlyReadDocument { path, line: 72, message }]
            if path.ends_with("edge_router.md") && message.contains("never closed")),
        "{warnings:?}"
    );
    // Its complete first block is used.
    assert!(
        imported.fixtures.iter().any(|f| f
            .path
            .to_string_lossy()
            .ends_with("heat_templates_edge_router.json")),
        "edge_router's first block is not in the store"
    );

    let output = Command::new(env!("CARGO_BIN_EXE_heatbed"))
        .args([
            "import",
            "tests/recorded/esi/05_load_balancer",
            "--templates",
            "tests/recorded/esi/heat_template",
            "--flow",
            "CreateLoadbalancer",
            "--out",
        ])
        .arg(out.path())
        .current_dir(root())
        .output()
        .expect("run heatbed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning: tests/recorded/esi/heat_template/edge_router.md:72: code block is never closed"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 documents read up to a fault"),
        "{stderr}"
    );
    assert!(out.path().join("create_loadbalancer.yaml").is_file());
}

/// The catalogue's `vnf_instance` says `heat_timeout` C30; the run loaded C18 (its config
/// watcher log, and the job documents show 18): the run's version wins, and templates only the
/// catalogue has fill the gaps, each counted in the summary.
#[test]
fn templates_the_run_loaded_win_over_the_folder_and_the_summary_counts_the_gaps() {
    let out = tempfile::tempdir().expect("temp dir");
    let imported = import(&load_balancer_folder(), &catalogue(), None, out.path())
        .unwrap_or_else(|e| panic!("{e}"));
    let timeout = |value: &serde_json::Value| {
        value
            .pointer("/body/parameter_mappings/heat_timeout")
            .cloned()
    };
    let published =
        std::fs::read_to_string(catalogue().join("vnf_instance.md")).expect("catalogue");
    let published = heatbed::docs::parse_document(&published).expect("vnf_instance.md");
    assert_eq!(
        timeout(&published.checkpoints[0].value),
        Some(serde_json::json!("C30"))
    );
    let fixture = imported
        .fixtures
        .iter()
        .find(|f| {
            f.path
                .to_string_lossy()
                .ends_with("heat_templates_vnf_instance.json")
        })
        .expect("the vnf_instance template");
    let stored: serde_json::Value = serde_json::from_str(&fixture.content).expect("JSON");
    let body: serde_json::Value =
        serde_json::from_str(stored["body"].as_str().expect("a Gohan body string")).expect("body");
    assert_eq!(
        timeout(&serde_json::json!({ "body": body })),
        Some(serde_json::json!("C18"))
    );

    // 47 catalogue documents, 35 of them loaded by the run (which loaded 3 more of its own).
    assert_eq!(
        imported.summary.counts(),
        [
            ("documents read up to a fault", 1),
            ("flows not in the config log (ordered by references)", 1),
            (
                "templates not in the run's config log (from --templates)",
                12
            ),
        ],
        "{}",
        imported.summary
    );
    let from_catalogue = imported
        .summary
        .gaps
        .iter()
        .filter(|g| matches!(g, Gap::TemplateNotFromRun { .. }))
        .count();
    let templates = imported
        .fixtures
        .iter()
        .filter(|f| f.path.to_string_lossy().contains("heat_templates_"))
        .count();
    assert_eq!(templates, 38 + from_catalogue, "the run's 38 and the gaps");
}

/// A flow folder with a document that has no complete block, and one with a stray fence after
/// its blocks: both are warnings, and the import makes the same scenarios as without them.
#[test]
fn a_broken_document_in_a_flow_folder_is_a_warning_and_the_import_goes_on() {
    let work = tempfile::tempdir().expect("temp dir");
    let (clean, broken) = (work.path().join("a"), work.path().join("b"));
    for dir in [&clean, &broken] {
        copy_dir(&fixtures().join("unseen_flow"), &dir.join("flow"));
    }
    let stored = broken.join("flow/stored_in_etcd");
    std::fs::write(
        stored.join("03_HeatWorker/CreateTrafficMirror_09.md"),
        "# Stored data in etcd: Broken\n\n```\n/state/v2.0/traffic_mirrors/x\n{\n",
    )
    .expect("write");
    let partly = stored.join("02_JobManager/CreateTrafficMirror_02.md");
    let text = std::fs::read_to_string(&partly).expect("read");
    let fence_line = text.lines().count() + 2;
    std::fs::write(&partly, format!("{text}\n```\n/stray\n")).expect("write");

    let run = |dir: &Path| {
        import(
            &dir.join("flow"),
            &fixtures().join("unseen_templates"),
            None,
            &dir.join("out"),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let (expected, got) = (run(&clean), run(&broken));
    let warnings: Vec<String> = got.summary.warnings().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("CreateTrafficMirror_02.md:")
            && warnings[0].contains(&format!(":{fence_line}: code block is never closed")),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("CreateTrafficMirror_09.md:3: code block is never closed")
            && warnings[1].contains("left out"),
        "{warnings:?}"
    );
    assert_eq!(expected.summary.warnings().count(), 0);
    assert_eq!(got.scenarios, expected.scenarios);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}
