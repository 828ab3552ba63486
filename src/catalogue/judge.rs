//! Running the generated scenarios (in parallel, bounded) and judging each from etcd's
//! history, kept by a recorder of our own so a run that stopped at a wait still shows what
//! happened before: the `/state` of each version (`CREATE_COMPLETED`, `MODIFY_COMPLETED`,
//! `DELETE_COMPLETED`) and, for a monitored template, a `/monitoring` value with each status
//! key's healthy status for versions 1 and 2, and its removal after the delete.

use std::fmt;
use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;

use super::build::{Generated, Phase, generate};
use super::source::Template;
use crate::etcd::{Backend, EtcdError, Lease, Provider};
use crate::run::{Recorder, RunErrorKind, Write, run_scenario};

/// One cell of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Reached what the recorded system shows.
    Ok,
    /// Nothing to check (a template without monitoring targets).
    None,
    /// Why not.
    Failed(String),
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Ok => f.write_str("ok"),
            Cell::None => f.write_str("none"),
            Cell::Failed(why) => f.write_str(why),
        }
    }
}

/// One template's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The template id.
    pub template: String,
    /// Create, update, delete, monitoring.
    pub cells: [Cell; 4],
}

impl Row {
    /// Whether every cell is `ok` (or `none`).
    pub fn passes(&self) -> bool {
        self.cells.iter().all(|c| !matches!(c, Cell::Failed(_)))
    }

    fn failed(template: &str, why: String) -> Row {
        let later = || Cell::Failed("not reached".into());
        Row {
            template: template.to_string(),
            cells: [Cell::Failed(why), later(), later(), later()],
        }
    }
}

/// Generates and runs the scenario of every template of `catalogue` (or of those `only`
/// names), `jobs` at once; rows by template id.
pub async fn judge_all(
    catalogue: &[Template],
    only: &[String],
    backend: &Backend,
    jobs: usize,
) -> Vec<Row> {
    let templates: Vec<&Template> = catalogue
        .iter()
        .filter(|t| only.is_empty() || only.contains(&t.id))
        .collect();
    let provider = match Provider::new(backend).await {
        Ok(p) => p,
        Err(e) => {
            return templates
                .iter()
                .map(|t| Row::failed(&t.id, format!("etcd: {e}")))
                .collect();
        }
    };
    let provider = &provider;
    let mut rows: Vec<Row> = futures::stream::iter(templates)
        .map(|t| async move {
            match generate(t, catalogue) {
                Ok(generated) => judge(provider, &generated).await,
                Err(why) => Row::failed(&t.id, format!("not generated: {why}")),
            }
        })
        .buffer_unordered(jobs.max(1))
        .collect()
        .await;
    rows.sort_by(|a, b| a.template.cmp(&b.template));
    rows
}

