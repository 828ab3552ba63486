//! `--junit FILE` on `run` and `record`: the run as JUnit XML for CI dashboards, in the shape
//! of the common JUnit schema (`testsuites` > `testsuite` with `properties`, `testcase`s,
//! `system-out`, `system-err`).
//!
//! A testsuite per scenario, a testcase per scenario document: its checkpoints, rendered, are
//! the testcase's `system-out`; checkpoints that differ from their snapshots make one
//! `failure` whose text holds their diffs. Snapshots without a checkpoint and differences from
//! the recording are testcases of their own when there are any. The worker's log is the
//! suite's `system-out`. A scenario that could not run gets an `error` in each document.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use heatbed::scenario::Scenario;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::report::{CheckpointResult, Judged, Status};

/// The report being gathered, scenario by scenario.
pub(super) struct Junit {
    backend: String,
    suites: Vec<Suite>,
}

struct Suite {
    name: String,
    path: PathBuf,
    time: Duration,
    timestamp: SystemTime,
    cases: Vec<Case>,
    log: String,
}

struct Case {
    name: String,
    body: String,
    outcome: Outcome,
}

enum Outcome {
    Passed,
    /// `failure` (`message`, text) or `error` when `error` is set.
    Failed {
        error: bool,
        message: String,
        text: String,
    },
}

impl Junit {
    pub(super) fn new(backend: String) -> Self {
        Junit {
            backend,
            suites: Vec::new(),
        }
    }

    /// A scenario that ran, wholly or in part: a testcase per document (a checkpoint that
    /// never happened fails its document), the final keyspace, and the worker's log.
    pub(super) fn finish(
        &mut self,
        scenario: &Scenario,
        elapsed: Duration,
        judged: &Judged,
        worker_log: &str,
    ) {
        let mut cases: Vec<Case> = scenario
            .documents
            .iter()
            .map(|doc| {
                let missing: Vec<String> = judged
                    .missing
                    .iter()
                    .filter(|m| m.document == doc.name)
                    .map(ToString::to_string)
                    .collect();
                let mut case = document(&doc.name, &doc.title, &judged.results);
                if !missing.is_empty() {
                    let error = judged.error.as_deref().unwrap_or("the run stopped early");
                    case.outcome = Outcome::Failed {
                        error: false,
                        message: format!("{} checkpoint(s) never happened", missing.len()),
                        text: format!("{error}\n{}", missing.join("\n")),
                    };
                }
                case
            })
            .collect();
        if let Some(status) = judged.keyspace.as_ref().filter(|s| !s.ok()) {
            cases.push(failed(
                "keyspace",
                format!("final keyspace: {}", status.word()),
                detail(status),
            ));
        }
        let (orphans, recorded) = (&judged.orphans, &judged.recorded);
        if !orphans.is_empty() {
            let list: Vec<String> = orphans.iter().map(|p| p.display().to_string()).collect();
            cases.push(failed(
                "snapshots without a checkpoint",
                format!("{} snapshot(s) without a checkpoint", list.len()),
                list.join("\n"),
            ));
        }
        if !recorded.is_empty() {
            let message = format!("{} checkpoint(s) differ from the recording", recorded.len());
            cases.push(failed("the recording", message, recorded.join("\n")));
        }
        self.push(scenario, elapsed, cases, worker_log);
    }

    /// A scenario that could not run: every document errs with `message`.
    pub(super) fn error(&mut self, scenario: &Scenario, message: &str) {
        let first = message.lines().next().unwrap_or_default().to_string();
        let errored = |name: String| Case {
            name,
            body: String::new(),
            outcome: Outcome::Failed {
                error: true,
                message: first.clone(),
                text: message.to_string(),
            },
        };
        let mut cases: Vec<Case> = scenario
            .documents
            .iter()
            .map(|doc| errored(format!("{}: {}", doc.name, doc.title)))
            .collect();
        if cases.is_empty() {
            cases.push(errored("run".into()));
        }
        self.push(scenario, Duration::ZERO, cases, "");
    }

    /// Writes the XML to `path`.
    pub(super) fn write(&self, path: &Path) -> anyhow::Result<()> {
        let xml = self.xml().context("cannot render the JUnit report")?;
        std::fs::write(path, xml)
            .with_context(|| format!("cannot write the JUnit report {}", path.display()))
    }

    fn push(&mut self, scenario: &Scenario, time: Duration, cases: Vec<Case>, log: &str) {
        self.suites.push(Suite {
            name: scenario.id.clone(),
            path: scenario.path.clone(),
            time,
            timestamp: SystemTime::now(),
            cases,
            log: log.to_string(),
        });
    }

