//! Imperfect folders: documents that cannot be read are warnings naming file and line, the
//! run's own templates win over the folder's, and the summary counts what was not derived.

use std::path::{Path, PathBuf};

use heatbed::docs::{Gap, compare_with_recorded, import};
use heatbed::etcd::Backend;
use heatbed::run::run_on;
use heatbed::scenario::load;

use super::{fixtures, load_balancer_folder, root};

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

    let output = crate::bin::heatbed()
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
    // What it wrote runs and reproduces the recording: the catalogue's extra templates are
    // inert, and the jobs take the run's own templates.
    let scenario =
        load(&out.path().join("create_loadbalancer.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let outcome = runtime
        .block_on(run_on(&Backend::Auto, &scenario))
        .unwrap_or_else(|e| panic!("{e}"));
    let mismatches =
        compare_with_recorded(&scenario, &outcome.checkpoints).unwrap_or_else(|e| panic!("{e}"));
    let shown: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
    assert!(
        outcome.checkpoints.len() > 100,
        "{}",
        outcome.checkpoints.len()
    );
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
