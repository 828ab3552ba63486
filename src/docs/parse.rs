//! Reading seed-format documents: the title, and every fenced block as a checkpoint (its
//! number from the heading above it, else its position).

use serde_json::Value;

/// A document read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    /// The text after `# Stored data in etcd: ` (or after `# ` for other documents).
    pub title: String,
    /// Prose between the title and the first checkpoint heading or block, trimmed.
    pub preamble: String,
    /// The checkpoints in document order.
    pub checkpoints: Vec<ParsedCheckpoint>,
}

/// One fenced block.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCheckpoint {
    /// "(N)" of the heading above, or the block's 1-based position.
    pub number: usize,
    /// 1-based line of the key in the document.
    pub line: usize,
    /// The key (first line of the block).
    pub key: String,
    /// The value as JSON, or as a string when it is not JSON.
    pub value: Value,
}

/// A document that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses a seed-format document.
pub fn parse_document(text: &str) -> Result<ParsedDocument, ParseError> {
    let mut title = None;
    let mut preamble = Vec::new();
    let mut checkpoints: Vec<ParsedCheckpoint> = Vec::new();
    let mut heading_number = None;
    let mut in_preamble = true;
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    while let Some((n, line)) = lines.next() {
        if let Some(rest) = line.strip_prefix("# ") {
            let rest = rest.strip_prefix("Stored data in etcd:").unwrap_or(rest);
            title.get_or_insert_with(|| rest.trim().to_string());
        } else if line.starts_with("###") {
            in_preamble = false;
            heading_number = number_in(line);
        } else if line.trim_start().starts_with("```") {
            in_preamble = false;
            let mut block = Vec::new();
            let mut closed = false;
            for (_, inner) in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
                    closed = true;
                    break;
                }
                block.push(inner);
            }
            if !closed {
                return Err(ParseError {
                    line: n,
                    message: "code block is never closed".into(),
                });
            }
            let Some((key, rest)) = block.split_first() else {
                continue;
            };
            let raw = rest.join("\n");
            let value = serde_json::from_str(&raw).unwrap_or_else(|_| Value::String(raw));
            checkpoints.push(ParsedCheckpoint {
                number: heading_number.take().unwrap_or(checkpoints.len() + 1),
                line: n + 1,
                key: key.trim().to_string(),
                value,
            });
        } else if title.is_some() && in_preamble {
            preamble.push(line);
        }
    }
    let title = title.ok_or(ParseError {
        line: 1,
        message: "no `# <title>` line".into(),
    })?;
    let preamble = preamble.join("\n").trim().to_string();
    Ok(ParsedDocument {
        title,
        preamble,
        checkpoints,
    })
}

/// The N of "... (N) ...".
fn number_in(line: &str) -> Option<usize> {
    let open = line.find('(')?;
    let close = line[open..].find(')')? + open;
    line[open + 1..close].trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbered_and_unnumbered_blocks() {
        let text = "# Stored data in etcd: Create Loadbalancer\n\nintro\n\n### Checking stored data at the point of (2) in etcd\n\n```\n/a\n{\n    \"x\": 1\n}\n```\nand then ...\n```\n/b\nplain\n```\n";
        let doc = parse_document(text).unwrap();
        assert_eq!(doc.title, "Create Loadbalancer");
        assert_eq!(doc.preamble, "intro");
        assert_eq!(doc.checkpoints[0].number, 2);
        assert_eq!(doc.checkpoints[0].key, "/a");
        assert_eq!(doc.checkpoints[0].value, serde_json::json!({"x": 1}));
        assert_eq!(doc.checkpoints[1].number, 2);
        assert_eq!(doc.checkpoints[1].value, Value::String("plain".into()));
    }

    #[test]
    fn an_unclosed_block_names_its_line() {
        let error = parse_document("# Stored data in etcd: T\n```\n/a\n").unwrap_err();
        assert_eq!(error.line, 2);
    }
}
