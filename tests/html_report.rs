//! `heatbed run --report DIR --junit FILE` on a failing golden flow, as CI runs it: the HTML
//! report opened in headless Chromium (Debian's `chromium`, see `ci/install-deps.sh`): the
//! rendered sequence diagram has an arrow per event, the failing checkpoint is marked on the
//! event that wrote its key, the filter script ran, nothing was logged to the console, and a
//! screenshot is taken.
//!
//! Without `chromium` the test prints `SKIP: <reason>` and passes, unless `CI` is set: then
//! it fails.

#[path = "support/heatbed.rs"]
mod bin;

use std::path::Path;
use std::process::Command;

const SCENARIO: &str = "scenarios/heat_journal.yaml";
/// The checkpoint whose snapshot the test changes, and the key it watches.
const FAILING: &str = "state-01";
const FAILING_KEY: &str = "/state/v2.0/networks/ce9a7a92-0c5a-4d5d-9d9e-b6f62cfb2b9d";

fn chromium() -> Option<&'static str> {
    let found = Command::new("chromium").arg("--version").output();
    match found {
        Ok(out) if out.status.success() => Some("chromium"),
        _ if std::env::var_os("CI").is_some() => {
            panic!("chromium is missing (CI is set): run ci/install-deps.sh")
        }
        _ => {
            println!("SKIP: chromium is not installed (ci/install-deps.sh installs it)");
            None
        }
    }
}

