//! Rendering checkpoints as a seed-format document.

use crate::run::Captured;

/// The document `title` with `preamble` and `checkpoints` (their unredacted text), byte for
/// byte in the layout of the seed documents.
pub fn render_document(title: &str, preamble: Option<&str>, checkpoints: &[&Captured]) -> String {
    let mut out = format!("# Stored data in etcd: {title}\n\n");
    if let Some(preamble) = preamble.map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str(preamble);
        out.push_str("\n\n");
    }
    for (i, checkpoint) in checkpoints.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "### Checking stored data at the point of ({}) in etcd\n\n```\n{}\n```\n",
            checkpoint.number,
            checkpoint.unredacted.trim_end()
        ));
    }
    out
}
