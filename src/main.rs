//! The `heatbed` command line. The only place that uses `anyhow`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
