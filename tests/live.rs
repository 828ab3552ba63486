//! `heatbed record --live` in a closed loop: `heatbed serve` and `heatbed worker` stand in for
//! the live system, `tests/live/drive.py` drives Gohan-shaped writes with `etcdctl` (create,
//! update and delete of a network, a subnet and an ESE device whose template has a monitoring
//! target, one key no rule knows), `record --live` captures it (stopped by the script's
//! sentinel key), and the recorded scenario replays with every checkpoint equal to what the
//! live run wrote (`run --recorded` against the recorded documents `record --live` wrote
//! beside it), the collector's `/monitoring` reports included.

#[path = "support/heatbed.rs"]
mod bin;

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use bin::run as heatbed;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

const SENTINEL: &str = "/heatbed/live/done";
/// Most lines a child may print before the one a test waits for.
const LINES: usize = 100;

/// A process group started by the test, stopped (SIGTERM, then reaped) when dropped.
struct Group(Option<Child>);

impl Group {
    fn start(command: &mut Command) -> Group {
        Group(Some(command.process_group(0).spawn().expect("spawn")))
    }

    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("running")
    }

    /// Waits for the process to exit by itself within `limit` (else stops it and fails).
    fn exit_within(mut self, limit: Duration) -> std::process::ExitStatus {
        let mut child = self.0.take().expect("running");
        let pid = child.id();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        match rx.recv_timeout(limit) {
            Ok(status) => status.expect("wait"),
            Err(_) => {
                let _ = killpg(
                    Pid::from_raw(i32::try_from(pid).expect("pid")),
                    Signal::SIGTERM,
                );
                panic!("the process did not exit within {limit:?}");
            }
        }
    }

    /// The first line of `stream` containing `marker`, within [`LINES`] lines.
    fn line(stream: impl std::io::Read, marker: &str) -> (String, Vec<String>) {
        let mut seen = Vec::new();
        for line in BufReader::new(stream).lines().take(LINES) {
            let line = line.expect("read child output");
            if line.contains(marker) {
                return (line, seen);
            }
            seen.push(line);
        }
        panic!("never printed `{marker}`; printed:\n{}", seen.join("\n"));
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let pid = Pid::from_raw(i32::try_from(child.id()).expect("pid"));
            let _ = killpg(pid, Signal::SIGTERM);
            let _ = child.wait();
        }
    }
}

/// `heatbed serve` (etcd + fakes) and `heatbed worker` against it, with the env contract.
struct Live {
    env: Vec<(String, String)>,
    worker: Option<Group>,
    _serve: Group,
}

