//! The MonitoringTarget resource in the fake Heat creates, replaces and deletes targets.

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::heat::Heat;
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

#[tokio::test]
async fn monitoring_targets_live_and_die_with_their_heat_resources() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let heat = Heat::login(&fakes).await;
    let template = Value::from(TEMPLATE);
    let params = |version: i64| json!({"gohan_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c", "version": version});

    let stack = heat.create("lbi", &template, &params(1)).await;
    let outputs = heat.outputs("lbi", &stack).await;
    let first = outputs["monitoring_target_id"]
        .as_str()
        .expect("id")
        .to_string();
    let link = &outputs["monitoring_link"];
    assert_eq!(
        link,
        &format!("http://collector-agents-se:7070/targets/{first}")
    );
    let (status, target) = call(&fakes, Method::GET, &format!("/targets/{first}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(target["version"], 1);
    assert_eq!(&target["link"], link);
    assert_eq!(target["properties"]["if_name"], "1/1");

    // An update with a new version replaces the target: the old one is gone.
    heat.update("lbi", &stack, &template, &params(2)).await;
    let second = heat.outputs("lbi", &stack).await["monitoring_target_id"].clone();
    assert_ne!(first, second);
    assert_eq!(
        call(&fakes, Method::GET, &format!("/targets/{first}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let second = second.as_str().expect("id");
    assert_eq!(
        call(&fakes, Method::GET, &format!("/targets/{second}"), None)
            .await
            .1["version"],
        2
    );

    heat.delete("lbi", &stack).await;
    assert_eq!(
        call(&fakes, Method::GET, "/targets", None).await.1,
        json!([])
    );
}
