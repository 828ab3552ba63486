//! Shared set-up: a test template, a client holding a token, and stack rules.

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec, StackRule};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

pub(crate) use crate::heat_client::token;
use crate::heat_client::{HeatClient, outputs_by_key};

pub(crate) const TEMPLATE: &str = "heat_template_version: 2015-10-15
description: A test stack
parameters:
  name: {type: string}
  version: {type: number, default: 1}
  flag: {type: boolean, default: false}
  secret: {type: string, hidden: true, default: s3cr3t}
resources:
  monitor:
    type: ESI::Monitoring::MonitoringTarget
    properties:
      resource_id: {get_param: name}
      version: {get_param: version}
outputs:
  target_id:
    description: Monitoring Target ID
    value: {get_resource: monitor}
  link:
    value: {get_attr: [monitor, link]}
  label:
    value: {str_replace: {template: N-V-F, params: {N: {get_param: name}, V: {get_param: version}, F: {get_param: flag}}}}
";

pub(crate) struct Api {
    pub(crate) fakes: Fakes,
    pub(crate) heat: HeatClient,
}

impl Api {
    pub(crate) async fn start(spec: HeatSpec) -> Api {
        let fakes = Fakes::start(&spec, &CollectorSpec::default()).await;
        let heat = HeatClient::login(&fakes).await;
        Api { fakes, heat }
    }

    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value, Option<String>) {
        self.heat.call(method, path, body).await
    }

    pub(crate) async fn create(&self, name: &str, parameters: Value) -> (StatusCode, Value) {
        let body = json!({"stack_name": name, "template": TEMPLATE, "parameters": parameters, "timeout_mins": 3});
        let (status, body, _) = self.call(Method::POST, "/stacks", Some(body)).await;
        (status, body)
    }

    /// Creates `stack` from `template`, waits until it settled and returns its outputs by key.
    pub(crate) async fn outputs(
        &self,
        stack: &str,
        template: &str,
        parameters: Value,
    ) -> Map<String, Value> {
        let body = json!({"stack_name": stack, "template": template, "parameters": parameters});
        let (status, answer, _) = self.call(Method::POST, "/stacks", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        self.settle(stack).await;
        outputs_by_key(&self.show(stack).await)
    }

    /// Follows the name lookup and shows the stack.
    pub(crate) async fn show(&self, name: &str) -> Value {
        let (status, _, location) = self
            .call(Method::GET, &format!("/stacks/{name}"), None)
            .await;
        assert_eq!(status, StatusCode::FOUND, "lookup of {name}");
        let (status, body, _) = self
            .call(Method::GET, &location.expect("Location"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        body["stack"].clone()
    }

    /// Shows until the status is no longer in progress; returns the statuses seen.
    pub(crate) async fn settle(&self, name: &str) -> Vec<String> {
        let mut seen = Vec::new();
        for _ in 0..20 {
            let status = self.show(name).await["stack_status"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            seen.push(status.clone());
            if !status.ends_with("IN_PROGRESS") {
                return seen;
            }
        }
        panic!("{name} never settled: {seen:?}");
    }
}

pub(crate) fn rule(pattern: &str) -> StackRule {
    StackRule {
        pattern: pattern.into(),
        generation: None,
        in_progress_reads: None,
        outputs: serde_json::Map::new(),
        output_order: Vec::new(),
        fail: Vec::new(),
        http_error: None,
        latency: None,
        hold_until: Vec::new(),
    }
}