/// Runs headless Chromium on `page` with `args`: (stdout, stderr).
fn headless(chromium: &str, page: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The number before `word` in `text`, e.g. `12` in `12 etcd writes`.
fn count_before(text: &str, word: &str) -> usize {
    let at = text.find(word).unwrap_or_else(|| panic!("no {word:?}"));
    let digits: String = text[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .expect("a count")
}

/// One flow whose snapshot `failing` (of the store `store`) is changed (`from` -> `to`) run
/// as CI runs it (`CI=true`, `--junit`, `--report`); checks the JUnit file, then opens the
/// report's page in Chromium and checks the diagram: an arrow per event, every checkpoint
/// marked, only the changed one failed and on the write of `key`. Returns the rendered DOM.
fn failing_flow(
    scenario: &str,
    store: &str,
    failing: &str,
    key: &str,
    change: (&str, &str),
) -> String {
    let Some(chromium) = chromium() else {
        return String::new();
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temp dir");
    // The golden snapshots, one of them changed: the run must fail on that checkpoint.
    let snapshots = tmp.path().join("snapshots");
    std::fs::create_dir_all(snapshots.join(store)).expect("snapshot dir");
    for entry in std::fs::read_dir(root.join("snapshots").join(store)).expect("snapshots") {
        let path = entry.expect("entry").path();
        let mut text = std::fs::read_to_string(&path).expect("snapshot");
        if path.file_stem().is_some_and(|s| s == failing) {
            assert!(text.contains(change.0), "{failing} holds {}", change.0);
            text = text.replace(change.0, change.1);
        }
        let copy = snapshots.join(store).join(path.file_name().expect("name"));
        std::fs::write(copy, text).expect("copy");
    }
    let (report, junit) = (tmp.path().join("report"), tmp.path().join("junit.xml"));
    let out = bin::heatbed()
        .env("CI", "true")
        .arg("run")
        .arg(scenario)
        .arg("--snapshots")
        .arg(&snapshots)
        .arg("--report")
        .arg(&report)
        .arg("--junit")
        .arg(&junit)
        .output()
        .expect("heatbed runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{out:?}");
    assert!(stdout.contains(&format!("{key}: changed")), "{stdout}");
    let junit = std::fs::read_to_string(&junit).expect("junit file");
    assert_eq!(junit.matches("<failure").count(), 1, "{junit}");

    let index = std::fs::read_to_string(report.join("index.html")).expect("index");
    assert!(index.contains("0 of 1 scenario(s) passed"), "{index}");
    let page = std::fs::read_dir(&report)
        .expect("report")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("001-"))
        })
        .expect("the scenario's page");
    let html = std::fs::read_to_string(&page).expect("scenario page");
    assert!(no_fetch(&html), "the page loads nothing from elsewhere");

    let (dom, log) = headless(chromium, &page, &["--dump-dom"]);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let events = count_before(&dom, "etcd writes")
        + count_before(&dom, "Heat calls")
        + count_before(&dom, "collector calls");
    assert!(events > 8, "{events} events");
    assert_eq!(dom.matches(r#"<g class="arrow"#).count(), events);
    assert_eq!(dom.matches(r#"<tr id="e"#).count(), events);
    assert_eq!(
        count_before(&dom, "shown</span>"),
        events,
        "the filter script ran"
    );
    // Every checkpoint is a badge; only the changed one failed, on the write of its key.
    let checkpoints = count_before(&dom, "checkpoints (");
    assert_eq!(dom.matches(r#"<g class="mark"#).count(), checkpoints);
    assert_eq!(dom.matches(r#"<g class="mark failed""#).count(), 1);
    let failed = r#"<g class="arrow checkpoint failed" data-seq=""#;
    assert_eq!(dom.matches(failed).count(), 1);
    let at = dom.find(failed).expect("failed arrow") + failed.len();
    let seq: String = dom[at..].chars().take_while(char::is_ascii_digit).collect();
    let row = &dom[dom.find(&format!(r#"<tr id="e{seq}""#)).expect("its row")..];
    let row = &row[..row.find("</tr>").expect("row end")];
    assert!(row.contains(&format!("PUT {key} (rev ")), "{row}");
    assert!(row.contains(r#"<span class="badge failed">"#), "{row}");
    // The failing checkpoint's snapshot and capture side by side, the change highlighted.
    assert!(dom.contains(r#"<td class="del">"#) && dom.contains(r#"<td class="ins">"#));
    let marked: Vec<&str> = dom
        .split("<mark>")
        .skip(1)
        .filter_map(|m| m.split("</mark>").next())
        .collect();
    assert!(
        marked.iter().any(|m| m.contains(change.1)),
        "snapshot's side: {marked:?}"
    );
    assert!(
        marked.iter().any(|m| m.contains(change.0)),
        "capture's side: {marked:?}"
    );

    let shot = tmp.path().join("report.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    headless(chromium, &page, &[&shot_arg, "--window-size=1200,900"]);
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{}",
        png.len()
    );
    dom
}

#[test]
fn a_failing_flow_gets_a_junit_file_and_a_report_whose_diagram_marks_the_failure() {
    let change = ("\"CREATE_COMPLETE\"", "\"CREATE_FAILED\"");
    let dom = failing_flow(SCENARIO, "heat_journal", FAILING, FAILING_KEY, change);
    // The state checkpoint and the seven Heat calls of the journal document are marked.
    if !dom.is_empty() {
        assert_eq!(dom.matches(r#"<g class="arrow checkpoint"#).count(), 8);
    }
}

#[test]
fn a_failing_golden_flow_shows_its_failing_checkpoint_in_place() {
    let key = "/state/v2.0/ports/a7e5822c-5c04-4c5f-a5ac-b0e0ad50159f";
    let change = ("\"CREATE_COMPLETE\"", "\"CREATE_FAILED\"");
    let dom = failing_flow(
        "scenarios/create_loadbalancer.yaml",
        "create_loadbalancer",
        "heat_worker_03-03",
        key,
        change,
    );
    // The monitoring targets Heat created are arrows to the collector's lane.
    if !dom.is_empty() {
        assert!(count_before(&dom, "collector calls") > 0);
    }
}

/// Every `http(s)://` in the page is text (a value, a Heat link), never a resource the page
/// loads: no `src=` or `href=` outside the page, no `@import`, no `url(http`.
fn no_fetch(html: &str) -> bool {
    ["src=\"http", "href=\"http", "@import", "url(http"]
        .iter()
        .all(|p| !html.contains(p))
}

#[test]
fn doc_writes_the_sequence_as_mermaid_next_to_the_documents_and_a_report() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (docs, report) = (tmp.path().join("docs"), tmp.path().join("report"));
    let out = bin::heatbed()
        .arg("doc")
        .arg(SCENARIO)
        .arg("--sequence")
        .arg("--out")
        .arg(&docs)
        .arg("--report")
        .arg(&report)
        .output()
        .expect("heatbed runs");
    assert!(out.status.success(), "{out:?}");
    assert!(docs.join("state.md").exists() && docs.join("heat_calls.md").exists());
    let mermaid = std::fs::read_to_string(docs.join("sequence.mmd")).expect("sequence.mmd");
    let html = std::fs::read_to_string(report.join("001-Heat_request_journal.html"))
        .expect("the report of the run");
    let events = count_before(&html, "etcd writes")
        + count_before(&html, "Heat calls")
        + count_before(&html, "collector calls");
    assert!(mermaid.starts_with("sequenceDiagram\n"), "{mermaid}");
    assert_eq!(mermaid.matches("participant ").count(), 6, "{mermaid}");
    assert_eq!(mermaid.matches("->>").count(), events, "{mermaid}");
    assert!(
        mermaid.contains(&format!(". PUT {FAILING_KEY} (rev ")),
        "{mermaid}"
    );
    // Each checkpoint is a note on its event: the state and the seven Heat calls.
    assert_eq!(mermaid.matches("    Note over ").count(), 8, "{mermaid}");
    assert!(mermaid.contains("Worker->>Heat: "), "{mermaid}");
    assert!(!mermaid.contains("FAILED"), "doc judges nothing: {mermaid}");
}
