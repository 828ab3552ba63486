//! Every recorded document of the load-balancer folder is a checked golden snapshot.

use std::path::{Path, PathBuf};

use heatbed::docs::{compare_values, parse_document};
use heatbed::scenario::Scenario;

use super::{golden, recorded_root, root, snapshot};

/// Every recorded document of the load-balancer folder is a golden document of its own (its
/// `recorded:` names it alone), and each of its checkpoints is a snapshot equal to it: every
/// Gohan, resource reader, job manager, heat worker and collector agent checkpoint.
#[test]
fn every_recorded_document_of_the_folder_is_a_checked_snapshot() {
    let stored = recorded_root().join("esi/05_load_balancer/stored_in_etcd");
    let scenarios = golden();
    let mut named: Vec<(PathBuf, &Scenario, &str)> = Vec::new();
    for scenario in &scenarios {
        let base = root().join(scenario.path.parent().unwrap_or(Path::new(".")));
        for document in scenario.documents.iter().filter(|d| d.recorded.len() == 1) {
            let path = base.join(&document.recorded[0]);
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            named.push((path, scenario, &document.name));
        }
    }
    let mut components: Vec<PathBuf> = std::fs::read_dir(&stored)
        .expect("stored_in_etcd")
        .map(|e| e.expect("entry").path())
        .collect();
    components.sort();
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for component in components {
        let (mut compared, mut total) = (0, 0);
        for file in std::fs::read_dir(&component).expect("component") {
            let file = std::fs::canonicalize(file.expect("entry").path()).expect("file");
            let recorded = parse_document(&std::fs::read_to_string(&file).expect("read"))
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            total += recorded.checkpoints.len();
            let Some((_, scenario, document)) = named.iter().find(|(p, _, _)| *p == file) else {
                continue;
            };
            for (i, c) in recorded.checkpoints.iter().enumerate() {
                let (key, value) = snapshot(scenario, document, i + 1);
                let differences = compare_values(&c.key, &c.value, &key, &value);
                assert!(
                    differences.is_empty(),
                    "{} ({}): {differences:?}",
                    file.display(),
                    i + 1
                );
                compared += 1;
            }
        }
        let name = component.file_name().unwrap_or_default().to_string_lossy();
        counts.push((name.into_owned(), compared, total));
    }
    let workers = ["02_JobManager", "03_HeatWorker", "04_CollectorAgent"];
    let (compared, total) = counts
        .iter()
        .filter(|(name, _, _)| workers.contains(&name.as_str()))
        .fold((0, 0), |(c, t), (_, compared, total)| {
            (c + compared, t + total)
        });
    let mut report: Vec<String> = counts
        .iter()
        .map(|(name, compared, total)| format!("{name}: {compared} of {total} checkpoints golden"))
        .collect();
    report.push(format!(
        "job manager, heat worker and collector agent documents: {compared} of {total} checkpoints golden"
    ));
    let report = report.join("\n");
    println!("{report}");
    assert_eq!((compared, total), (142, 142), "{report}");
    assert!(counts.iter().all(|(_, c, t)| c == t), "{report}");
}