    fn xml(&self) -> io::Result<Vec<u8>> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let count = |pick: fn(&Case) -> bool| -> usize {
            self.suites
                .iter()
                .map(|s| s.cases.iter().filter(|c| pick(c)).count())
                .sum()
        };
        let time: Duration = self.suites.iter().map(|s| s.time).sum();
        w.create_element("testsuites")
            .with_attribute(("name", "heatbed"))
            .with_attribute(("tests", count(|_| true).to_string().as_str()))
            .with_attribute(("failures", count(is_failure).to_string().as_str()))
            .with_attribute(("errors", count(is_error).to_string().as_str()))
            .with_attribute(("time", seconds(time).as_str()))
            .write_inner_content(|w| {
                for (id, suite) in self.suites.iter().enumerate() {
                    self.suite(w, id, suite)?;
                }
                Ok(())
            })?;
        Ok(w.into_inner())
    }

    fn suite(&self, w: &mut Writer<Vec<u8>>, id: usize, suite: &Suite) -> io::Result<()> {
        let count = |pick: fn(&Case) -> bool| suite.cases.iter().filter(|c| pick(c)).count();
        let timestamp = humantime::format_rfc3339_seconds(suite.timestamp).to_string();
        w.create_element("testsuite")
            .with_attribute(("name", suite.name.as_str()))
            .with_attribute(("package", "heatbed"))
            .with_attribute(("id", id.to_string().as_str()))
            .with_attribute(("tests", suite.cases.len().to_string().as_str()))
            .with_attribute(("failures", count(is_failure).to_string().as_str()))
            .with_attribute(("errors", count(is_error).to_string().as_str()))
            .with_attribute(("time", seconds(suite.time).as_str()))
            .with_attribute(("timestamp", timestamp.trim_end_matches('Z')))
            .with_attribute(("hostname", hostname().as_str()))
            .write_inner_content(|w| {
                w.create_element("properties").write_inner_content(|w| {
                    let path = suite.path.display().to_string();
                    for (name, value) in [("path", path.as_str()), ("etcd", &self.backend)] {
                        w.create_element("property")
                            .with_attribute(("name", name))
                            .with_attribute(("value", clean(value).as_str()))
                            .write_empty()?;
                    }
                    Ok(())
                })?;
                for case in &suite.cases {
                    testcase(w, &suite.name, case)?;
                }
                w.create_element("system-out")
                    .write_text_content(escaped(&suite.log))?;
                w.create_element("system-err").write_empty()?;
                Ok(())
            })?;
        Ok(())
    }
}

fn testcase(w: &mut Writer<Vec<u8>>, classname: &str, case: &Case) -> io::Result<()> {
    w.create_element("testcase")
        .with_attribute(("name", clean(&case.name).as_str()))
        .with_attribute(("classname", classname))
        .with_attribute(("time", "0.000"))
        .write_inner_content(|w| {
            if let Outcome::Failed {
                error,
                message,
                text,
            } = &case.outcome
            {
                let (tag, kind) = if *error {
                    ("error", "run error")
                } else {
                    ("failure", "checkpoint mismatch")
                };
                w.create_element(tag)
                    .with_attribute(("message", clean(message).as_str()))
                    .with_attribute(("type", kind))
                    .write_text_content(escaped(text))?;
            }
            if !case.body.is_empty() {
                w.create_element("system-out")
                    .write_text_content(escaped(&case.body))?;
            }
            Ok(())
        })?;
    Ok(())
}

/// A document's testcase: its checkpoints in the body, a failure if any of them differs.
fn document(name: &str, title: &str, results: &[CheckpointResult]) -> Case {
    let mine: Vec<&CheckpointResult> = results
        .iter()
        .filter(|r| r.captured().document == name)
        .collect();
    let body: Vec<String> = mine
        .iter()
        .map(|r| {
            let c = r.captured();
            format!(
                "({}) {}: {}\n{}\n",
                c.number,
                c.key,
                r.status().word(),
                c.text
            )
        })
        .collect();
    let bad: Vec<&&CheckpointResult> = mine.iter().filter(|r| !r.status().ok()).collect();
    let outcome = if bad.is_empty() {
        Outcome::Passed
    } else {
        let lines: Vec<String> = bad
            .iter()
            .map(|r| {
                format!(
                    "({}) {}: {}",
                    r.captured().number,
                    r.captured().key,
                    r.status().word()
                )
            })
            .collect();
        let text: Vec<String> = bad
            .iter()
            .map(|r| {
                let c = r.captured();
                format!("({}) {}\n{}", c.number, c.key, detail(r.status()))
            })
            .collect();
        Outcome::Failed {
            error: false,
            message: lines.join("; "),
            text: text.join("\n\n"),
        }
    };
    Case {
        name: format!("{name}: {title}"),
        body: body.join("\n"),
        outcome,
    }
}

fn failed(name: &str, message: String, text: String) -> Case {
    Case {
        name: name.into(),
        body: String::new(),
        outcome: Outcome::Failed {
            error: false,
            message,
            text,
        },
    }
}

fn is_failure(case: &Case) -> bool {
    matches!(case.outcome, Outcome::Failed { error: false, .. })
}

fn is_error(case: &Case) -> bool {
    matches!(case.outcome, Outcome::Failed { error: true, .. })
}

fn seconds(time: Duration) -> String {
    format!("{:.3}", time.as_secs_f64())
}

/// Element text: `<`, `>` and `&` escaped, quotes kept as they are (JSON stays readable).
fn escaped(raw: &str) -> BytesText<'static> {
    BytesText::from_escaped(quick_xml::escape::partial_escape(clean(raw)).into_owned())
}

/// The characters XML 1.0 allows (a worker's log may hold terminal escapes).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// What a failing status has to say: its diff or error, or how to get the snapshot.
fn detail(status: &Status) -> String {
    match status {
        Status::Changed(diff) => diff.clone(),
        Status::Broken(e) => e.clone(),
        _ => "no snapshot yet: `heatbed record` writes it for review".into(),
    }
}
