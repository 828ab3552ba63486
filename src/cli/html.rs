//! `--report DIR`: the HTML report of `run`, `record` and `doc` (see `heatbed::report`).

use std::path::{Path, PathBuf};

use heatbed::report::{HtmlReport, Judgement, Page};
use heatbed::run::Outcome;
use heatbed::scenario::Scenario;
use heatbed::snapshot::Store;

use super::report::{Judged, Status};

/// The report being built, and where it goes.
pub(super) struct Html {
    report: HtmlReport,
    dir: PathBuf,
}

impl Html {
    pub(super) fn new(dir: Option<&PathBuf>) -> Option<Html> {
        dir.map(|dir| Html {
            report: HtmlReport::default(),
            dir: dir.clone(),
        })
    }

    /// A scenario that never ran.
    pub(super) fn error(&mut self, scenario: &Scenario, message: &str) {
        self.report
            .add(&page(scenario, None, Vec::new(), Some(message)));
    }

    /// A scenario run and judged against its snapshots in `store`.
    pub(super) fn judged(
        &mut self,
        scenario: &Scenario,
        store: &Store,
        outcome: &Outcome,
        judged: &Judged,
    ) {
        let judgements = judged
            .results
            .iter()
            .map(|r| Judgement {
                ok: r.status().ok(),
                word: r.status().word().to_string(),
                expected: match r.status() {
                    Status::Changed(_) => store.contents(&Store::name(r.captured())).ok().flatten(),
                    _ => None,
                },
            })
            .collect();
        let page = page(scenario, Some(outcome), judgements, judged.error.as_deref());
        self.report.add(&page);
    }

    /// A scenario run and rendered (`doc`), not judged.
    pub(super) fn rendered(&mut self, scenario: &Scenario, outcome: &Outcome, error: Option<&str>) {
        self.report
            .add(&page(scenario, Some(outcome), Vec::new(), error));
    }

    /// Writes the report; says where on stderr.
    pub(super) fn write(&self) -> anyhow::Result<()> {
        self.report.write(&self.dir)?;
        eprintln!("report: {}", self.dir.join("index.html").display());
        Ok(())
    }
}

fn page<'a>(
    scenario: &'a Scenario,
    outcome: Option<&'a Outcome>,
    judgements: Vec<Judgement>,
    error: Option<&'a str>,
) -> Page<'a> {
    Page {
        name: &scenario.name,
        path: Path::new(&scenario.path),
        outcome,
        judgements,
        error,
    }
}
