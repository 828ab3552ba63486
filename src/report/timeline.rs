//! The timeline: a table row per event (etcd write or Heat call), values expandable, rows
//! filtered by resource (a select of resource kinds, and free text over keys and paths) by a
//! small inline script.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::escape;
use super::events::{Event, Source};

/// The filter controls and the table.
pub(super) fn table(events: &[Event]) -> String {
    let resources: BTreeSet<String> = events.iter().map(Event::resource).collect();
    let mut html = String::from(
        r#"<div class="filter"><label>Resource <select id="resource"><option value="">all</option>"#,
    );
    for r in &resources {
        let _ = write!(html, r#"<option>{}</option>"#, escape(r));
    }
    html.push_str(concat!(
        r#"</select></label> <label>Text <input id="text" type="search" "#,
        r#"placeholder="key, path, id…"></label> <span id="shown"></span></div>"#,
        r#"<table class="timeline"><thead><tr><th>#</th><th>from → to</th><th>rev</th>"#,
        r#"<th>event</th><th>checkpoints</th></tr></thead><tbody>"#
    ));
    for e in events {
        row(&mut html, e);
    }
    html.push_str("</tbody></table>");
    html
}

fn row(html: &mut String, e: &Event) {
    let revision = match &e.source {
        Source::Write { revision, .. } => *revision,
        Source::Heat(call) => call.revision,
        Source::Hook { revision, .. } => *revision,
    };
    let marks: Vec<String> = e
        .marks
        .iter()
        .map(|m| {
            format!(
                r#"<span class="badge{}">{} ({})</span>"#,
                if m.ok { "" } else { " failed" },
                escape(&m.document),
                m.number
            )
        })
        .collect();
    let detail = e.detail();
    let event = if detail.is_empty() {
        format!("<code>{}</code>", escape(&e.label()))
    } else {
        format!(
            "<details><summary><code>{}</code></summary><pre>{}</pre></details>",
            escape(&e.label()),
            escape(&pretty(&detail))
        )
    };
    let _ = write!(
        html,
        r#"<tr id="e{seq}" class="event" data-resource="{resource}"><td>{seq}</td><td>{from} → {to}</td><td>{revision}</td><td>{event}</td><td>{marks}</td></tr>"#,
        seq = e.seq,
        resource = escape(&e.resource()),
        from = e.from.title(),
        to = e.to.title(),
        marks = marks.join(" "),
    );
}

/// A JSON value indented, anything else as it is.
fn pretty(value: &str) -> String {
    serde_json::from_str::<serde_json::Value>(value)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| value.to_string())
}

/// The filter: rows whose resource is the one selected and whose text holds what is typed.
pub(super) const SCRIPT: &str = r#"
(function () {
  var select = document.getElementById('resource'), text = document.getElementById('text');
  if (!select) return;
  function filter() {
    var want = select.value, typed = text.value.toLowerCase(), shown = 0;
    document.querySelectorAll('tr.event').forEach(function (row) {
      var ok = (!want || row.dataset.resource === want) &&
        (!typed || row.textContent.toLowerCase().indexOf(typed) >= 0);
      row.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById('shown').textContent = shown + ' shown';
  }
  select.addEventListener('change', filter);
  text.addEventListener('input', filter);
  filter();
})();
"#;

/// The table's style.
pub(super) const STYLE: &str = "
table.timeline { border-collapse: collapse; font-size: 13px; width: 100%; }
table.timeline th, table.timeline td { border-bottom: 1px solid #ddd; padding: 3px 6px;
  text-align: left; vertical-align: top; }
table.timeline tr:target { background: #fff8c5; }
table.timeline pre { max-height: 30em; overflow: auto; background: #f6f8fa; padding: 6px; }
.badge { background: #dafbe1; border: 1px solid #1a7f37; border-radius: 9px; padding: 0 6px;
  white-space: nowrap; }
.badge.failed { background: #ffebe9; border-color: #cf222e; }
.filter { margin: 8px 0; }
";
