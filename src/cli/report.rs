//! What `run` and `record` print: a line per scenario and per checkpoint as text (progress on
//! stderr while a scenario runs), or one JSON document with `--format json`.

use std::path::PathBuf;
use std::time::Duration;

use heatbed::run::Captured;
use heatbed::scenario::Scenario;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};

use super::Format;

/// How one checkpoint came out.
#[derive(Debug)]
pub(super) enum Status {
    Match,
    Missing,
    Changed(String),
    Pending(PathBuf),
    Accepted(PathBuf),
    Broken(String),
}

impl Status {
    pub(super) fn ok(&self) -> bool {
        matches!(
            self,
            Status::Match | Status::Pending(_) | Status::Accepted(_)
        )
    }

    pub(super) fn word(&self) -> &'static str {
        match self {
            Status::Match => "match",
            Status::Missing => "missing snapshot",
            Status::Changed(_) => "changed",
            Status::Pending(_) => "pending",
            Status::Accepted(_) => "accepted",
            Status::Broken(_) => "error",
        }
    }
}

/// One checkpoint and its status.
#[derive(Debug)]
pub(super) struct CheckpointResult {
    captured: Captured,
    status: Status,
}

impl CheckpointResult {
    pub(super) fn new(captured: &Captured, status: Status) -> Self {
        CheckpointResult {
            captured: captured.clone(),
            status,
        }
    }

    pub(super) fn captured(&self) -> &Captured {
        &self.captured
    }

    pub(super) fn status(&self) -> &Status {
        &self.status
    }
}

pub(super) struct Report {
    format: Format,
    show: bool,
    backend: String,
    progress: Option<ProgressBar>,
    scenarios: Vec<Value>,
    passed: usize,
    failed: usize,
}

impl Report {
    pub(super) fn new(format: Format, show: bool, backend: String) -> Self {
        Report {
            format,
            show,
            backend,
            progress: None,
            scenarios: Vec::new(),
            passed: 0,
            failed: 0,
        }
    }

    pub(super) fn start(&mut self, scenario: &Scenario) {
        let bar =
            ProgressBar::new_spinner().with_message(format!("{} ({})", scenario.id, self.backend));
        if let Ok(style) = ProgressStyle::with_template("{spinner} running {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        self.progress = Some(bar);
    }

    pub(super) fn finish(
        &mut self,
        scenario: &Scenario,
        elapsed: Duration,
        results: Vec<CheckpointResult>,
        orphans: Vec<PathBuf>,
        recorded: Vec<String>,
    ) {
        self.stop_progress();
        let ok = results.iter().all(|r| r.status.ok()) && orphans.is_empty() && recorded.is_empty();
        self.count(ok);
        if self.format == Format::Text {
            println!(
                "{} {} ({}) in {:.2?}",
                verdict(ok),
                scenario.id,
                scenario.name,
                elapsed
            );
            let mut document = "";
            for r in &results {
                let c = &r.captured;
                if c.document != document {
                    println!("  # {} [{}]", c.title, c.document);
                    document = &c.document;
                }
                println!("    ({}) {}: {}", c.number, c.key, r.status.word());
                if self.show {
                    println!("{}\n", indent(&c.text, 6));
                }
                match &r.status {
                    Status::Changed(diff) => println!("{}", indent(diff, 6)),
                    Status::Missing => {
                        println!("      no snapshot yet: `heatbed record` writes it for review")
                    }
                    Status::Pending(p) | Status::Accepted(p) => {
                        println!("      -> {}", p.display())
                    }
                    Status::Broken(e) => println!("      {e}"),
                    Status::Match => {}
                }
            }
            for mismatch in &recorded {
                println!("    differs from the recording: {mismatch}");
            }
            for orphan in &orphans {
                println!(
                    "    snapshot without a checkpoint: {} (remove it, or `heatbed record --accept`)",
                    orphan.display()
                );
            }
        }
        self.scenarios.push(json!({
            "id": scenario.id,
            "name": scenario.name,
            "path": scenario.path,
            "status": if ok { "pass" } else { "fail" },
            "elapsed_ms": elapsed.as_millis() as u64,
            "checkpoints": results.iter().map(|r| json!({
                "document": r.captured.document,
                "number": r.captured.number,
                "key": r.captured.key,
                "revision": r.captured.revision,
                "status": r.status.word(),
                "value": r.captured.text,
                "diff": match &r.status { Status::Changed(d) => Value::from(d.as_str()), _ => Value::Null },
            })).collect::<Vec<_>>(),
            "orphans": orphans,
            "recorded_mismatches": recorded,
        }));
    }

    pub(super) fn error(&mut self, scenario: &Scenario, message: String) {
        self.stop_progress();
        self.count(false);
        if self.format == Format::Text {
            println!(
                "{} {} ({})\n{}",
                verdict(false),
                scenario.id,
                scenario.name,
                indent(&message, 2)
            );
        }
        self.scenarios.push(json!({
            "id": scenario.id,
            "name": scenario.name,
            "path": scenario.path,
            "status": "error",
            "error": message,
        }));
    }

    /// Prints the summary; whether everything passed.
    pub(super) fn summary(self) -> bool {
        let ok = self.failed == 0;
        match self.format {
            Format::Text => println!("{} passed, {} failed", self.passed, self.failed),
            Format::Json => println!(
                "{}",
                json!({"backend": self.backend, "passed": self.passed, "failed": self.failed, "scenarios": self.scenarios})
            ),
        }
        ok
    }

    fn count(&mut self, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
    }

    fn stop_progress(&mut self) {
        if let Some(bar) = self.progress.take() {
            bar.finish_and_clear();
        }
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
