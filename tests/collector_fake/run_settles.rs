//! The runner waits for the collector to settle before it stops the worker, so the reports
//! that follow a scenario's last checkpoint are in its history.

use heatbed::etcd::Backend;

use crate::support::{MONITORING_KEY, STATE_KEY};

/// A worker that registers a target over REST, writes its resource's state, and waits.
const WORKER: &str = r#"curl -sf -X POST "$HEATBED_COLLECTOR_URL/targets" -d '{"type": "snmp_ports", "resource_type": "load_balancer_interfaces", "resource_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c", "field_name": "interface", "tenant_id": "t", "version": 1, "properties": {}, "syncer_properties": {"etcd": {"status": {"key": "interface"}}}}' >/dev/null && etcdctl put /state/v2.0/load_balancer_interfaces/24580bfc-32f4-4c0f-8e8a-c7288497aa7c '{"version": 1}' >/dev/null && exec tail -f /dev/null"#;

#[tokio::test]
async fn a_run_keeps_the_reports_that_follow_its_last_checkpoint() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("settle.yaml");
    let scenario = format!(
        "name: Reports after the last checkpoint\nworker: {{kind: command, command: {worker:?}}}\ncollector:\n  targets:\n    - match: 'load_balancer_interfaces/*'\n      report: {{kind: flapping, times: 30}}\nsteps: []\ndocuments:\n  - name: state\n    title: State\n    checkpoints:\n      - key: {STATE_KEY}\n",
        worker = WORKER
    );
    std::fs::write(&path, scenario).expect("written");
    let scenario = heatbed::scenario::load(&path).expect("a valid scenario");
    let outcome = heatbed::run::run_on(&Backend::Auto, &scenario)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let monitoring: Vec<String> = outcome
        .history
        .iter()
        .filter(|w| w.key == MONITORING_KEY)
        .map(|w| String::from_utf8_lossy(w.value.as_deref().unwrap_or_default()).into_owned())
        .collect();
    assert_eq!(monitoring.len(), 30, "{monitoring:?}");
    assert_eq!(monitoring[29], r#"{"interface":"FAIL","version":1}"#);
}
