//! What an import could not derive from the recording: documents it could not read (the
//! import goes on without them), and what it took from elsewhere or guessed.

use std::fmt;
use std::path::PathBuf;

/// One thing the import could not derive from the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// A document with no complete block before the fault: left out.
    UnreadableDocument {
        /// The document.
        path: PathBuf,
        /// 1-based line of the fault.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A document read only up to a fault: its complete blocks before it are used.
    PartlyReadDocument {
        /// The document.
        path: PathBuf,
        /// 1-based line of the fault.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A heat template the recorded run's config watcher log does not show: taken from the
    /// `--templates` folder (the run may have loaded another version).
    TemplateNotFromRun {
        /// The `/config` key.
        key: String,
    },
    /// A `/config` key no flow writes that the config watcher log does not show: taken from
    /// the store dump at the end of the run (its value then may be a later one).
    InitialFromDump {
        /// The key.
        key: String,
    },
    /// The store dump could not be read: no keyspace expectation, nothing taken from it.
    UnreadableDump {
        /// Why.
        message: String,
    },
    /// A flow none of whose Gohan writes the config watcher log shows: placed by the
    /// resources it refers to, not by when it happened.
    FlowOrderGuessed {
        /// The flow.
        flow: String,
    },
}

impl Gap {
    /// The kind of gap, as the summary counts it.
    pub fn kind(&self) -> &'static str {
        match self {
            Gap::UnreadableDocument { .. } => "unreadable documents left out",
            Gap::PartlyReadDocument { .. } => "documents read up to a fault",
            Gap::TemplateNotFromRun { .. } => {
                "templates not in the run's config log (from --templates)"
            }
            Gap::FlowOrderGuessed { .. } => "flows not in the config log (ordered by references)",
            Gap::InitialFromDump { .. } => {
                "initial keys not in the config log (from the store dump at the end)"
            }
            Gap::UnreadableDump { .. } => "unreadable store dumps (no keyspace expectation)",
        }
    }

    /// Whether this is a document the import could not (wholly) read: a warning.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Gap::UnreadableDocument { .. }
                | Gap::PartlyReadDocument { .. }
                | Gap::UnreadableDump { .. }
        )
    }
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gap::UnreadableDocument {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}; left out", path.display()),
            Gap::PartlyReadDocument {
                path,
                line,
                message,
            } => write!(
                f,
                "{}:{line}: {message}; using the complete blocks before it",
                path.display()
            ),
            Gap::TemplateNotFromRun { key } => {
                write!(
                    f,
                    "{key}: not in the run's config log, taken from --templates"
                )
            }
            Gap::InitialFromDump { key } => write!(
                f,
                "{key}: not in the config log, taken from the store dump at the end of the run"
            ),
            Gap::UnreadableDump { message } => write!(f, "{message}; no keyspace expectation"),
            Gap::FlowOrderGuessed { flow } => write!(
                f,
                "{flow}: none of its Gohan writes is in the config log; placed before the flows referring to it"
            ),
        }
    }
}

/// Everything an import could not derive, in the order it was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The gaps.
    pub gaps: Vec<Gap>,
}

impl Summary {
    /// The documents it could not (wholly) read.
    pub fn warnings(&self) -> impl Iterator<Item = &Gap> {
        self.gaps.iter().filter(|g| g.is_warning())
    }

    /// How many gaps of each kind, in a fixed order; kinds with none are left out.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for gap in &self.gaps {
            match counts.iter_mut().find(|(k, _)| *k == gap.kind()) {
                Some((_, n)) => *n += 1,
                None => counts.push((gap.kind(), 1)),
            }
        }
        counts.sort();
        counts
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.gaps.is_empty() {
            return f.write_str("derived everything from the recording");
        }
        f.write_str("could not derive from the recording:")?;
        for (kind, count) in self.counts() {
            write!(f, "\n  {count} {kind}")?;
            for gap in self.gaps.iter().filter(|g| g.kind() == kind) {
                write!(f, "\n    {gap}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_kind() {
        let summary = Summary {
            gaps: vec![
                Gap::FlowOrderGuessed { flow: "A".into() },
                Gap::PartlyReadDocument {
                    path: "x.md".into(),
                    line: 7,
                    message: "code block is never closed".into(),
                },
                Gap::FlowOrderGuessed { flow: "B".into() },
            ],
        };
        assert_eq!(
            summary.counts(),
            [
                ("documents read up to a fault", 1),
                ("flows not in the config log (ordered by references)", 2)
            ]
        );
        assert_eq!(summary.warnings().count(), 1);
        let text = summary.to_string();
        assert!(text.contains("2 flows not in the config log"), "{text}");
        assert!(
            text.contains("x.md:7: code block is never closed"),
            "{text}"
        );
    }
}
