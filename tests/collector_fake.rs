//! The fake collector agents over HTTP, as heat-engine called them (`collector_agents/*.md`),
//! their MonitoringTarget resource in the fake Heat, and the etcd syncer on a real etcd.

use std::time::Duration;

use etcd_client::{Client as Etcd, EventType, WatchOptions};
use heatbed::etcd::Backend;
use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec, HttpError, Report, TargetRule};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// The body heat-engine posted for load balancer interface 24580bfc v1
/// (`CreateLoadbalancer_05.md`).
fn recorded_body(version: i64) -> Value {
    json!({
        "resource_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c",
        "tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c",
        "version": version,
        "syncer_properties": {
            "tsdb": {
                "traffic.in": {"metric": "traffic.bytes", "tags": {"direction": "in", "resource_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c"}},
                "traffic.out": {"metric": "traffic.bytes", "tags": {"direction": "out", "resource_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c"}}
            },
            "etcd": {"status": {"key": "interface"}}
        },
        "field_name": "interface",
        "type": "snmp_ports",
        "properties": {"community_name": "***", "device_ip": "100.64.193.3", "if_name": "1/1"},
        "resource_type": "load_balancer_interfaces"
    })
}

/// The keys of the recorded answers.
const CREATED_KEYS: [&str; 12] = [
    "created_at",
    "field_name",
    "id",
    "link",
    "monitorer",
    "properties",
    "resource_id",
    "resource_type",
    "syncer_properties",
    "tenant_id",
    "type",
    "version",
];
const VALUE_KEYS: [&str; 6] = [
    "fail_counter",
    "key",
    "last_changed",
    "last_reported",
    "reporter",
    "value",
];

const STATE_KEY: &str = "/state/v2.0/load_balancer_interfaces/24580bfc-32f4-4c0f-8e8a-c7288497aa7c";
const MONITORING_KEY: &str =
    "/monitoring/v2.0/load_balancer_interfaces/24580bfc-32f4-4c0f-8e8a-c7288497aa7c";

async fn call(
    fakes: &Fakes,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut request = Client::new().request(method, format!("{}{path}", fakes.collector_url()));
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("collector answers");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn rule(pattern: &str, report: Report) -> TargetRule {
    TargetRule {
        pattern: pattern.into(),
        version: None,
        report,
        http_error: None,
        latency: None,
    }
}

/// Puts `value` at `key` and returns the writes under `/monitoring/` that follow, until
/// `until` of them arrived.
async fn writes_after_put(
    etcd: &mut Etcd,
    key: &str,
    value: &str,
    until: usize,
) -> Vec<(EventType, String, String)> {
    let revision = etcd
        .put(key, value, None)
        .await
        .expect("put")
        .header()
        .expect("header")
        .revision();
    let mut stream = etcd
        .watch(
            "/monitoring/",
            Some(
                WatchOptions::new()
                    .with_prefix()
                    .with_start_revision(revision),
            ),
        )
        .await
        .expect("watch");
    let mut seen = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        while seen.len() < until {
            let Some(answer) = stream.message().await.expect("watch message") else {
                break;
            };
            for event in answer.events() {
                let kv = event.kv().expect("kv");
                seen.push((
                    event.event_type(),
                    kv.key_str().expect("utf-8").to_string(),
                    kv.value_str().expect("utf-8").to_string(),
                ));
            }
        }
    })
    .await
    .expect("the syncer writes in time");
    seen
}

#[tokio::test]
async fn post_answers_the_recorded_shape_with_the_public_url() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let (status, created) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(keys(&created), CREATED_KEYS);
    let id = created["id"].as_str().expect("id");
    assert_eq!(
        created["link"],
        format!("http://collector-agents-se:7070/targets/{id}")
    );
    assert_eq!(created["monitorer"], "http://collector-agents-se:7070");
    assert_eq!(created["created_at"], "2018-02-19T05:22:01Z");
    for (k, v) in recorded_body(1).as_object().expect("object") {
        assert_eq!(&created[k], v, "{k} is echoed");
    }

    let (status, shown) = call(&fakes, Method::GET, &format!("/targets/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["values"], json!([]));
    let mut expected: Vec<String> = CREATED_KEYS.iter().map(|k| k.to_string()).collect();
    expected.push("values".into());
    expected.sort();
    assert_eq!(keys(&shown), expected);

    let (status, list) = call(&fakes, Method::GET, "/targets", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], id);
}

#[tokio::test]
async fn ids_and_clock_are_deterministic_per_scenario() {
    let mut ids = Vec::new();
    for _ in 0..2 {
        let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
        let (_, first) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
        let (_, second) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(2))).await;
        assert_ne!(first["id"], second["id"]);
        assert_eq!(second["created_at"], "2018-02-19T05:22:02Z");
        ids.push((first["id"].clone(), second["id"].clone()));
    }
    assert_eq!(ids[0], ids[1]);
}