impl Live {
    fn start() -> Live {
        let mut serve = Group::start(
            bin::heatbed()
                .args(["serve", "--etcd", "embedded"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let stdout = serve.child().stdout.take().expect("stdout");
        let (last, mut lines) = Group::line(stdout, "HEATBED_COLLECTOR_URL");
        lines.push(last);
        let env: Vec<(String, String)> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("export ")?.split_once('='))
            .map(|(k, v)| (k.to_string(), v.trim_matches('\'').to_string()))
            .collect();
        Live {
            env,
            worker: None,
            _serve: serve,
        }
    }

    /// Starts the worker, with `OS_AUTH_URL` overridden when given (the proxy's).
    fn start_worker(&mut self, auth_url: Option<&str>) {
        let mut env = self.env.clone();
        if let Some(url) = auth_url {
            env.retain(|(k, _)| k != "OS_AUTH_URL");
            env.push(("OS_AUTH_URL".into(), url.into()));
        }
        self.worker = Some(Group::start(
            bin::heatbed()
                .arg("worker")
                .envs(env)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        ));
    }

    fn var(&self, name: &str) -> &str {
        &self.env.iter().find(|(k, _)| k == name).expect(name).1
    }

    fn drive(&self, args: &[&str]) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/live/drive.py");
        let out = Command::new("python3")
            .arg(script)
            .args(args)
            .envs(self.env.clone())
            .output()
            .expect("python3");
        assert!(out.status.success(), "drive.py {args:?}: {}", text(&out));
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_live_flow_recorded_from_etcd_replays_with_every_checkpoint_equal() {
    let yaml = closed_loop(false);
    assert!(yaml.contains("- match: network_"), "{yaml}");
    assert!(
        !yaml.contains("in_progress_reads"),
        "rules from etcd: {yaml}"
    );
}

#[test]
fn a_live_flow_recorded_through_the_heat_proxy_replays_with_every_checkpoint_equal() {
    let yaml = closed_loop(true);
    // The rules are what Heat answered through the proxy: outputs and in-progress reads.
    assert!(yaml.contains("in_progress_reads:"), "{yaml}");
    assert!(yaml.contains("- match: network_"), "{yaml}");
    assert!(yaml.contains("- match: subnet_"), "{yaml}");
}

/// Drives a flow on a live system (through the heat proxy when `proxy`), records it, and
/// replays it with every checkpoint equal to the live run's; returns the scenario.
fn closed_loop(proxy: bool) -> String {
    let mut live = Live::start();
    live.drive(&["templates"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = dir.path().join("scenarios/live_flow.yaml");
    let mut command = bin::heatbed();
    command
        .args(["record", "--live", "--etcd", live.var("ETCDCTL_ENDPOINTS")])
        .arg("--out")
        .arg(&scenario)
        .args(["--until-key", SENTINEL])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if proxy {
        command.args(["--heat-proxy", live.var("OS_AUTH_URL")]);
    }
    let mut record = Group::start(&mut command);
    let mut stdout = BufReader::new(record.child().stdout.take().expect("stdout"));
    let mut stderr = BufReader::new(record.child().stderr.take().expect("stderr"));
    let auth_url = proxy.then(|| {
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read");
        let url = line
            .trim()
            .strip_prefix("export OS_AUTH_URL=")
            .expect("the export line");
        url.trim_matches('\'').to_string()
    });
    let mut watching = String::new();
    stderr.read_line(&mut watching).expect("read");
    assert!(watching.contains("watching"), "{watching}");
    live.start_worker(auth_url.as_deref());
    live.drive(&["flow", SENTINEL]);
    let status = record.exit_within(Duration::from_secs(60));
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("read");
    assert!(status.success(), "record --live: {rest}");
    let yaml = std::fs::read_to_string(&scenario).expect("the scenario");
    for expected in [
        "op: create\n  path: /v2.0/networks/",
        "op: update\n  path: /v2.0/networks/",
        "op: delete\n  path: /v2.0/networks/",
        "op: create\n  path: /v2.0/subnets/",
        "op: delete\n  path: /v2.0/subnets/",
        "op: create\n  path: /v2.0/ese_devices/",
        "op: update\n  path: /v2.0/ese_devices/",
        "op: delete\n  path: /v2.0/ese_devices/",
        "key: /custom/live/flag\n  value: \"on\"",
        "key: /config/v2.0/heat_templates/network\n  file: fixtures/live_flow/",
        "until: matches",
        "name: networks_01",
        "name: subnets_02",
        "name: ese_devices_03",
        "  - key: /monitoring/v2.0/ese_devices/",
    ] {
        assert!(yaml.contains(expected), "no `{expected}` in:\n{yaml}");
    }
    // The collector rules are the statuses the live collector reported, one per version.
    let (_, collector) = yaml.split_once("\ncollector:\n").expect("collector rules");
    let (collector, _) = collector
        .split_once("\nsteps:")
        .expect("steps after the rules");
    for version in 1..=2 {
        let rule = format!(
            "version: {version}\n    report:\n      kind: statuses\n      statuses:\n      - UP"
        );
        let found = collector
            .split("  - match: ")
            .any(|r| r.starts_with("ese_devices/") && r.contains(&rule));
        assert!(found, "no ese_devices rule with `{rule}` in:\n{collector}");
    }
    assert!(
        !yaml.contains(SENTINEL),
        "the sentinel is not part of the flow"
    );

    let snapshots = dir.path().join("snapshots");
    let path = scenario.to_str().expect("utf-8 path");
    let snaps = snapshots.to_str().expect("utf-8 path");
    let common = ["--etcd", "embedded", "--snapshots", snaps, path];
    let recorded = heatbed(&[&["record", "--accept"], &common[..]].concat());
    assert!(recorded.status.success(), "record: {}", text(&recorded));
    let replay = heatbed(&[&["run", "--recorded", "--show"], &common[..]].concat());
    assert!(replay.status.success(), "run --recorded: {}", text(&replay));
    let written = std::fs::read_dir(snapshots.join("live_flow"))
        .expect("snapshots")
        .count();
    let recorded_checkpoints: usize = ["networks_01", "subnets_02", "ese_devices_03"]
        .iter()
        .map(|doc| {
            let file = dir
                .path()
                .join(format!("scenarios/recorded/live_flow/{doc}.md"));
            let text = std::fs::read_to_string(file).expect("recorded document");
            text.matches("### Checking stored data").count()
        })
        .sum();
    assert!(recorded_checkpoints >= 10, "{recorded_checkpoints}");
    assert_eq!(
        written, recorded_checkpoints,
        "one snapshot per live checkpoint"
    );
    let monitoring = walk(&snapshots.join("live_flow"))
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            text.contains("/monitoring/v2.0/ese_devices/")
        })
        .count();
    assert!(monitoring >= 2, "the collector's reports are checkpoints");
    if proxy {
        let journal = dir
            .path()
            .join("scenarios/recorded/live_flow/heat_journal.json");
        let journal = std::fs::read_to_string(journal).expect("the heat journal");
        assert!(journal.contains("\"/stacks\""), "{journal}");
        let password = live.var("OS_PASSWORD");
        for file in walk(dir.path()) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for leaked in [format!("\"{password}\""), format!(": {password}\n")] {
                let line = text.lines().find(|l| l.contains(leaked.trim_end()));
                assert!(
                    line.is_none(),
                    "{} holds the password: {line:?}",
                    file.display()
                );
            }
            assert!(
                !text.to_ascii_lowercase().contains("x-auth-token"),
                "{}",
                file.display()
            );
        }
    }
    yaml
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn a_quiet_recording_stops_at_until_idle_and_says_nothing_was_recorded() {
    let live = Live::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("quiet.yaml");
    let done = bin::heatbed()
        .args(["record", "--live", "--etcd", live.var("ETCDCTL_ENDPOINTS")])
        .arg("--out")
        .arg(&out)
        .args(["--until-idle", "300ms"])
        .output()
        .expect("heatbed");
    assert_eq!(done.status.code(), Some(1), "{}", text(&done));
    assert!(
        text(&done).contains("nothing was recorded between revisions"),
        "{}",
        text(&done)
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn live_needs_a_running_etcd_url() {
    let done = heatbed(&["record", "--live", "--out", "x.yaml", "--etcd", "embedded"]);
    assert_eq!(done.status.code(), Some(2), "{}", text(&done));
    assert!(
        text(&done).contains("--etcd must be its URL"),
        "{}",
        text(&done)
    );
}
