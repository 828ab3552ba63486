//! The report being built: a page per scenario ([`Page`], its checkpoints' [`Judgement`]s),
//! then written as files ([`HtmlReport::write`]).

use std::path::{Path, PathBuf};

use super::html;
use crate::run::Outcome;

/// How one captured checkpoint was judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Whether it passed.
    pub ok: bool,
    /// In a word: `match`, `changed`, `pending`...
    pub word: String,
    /// The snapshot it differs from, shown side by side with the capture.
    pub expected: Option<String>,
}

/// One scenario for the report.
#[derive(Debug)]
pub struct Page<'a> {
    /// The scenario's title.
    pub name: &'a str,
    /// Its file.
    pub path: &'a Path,
    /// What the run captured (`None` when it never ran).
    pub outcome: Option<&'a Outcome>,
    /// One per `outcome.checkpoints` (empty: rendered only, not judged).
    pub judgements: Vec<Judgement>,
    /// Why the run failed or stopped early.
    pub error: Option<&'a str>,
}

/// An HTML report being built, a page per scenario.
#[derive(Default)]
pub struct HtmlReport {
    pages: Vec<(String, String)>,
    entries: Vec<html::Entry>,
}

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the report {path}: {source}")]
pub struct ReportError {
    path: PathBuf,
    source: std::io::Error,
}

impl HtmlReport {
    /// Renders one scenario's page.
    pub fn add(&mut self, page: &Page<'_>) {
        let slug: String = page
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file = format!("{:03}-{slug}.html", self.pages.len() + 1);
        let (html, entry) = html::page(file.clone(), page);
        self.pages.push((file, html));
        self.entries.push(entry);
    }

    /// Writes `index.html` and every page to `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> Result<(), ReportError> {
        let fail = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ReportError { path, source }
        };
        std::fs::create_dir_all(dir).map_err(fail(dir))?;
        for (file, html) in &self.pages {
            let path = dir.join(file);
            std::fs::write(&path, html).map_err(fail(&path))?;
        }
        let index = dir.join("index.html");
        std::fs::write(&index, html::index(&self.entries)).map_err(fail(&index))
    }
}