#[tokio::test]
async fn bad_requests_get_error_answers() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let url = format!("{}/targets", fakes.collector_url());
    let response = Client::new()
        .post(&url)
        .body("not json")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let mut body = recorded_body(1);
    body["version"] = json!("one");
    let (status, error) = call(&fakes, Method::POST, "/targets", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "`version` must be an integer");
    let (status, _) = call(&fakes, Method::GET, "/targets/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&fakes, Method::DELETE, "/targets/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&fakes, Method::PUT, "/targets", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, _) = call(&fakes, Method::GET, "/elsewhere", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn scripted_api_errors_count_down_and_latency_delays() {
    let mut failing = rule("load_balancer_interfaces/*", Report::default());
    failing.http_error = Some(HttpError {
        status: 503,
        count: 2,
        methods: Vec::new(),
    });
    failing.latency = Some(Duration::from_millis(50));
    let spec = CollectorSpec {
        targets: vec![failing],
        ..CollectorSpec::default()
    };
    let fakes = Fakes::start(&HeatSpec::default(), &spec).await;
    for _ in 0..2 {
        let (status, _) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
    let started = std::time::Instant::now();
    let (status, _) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(started.elapsed() >= Duration::from_millis(50));
}

#[tokio::test]
async fn the_syncer_writes_after_the_state_and_deletes_with_the_target() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let fakes = Fakes::start_synced(
        &HeatSpec::default(),
        &CollectorSpec::default(),
        client.clone(),
    )
    .await
    .expect("fakes");
    let (_, created) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    let id = created["id"].as_str().expect("id").to_string();
    assert!(
        client
            .get(MONITORING_KEY, None)
            .await
            .expect("get")
            .kvs()
            .is_empty()
    );

    let state = r#"{"error": "", "state": {"worker_state": "CREATE_COMPLETED"}, "version": 1}"#;
    let writes = writes_after_put(&mut client, STATE_KEY, state, 1).await;
    assert_eq!(
        writes,
        vec![(
            EventType::Put,
            MONITORING_KEY.to_string(),
            r#"{"interface":"UP","version":1}"#.to_string()
        )]
    );
    let (_, shown) = call(&fakes, Method::GET, &format!("/targets/{id}"), None).await;
    let value = &shown["values"][0];
    assert_eq!(keys(value), VALUE_KEYS);
    assert_eq!(value["value"], "UP");
    assert_eq!(value["reporter"], "SNMPPortPool");
    assert_eq!(value["last_reported"], "2018-02-19T05:23:01Z");

    let (status, _) = call(&fakes, Method::DELETE, &format!("/targets/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mut gone = false;
    for _ in 0..100 {
        // The delete is asynchronous: wait on etcd's answer, never on a timer.
        let revision = client.get(MONITORING_KEY, None).await.expect("get");
        if revision.kvs().is_empty() {
            gone = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(gone, "the key goes with the target");
}

#[tokio::test]
async fn flapping_statuses_are_written_in_order_and_repeats_skipped() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let statuses = ["UP", "UP", "DOWN", "UP"].map(String::from).to_vec();
    let spec = CollectorSpec {
        targets: vec![rule(
            "load_balancer_interfaces/24580bfc-*",
            Report::Statuses(statuses),
        )],
        ..CollectorSpec::default()
    };
    let fakes = Fakes::start_synced(&HeatSpec::default(), &spec, client.clone())
        .await
        .expect("fakes");
    call(&fakes, Method::POST, "/targets", Some(&recorded_body(2))).await;
    // A state at an older version does not count.
    let old = r#"{"version": 1}"#;
    client.put(STATE_KEY, old, None).await.expect("put");
    let writes = writes_after_put(&mut client, STATE_KEY, r#"{"version": 2}"#, 3).await;
    let values: Vec<&str> = writes.iter().map(|(_, _, v)| v.as_str()).collect();
    assert_eq!(
        values,
        [
            r#"{"interface":"UP","version":2}"#,
            r#"{"interface":"DOWN","version":2}"#,
            r#"{"interface":"UP","version":2}"#
        ]
    );
}

#[tokio::test]
async fn unreachable_devices_report_fail() {
    let etcd = Backend::Auto.start().await.expect("an etcd");
    let mut client = etcd.client();
    let spec = CollectorSpec {
        targets: vec![rule("*", Report::Unreachable)],
        ..CollectorSpec::default()
    };
    let fakes = Fakes::start_synced(&HeatSpec::default(), &spec, client.clone())
        .await
        .expect("fakes");
    let (_, created) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    let writes = writes_after_put(&mut client, STATE_KEY, r#"{"version": 1}"#, 1).await;
    assert_eq!(writes[0].2, r#"{"interface":"FAIL","version":1}"#);
    let (_, shown) = call(
        &fakes,
        Method::GET,
        &format!("/targets/{}", created["id"].as_str().expect("id")),
        None,
    )
    .await;
    assert_eq!(shown["values"][0]["value"], "FAIL");
    assert_eq!(shown["values"][0]["fail_counter"], 1);
}

const TEMPLATE: &str = "heat_template_version: 2013-05-23
parameters:
  gohan_id: {type: string}
  version: {type: number}
resources:
  lb_interface_monitor:
    type: ESI::Monitoring::MonitoringTarget
    properties:
      type: snmp_ports
      resource_type: load_balancer_interfaces
      resource_id: {get_param: gohan_id}
      field_name: interface
      tenant_id: fe3a4a1a72c04479bb6c19c2c0ccba4c
      version: {get_param: version}
      properties: {device_ip: 100.64.193.3, if_name: 1/1, community_name: LOAD_BALANCER_COMMUNITY}
      syncer_properties: {etcd: {status: {key: interface}}}
outputs:
  monitoring_target_id:
    value: {get_resource: lb_interface_monitor}
  monitoring_link:
    value: {get_attr: [lb_interface_monitor, link]}
";

async fn heat(
    fakes: &Fakes,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Client::new()
        .request(method, format!("{}{path}", fakes.heat_url()))
        .header("X-Auth-Token", token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("heat answers");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The stack's outputs once it settled, by key.
async fn outputs(fakes: &Fakes, token: &str, id: &str) -> (String, String) {
    for _ in 0..10 {
        let (_, shown) = heat(
            fakes,
            token,
            Method::GET,
            &format!("/stacks/lbi/{id}"),
            None,
        )
        .await;
        let stack = &shown["stack"];
        if stack["stack_status"]
            .as_str()
            .is_some_and(|s| s.ends_with("COMPLETE"))
        {
            let output = |key: &str| {
                stack["outputs"]
                    .as_array()
                    .expect("outputs")
                    .iter()
                    .find(|o| o["output_key"] == key)
                    .expect("output")["output_value"]
                    .as_str()
                    .expect("string")
                    .to_string()
            };
            return (output("monitoring_target_id"), output("monitoring_link"));
        }
    }
    panic!("the stack never completed");
}

#[tokio::test]
async fn monitoring_targets_live_and_die_with_their_heat_resources() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": heatbed::fakes::USERNAME, "domain": {"name": heatbed::fakes::DOMAIN},
        "password": heatbed::fakes::PASSWORD}}}, "scope": {"project": {"id": fakes.project_id()}}}});
    let response = Client::new()
        .post(format!("{}/auth/tokens", fakes.auth_url()))
        .json(&body)
        .send()
        .await
        .expect("keystone");
    let token = response.headers()["x-subject-token"]
        .to_str()
        .expect("ascii")
        .to_string();
    let params = |version: i64| json!({"gohan_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c", "version": version});

    let (status, created) = heat(
        &fakes,
        &token,
        Method::POST,
        "/stacks",
        Some(json!({"stack_name": "lbi", "template": TEMPLATE, "parameters": params(1)})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let stack = created["stack"]["id"]
        .as_str()
        .expect("stack id")
        .to_string();
    let (first, link) = outputs(&fakes, &token, &stack).await;
    assert_eq!(
        link,
        format!("http://collector-agents-se:7070/targets/{first}")
    );
    let (status, target) = call(&fakes, Method::GET, &format!("/targets/{first}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(target["version"], 1);
    assert_eq!(target["link"], link.as_str());
    assert_eq!(target["properties"]["if_name"], "1/1");

    // An update with a new version replaces the target: the old one is gone.
    let (status, _) = heat(
        &fakes,
        &token,
        Method::PUT,
        &format!("/stacks/lbi/{stack}"),
        Some(json!({"template": TEMPLATE, "parameters": params(2)})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (second, _) = outputs(&fakes, &token, &stack).await;
    assert_ne!(first, second);
    assert_eq!(
        call(&fakes, Method::GET, &format!("/targets/{first}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&fakes, Method::GET, &format!("/targets/{second}"), None)
            .await
            .1["version"],
        2
    );

    let (status, _) = heat(
        &fakes,
        &token,
        Method::DELETE,
        &format!("/stacks/lbi/{stack}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        call(&fakes, Method::GET, "/targets", None).await.1,
        json!([])
    );
}
