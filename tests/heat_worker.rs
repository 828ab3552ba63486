//! The reference worker's heat worker end to end: a real etcd, the fake Heat and Keystone, and
//! the test playing Gohan (the template under `/config/v2.0/heat_templates/`) and the job
//! manager (the recorded job `02_JobManager/CreateLoadbalancer_11.md` in `/jobs/all` and
//! `/jobs/ready`). The writes must equal `03_HeatWorker/CreateLoadbalancer_11.md`.

use std::path::PathBuf;
use std::time::Duration;

use heatbed::encoding::{go_json, python_json};
use heatbed::etcd::Backend;
use heatbed::fakes::Fakes;
use heatbed::run::{Recorder, Write};
use heatbed::scenario::{CollectorSpec, HeatSpec, StackRule};
use heatbed::worker::{LogSink, Reference, WorkerEnv};
use serde_json::{Map, Value, json};

const INTERFACE: &str = "24580bfc-32f4-4c0f-8e8a-c7288497aa7c";
const TARGET: &str = "2da66917-604c-4076-8c21-79da05f6479e";

/// `<repo>/tests/recorded/<rel>`, read, or a clear failure.
fn read_recorded(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/recorded")
        .join(rel);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("recorded data {} is missing ({e})", path.display()))
}

/// The ```-fenced `key` + JSON blocks of a recorded document.
fn blocks(doc: &str) -> Vec<(String, Value)> {
    doc.split("```")
        .skip(1)
        .step_by(2)
        .filter_map(|block| {
            let block = block.trim_start_matches(|c: char| c != '\n').trim();
            let (key, json) = block.split_once('\n')?;
            Some((key.trim().to_string(), serde_json::from_str(json).ok()?))
        })
        .collect()
}

fn recorded(rel: &str) -> Vec<(String, Value)> {
    blocks(&read_recorded(&format!("esi/{rel}")))
}

/// The fake Heat answers the recorded monitoring target id and link.
fn heat_spec() -> HeatSpec {
    let mut outputs = Map::new();
    outputs.insert("monitoring_target_id".into(), json!(TARGET));
    outputs.insert(
        "monitoring_link".into(),
        json!(format!("http://collector-agents-se:7070/targets/{TARGET}")),
    );
    HeatSpec {
        stacks: vec![StackRule {
            pattern: "load_balancer_interface_*".into(),
            generation: None,
            in_progress_reads: None,
            outputs,
            output_order: Vec::new(),
            fail: Vec::new(),
            http_error: None,
            latency: None,
            hold_until: Vec::new(),
        }],
        ..HeatSpec::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heat_worker_runs_the_recorded_load_balancer_interface_job() {
    // Arrange: etcd, the fakes, the template as Gohan stores it, the reference worker.
    let etcd = Backend::Embedded.start().await.expect("etcd starts");
    let mut client = etcd.client();
    let fakes = Fakes::start(&heat_spec(), &CollectorSpec::default()).await;
    let (template_key, template) = recorded("heat_template/load_balancer_interface.md").remove(0);
    let stored = json!({
        "body": go_json(&template["body"]),
        "marked_for_deletion": false,
        "version": template["version"],
    });
    client
        .put(template_key, go_json(&stored), None)
        .await
        .expect("template");
    let worker = Reference::start(&WorkerEnv::new(&etcd, &fakes), 8, LogSink::Buffer);
    let from = client
        .get("/", None)
        .await
        .expect("get")
        .header()
        .expect("header")
        .revision()
        + 1;
    let recorder = Recorder::start(client.clone(), from).await.expect("watch");

    // Act: schedule the recorded job as the job manager did.
    let (job_key, job_record) =
        recorded("05_load_balancer/stored_in_etcd/02_JobManager/CreateLoadbalancer_11.md")
            .remove(0);
    let job_id = job_key.trim_start_matches("/jobs/all/").to_string();
    client
        .put(job_key.as_str(), python_json(&job_record, false), None)
        .await
        .expect("all");
    client
        .put(format!("/jobs/ready/{job_id}"), "heat_worker", None)
        .await
        .expect("ready");

    // Wait (on the recorder's watch, with a deadline) for /jobs/finished and the job state's
    // delete.
    let finished = format!("/jobs/finished/{job_id}");
    let done = |history: &[Write]| {
        let seen = |key: &dyn Fn(&str) -> bool, put: bool| {
            history
                .iter()
                .any(|w| key(&w.key) && w.value.is_some() == put)
        };
        seen(&|k| k == finished, true) && seen(&|k| k.starts_with("/esi-worker/job_state/"), false)
    };
    let writes = match recorder.wait_for(done, Duration::from_secs(30)).await {
        Ok(history) => history,
        Err(_) => {
            let log = worker.stop().await;
            panic!("the job did not finish within 30 s; worker log:\n{log}");
        }
    };
    let writes: Vec<(String, Option<String>)> = writes
        .into_iter()
        .map(|w| {
            let value = w.value.map(|v| String::from_utf8_lossy(&v).into_owned());
            (w.key, value)
        })
        .collect();
    let log = worker.stop().await;

    // Assert: the three recorded results, byte for byte as PY-S (and `heat_outputs` as the
    // recorded string), and the recorded order of the writes.
    let last_put = |key: &str| -> Value {
        let value = writes
            .iter()
            .rev()
            .find_map(|(k, v)| (k == key).then_some(v.as_deref()).flatten())
            .unwrap_or_else(|| panic!("no write to {key}; log:\n{log}"));
        serde_json::from_str(value).expect("JSON")
    };
    let expected =
        recorded("05_load_balancer/stored_in_etcd/03_HeatWorker/CreateLoadbalancer_11.md");
    assert_eq!(expected.len(), 3, "heat_stacks, job_state, state");
    for (key, value) in &expected {
        let written = last_put(key);
        assert_eq!(
            python_json(&written, true),
            python_json(value, true),
            "{key}"
        );
    }
    let state = last_put(&format!("/state/v2.0/load_balancer_interfaces/{INTERFACE}"));
    assert_eq!(
        state["state"]["heat_outputs"],
        expected[2].1["state"]["heat_outputs"]
    );
    let index = |key: String, put: bool| {
        writes
            .iter()
            .position(|(k, v)| *k == key && v.is_some() == put)
            .unwrap_or_else(|| panic!("no write of {key}"))
    };
    let path = format!("v2.0/load_balancer_interfaces/{INTERFACE}");
    let order = [
        index(format!("/jobs/working/{job_id}"), true),
        index(format!("/jobs/ready/{job_id}"), false),
        index(format!("/esi-worker/job_state/{path}"), true),
        index(format!("/esi-worker/heat_stacks/{path}"), true),
        index(format!("/state/{path}"), true),
        index(format!("/jobs/finished/{job_id}"), true),
    ];
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "write order (ESI-SPEC §1.11): {writes:#?}"
    );
    assert!(
        log.contains(&format!("Reserved job: {job_id} using id: ")),
        "{log}"
    );
}
