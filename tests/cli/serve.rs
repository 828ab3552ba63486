//! `heatbed serve`: the env contract printed, everything stopped on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use super::bin;

#[test]
fn serve_prints_the_env_contract_and_cleans_up_on_sigterm() {
    let mut child = bin::heatbed()
        .args(["serve", "--etcd", "embedded"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut exports = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.starts_with("export HEATBED_COLLECTOR_URL=");
        exports.push(line);
        if done {
            break;
        }
    }
    for name in [
        "HEATBED_ETCD_ENDPOINTS",
        "ETCDCTL_ENDPOINTS",
        "OS_AUTH_URL",
        "OS_USERNAME",
        "OS_PASSWORD",
        "OS_PROJECT_ID",
        "OS_USER_DOMAIN_NAME",
        "OS_PROJECT_DOMAIN_NAME",
        "HEATBED_HEAT_URL",
        "HEATBED_COLLECTOR_URL",
    ] {
        assert!(
            exports
                .iter()
                .any(|l| l.starts_with(&format!("export {name}="))),
            "{name}: {exports:?}"
        );
    }
    let endpoint = exports[0].split('\'').nth(1).unwrap().to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut client = etcd_client::Client::connect([endpoint.as_str()], None)
            .await
            .unwrap();
        client
            .put("/served", "yes", None)
            .await
            .expect("etcd answers while serving");
    });

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let port = endpoint.rsplit(':').next().unwrap();
    assert!(
        std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err(),
        "etcd still listens after serve stopped"
    );
}
