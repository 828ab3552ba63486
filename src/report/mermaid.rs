//! The sequence diagram as Mermaid text (`sequenceDiagram`), for `heatbed doc --sequence`.

use std::fmt::Write as _;

use super::events::{Event, Lane};
use crate::run::Missing;

/// `events` as a Mermaid sequence diagram: a participant per lane, an arrow per event, a
/// note on each checkpoint, and a note per checkpoint that never happened.
pub fn sequence_diagram(events: &[Event], missing: &[Missing]) -> String {
    let mut out = String::from("sequenceDiagram\n");
    for lane in Lane::ALL {
        let _ = writeln!(out, "    participant {} as {}", id(lane), lane.title());
    }
    for e in events {
        let _ = writeln!(
            out,
            "    {}->>{}: {}. {}",
            id(e.from),
            id(e.to),
            e.seq,
            text(&e.label())
        );
        for m in &e.marks {
            let _ = writeln!(
                out,
                "    Note over {}: {} ({}){}",
                id(e.from),
                text(&m.document),
                m.number,
                if m.ok { "" } else { " FAILED" }
            );
        }
    }
    for m in missing {
        let _ = writeln!(
            out,
            "    Note over {},{}: {} ({}) never happened: {}",
            id(Lane::Gohan),
            id(Lane::Collector),
            text(&m.document),
            m.number,
            text(&m.key)
        );
    }
    out
}

fn id(lane: Lane) -> &'static str {
    match lane {
        Lane::Gohan => "Gohan",
        Lane::Etcd => "etcd",
        Lane::JobManager => "JobManager",
        Lane::Worker => "Worker",
        Lane::Heat => "Heat",
        Lane::Collector => "Collector",
    }
}

/// Mermaid message text: `;` and `#` end or escape a message, so they are written as
/// entity codes.
fn text(raw: &str) -> String {
    raw.replace('#', "#35;")
        .replace(';', "#59;")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::events::{Mark, Source};

    #[test]
    fn arrows_and_marks_become_messages_and_notes() {
        let event = Event {
            seq: 1,
            from: Lane::Gohan,
            to: Lane::Etcd,
            source: Source::Write {
                revision: 2,
                key: "/config/v2.0/a;b".into(),
                value: Some("{}".into()),
            },
            marks: vec![Mark {
                document: "doc".into(),
                number: 1,
                ok: false,
            }],
        };
        let missing = Missing {
            document: "doc".into(),
            number: 2,
            key: "/state/x".into(),
            detail: String::new(),
        };
        let text = sequence_diagram(&[event], &[missing]);
        assert!(text.starts_with("sequenceDiagram\n    participant Gohan as Gohan\n"));
        assert!(text.contains("    Gohan->>etcd: 1. PUT /config/v2.0/a#59;b (rev 2)\n"));
        assert!(text.contains("    Note over Gohan: doc (1) FAILED\n"));
        assert!(text.contains("    Note over Gohan,Collector: doc (2) never happened: /state/x\n"));
    }
}
