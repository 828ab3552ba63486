//! The MonitoringTarget resource in the fake Heat creates, replaces and deletes targets.

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::support::call;

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
