//! `heatbed generate`: a seeded flow of N resources from the template catalogue, written as
//! an ordinary scenario file (stdout, or `--out FILE`).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use heatbed::catalogue::{self, DEFAULT_DIR};
use heatbed::generate::{self, Options};

/// `heatbed generate` arguments.
#[derive(Debug, clap::Args)]
pub(super) struct GenerateArgs {
    /// How many Gohan resources (heat templates not counted), 1 to 100000.
    #[arg(short = 'n', long)]
    resources: usize,
    /// The seed: the same seed and catalogue give the same file, byte for byte.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the scenario to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Folder of heat-template documents (`/config/v2.0/heat_templates/<id>` blocks).
    #[arg(long, default_value = DEFAULT_DIR)]
    templates: PathBuf,
}

pub(super) fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let templates =
        catalogue::load_dir(&args.templates).map_err(|e| super::BadInput(e.to_string()))?;
    let options = Options {
        resources: args.resources,
        seed: args.seed,
    };
    let scenario =
        generate::generate(&templates, &options).map_err(|e| super::BadInput(e.to_string()))?;
    let yaml = generate::to_yaml(&scenario).map_err(anyhow::Error::msg)?;
    match &args.out {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut file = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("creating a file in {}", dir.display()))?;
            file.write_all(yaml.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            file.persist(path)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => print!("{yaml}"),
    }
    Ok(ExitCode::SUCCESS)
}
