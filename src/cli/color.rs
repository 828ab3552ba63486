//! `--color auto|always|never` and `NO_COLOR`: whether the terminal output is coloured, and
//! the colouring of verdicts and unified diffs (changed words highlighted by `similar`).

use std::io::IsTerminal;

use clap::ValueEnum;
use similar::{ChangeTag, TextDiff};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour stdout, given the environment.
    pub(super) fn enabled(self) -> bool {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        decide(self, no_color, std::io::stdout().is_terminal())
    }
}

/// The decision: `always` and `never` win; `auto` colours a terminal unless `NO_COLOR`.
fn decide(choice: ColorChoice, no_color: bool, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    }
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const REVERSE: &str = "\x1b[7m";
const NOT_REVERSE: &str = "\x1b[27m";
const RESET: &str = "\x1b[0m";

/// `text` in green (`ok`) or red, when `on`.
pub(super) fn verdict(text: &str, ok: bool, on: bool) -> String {
    match (on, ok) {
        (false, _) => text.to_string(),
        (true, true) => format!("{GREEN}{text}{RESET}"),
        (true, false) => format!("{RED}{text}{RESET}"),
    }
}

/// A unified diff coloured: removed lines red, added green, hunk headers cyan; within a run
/// of removed lines followed by added ones, the changed words are highlighted.
pub(super) fn diff(unified: &str, on: bool) -> String {
    if !on {
        return unified.to_string();
    }
    let lines: Vec<&str> = unified.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let removed = run(&lines[i..], '-');
        let added = run(&lines[i + removed..], '+');
        if removed > 0 && added > 0 {
            let old = block(&lines[i..i + removed]);
            let new = block(&lines[i + removed..i + removed + added]);
            out.extend(highlighted(&old, &new));
            i += removed + added;
            continue;
        }
        let line = lines[i];
        out.push(match line.chars().next() {
            _ if line.starts_with("---") || line.starts_with("+++") => line.to_string(),
            Some('-') => format!("{RED}{line}{RESET}"),
            Some('+') => format!("{GREEN}{line}{RESET}"),
            Some('@') => format!("{CYAN}{line}{RESET}"),
            _ => line.to_string(),
        });
        i += 1;
    }
    out.join("\n")
}

/// How many lines at the start of `lines` begin with `sign` (not a `---`/`+++` header).
fn run(lines: &[&str], sign: char) -> usize {
    let header = if sign == '-' { "---" } else { "+++" };
    lines
        .iter()
        .take_while(|l| l.starts_with(sign) && !l.starts_with(header))
        .count()
}

/// The lines without their sign, one per line.
fn block(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{}\n", &l[1..])).collect()
}

/// Old lines (red) then new lines (green), the words that differ reversed.
fn highlighted(old: &str, new: &str) -> Vec<String> {
    let diff = TextDiff::from_words(old, new);
    let (mut minus, mut plus) = (String::new(), String::new());
    for change in diff.iter_all_changes() {
        let value = change.value();
        let marked = |s: &mut String| {
            for (i, piece) in value.split('\n').enumerate() {
                if i > 0 {
                    s.push('\n');
                }
                if !piece.is_empty() {
                    s.push_str(&format!("{REVERSE}{piece}{NOT_REVERSE}"));
                }
            }
        };
        match change.tag() {
            ChangeTag::Equal => {
                minus.push_str(value);
                plus.push_str(value);
            }
            ChangeTag::Delete => marked(&mut minus),
            ChangeTag::Insert => marked(&mut plus),
        }
    }
    let colour = |text: &str, sign: char, colour: &str| -> Vec<String> {
        text.lines()
            .map(|l| format!("{colour}{sign}{l}{RESET}"))
            .collect()
    };
    let mut out = colour(&minus, '-', RED);
    out.extend(colour(&plus, '+', GREEN));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_and_never_win_and_auto_needs_a_terminal_without_no_color() {
        for (no_color, terminal) in [(false, false), (false, true), (true, false), (true, true)] {
            assert!(decide(ColorChoice::Always, no_color, terminal));
            assert!(!decide(ColorChoice::Never, no_color, terminal));
        }
        assert!(decide(ColorChoice::Auto, false, true));
        assert!(!decide(ColorChoice::Auto, true, true));
        assert!(!decide(ColorChoice::Auto, false, false));
    }

    #[test]
    fn diffs_are_coloured_with_the_changed_words_highlighted() {
        let unified =
            "@@ -1,2 +1,2 @@\n a\n-\"state\": \"CREATE_FAILED\"\n+\"state\": \"CREATE_COMPLETE\"";
        assert_eq!(diff(unified, false), unified);
        let coloured = diff(unified, true);
        let lines: Vec<&str> = coloured.lines().collect();
        assert_eq!(lines[0], format!("{CYAN}@@ -1,2 +1,2 @@{RESET}"));
        assert_eq!(lines[1], " a");
        assert!(lines[2].starts_with(&format!("{RED}-")), "{coloured:?}");
        assert!(lines[2].contains(&format!("{REVERSE}\"CREATE_FAILED\"{NOT_REVERSE}")));
        assert!(lines[3].starts_with(&format!("{GREEN}+")));
        assert!(lines[3].contains(&format!("{REVERSE}\"CREATE_COMPLETE\"{NOT_REVERSE}")));
        assert!(!lines[3].contains(&format!("{REVERSE}\"state\"")));
    }
}
