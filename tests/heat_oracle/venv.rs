//! Heat's own engine in a throwaway venv under `target/`, made on first use and reused:
//! `openstack-heat` without its dependencies (its API, clients and database are not needed)
//! plus the few libraries its template and function code imports.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The engine the fake is compared with.
const HEAT: &str = "openstack-heat==27.0.1";

/// What `heat.engine.{template,stack,hot.functions}` import, pinned as verified.
const LIBRARIES: [&str; 20] = [
    "oslo.config==10.7.0",
    "oslo.log==8.3.2",
    "oslo.serialization==5.11.0",
    "oslo.utils==10.2.0",
    "oslo.i18n==6.9.0",
    "oslo.cache==4.3.0",
    "oslo.policy==6.0.1",
    "oslo.db==18.1.1",
    "oslo.messaging==18.3.1",
    "oslo.versionedobjects==3.12.0",
    "osprofiler==4.4.0",
    "yaql==3.2.0",
    "Paste==3.10.1",
    "PasteDeploy==3.1.0",
    "WebOb==1.8.11",
    "Routes==2.5.1",
    "lxml==6.1.3",
    "keystoneauth1==5.18.1",
    "cryptography==50.0.2",
    "tenacity==9.2.1",
];

/// Why the oracle is not available.
pub(crate) enum Unavailable {
    /// No python3: the only reason to skip.
    NoPython(String),
    /// Anything else fails the test.
    Broken(String),
}

/// The venv's python, the venv made and filled first if needed.
pub(crate) fn python() -> Result<PathBuf, Unavailable> {
    if Command::new("python3").arg("--version").output().is_err() {
        return Err(Unavailable::NoPython("python3 is not installed".into()));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let venv = target.join("heat-oracle-venv");
    let marker = venv.join("heatbed-installed.txt");
    let wanted = format!("{HEAT}\n{}", LIBRARIES.join("\n"));
    let python = venv.join("bin/python");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return Ok(python);
    }
    let broken = Unavailable::Broken;
    run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
        "python3 -m venv",
    )
    .map_err(broken)?;
    let pip = venv.join("bin/pip");
    let quiet = ["install", "--quiet", "--disable-pip-version-check"];
    run(
        Command::new(&pip).args(quiet).args(["--no-deps", HEAT]),
        "pip install heat",
    )
    .map_err(broken)?;
    run(
        Command::new(&pip).args(quiet).args(LIBRARIES),
        "pip install libraries",
    )
    .map_err(broken)?;
    std::fs::write(&marker, wanted).map_err(|e| broken(format!("{}: {e}", marker.display())))?;
    Ok(python)
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
