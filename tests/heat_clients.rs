//! Real OpenStack clients (openstacksdk and the `openstack` CLI with python-heatclient),
//! installed from PyPI in a throwaway venv under `target/`, drive the fakes in process.
//!
//! Without python3, venv or PyPI the test prints `SKIP: <reason>` and passes, unless `CI` is
//! set: then it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use heatbed::fakes::{self, Fakes};
use heatbed::scenario::{CollectorSpec, HeatSpec};

/// The client versions this test was verified with.
const PACKAGES: [&str; 3] = [
    "python-heatclient==5.3.0",
    "python-openstackclient==10.5.0",
    "openstacksdk==4.22.0",
];

#[tokio::test(flavor = "multi_thread")]
async fn real_clients_drive_the_fake_heat() {
    let venv = match venv() {
        Ok(venv) => venv,
        Err(reason) if std::env::var_os("CI").is_some() => {
            panic!("cannot set up the client venv (CI is set): {reason}")
        }
        Err(reason) => {
            println!("SKIP: {reason}");
            return;
        }
    };
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/heat_clients.py");
    let output = tokio::process::Command::new(venv.join("bin/python"))
        .arg(script)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", venv.join("home"))
        .env("OPENSTACK", venv.join("bin/openstack"))
        .env("OS_AUTH_URL", fakes.auth_url())
        .env("OS_USERNAME", fakes::USERNAME)
        .env("OS_PASSWORD", fakes::PASSWORD)
        .env("OS_PROJECT_ID", fakes.project_id())
        .env("OS_USER_DOMAIN_NAME", fakes::DOMAIN)
        .env("OS_PROJECT_DOMAIN_NAME", fakes::DOMAIN)
        .env("OS_IDENTITY_API_VERSION", "3")
        .output()
        .await
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    let journal: String = fakes
        .heat_journal()
        .iter()
        .map(|c| format!("{} {} -> {}\n", c.method, c.path, c.status))
        .collect();
    assert!(
        output.status.success(),
        "client checks failed\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- heat calls ---\n{journal}"
    );
    assert!(stdout.contains("all client checks passed"));
}

/// The venv, created and filled on first use and reused afterwards.
fn venv() -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let venv = target.join("heat-clients-venv");
    let marker = venv.join("heatbed-installed.txt");
    let wanted = PACKAGES.join("\n");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return Ok(venv);
    }
    run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
        "python3 -m venv",
    )?;
    let pip = venv.join("bin/pip");
    run(
        Command::new(&pip)
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PACKAGES),
        "pip install",
    )?;
    std::fs::create_dir_all(venv.join("home"))
        .map_err(|e| format!("cannot create venv home: {e}"))?;
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
