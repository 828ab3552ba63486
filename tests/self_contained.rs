//! A clone of the repository is all a user has: nothing the product or its tests read may lie
//! outside it. Every path a scenario names (`recorded:` documents, `file:` fixtures) resolves
//! inside the repository, and no source, test, scenario or CI script names the folder the
//! recordings were vendored from.

use std::path::{Path, PathBuf};

use heatbed::scenario::{discover, load};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("the repository exists")
}

/// Every text file below `dir`, recursively (the vendored recordings are data, not readers).
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "recorded") {
                continue;
            }
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn inside(root: &Path, base: &Path, rel: &str) -> Result<PathBuf, String> {
    let path = base.join(rel);
    let resolved = path
        .canonicalize()
        .map_err(|e| format!("{} does not exist ({e})", path.display()))?;
    if resolved.starts_with(root) {
        Ok(resolved)
    } else {
        Err(format!("{} leaves the repository", path.display()))
    }
}

#[test]
fn every_path_a_scenario_names_is_inside_the_repository() {
    let root = root();
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in discover(&[root.join("scenarios")]).expect("scenarios") {
        let scenario = load(&file).unwrap_or_else(|e| panic!("{e}"));
        let base = file.parent().expect("a scenario file has a folder");
        let text = std::fs::read_to_string(&file).expect("readable");
        let yaml: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
        let steps = yaml["steps"].as_array().cloned().unwrap_or_default();
        let fixtures = steps
            .into_iter()
            .filter_map(|step| step["file"].as_str().map(str::to_string));
        let recorded = scenario.documents.iter().flat_map(|d| d.recorded.clone());
        for rel in recorded.chain(fixtures) {
            checked += 1;
            if let Err(e) = inside(&root, base, &rel) {
                problems.push(format!("{}: {e}", file.display()));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} paths found: is the scan still right?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_source_test_or_script_reads_beside_the_repository() {
    let root = root();
    // Spelled in two pieces so this file does not name it itself.
    let sibling = format!("../{}/", "shared");
    let mut all = Vec::new();
    for dir in ["src", "tests", "scenarios", "ci", "benches", ".ci"] {
        files(&root.join(dir), &mut all);
    }
    assert!(all.len() > 50, "only {} files found", all.len());
    let offenders: Vec<String> = all
        .iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|text| text.contains(&sibling)))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "these files read outside the repository (vendor into tests/recorded/ instead):\n{}",
        offenders.join("\n")
    );
}
