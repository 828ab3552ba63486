//! Shared set-up for the job manager tests on a real etcd.

use std::time::Duration;

use etcd_client::{Client, GetOptions, WatchOptions};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::encoding::go_json;
pub(super) use crate::etcd::Backend;
use crate::worker::WorkerEnv;
use crate::worker::reference::{Config, Log, LogSink};

/// The job manager task and its stop switch.
pub(super) struct Running {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    log: Log,
}

impl Running {
    pub(super) fn start(endpoints: &[String]) -> Running {
        let log = Log::new(LogSink::Buffer);
        let (stop, shutdown) = watch::channel(false);
        let task = tokio::spawn(super::super::run(
            Config::new(&env(endpoints), 0),
            log.clone(),
            shutdown,
        ));
        Running { stop, task, log }
    }

    /// Stops the job manager (it must stop promptly) and returns its log.
    pub(super) async fn stop(self) -> String {
        self.stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(1), self.task)
            .await
            .expect("the job manager stops promptly")
            .expect("the job manager does not panic");
        self.log.take()
    }
}

pub(super) const DEADLINE: Duration = Duration::from_secs(20);
pub(super) const TENANT: &str = "fe3a4a1a72c04479bb6c19c2c0ccba4c";

pub(super) fn env(endpoints: &[String]) -> WorkerEnv {
    WorkerEnv {
        etcd_endpoints: endpoints.to_vec(),
        auth_url: "http://127.0.0.1:9/unused".into(),
        username: "unused".into(),
        password: "unused".into(),
        project_id: TENANT.into(),
        domain: "Default".into(),
        heat_url: "http://127.0.0.1:9/unused".into(),
        collector_url: "http://127.0.0.1:9/unused".into(),
    }
}

/// Gohan's `/config` value (ESI-SPEC §1.3).
pub(super) fn gohan(body: &Value, marked: bool, version: u64) -> String {
    go_json(&json!({"body": go_json(body), "marked_for_deletion": marked, "version": version}))
}

pub(super) async fn put(client: &mut Client, key: &str, value: impl Into<Vec<u8>>) {
    client.put(key, value, None).await.expect("put");
}

pub(super) async fn template(client: &mut Client, id: &str, mappings: Value) {
    let body = json!({"handler": "heat_worker", "id": id, "parameter_mappings": mappings,
        "template_file": "heat_template_version: 2013-05-23\n", "watch": []});
    put(
        client,
        &format!("/config/v2.0/heat_templates/{id}"),
        gohan(&body, false, 1),
    )
    .await;
}

/// Waits (on watches, with a deadline) until `ready` holds for the keys under `prefix`.
pub(super) async fn wait_for(
    client: &mut Client,
    prefix: &str,
    what: &str,
    ready: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let work = async {
        loop {
            let response = client
                .get(prefix, Some(GetOptions::new().with_prefix()))
                .await
                .expect("get");
            let kvs: Vec<(String, String)> = response
                .kvs()
                .iter()
                .map(|kv| {
                    let k = kv.key_str().unwrap().to_string();
                    (k, kv.value_str().unwrap().to_string())
                })
                .collect();
            if ready(&kvs) {
                return kvs;
            }
            let revision = response.header().unwrap().revision();
            let options = WatchOptions::new()
                .with_prefix()
                .with_start_revision(revision + 1);
            let mut stream = client.watch(prefix, Some(options)).await.expect("watch");
            stream.message().await.expect("watch message");
        }
    };
    tokio::time::timeout(DEADLINE, work)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what} under {prefix}"))
}

/// The one job id under `/jobs/all/` starting with `start`.
pub(super) async fn job(client: &mut Client, start: &str) -> (String, Value) {
    let prefix = format!("/jobs/all/{start}");
    let kvs = wait_for(client, &prefix, start, |kvs| kvs.len() == 1).await;
    let (key, value) = &kvs[0];
    let value: Value = serde_json::from_str(value).expect("job value is JSON");
    assert_eq!(value[0], "heat_worker");
    assert_eq!(value[2], 0);
    (key["/jobs/all/".len()..].to_string(), value[1].clone())
}

pub(super) async fn exists(client: &mut Client, key: &str) -> bool {
    client.get(key, None).await.unwrap().count() == 1
}

/// The heat worker's part: claim, write the state, finish.
pub(super) async fn run_job(client: &mut Client, id: &str, path: &str, state: Value) {
    put(client, &format!("/jobs/working/{id}"), "reservation").await;
    client
        .delete(format!("/jobs/ready/{id}"), None)
        .await
        .unwrap();
    put(client, &format!("/state/{path}"), state.to_string()).await;
    put(client, &format!("/jobs/finished/{id}"), "").await;
    wait_for(client, &format!("/jobs/all/{id}"), "retired job", |kvs| {
        kvs.is_empty()
    })
    .await;
    for queue in ["working", "finished", "ready", "waiting"] {
        assert!(
            !exists(client, &format!("/jobs/{queue}/{id}")).await,
            "{queue} {id} left"
        );
    }
}

pub(super) fn params(job: &Value) -> Value {
    job["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["param"].as_str().unwrap().to_string(), p.clone()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}
