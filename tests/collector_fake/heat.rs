//! A heat-engine stand-in for the collector tests: a scoped token and stack calls to the
//! fake Heat, whose MonitoringTarget resources are the collector fake's hook.

use heatbed::fakes::Fakes;
use reqwest::{Method, StatusCode};

use crate::heat_client::{HeatClient, outputs_by_key};
use serde_json::{Map, Value, json};

/// A client of the fake Heat holding a project-scoped token.
pub(crate) struct Heat {
    heat: HeatClient,
}

impl Heat {
    pub(crate) async fn login(fakes: &Fakes) -> Heat {
        Heat {
            heat: HeatClient::login(fakes).await,
        }
    }

    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let (status, body, _) = self.heat.call(method, path, body).await;
        (status, body)
    }

    /// Creates stack `name` and returns its id once it completed.
    pub(crate) async fn create(&self, name: &str, template: &Value, params: &Value) -> String {
        let body = json!({"stack_name": name, "template": template, "parameters": params});
        let (status, created) = self.call(Method::POST, "/stacks", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {created}");
        let id = created["stack"]["id"]
            .as_str()
            .expect("stack id")
            .to_string();
        self.outputs(name, &id).await;
        id
    }

    /// Updates the stack and waits until it completed.
    pub(crate) async fn update(&self, name: &str, id: &str, template: &Value, params: &Value) {
        let body = json!({"template": template, "parameters": params});
        let path = format!("/stacks/{name}/{id}");
        let (status, answer) = self.call(Method::PUT, &path, Some(body)).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{name}: {answer}");
        self.outputs(name, id).await;
    }

    pub(crate) async fn delete(&self, name: &str, id: &str) {
        let path = format!("/stacks/{name}/{id}");
        let (status, answer) = self.call(Method::DELETE, &path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{name}: {answer}");
    }

    /// The outputs of the stack once it settled, by key (a bounded number of reads).
    pub(crate) async fn outputs(&self, name: &str, id: &str) -> Map<String, Value> {
        for _ in 0..10 {
            let (_, shown) = self
                .call(Method::GET, &format!("/stacks/{name}/{id}"), None)
                .await;
            let stack = &shown["stack"];
            let status = stack["stack_status"].as_str().unwrap_or_default();
            assert!(!status.ends_with("FAILED"), "{name}: {stack}");
            if status.ends_with("COMPLETE") {
                return outputs_by_key(stack);
            }
        }
        panic!("stack {name} never completed");
    }
}
