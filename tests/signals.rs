//! SIGINT and SIGTERM (to heatbed, or to its whole process group) and panics leave nothing
//! behind: no worker process (nor its background children), no etcd, no temp dir. Processes
//! are found by a marker only they carry (a `TMPDIR` of the test's own, inherited by every
//! descendant), never by name; readiness is a FIFO the worker writes, never a sleep.

#[path = "support/heatbed.rs"]
mod bin;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

const SCENARIO: &str = "name: Signalled\n\
worker: {kind: command, command: 'sh worker.sh'}\n\
timeout: 10m\n\
steps: []\n\
documents:\n  - name: d\n    title: T\n    checkpoints:\n      - {key: /a}\n      - {key: /never}\n";

/// Starts a background child that would outlive a careless stop, writes /a, says it is
/// ready through the FIFO, then idles.
const WORKER: &str = "sh -c 'sleep 600; echo never' &\n\
etcdctl put /a 1 >/dev/null\n\
echo ready > ready.fifo\n\
exec sleep 600\n";

/// Every live process whose environment holds `marker`.
fn marked(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let dir = entry.path();
        let Ok(environ) = std::fs::read(dir.join("environ")) else {
            continue;
        };
        let zombie = std::fs::read_to_string(dir.join("stat")).is_ok_and(|s| {
            s.rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z'))
        });
        let needle = marker.as_bytes();
        if !zombie && environ.windows(needle.len()).any(|w| w == needle) {
            let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
            found.push(format!(
                "{}: {}",
                dir.display(),
                String::from_utf8_lossy(&cmdline)
            ));
        }
    }
    found
}

/// What is left of marked processes once the kills sent have landed: polls /proc a bounded
/// number of times (a SIGKILL is delivered asynchronously).
fn left_behind(marker: &str) -> Vec<String> {
    let mut left = marked(marker);
    for _ in 0..500 {
        if left.is_empty() {
            break;
        }
        std::thread::yield_now();
        std::thread::sleep(std::time::Duration::from_millis(10));
        left = marked(marker);
    }
    left
}

/// Runs `heatbed run` until the worker is ready, sends `signal` (to the group when
/// `group`), and checks the exit code, the partial report and that nothing is left.
fn interrupt(command: &str, signal: Signal, group: bool, code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let tmp = dir.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    std::fs::write(dir.join("scenario.yaml"), SCENARIO).unwrap();
    std::fs::write(dir.join("worker.sh"), WORKER).unwrap();
    let made = Command::new("mkfifo").arg(dir.join("ready.fifo")).status();
    assert!(made.unwrap().success());

    let mut args = vec![command, "scenario.yaml", "--etcd", "embedded"];
    if command == "doc" {
        args.extend(["--out", "docs"]);
    } else {
        args.extend(["--snapshots", "snapshots"]);
    }
    let child = bin::heatbed()
        .args(&args)
        .current_dir(dir)
        .env("TMPDIR", &tmp)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("heatbed starts");
    let fifo = std::fs::File::open(dir.join("ready.fifo")).unwrap();
    let mut ready = String::new();
    BufReader::new(fifo).read_line(&mut ready).unwrap();
    assert_eq!(ready, "ready\n");
    let marker = tmp.display().to_string();
    assert!(
        marked(&marker).len() >= 3,
        "etcd, the worker and its child run: {:?}",
        marked(&marker)
    );

    let pid = Pid::from_raw(child.id() as i32);
    if group {
        killpg(pid, signal).unwrap();
    } else {
        kill(pid, signal).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stdout}{stderr}");
    if command == "doc" {
        let doc = std::fs::read_to_string(dir.join("docs/d.md")).unwrap();
        assert!(
            doc.contains("(2) in etcd\n\n**NEVER HAPPENED**: `/never`"),
            "{doc}"
        );
    } else {
        assert!(stdout.contains("FAIL scenario"), "{stdout}");
        assert!(stdout.contains("(2) /never: NEVER HAPPENED"), "{stdout}");
        assert!(stdout.contains("interrupted"), "{stdout}");
        assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
    }
    assert_eq!(left_behind(&marker), Vec::<String>::new(), "{stderr}");
    let temp: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(temp.is_empty(), "temp files left: {temp:?}");
}

#[test]
fn sigint_to_run_stops_everything_and_prints_the_partial_report() {
    interrupt("run", Signal::SIGINT, false, 130);
}

#[test]
fn sigterm_to_the_group_of_record_stops_everything() {
    interrupt("record", Signal::SIGTERM, true, 143);
}

#[test]
fn sigterm_to_doc_writes_what_happened_and_stops_everything() {
    interrupt("doc", Signal::SIGTERM, false, 143);
}

#[test]
fn sigint_to_the_group_of_doc_stops_everything() {
    interrupt("doc", Signal::SIGINT, true, 130);
}

/// A panic while a scenario runs unwinds through the run: the worker's whole group and the
/// embedded etcd are gone afterwards.
#[test]
fn a_panic_during_a_run_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let marker = format!("HEATBED_TEST_MARKER={}", uuid::Uuid::new_v4());
    let scenario = SCENARIO.replace(
        "command: 'sh worker.sh'}",
        &format!(
            "command: 'sh worker.sh', env: {{HEATBED_TEST_MARKER: '{}'}}}}",
            marker.split_once('=').unwrap().1
        ),
    );
    std::fs::write(dir.join("scenario.yaml"), scenario).unwrap();
    std::fs::write(dir.join("worker.sh"), WORKER).unwrap();
    let made = Command::new("mkfifo").arg(dir.join("ready.fifo")).status();
    assert!(made.unwrap().success());
    let scenario = heatbed::scenario::load(&dir.join("scenario.yaml")).unwrap();
    let fifo = dir.join("ready.fifo");
    let endpoint = std::sync::Mutex::new(String::new());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runtime.block_on(async {
            let etcd = heatbed::etcd::Backend::Embedded.start().await.unwrap();
            *endpoint.lock().unwrap() = etcd.endpoints()[0].clone();
            let ready = tokio::task::spawn_blocking(move || {
                let mut line = String::new();
                BufReader::new(std::fs::File::open(fifo).unwrap())
                    .read_line(&mut line)
                    .unwrap();
                line
            });
            tokio::select! {
                _ = heatbed::run::run_scenario(&scenario, &etcd, None) => {}
                line = ready => {
                    assert_eq!(line.unwrap(), "ready\n");
                    assert!(!marked(&marker).is_empty());
                    panic!("a bug in the middle of a run");
                }
            }
        })
    }));
    assert!(panicked.is_err());
    drop(runtime);
    assert_eq!(left_behind(&marker), Vec::<String>::new());
    let endpoint = endpoint.into_inner().unwrap();
    let etcd = endpoint.trim_start_matches("http://");
    assert!(
        std::net::TcpStream::connect(etcd).is_err(),
        "etcd still listens at {endpoint}"
    );
}
