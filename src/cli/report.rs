//! What `run` and `record` print: a line per scenario and per checkpoint as text (progress on
//! stderr while a scenario runs), or one JSON document with `--format json`.

use std::path::PathBuf;
use std::time::Duration;

use heatbed::report::{
    CheckpointReport, CheckpointStatus, KeyspaceReport, MissingReport, RunReport, ScenarioReport,
    ScenarioStatus,
};
use heatbed::run::{Captured, Missing, Partition};
use heatbed::scenario::Scenario;
use indicatif::{ProgressBar, ProgressStyle};

use super::Format;
use super::color;

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
        self.kind().ok()
    }

    pub(super) fn word(&self) -> &'static str {
        self.kind().word()
    }

    fn kind(&self) -> CheckpointStatus {
        match self {
            Status::Match => CheckpointStatus::Match,
            Status::Missing => CheckpointStatus::MissingSnapshot,
            Status::Changed(_) => CheckpointStatus::Changed,
            Status::Pending(_) => CheckpointStatus::Pending,
            Status::Accepted(_) => CheckpointStatus::Accepted,
            Status::Broken(_) => CheckpointStatus::Error,
        }
    }

    fn diff(&self) -> Option<String> {
        match self {
            Status::Changed(d) => Some(d.clone()),
            _ => None,
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

/// How one scenario's run came out, judged.
#[derive(Debug, Default)]
pub(super) struct Judged {
    /// Each checkpoint that happened.
    pub(super) results: Vec<CheckpointResult>,
    /// Each checkpoint that never happened.
    pub(super) missing: Vec<Missing>,
    /// The final keyspace against `keyspace.snap`, when the scenario declares one.
    pub(super) keyspace: Option<Status>,
    /// Snapshot files no checkpoint refers to.
    pub(super) orphans: Vec<PathBuf>,
    /// Differences from the recordings (`--recorded`).
    pub(super) recorded: Vec<String>,
    /// Why the run stopped early, for a partial run.
    pub(super) error: Option<String>,
    /// The invariants checked from the run's history (`None`: not checked).
    pub(super) invariants: Option<heatbed::run::Invariants>,
}

impl Judged {
    fn ok(&self) -> bool {
        self.results.iter().all(|r| r.status.ok())
            && self.keyspace.as_ref().is_none_or(Status::ok)
            && self.missing.is_empty()
            && self.orphans.is_empty()
            && self.recorded.is_empty()
            && self.error.is_none()
    }
}

pub(super) struct Report {
    format: Format,
    show: bool,
    backend: String,
    /// Over every scenario; drawn only when stderr is a terminal.
    progress: ProgressBar,
    /// Checkpoints captured so far, of those the scenarios declare.
    checkpoints: (usize, usize),
    color: bool,
    /// What `--format json` prints at the end.
    json: RunReport,
}

impl Report {
    /// A report of `total` scenarios, coloured when `color`.
    pub(super) fn new(
        format: Format,
        show: bool,
        backend: String,
        partition: Option<Partition>,
        scenarios: &[Scenario],
        color: bool,
    ) -> Self {
        let progress = ProgressBar::new(scenarios.len() as u64);
        let template = "{spinner} [{bar:30}] {pos}/{len} scenarios, {msg} {elapsed}";
        let declared = scenarios
            .iter()
            .flat_map(|s| &s.documents)
            .map(|d| d.checkpoints.len())
            .sum();
        if let Ok(style) = ProgressStyle::with_template(template) {
            progress.set_style(style.progress_chars("=> "));
        }
        Report {
            format,
            show,
            json: RunReport {
                backend: backend.clone(),
                passed: 0,
                failed: 0,
                partition,
                scenarios: Vec::new(),
            },
            backend,
            progress,
            checkpoints: (0, declared),
            color,
        }
    }

    pub(super) fn start(&mut self, scenario: &Scenario) {
        let (done, declared) = self.checkpoints;
        self.progress.set_message(format!(
            "{done}/{declared} checkpoints, running {} ({})",
            scenario.id, self.backend
        ));
        self.progress.enable_steady_tick(Duration::from_millis(100));
    }

    pub(super) fn finish(&mut self, scenario: &Scenario, elapsed: Duration, judged: Judged) {
        let ok = judged.ok();
        self.count(ok);
        self.checkpoints.0 += judged.results.len();
        self.progress.inc(1);
        if self.format == Format::Text {
            self.progress
                .clone()
                .suspend(|| self.print_text(scenario, elapsed, ok, &judged));
        }
        self.push_json(scenario, elapsed, ok, &judged);
    }

    fn print_text(&self, scenario: &Scenario, elapsed: Duration, ok: bool, judged: &Judged) {
        println!(
            "{} {} ({}) in {:.2?}",
            color::verdict(verdict(ok), ok, self.color),
            scenario.id,
            scenario.name,
            elapsed
        );
        self.print_documents(scenario, judged);
        if let Some(status) = &judged.keyspace {
            println!("  # final keyspace [keyspace]: {}", status.word());
            self.print_status(status);
        }
        if let Some(invariants) = &judged.invariants {
            println!("  invariants: {}", invariants.summary());
        }
        for mismatch in &judged.recorded {
            println!("    differs from the recording: {mismatch}");
        }
        for orphan in &judged.orphans {
            println!(
                "    snapshot without a checkpoint: {} (remove it, or `heatbed record --accept`)",
                orphan.display()
            );
        }
        if let Some(error) = &judged.error {
            println!("{}", indent(error, 2));
        }
    }

    fn push_json(&mut self, scenario: &Scenario, elapsed: Duration, ok: bool, judged: &Judged) {
        let status = match (&judged.error, ok) {
            (Some(_), _) => ScenarioStatus::Partial,
            (None, true) => ScenarioStatus::Pass,
            (None, false) => ScenarioStatus::Fail,
        };
        let checkpoints = judged.results.iter().map(|r| CheckpointReport {
            document: r.captured.document.clone(),
            number: r.captured.number,
            key: r.captured.key.clone(),
            revision: r.captured.revision,
            status: r.status.kind(),
            value: r.captured.text.clone(),
            diff: r.status.diff(),
        });
        let missing = judged.missing.iter().map(|m| MissingReport {
            document: m.document.clone(),
            number: m.number,
            key: m.key.clone(),
            detail: m.detail.clone(),
        });
        self.json.scenarios.push(ScenarioReport {
            elapsed_ms: Some(u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)),
            checkpoints: checkpoints.collect(),
            missing: missing.collect(),
            keyspace: judged.keyspace.as_ref().map(|k| KeyspaceReport {
                status: k.kind(),
                diff: k.diff(),
            }),
            orphans: judged.orphans.clone(),
            recorded_mismatches: judged.recorded.clone(),
            error: judged.error.clone(),
            invariants: judged.invariants.clone(),
            ..scenario_report(scenario, status)
        });
    }

    /// Each document's checkpoints in number order, those that never happened marked.
    fn print_documents(&self, scenario: &Scenario, judged: &Judged) {
        for document in &scenario.documents {
            let mut lines: Vec<(usize, Option<&CheckpointResult>, Option<&Missing>)> = judged
                .results
                .iter()
                .filter(|r| r.captured.document == document.name)
                .map(|r| (r.captured.number, Some(r), None))
                .chain(
                    judged
                        .missing
                        .iter()
                        .filter(|m| m.document == document.name)
                        .map(|m| (m.number, None, Some(m))),
                )
                .collect();
            if lines.is_empty() {
                continue;
            }
            lines.sort_by_key(|(number, ..)| *number);
            println!("  # {} [{}]", document.title, document.name);
            for (number, result, missing) in lines {
                if let Some(m) = missing {
                    println!("    ({number}) {}: NEVER HAPPENED ({})", m.key, m.detail);
                }
                let Some(r) = result else { continue };
                let word = color::verdict(r.status.word(), r.status.ok(), self.color);
                println!("    ({number}) {}: {word}", r.captured.key);
                if self.show {
                    println!("{}\n", indent(&r.captured.text, 6));
                }
                self.print_status(&r.status);
            }
        }
    }

    fn print_status(&self, status: &Status) {
        match status {
            Status::Changed(diff) => println!("{}", indent(&color::diff(diff, self.color), 6)),
            Status::Missing => {
                println!("      no snapshot yet: `heatbed record` writes it for review")
            }
            Status::Pending(p) | Status::Accepted(p) => println!("      -> {}", p.display()),
            Status::Broken(e) => println!("      {e}"),
            Status::Match => {}
        }
    }

    pub(super) fn error(&mut self, scenario: &Scenario, message: String) {
        self.count(false);
        self.progress.inc(1);
        if self.format == Format::Text {
            self.progress.suspend(|| {
                println!(
                    "{} {} ({})\n{}",
                    color::verdict(verdict(false), false, self.color),
                    scenario.id,
                    scenario.name,
                    indent(&message, 2)
                )
            });
        }
        self.json.scenarios.push(ScenarioReport {
            error: Some(message),
            ..scenario_report(scenario, ScenarioStatus::Error)
        });
    }

    /// Prints the summary; whether everything passed.
    pub(super) fn summary(self) -> bool {
        self.progress.finish_and_clear();
        let (passed, failed) = (self.json.passed, self.json.failed);
        match self.format {
            Format::Text => println!("{passed} passed, {failed} failed"),
            Format::Json => println!("{}", self.json.to_json()),
        }
        failed == 0
    }

    fn count(&mut self, ok: bool) {
        if ok {
            self.json.passed += 1;
        } else {
            self.json.failed += 1;
        }
    }
}

/// A scenario's entry, nothing judged yet.
fn scenario_report(scenario: &Scenario, status: ScenarioStatus) -> ScenarioReport {
    ScenarioReport {
        id: scenario.id.clone(),
        name: scenario.name.clone(),
        path: scenario.path.clone(),
        status,
        elapsed_ms: None,
        checkpoints: Vec::new(),
        missing: Vec::new(),
        keyspace: None,
        orphans: Vec::new(),
        recorded_mismatches: Vec::new(),
        error: None,
        invariants: None,
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
