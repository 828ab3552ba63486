//! Rendering checkpoints as a seed-format document.

use crate::run::{Captured, Missing};

/// The document `title` with `preamble` and `checkpoints` (their unredacted text), byte for
/// byte in the layout of the seed documents. A checkpoint of `missing` (it never happened)
/// keeps its heading, in number order, with a line saying so instead of a block.
pub fn render_document(
    title: &str,
    preamble: Option<&str>,
    checkpoints: &[&Captured],
    missing: &[&Missing],
) -> String {
    let mut out = format!("# Stored data in etcd: {title}\n\n");
    if let Some(preamble) = preamble.map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str(preamble);
        out.push_str("\n\n");
    }
    let mut sections: Vec<(usize, String)> = checkpoints
        .iter()
        .map(|c| (c.number, format!("```\n{}\n```\n", c.unredacted.trim_end())))
        .chain(missing.iter().map(|m| {
            let line = format!("**NEVER HAPPENED**: `{}` {}\n", m.key, m.detail);
            (m.number, line)
        }))
        .collect();
    sections.sort_by_key(|(number, _)| *number);
    for (i, (number, body)) in sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "### Checking stored data at the point of ({number}) in etcd\n\n{body}"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::parse_document;

    fn captured(number: usize, text: &str) -> Captured {
        Captured {
            document: "d".into(),
            title: "T".into(),
            number,
            key: "/k".into(),
            revision: 1,
            text: text.into(),
            unredacted: text.into(),
        }
    }

    #[test]
    fn a_missing_checkpoint_is_marked_between_the_others() {
        let (one, three) = (captured(1, "/a\n{}"), captured(3, "/c\n1"));
        let two = Missing {
            document: "d".into(),
            number: 2,
            key: "/b".into(),
            detail: "wants write 1: the key was written 0 time(s)".into(),
        };
        let text = render_document("T", None, &[&one, &three], &[&two]);
        let marked = text
            .find("(2) in etcd\n\n**NEVER HAPPENED**: `/b` wants write 1")
            .unwrap();
        assert!(text.find("(1) in etcd").unwrap() < marked);
        assert!(marked < text.find("(3) in etcd").unwrap());
        let parsed = parse_document(&text).unwrap();
        let numbers: Vec<usize> = parsed.checkpoints.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [1, 3]);
    }
}
