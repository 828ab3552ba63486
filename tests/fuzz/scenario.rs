//! The scenario loader on mutated scenario YAML: it never panics, and every error it gives
//! names the file and a real `line:column` (never `?:?`).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use proptest::prelude::*;
use regex::Regex;

/// The checked-in scenarios plus a few small ones: the seeds every mutation starts from.
static SEEDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut seeds: Vec<String> = std::fs::read_dir(dir)
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| std::fs::read_to_string(p).expect("readable scenario"))
        .collect();
    seeds.sort();
    seeds.extend([
        String::new(),
        "name: x\n".into(),
        "name: x\nsteps: []\n".into(),
        "name: x\nsteps:\n  - put: {key: /a, value: 1}\n".into(),
    ]);
    seeds
});

/// One edit of a scenario's lines.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    /// Replaces the scalar after the line's first `: ` with another.
    Scalar(usize, String),
    /// Inserts `key: value` with the indentation of the line.
    Insert(usize, String, String),
    /// Inserts raw text (random characters) before the line.
    Raw(usize, String),
    /// Wraps the line's value in `depth` levels of flow sequences.
    Nest(usize, usize),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("~".to_string()),
        Just("true".to_string()),
        Just("yes".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("[1, {a: b}]".to_string()),
        Just("99999999999999999999999999999999999".to_string()),
        Just("-9223372036854775809".to_string()),
        Just("1e400".to_string()),
        Just(".nan".to_string()),
        Just("&a x".to_string()),
        Just("*a".to_string()),
        Just("!!binary aGVsbG8=".to_string()),
        Just("\"unterminated".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        "[ -~]{0,12}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<usize>();
    prop_oneof![
        at.prop_map(Edit::Delete),
        at.prop_map(Edit::Duplicate),
        (at, any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (at, scalar()).prop_map(|(a, s)| Edit::Scalar(a, s)),
        (at, "[a-z_]{1,10}", scalar()).prop_map(|(a, k, v)| Edit::Insert(a, k, v)),
        (at, any::<String>()).prop_map(|(a, s)| Edit::Raw(a, s)),
        (at, 1usize..2000).prop_map(|(a, d)| Edit::Nest(a, d)),
    ]
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = seed.lines().map(String::from).collect();
    for edit in edits {
        let len = lines.len().max(1);
        let line = |i: &usize| i % len;
        if lines.is_empty() {
            lines.push(String::new());
        }
        match edit {
            Edit::Delete(i) => {
                lines.remove(line(i));
            }
            Edit::Duplicate(i) => {
                let copy = lines[line(i)].clone();
                lines.insert(line(i), copy);
            }
            Edit::Swap(a, b) => lines.swap(line(a), line(b)),
            Edit::Scalar(i, value) => {
                let l = &mut lines[line(i)];
                if let Some(at) = l.find(": ") {
                    l.replace_range(at + 2.., value);
                }
            }
            Edit::Insert(i, key, value) => {
                let l = &lines[line(i)];
                let indent = &l[..l.len() - l.trim_start().len()];
                let new = format!("{indent}{key}: {value}");
                lines.insert(line(i), new);
            }
            Edit::Raw(i, text) => lines.insert(line(i), text.clone()),
            Edit::Nest(i, depth) => {
                let l = &mut lines[line(i)];
                if let Some(at) = l.find(": ") {
                    let value = l[at + 2..].to_string();
                    let nested = format!("{}{value}{}", "[".repeat(*depth), "]".repeat(*depth));
                    l.replace_range(at + 2.., &nested);
                }
            }
        }
    }
    lines.join("\n")
}

/// Loads `bytes` from a file of this thread's own and checks the outcome: no panic, and
/// (when `positions`) every error names `file:line:col`.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    check_with(bytes, true)
}

fn check_with(bytes: &[u8], positions: bool) -> Result<(), TestCaseError> {
    static POSITION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^:[1-9]\d*:[1-9]\d*: ").expect("valid regex"));
    let path: PathBuf = std::env::temp_dir().join(format!(
        "heatbed-fuzz-{}-{:?}.yaml",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, bytes).expect("temp file");
    let outcome = std::panic::catch_unwind(|| heatbed::scenario::load(&path));
    let _ = std::fs::remove_file(&path);
    let Ok(result) = outcome else {
        return Err(TestCaseError::fail("the loader panicked"));
    };
    if let (Err(error), true) = (result, positions) {
        let message = error.to_string();
        // The file, then a real `line:col` (never `?:?`); the message may quote anything.
        let position = message.strip_prefix(&path.display().to_string());
        prop_assert!(
            position.is_some_and(|p| POSITION.is_match(p)),
            "no file:line:col: {message}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::config(256))]

    #[test]
    fn mutated_scenarios_never_panic(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec(edit(), 0..6),
    ) {
        check_with(apply(&SEEDS[seed], &edits).as_bytes(), false)?;
    }

    #[test]
    fn mutated_scenarios_load_or_name_file_line_col(
        seed in 0..SEEDS.len(),
        edits in proptest::collection::vec(edit(), 0..6),
    ) {
        check(apply(&SEEDS[seed], &edits).as_bytes())?;
    }

    #[test]
    fn random_text_loads_or_names_file_line_col(text in any::<String>()) {
        check(text.as_bytes())?;
    }

    #[test]
    fn random_bytes_load_or_name_file_line_col(
        seed in 0..SEEDS.len(),
        at in any::<usize>(),
        bytes in proptest::collection::vec(any::<u8>(), 1..16),
    ) {
        let mut text = SEEDS[seed].clone().into_bytes();
        let at = at % (text.len() + 1);
        text.splice(at..at, bytes);
        check(&text)?;
    }
}

/// Found by `random_bytes_load_or_name_file_line_col`: a file that is not UTF-8 was a read
/// error without a position.
#[test]
fn a_file_that_is_not_utf8_names_the_bad_byte() {
    let path = std::env::temp_dir().join(format!("heatbed-fuzz-{}-utf8.yaml", std::process::id()));
    std::fs::write(&path, b"name: t\nsteps: [x\xff]\n").expect("temp file");
    let message = heatbed::scenario::load(&path)
        .expect_err("not UTF-8")
        .to_string();
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        message,
        format!(
            "{}:2:10: at `.`: the file is not valid UTF-8",
            path.display()
        )
    );
}
