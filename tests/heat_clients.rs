//! Real OpenStack clients (openstacksdk and the `openstack` CLI with python-heatclient),
//! installed from PyPI in a throwaway venv under `target/`, drive the fakes in process.
//!
//! Without python3, venv or PyPI the test prints `SKIP: <reason>` and passes, unless `CI` is
//! set: then it fails.

#[path = "support/venv.rs"]
mod venv;

use std::path::Path;

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
    let Some(venv) = venv::venv("heat-clients-venv", &[&PACKAGES]) else {
        return;
    };
    let home = venv.join("home");
    std::fs::create_dir_all(&home).expect("the venv's home");
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/heat_clients.py");
    let output = tokio::process::Command::new(venv.join("bin/python"))
        .arg(script)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
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
