//! Command-line parsing and dispatch.

mod catalogue;
mod color;
mod doc;
mod generate;
mod html;
mod import;
mod junit;
mod list;
mod live;
mod merge;
mod report;
mod run;
mod serve;
mod signals;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use heatbed::etcd::Backend;
use heatbed::scenario::{LoadError, WorkerSpec};

/// Exit code for a bad scenario or bad arguments.
const BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "heatbed",
    version,
    about = "Scenarios, a real etcd, fake Heat and golden checkpoints for ESI heat workers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run scenarios and compare every checkpoint with its snapshot.
    Run(RunArgs),
    /// Run scenarios and write their checkpoints as snapshots (pending unless --accept).
    Record(RecordArgs),
    /// Run one scenario and render its documents in the seed format (stdout, or one
    /// `<document>.md` per document in --out).
    Doc {
        /// The scenario file.
        scenario: PathBuf,
        /// Folder to write the documents to.
        #[arg(long)]
        out: Option<PathBuf>,
        /// etcd backend: auto, embedded, cluster:N, container, or http://host:port[,...].
        #[arg(long, default_value = "auto", env = "HEATBED_ETCD")]
        etcd: String,
        /// Run this command as the worker instead of the scenario's own (`sh -c`).
        #[arg(long)]
        worker: Option<String>,
        /// Delete the keys an external etcd holds (refused otherwise).
        #[arg(long)]
        wipe: bool,
        /// Also write an HTML report of the run to DIR (see `run --report`).
        #[arg(long, value_name = "DIR")]
        report: Option<PathBuf>,
        /// Also write the run's sequence diagram as Mermaid text (`sequence.mmd` in --out,
        /// else a ```mermaid block on stdout).
        #[arg(long)]
        sequence: bool,
    },
    /// Turn a folder of recorded flows (stored_in_etcd/<component>/<Flow>_NN.md, ...) and
    /// heat-template documents into runnable scenarios, one per flow with results.
    Import {
        /// The recorded flow folder, e.g. tests/recorded/esi/05_load_balancer.
        dir: PathBuf,
        /// Folder of heat-template documents (`/config/v2.0/heat_templates/<id>` blocks).
        #[arg(long)]
        templates: PathBuf,
        /// Import only this flow, e.g. CreateLoadbalancer.
        #[arg(long)]
        flow: Option<String>,
        /// A `.yaml` file (with one flow), or a folder (default `scenarios`).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate a scenario per heat template of a catalogue, run each through the reference
    /// worker, print template | create | update | delete | monitoring (exit 1 if any fails).
    Catalogue(catalogue::CatalogueArgs),
    /// Merge the JSON reports of a sharded run (`run --partition K/N --format json`, one per
    /// shard) into the report of the whole run: exit 2 for a bad, overlapping or missing
    /// shard, 1 when a scenario failed.
    Merge {
        /// The shards' reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Write the merged report to FILE (and the counts to stdout) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Generate a seeded flow of N resources from the template catalogue (dependencies,
    /// creates, updates, logical deletes; a document per resource) as a scenario file.
    Generate(generate::GenerateArgs),
    /// List scenarios.
    List {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
    /// Start etcd and the fakes, print `export` lines, run until SIGINT or SIGTERM.
    Serve {
        /// etcd backend: auto, embedded, cluster:N, container, or http://host:port[,...].
        #[arg(long, default_value = "auto", env = "HEATBED_ETCD")]
        etcd: String,
    },
    /// Run the reference worker as a process, configured by the env contract, until SIGINT
    /// or SIGTERM (e.g. `--worker 'heatbed worker'`).
    Worker {
        /// Concurrent heat jobs (recorded: 8).
        #[arg(long, default_value_t = 8)]
        slots: usize,
    },
    /// Print the JSON Schema of scenario files.
    Schema,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Scenario files or folders.
    #[arg(default_value = "scenarios")]
    paths: Vec<PathBuf>,
    /// etcd backend: auto, embedded, cluster:N, container, or http://host:port[,...].
    #[arg(long, default_value = "auto", env = "HEATBED_ETCD")]
    etcd: String,
    /// Run this command as the worker instead of each scenario's own (`sh -c`).
    #[arg(long)]
    worker: Option<String>,
    /// Run one shard of the scenarios: `count:K/N` (or `K/N`: round robin over the scenarios
    /// sorted by id) or `hash:K/N` (by a hash of the id); `heatbed merge` joins the shards'
    /// `--format json` reports.
    #[arg(long, value_name = "PARTITION")]
    partition: Option<heatbed::run::Partition>,
    /// Where snapshots live.
    #[arg(long, default_value = "snapshots")]
    snapshots: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// How many scenarios run at once (default: one per CPU; a shared etcd serves one at a
    /// time anyway).
    #[arg(long)]
    jobs: Option<usize>,
    /// Print every checkpoint in full, not only a line each.
    #[arg(long)]
    show: bool,
    /// Also compare each checkpoint with the recorded document its scenario document names
    /// (`recorded:`), the way the golden flows are judged.
    #[arg(long)]
    recorded: bool,
    /// Also write the results as JUnit XML to FILE (a testsuite per scenario, a testcase
    /// per document).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Also write an HTML report to DIR: an index, and per scenario a sequence diagram,
    /// the checkpoints (differences side by side) and a timeline of every event.
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    /// Colour the output: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = color::ColorChoice::Auto)]
    color: color::ColorChoice,
    /// Delete the keys an external etcd holds (refused otherwise: heatbed wipes it before
    /// each scenario).
    #[arg(long)]
    wipe: bool,
}

#[derive(Debug, clap::Args)]
struct RecordArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Write accepted `.snap` files instead of pending `.snap.new` ones.
    #[arg(long)]
    accept: bool,
    #[command(flatten)]
    live: live::LiveArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Parses arguments, runs the command, maps the result to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("HEATBED_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => run::run(args, None).await,
            Command::Record(args) if args.live.live => {
                live::record(args.live, &args.run.etcd).await
            }
            Command::Record(args) => run::run(args.run, Some(args.accept)).await,
            Command::Doc {
                scenario,
                out,
                etcd,
                worker,
                wipe,
                report,
                sequence,
            } => {
                let extras = doc::Extras { report, sequence };
                doc::doc(scenario, out, &etcd, worker.as_ref(), wipe, extras).await
            }
            Command::Import {
                dir,
                templates,
                flow,
                out,
            } => import::import_flows(&dir, &templates, flow.as_deref(), out),
            Command::Catalogue(args) => catalogue::catalogue(args).await,
            Command::Merge { reports, out } => merge::merge(&reports, out.as_ref()),
            Command::Generate(args) => generate::generate(args),
            Command::List { paths } => list::list(&paths),
            Command::Serve { etcd } => serve::serve(&etcd).await,
            Command::Worker { slots } => worker::worker(slots).await,
            Command::Schema => {
                println!("{}", heatbed::scenario::json_schema());
                Ok(ExitCode::SUCCESS)
            }
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let bad = e.downcast_ref::<LoadError>().is_some()
                || e.downcast_ref::<BadInput>().is_some()
                || e.downcast_ref::<heatbed::docs::ImportError>().is_some();
            if bad {
                ExitCode::from(BAD_INPUT)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// A command-line value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadInput(String);

/// Parses `--etcd`.
fn backend(value: &str) -> anyhow::Result<Backend> {
    value
        .parse()
        .map_err(|e: heatbed::etcd::EtcdError| BadInput(e.to_string()).into())
}

/// `--worker` as a worker spec.
fn worker_override(command: Option<&String>) -> Option<WorkerSpec> {
    command.map(|command| WorkerSpec::Command {
        command: command.clone(),
        env: Default::default(),
        dir: None,
    })
}