/// Runs one generated scenario and judges it.
async fn judge(provider: &Provider, generated: &Generated) -> Row {
    let template = &generated.template;
    let etcd = match acquire(provider).await {
        Ok(etcd) => etcd,
        Err(e) => return Row::failed(template, format!("etcd: {e}")),
    };
    let mut client = etcd.client();
    let start = match client.status().await {
        Ok(s) => s.header().map_or(0, |h| h.revision()) + 1,
        Err(e) => return Row::failed(template, format!("etcd: {e}")),
    };
    let recorder = match Recorder::start(client.clone(), start).await {
        Ok(r) => r,
        Err(e) => return Row::failed(template, format!("etcd watch: {e}")),
    };
    let result = run_scenario(&generated.scenario, &etcd, None).await;
    let now = client
        .status()
        .await
        .ok()
        .and_then(|s| s.header().map(|h| h.revision()))
        .unwrap_or(0);
    let history = recorder.caught_up(now, Duration::from_secs(5)).await;
    let stopped = match result {
        Ok(_) => None,
        Err(e) => Some(match e.kind {
            RunErrorKind::Step { number, source, .. } => (
                generated
                    .phases
                    .get(number - 1)
                    .copied()
                    .unwrap_or(Phase::Setup),
                first_line(&source.to_string()),
            ),
            other => (Phase::Delete, first_line(&other.to_string())),
        }),
    };
    if let Some((Phase::Setup, why)) = &stopped {
        return Row::failed(template, why.clone());
    }
    let missing = |phase: Phase| match &stopped {
        Some((p, why)) if *p == phase => Cell::Failed(why.clone()),
        _ => Cell::Failed("not reached".into()),
    };
    let state = |version: u64, expected: &str, phase: Phase| match versions(
        &history,
        &generated.state_key,
        version,
    )
    .first()
    {
        Some(value) if value["state"]["worker_state"] == expected => Cell::Ok,
        Some(value) => Cell::Failed(format!(
            "{}: {}",
            value["state"]["worker_state"]
                .as_str()
                .unwrap_or("no worker_state"),
            value["error"].as_str().unwrap_or_default()
        )),
        None => missing(phase),
    };
    let monitoring = if generated.monitoring.is_empty() {
        Cell::None
    } else {
        monitoring(generated, &history).map_or_else(|| missing(Phase::Monitoring), |c| c)
    };
    Row {
        template: template.clone(),
        cells: [
            state(1, "CREATE_COMPLETED", Phase::Create),
            state(2, "MODIFY_COMPLETED", Phase::Update),
            state(3, "DELETE_COMPLETED", Phase::Delete),
            monitoring,
        ],
    }
}

/// Attempts at starting an etcd: two scenarios starting at once can pick the same free port
/// (the second etcd then fails to bind it); the loser just starts another.
const ETCD_ATTEMPTS: usize = 3;

async fn acquire(provider: &Provider) -> Result<Lease<'_>, EtcdError> {
    let mut attempt = 1;
    loop {
        match provider.acquire().await {
            Err(e) if attempt < ETCD_ATTEMPTS => {
                tracing::debug!(target: "heatbed::catalogue", "etcd did not start ({e}); again");
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// The monitoring cell; `None` when a value never came (the run's reason says more).
fn monitoring(generated: &Generated, history: &[Write]) -> Option<Cell> {
    for (key, expected) in &generated.monitoring {
        for version in [1, 2] {
            let values = versions(history, key, version);
            let last = values.last()?;
            for (status, healthy) in expected {
                if values.iter().all(|v| v.get(status) != Some(healthy)) {
                    return Some(Cell::Failed(format!(
                        "{key} v{version}: {status} is {}, expected {healthy}",
                        last.get(status).unwrap_or(&Value::Null)
                    )));
                }
            }
        }
        let last = history.iter().rev().find(|w| &w.key == key);
        if last.is_some_and(|w| w.value.is_some()) {
            return Some(Cell::Failed(format!("{key} not removed after the delete")));
        }
    }
    Some(Cell::Ok)
}

/// The JSON values written to `key` whose `version` is `version`, in order.
fn versions(history: &[Write], key: &str, version: u64) -> Vec<Value> {
    history
        .iter()
        .filter(|w| w.key == key)
        .filter_map(|w| serde_json::from_slice::<Value>(w.value.as_deref()?).ok())
        .filter(|v| v["version"].as_u64() == Some(version))
        .collect()
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// The table: template | create | update | delete | monitoring (Markdown).
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from("| template | create | update | delete | monitoring |\n");
    out.push_str("|---|---|---|---|---|\n");
    for row in rows {
        let [c, u, d, m] = &row.cells;
        let cell = |c: &Cell| c.to_string().replace('|', "\\|");
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            row.template,
            cell(c),
            cell(u),
            cell(d),
            cell(m)
        ));
    }
    let passed = rows.iter().filter(|r| r.passes()).count();
    out.push_str(&format!("\n{passed} of {} templates pass\n", rows.len()));
    out
}
