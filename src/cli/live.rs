//! `heatbed record --live`: record a golden flow from a running system's etcd.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use heatbed::live::{IGNORE, Scope, Until, WATCH};

use super::BadInput;

/// The options of `record` that record a live system instead of running scenarios.
#[derive(Debug, clap::Args)]
pub(super) struct LiveArgs {
    /// Record a live system: watch `--etcd URL` from its current revision until Ctrl-C (or
    /// `--until-idle`, `--until-key`) and write the scenario that replays it to `--out`.
    #[arg(long, requires = "out")]
    pub(super) live: bool,
    /// The scenario to write, e.g. scenarios/<flow>.yaml (its fixtures and recorded documents
    /// go to fixtures/<flow>/ and recorded/<flow>/ beside it).
    #[arg(long, requires = "live")]
    out: Option<PathBuf>,
    /// Stop once etcd has been quiet this long, e.g. 30s.
    #[arg(long, requires = "live", value_parser = humantime::parse_duration)]
    until_idle: Option<Duration>,
    /// Stop at the first write of this key (not recorded): a driving script's sentinel.
    #[arg(long, requires = "live")]
    until_key: Option<String>,
    /// Record only keys under this prefix (repeatable; default `/`, every key).
    #[arg(long = "watch", value_name = "PREFIX", requires = "live")]
    watch: Vec<String>,
    /// Stand between the worker and the real Heat: forward to the Keystone at this URL (the
    /// system's OS_AUTH_URL) and print `export OS_AUTH_URL=...` for the worker; the heat rules
    /// become what Heat answered it.
    #[arg(long, value_name = "URL", requires = "live")]
    heat_proxy: Option<String>,
    /// Never record keys under this prefix (repeatable; default `/gohan/` and
    /// `/job_manager_id`).
    #[arg(long = "ignore", value_name = "PREFIX", requires = "live")]
    ignore: Vec<String>,
}

pub(super) async fn record(args: LiveArgs, etcd: &str) -> anyhow::Result<ExitCode> {
    let out = args.out.expect("clap: --live requires --out");
    if !etcd.starts_with("http://") && !etcd.starts_with("https://") {
        return Err(BadInput(format!(
            "--live records a running system: --etcd must be its URL (http://host:2379), not `{etcd}`"
        ))
        .into());
    }
    let flow = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| BadInput(format!("--out {}: not a file name", out.display())))?;
    let or = |given: Vec<String>, default: &[&str]| {
        if given.is_empty() {
            default.iter().map(|p| p.to_string()).collect()
        } else {
            given
        }
    };
    let scope = Scope {
        watch: or(args.watch, &WATCH),
        ignore: or(args.ignore, &IGNORE),
    };
    let until = Until {
        idle: args.until_idle,
        key: args.until_key,
    };
    let proxy = match &args.heat_proxy {
        Some(upstream) => Some(
            heatbed::live::HeatProxy::start(upstream)
                .await
                .map_err(|e| BadInput(e.to_string()))?,
        ),
        None => None,
    };
    if let Some(proxy) = &proxy {
        println!("export OS_AUTH_URL='{}'", proxy.auth_url);
        use std::io::Write;
        std::io::stdout().flush()?;
    }
    let watching = |revision| {
        eprintln!(
            "# heatbed record --live: watching {etcd} after revision {revision}; drive the system, then Ctrl-C"
        )
    };
    let stop = async {
        if super::serve::until_signal().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let recording =
        heatbed::live::record(etcd, &scope, &until, &flow, proxy.as_ref(), watching, stop).await?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for file in &recording.files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        super::import::write_atomically(&path, &file.content)?;
    }
    super::import::write_atomically(&out, &recording.yaml)?;
    eprintln!(
        "wrote {} and {} files beside it; `heatbed record {}` writes its snapshots",
        out.display(),
        recording.files.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
