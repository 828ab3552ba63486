//! `heatbed catalogue`: a scenario per heat template of the catalogue, run through the
//! reference worker; prints template | create | update | delete | monitoring.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use heatbed::catalogue::{self, DEFAULT_DIR};

/// `heatbed catalogue` arguments.
#[derive(Debug, clap::Args)]
pub(super) struct CatalogueArgs {
    /// Folder of heat-template documents (`/config/v2.0/heat_templates/<id>` blocks).
    #[arg(long, default_value = DEFAULT_DIR)]
    templates: PathBuf,
    /// Only these templates (ids); default all.
    #[arg(long = "only")]
    only: Vec<String>,
    /// Also write each generated scenario to `<DIR>/<template>.yaml`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Scenarios run at once.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// etcd backend: auto, embedded, cluster:N, container, or http://host:port[,...].
    #[arg(long, default_value = "auto", env = "HEATBED_ETCD")]
    etcd: String,
}

pub(super) async fn catalogue(args: CatalogueArgs) -> anyhow::Result<ExitCode> {
    let backend = super::backend(&args.etcd)?;
    let templates =
        catalogue::load_dir(&args.templates).map_err(|e| super::BadInput(e.to_string()))?;
    if !args.only.is_empty() {
        let unknown: Vec<&String> = args
            .only
            .iter()
            .filter(|id| !templates.iter().any(|t| &t.id == *id))
            .collect();
        if !unknown.is_empty() {
            return Err(super::BadInput(format!("no such template: {unknown:?}")).into());
        }
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for template in templates
            .iter()
            .filter(|t| args.only.is_empty() || args.only.contains(&t.id))
        {
            let Ok(generated) = catalogue::generate(template, &templates) else {
                continue;
            };
            let yaml = catalogue::to_yaml(&generated.scenario).map_err(anyhow::Error::msg)?;
            let path = dir.join(format!("{}.yaml", template.id));
            std::fs::write(&path, yaml).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let rows = catalogue::judge_all(&templates, &args.only, &backend, args.jobs).await;
    print!("{}", catalogue::table(&rows));
    Ok(if rows.iter().all(|r| r.passes()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
