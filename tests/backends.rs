//! The three etcd backends. The container test needs Docker: it says clearly when it skips,
//! and never skips in CI (`CI` set).

#[path = "support/heatbed.rs"]
mod bin;

use std::path::Path;
use std::process::Command;

use heatbed::etcd::{Backend, Provider};

fn heatbed(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    bin::heatbed()
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("heatbed runs")
}

#[test]
fn every_scenario_passes_on_the_container_backend() {
    let docker = Command::new("docker")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success());
    if !docker {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the container backend, but Docker does not answer"
        );
        eprintln!(
            "SKIP: every_scenario_passes_on_the_container_backend: Docker does not answer `docker info`"
        );
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/build-etcd-image.sh");
    let built = Command::new("bash")
        .arg(script)
        .output()
        .expect("build script runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let out = heatbed(&["run", "--etcd", "container", "scenarios"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

#[tokio::test]
async fn an_external_etcd_with_foreign_keys_is_refused_unless_wipe_is_given() {
    let own = Backend::Embedded.start().await.expect("embedded etcd");
    let external = Backend::External(own.endpoints().to_vec());
    let mut client = own.client();
    client
        .put("/left/over", "from an earlier user", None)
        .await
        .unwrap();
    let refused = Provider::new(&external).await.unwrap_err().to_string();
    assert!(
        refused.contains("holds 1 key(s) heatbed did not write (e.g. /left/over)")
            && refused.contains("--wipe"),
        "{refused}"
    );
    assert_eq!(client.get("/left/over", None).await.unwrap().count(), 1);

    let provider = Provider::with_wipe(&external, true).await.unwrap();
    let lease = provider.acquire().await.unwrap();
    let mut leased = lease.client();
    assert_eq!(
        leased.get("/left/over", None).await.unwrap().count(),
        0,
        "shared etcd not wiped"
    );
    leased.put("/written/by/heatbed", "x", None).await.unwrap();
    drop(lease);
    provider.close().await.unwrap();
    let all = etcd_client::GetOptions::new()
        .with_from_key()
        .with_count_only();
    let left = client.get(vec![0u8], Some(all)).await.unwrap().count();
    assert_eq!(left, 0, "close leaves the external etcd empty");
}

#[tokio::test]
async fn the_cli_uses_an_external_etcd_only_when_told_and_never_wipes_a_users_keys() {
    let own = Backend::Embedded.start().await.expect("embedded etcd");
    let endpoints = own.endpoints().join(",");
    let mut client = own.client();
    client.put("/mine", "keep me", None).await.unwrap();

    // The worker's env contract (`eval "$(heatbed serve)"`) is not heatbed's own input.
    let out = heatbed(
        &["run", "scenarios/gohan_writes.yaml"],
        &[("HEATBED_ETCD_ENDPOINTS", endpoints.as_str())],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(client.get("/mine", None).await.unwrap().count(), 1);
    let template = "/config/v2.0/heat_templates/port";
    assert_eq!(client.get(template, None).await.unwrap().count(), 0);

    let out = heatbed(
        &["run", "scenarios/gohan_writes.yaml", "--etcd", &endpoints],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("did not write (e.g. /mine)"), "{stderr}");
    assert_eq!(client.get("/mine", None).await.unwrap().count(), 1);

    let out = heatbed(
        &["run", "scenarios/gohan_writes.yaml"],
        &[("HEATBED_ETCD", &endpoints)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(client.get("/mine", None).await.unwrap().count(), 1);

    let out = heatbed(
        &[
            "run",
            "scenarios/gohan_writes.yaml",
            "--etcd",
            &endpoints,
            "--wipe",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(client.get("/mine", None).await.unwrap().count(), 0);
    // Left as empty as it was found: the next run needs no --wipe.
    let out = heatbed(
        &["run", "scenarios/gohan_writes.yaml", "--etcd", &endpoints],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn etcd_choices_parse_and_bad_ones_are_named() {
    assert_eq!("embedded".parse::<Backend>().unwrap(), Backend::Embedded);
    assert_eq!("container".parse::<Backend>().unwrap(), Backend::Container);
    assert_eq!(
        "http://127.0.0.1:2379,http://127.0.0.1:2380"
            .parse::<Backend>()
            .unwrap(),
        Backend::External(vec![
            "http://127.0.0.1:2379".into(),
            "http://127.0.0.1:2380".into()
        ])
    );
    let error = "127.0.0.1:2379".parse::<Backend>().unwrap_err().to_string();
    assert!(error.contains("`127.0.0.1:2379`"), "{error}");
}
