//! The world of a whole-job test: a real etcd, the fakes and a heat worker alone on them. The
//! test plays Gohan (the templates) and the job manager (`/jobs/all` + `/jobs/ready`, cleanup).

use std::time::Duration;

use etcd_client::Client;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::recorded::run_templates;
use crate::encoding::{go_json, python_json};
use crate::etcd::{Backend, Etcd};
use crate::fakes::Fakes;
use crate::run::{Recorder, Write};
use crate::scenario::{CollectorSpec, HeatSpec};
use crate::worker::WorkerEnv;
use crate::worker::reference::{Config, Log, LogSink};

/// etcd, the fakes and a running heat worker.
pub(super) struct World {
    _etcd: Etcd,
    _fakes: Fakes,
    pub(super) client: Client,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    pub(super) log: Log,
}

impl World {
    pub(super) async fn start(spec: HeatSpec) -> World {
        let etcd = Backend::Embedded.start().await.expect("etcd starts");
        let fakes = Fakes::start(&spec, &CollectorSpec::default()).await;
        let config = Config::new(&WorkerEnv::new(&etcd, &fakes), 8);
        let log = Log::new(LogSink::Buffer);
        let (stop, shutdown) = watch::channel(false);
        let task = tokio::spawn(super::super::run(config, log.clone(), shutdown));
        let mut world = World {
            client: etcd.client(),
            _etcd: etcd,
            _fakes: fakes,
            stop,
            task,
            log,
        };
        for (id, body) in run_templates() {
            let value = json!({"body": go_json(&body), "marked_for_deletion": false, "version": 1});
            world
                .client
                .put(
                    format!("/config/v2.0/heat_templates/{id}"),
                    go_json(&value),
                    None,
                )
                .await
                .expect("template");
        }
        world
    }

    /// Schedules `job` as the job manager does and returns every write until its
    /// `/jobs/finished` (plus the job state's delete), in revision order.
    pub(super) async fn run_job(&mut self, job: &Value) -> Vec<(String, Option<String>)> {
        let id = job["id"].as_str().expect("id").to_string();
        let from = self
            .client
            .get("/", None)
            .await
            .expect("get")
            .header()
            .expect("header")
            .revision()
            + 1;
        let recorder = Recorder::start(self.client.clone(), from)
            .await
            .expect("recorder");
        let record = python_json(&json!(["heat_worker", job, 0]), false);
        self.client
            .put(format!("/jobs/all/{id}"), record, None)
            .await
            .expect("all");
        self.client
            .put(format!("/jobs/ready/{id}"), "heat_worker", None)
            .await
            .expect("ready");
        let finished = format!("/jobs/finished/{id}");
        let done = |history: &[Write]| {
            history.iter().any(|w| w.key == finished)
                && history
                    .iter()
                    .any(|w| w.key.starts_with("/esi-worker/job_state/") && w.value.is_none())
        };
        let writes = match recorder.wait_for(done, Duration::from_secs(30)).await {
            Ok(history) => history
                .into_iter()
                .map(|w| {
                    let value = w.value.map(|v| String::from_utf8_lossy(&v).into_owned());
                    (w.key, value)
                })
                .collect(),
            Err(_) => panic!("job {id} did not finish; log:\n{}", self.log.take()),
        };
        // The job manager's part: clean up the finished job.
        for prefix in ["/jobs/all/", "/jobs/working/", "/jobs/finished/"] {
            self.client
                .delete(format!("{prefix}{id}"), None)
                .await
                .expect("cleanup");
        }
        writes
    }

    pub(super) async fn stop(self) -> String {
        self.stop.send(true).expect("stop");
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the worker stops promptly")
            .expect("no panic");
        self.log.take()
    }
}

/// The value of the last put of `key`, decoded.
pub(super) fn value_of(writes: &[(String, Option<String>)], key: &str) -> Value {
    let (_, value) = writes
        .iter()
        .rev()
        .find(|(k, v)| k == key && v.is_some())
        .unwrap_or_else(|| panic!("no write to {key}: {writes:#?}"));
    serde_json::from_str(value.as_deref().unwrap_or_default()).expect("JSON")
}

/// Index of the first write to `key` (with a value, or a delete when `value` is `None`).
pub(super) fn position(writes: &[(String, Option<String>)], key: &str, put: bool) -> usize {
    writes
        .iter()
        .position(|(k, v)| k == key && v.is_some() == put)
        .unwrap_or_else(|| panic!("no {} of {key}", if put { "put" } else { "delete" }))
}
