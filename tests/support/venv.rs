//! Python venvs the tests drive real clients and engines in: made under `target/` on first
//! use and reused while their pinned packages stay the same. Shared by the test binaries that
//! include it with `#[path]`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/<name>`, made with `python3 -m venv` and filled by one `pip install` per entry of
/// `installs` (in order, e.g. a package `--no-deps`, then its libraries), unless a marker
/// says exactly these were installed already. Returns the venv's folder, or, when it cannot
/// be had, what a test prints as `SKIP:` — and panics instead under `CI`, where every
/// test must run.
pub fn venv(name: &str, installs: &[&[&str]]) -> Option<PathBuf> {
    match make(name, installs) {
        Ok(venv) => Some(venv),
        Err(reason) if std::env::var_os("CI").is_some() => {
            panic!("cannot set up the venv {name} (CI is set): {reason}")
        }
        Err(reason) => {
            println!("SKIP: {reason}");
            None
        }
    }
}

fn make(name: &str, installs: &[&[&str]]) -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let venv = target.join(name);
    let marker = venv.join("heatbed-installed.txt");
    let wanted: Vec<String> = installs.iter().map(|args| args.join(" ")).collect();
    let wanted = wanted.join("\n");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return Ok(venv);
    }
    run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
        "python3 -m venv",
    )?;
    for args in installs {
        run(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .args(*args),
            &format!("pip install {}", args.join(" ")),
        )?;
    }
    std::fs::write(&marker, wanted)
        .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok(venv)
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{what}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    ))
}
