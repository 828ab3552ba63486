//! The pages: the index (a row per scenario) and a page per scenario (summary, sequence
//! diagram, checkpoints with side-by-side differences, timeline). Self-contained: inline
//! style and one small inline script, nothing fetched.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::events::{Event, events};
use super::{Judgement, Page, escape, svg, timeline};

/// One scenario's line in the index.
pub(super) struct Entry {
    pub(super) file: String,
    pub(super) name: String,
    pub(super) ok: bool,
    pub(super) seconds: f64,
    pub(super) counts: String,
}

/// The page of one scenario, and its index entry.
pub(super) fn page(file: String, page: &Page<'_>) -> (String, Entry) {
    let mut body = String::new();
    let (events, counts) = match page.outcome {
        Some(outcome) => {
            let judged = |c: &crate::run::Captured| page.judgement(c).is_none_or(|j| j.ok);
            let events = events(outcome, judged);
            let failed = page.judgements.iter().filter(|j| !j.ok).count();
            let counts = format!(
                "{} checkpoints ({} failed, {} never happened), {} etcd writes, {} Heat calls, {} collector calls",
                outcome.checkpoints.len(),
                failed,
                outcome.missing.len(),
                outcome.history.len(),
                outcome.heat_calls.len(),
                outcome
                    .heat_calls
                    .iter()
                    .map(|c| c.hooks.len())
                    .sum::<usize>()
            );
            (events, counts)
        }
        None => (Vec::new(), "not run".to_string()),
    };
    let ok = page.ok();
    let seconds = page.outcome.map_or(0.0, |o| o.elapsed.as_secs_f64());
    let _ = write!(
        body,
        r#"<p><a href="index.html">← all scenarios</a></p><h1>{} <span class="{}">{}</span></h1><p><code>{}</code> — {seconds:.2} s — {}</p>"#,
        escape(page.name),
        if ok { "pass" } else { "fail" },
        if ok { "pass" } else { "FAIL" },
        escape(&page.path.display().to_string()),
        escape(&counts),
    );
    if let Some(error) = page.error {
        let _ = write!(body, r#"<pre class="error">{}</pre>"#, escape(error));
    }
    if let Some(outcome) = page.outcome {
        invariants(&mut body, outcome);
        body.push_str(r#"<h2>Sequence</h2><div class="diagram">"#);
        body.push_str(&svg::diagram(&events, &outcome.missing));
        body.push_str("</div><h2>Checkpoints</h2>");
        checkpoints(&mut body, page, &events);
        body.push_str("<h2>Timeline</h2>");
        body.push_str(&timeline::table(&events));
    }
    let entry = Entry {
        file,
        name: page.name.to_string(),
        ok,
        seconds,
        counts,
    };
    (document(page.name, &body), entry)
}

/// The invariants' counts, and each broken one with its violations.
fn invariants(body: &mut String, outcome: &crate::run::Outcome) {
    let Some(invariants) = &outcome.invariants else {
        return;
    };
    let _ = write!(
        body,
        "<h2>Invariants</h2><p>{}</p>",
        escape(&invariants.summary())
    );
    for check in invariants.broken() {
        let lines: Vec<String> = check.violations.iter().map(ToString::to_string).collect();
        let _ = write!(
            body,
            r#"<p class="fail">broken: {}</p><pre class="error">{}</pre>"#,
            escape(check.invariant.describe()),
            escape(&lines.join("\n"))
        );
    }
}

fn checkpoints(body: &mut String, page: &Page<'_>, events: &[Event]) {
    let Some(outcome) = page.outcome else { return };
    for c in &outcome.checkpoints {
        let judgement = page.judgement(c);
        let ok = judgement.is_none_or(|j| j.ok);
        let seq = events
            .iter()
            .find(|e| {
                e.marks
                    .iter()
                    .any(|m| m.document == c.document && m.number == c.number)
            })
            .map(|e| format!(r##" — <a href="#e{0}">event {0}</a>"##, e.seq))
            .unwrap_or_default();
        let _ = write!(
            body,
            r#"<section class="checkpoint{}"><h3>{} ({}) <code>{}</code> <span class="word">{}</span>{seq}</h3>"#,
            if ok { "" } else { " failed" },
            escape(&c.document),
            c.number,
            escape(&c.key),
            escape(judgement.map_or("captured", |j| j.word.as_str())),
        );
        match judgement.and_then(|j| j.expected.as_deref()) {
            Some(expected) => side_by_side(body, expected, &c.text),
            None => {
                let _ = write!(body, "<pre>{}</pre>", escape(&c.text));
            }
        }
        body.push_str("</section>");
    }
    for m in &outcome.missing {
        let _ = write!(
            body,
            r#"<section class="checkpoint failed"><h3>{} ({}) <code>{}</code> <span class="word">never happened</span></h3><p>{}</p></section>"#,
            escape(&m.document),
            m.number,
            escape(&m.key),
            escape(&m.detail),
        );
    }
}

/// The snapshot (left) and the captured value (right), line by line, the changed parts of
/// changed lines highlighted.
fn side_by_side(body: &mut String, expected: &str, actual: &str) {
    let diff = TextDiff::from_lines(expected, actual);
    body.push_str(
        r#"<table class="diff"><thead><tr><th>snapshot</th><th>captured</th></tr></thead><tbody>"#,
    );
    for op in diff.ops() {
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for change in diff.iter_inline_changes(op) {
            let mut cell = String::new();
            for (emphasized, part) in change.iter_strings_lossy() {
                let part = escape(part.trim_end_matches('\n'));
                if emphasized {
                    let _ = write!(cell, "<mark>{part}</mark>");
                } else {
                    cell.push_str(&part);
                }
            }
            match change.tag() {
                ChangeTag::Equal => {
                    left.push((cell.clone(), ""));
                    right.push((cell, ""));
                }
                ChangeTag::Delete => left.push((cell, "del")),
                ChangeTag::Insert => right.push((cell, "ins")),
            }
        }
        for i in 0..left.len().max(right.len()) {
            let cell = |side: &[(String, &str)]| match side.get(i) {
                Some((text, class)) => format!(r#"<td class="{class}">{text}</td>"#),
                None => r#"<td class="none"></td>"#.to_string(),
            };
            let _ = write!(body, "<tr>{}{}</tr>", cell(&left), cell(&right));
        }
    }
    body.push_str("</tbody></table>");
}

/// The index of every scenario.
pub(super) fn index(entries: &[Entry]) -> String {
    let passed = entries.iter().filter(|e| e.ok).count();
    let mut body = format!(
        r#"<h1>heatbed report</h1><p>{passed} of {} scenario(s) passed.</p><table class="index"><thead><tr><th>scenario</th><th>result</th><th>time</th><th>counts</th></tr></thead><tbody>"#,
        entries.len()
    );
    for e in entries {
        let _ = write!(
            body,
            r#"<tr class="{class}"><td><a href="{}">{}</a></td><td class="{class}">{}</td><td>{:.2} s</td><td>{}</td></tr>"#,
            escape(&e.file),
            escape(&e.name),
            if e.ok { "pass" } else { "FAIL" },
            e.seconds,
            escape(&e.counts),
            class = if e.ok { "pass" } else { "fail" },
        );
    }
    body.push_str("</tbody></table>");
    document("heatbed report", &body)
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{}{}{}</style></head><body>{}<script>{}</script></body></html>\n",
        escape(title),
        STYLE,
        svg::STYLE,
        timeline::STYLE,
        body,
        timeline::SCRIPT
    )
}

impl Page<'_> {
    fn judgement(&self, c: &crate::run::Captured) -> Option<&Judgement> {
        let outcome = self.outcome?;
        let i = outcome.checkpoints.iter().position(|x| x == c)?;
        self.judgements.get(i)
    }

    fn ok(&self) -> bool {
        self.error.is_none()
            && self.outcome.is_some_and(|o| o.missing.is_empty())
            && self.judgements.iter().all(|j| j.ok)
    }
}

const STYLE: &str = "
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #1f2328; }
code, pre { font: 12px ui-monospace, monospace; }
.pass { color: #1a7f37; } .fail { color: #cf222e; font-weight: bold; }
pre.error { background: #ffebe9; padding: 8px; white-space: pre-wrap; }
div.diagram { overflow: auto; max-height: 80vh; border: 1px solid #ddd; }
section.checkpoint { border-left: 4px solid #1a7f37; padding-left: 10px; margin: 10px 0; }
section.checkpoint.failed { border-color: #cf222e; }
section.checkpoint pre { background: #f6f8fa; padding: 6px; overflow: auto; max-height: 30em; }
section.failed .word { color: #cf222e; }
table.diff { border-collapse: collapse; width: 100%; table-layout: fixed;
  font: 12px ui-monospace, monospace; }
table.diff td { white-space: pre-wrap; word-break: break-all; vertical-align: top;
  padding: 0 6px; border-right: 1px solid #ddd; }
table.diff td.del { background: #ffebe9; } table.diff td.ins { background: #dafbe1; }
table.diff td.none { background: #f6f8fa; }
table.diff mark { background: #ffb3ad; } table.diff td.ins mark { background: #8ce99a; }
table.index { border-collapse: collapse; } table.index td, table.index th {
  padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
";
