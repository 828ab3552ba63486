//! The fake Heat and Keystone driven over HTTP, as a worker or a client would.

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec, StackRule};
use reqwest::{Client, Method, StatusCode, redirect};
use serde_json::{Value, json};

const TEMPLATE: &str = "heat_template_version: 2015-10-15
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

struct Api {
    fakes: Fakes,
    client: Client,
    token: String,
}

impl Api {
    async fn start(spec: HeatSpec) -> Api {
        let fakes = Fakes::start(&spec, &CollectorSpec::default()).await;
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .expect("client");
        let token = token(&client, &fakes, json!({"id": fakes.project_id()})).await;
        Api {
            fakes,
            client,
            token,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value, Option<String>) {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.fakes.heat_url())
        };
        let mut request = self
            .client
            .request(method, url)
            .header("X-Auth-Token", &self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("heat answers");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(String::from);
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::Null),
            location,
        )
    }

    async fn create(&self, name: &str, parameters: Value) -> (StatusCode, Value) {
        let body = json!({"stack_name": name, "template": TEMPLATE, "parameters": parameters, "timeout_mins": 3});
        let (status, body, _) = self.call(Method::POST, "/stacks", Some(body)).await;
        (status, body)
    }

    /// Follows the name lookup and shows the stack.
    async fn show(&self, name: &str) -> Value {
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
    async fn settle(&self, name: &str) -> Vec<String> {
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

async fn token(client: &Client, fakes: &Fakes, project: Value) -> String {
    let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": heatbed::fakes::USERNAME, "domain": {"name": heatbed::fakes::DOMAIN},
        "password": heatbed::fakes::PASSWORD}}}, "scope": {"project": project}}});
    let response = client
        .post(format!("{}/auth/tokens", fakes.auth_url()))
        .json(&body)
        .send()
        .await
        .expect("keystone");
    assert_eq!(response.status(), StatusCode::CREATED);
    response.headers()["x-subject-token"]
        .to_str()
        .expect("ascii")
        .to_string()
}

fn rule(pattern: &str) -> StackRule {
    StackRule {
        pattern: pattern.into(),
        generation: None,
        in_progress_reads: None,
        outputs: serde_json::Map::new(),
        output_order: Vec::new(),
        fail: Vec::new(),
        http_error: None,
        latency: None,
    }
}

#[tokio::test]
async fn keystone_discovers_and_issues_tokens_whose_catalog_points_at_heat() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let client = Client::new();
    let version: Value = client
        .get(fakes.auth_url())
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(
        version["version"]["links"][0]["href"],
        format!("{}/", fakes.auth_url())
    );

    let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"name": "Default"}, "password": "heatbed"}}},
        "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}});
    let response = client
        .post(format!("{}/auth/tokens", fakes.auth_url()))
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.headers().contains_key("x-subject-token"));
    let token: Value = response.json().await.expect("json");
    assert!(
        token["token"]["expires_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert_eq!(token["token"]["project"]["id"], fakes.project_id());
    let catalog = token["token"]["catalog"].as_array().expect("catalog");
    let heat = catalog
        .iter()
        .find(|s| s["type"] == "orchestration")
        .expect("orchestration");
    assert_eq!(heat["endpoints"][0]["url"], fakes.heat_url());
    assert_eq!(heat["endpoints"][0]["interface"], "public");

    let mut wrong = body.clone();
    wrong["auth"]["identity"]["password"]["user"]["password"] = json!("nope");
    let response = client
        .post(format!("{}/auth/tokens", fakes.auth_url()))
        .json(&wrong)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn heat_checks_the_token_and_its_project() {
    let api = Api::start(HeatSpec::default()).await;
    let url = format!("{}/stacks", api.fakes.heat_url());
    let response = api.client.get(&url).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], 401);
    let response = api
        .client
        .get(&url)
        .header("X-Auth-Token", "forged")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let other = token(
        &api.client,
        &api.fakes,
        json!({"id": "0123456789abcdef0123456789abcdef"}),
    )
    .await;
    let response = api
        .client
        .get(&url)
        .header("X-Auth-Token", other)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["type"], "Forbidden");
}

#[tokio::test]
async fn a_stack_lives_through_create_show_update_and_delete() {
    let api = Api::start(HeatSpec::default()).await;
    let (status, created) = api
        .create("lb_1", json!({"name": "one", "version": "2"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["stack"]["id"].as_str().expect("id").to_string();
    let self_url = format!("{}/stacks/lb_1/{id}", api.fakes.heat_url());
    assert_eq!(created["stack"]["links"][0]["href"], self_url);

    let (status, body) = api.create("lb_1", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["message"], "The Stack (lb_1) already exists.");

    // Lookup keeps the query string and answers an absolute URL.
    let (status, _, location) = api
        .call(Method::GET, "/stacks/lb_1?resolve_outputs=False", None)
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(
        location.as_deref(),
        Some(format!("{self_url}?resolve_outputs=False").as_str())
    );
    let (_, _, by_id) = api
        .call(Method::GET, &format!("/stacks/{id}/events"), None)
        .await;
    assert_eq!(by_id, Some(format!("{self_url}/events")));

    assert_eq!(
        api.settle("lb_1").await,
        ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]
    );
    let stack = api.show("lb_1").await;
    assert_eq!(
        stack["stack_status_reason"],
        "Stack CREATE completed successfully"
    );
    assert_eq!(
        stack["parameters"],
        json!({
            "OS::stack_id": id, "OS::stack_name": "lb_1", "OS::project_id": api.fakes.project_id(),
            "name": "one", "version": "2", "flag": "False", "secret": "******",
        })
    );
    assert_eq!(stack["timeout_mins"], 3);
    assert_eq!(stack["disable_rollback"], true);
    assert_eq!(stack["updated_time"], Value::Null);
    let outputs = stack["outputs"].as_array().expect("outputs");
    let keys: Vec<&str> = outputs
        .iter()
        .filter_map(|o| o["output_key"].as_str())
        .collect();
    assert_eq!(keys, ["target_id", "link", "label"]);
    let target = outputs[0]["output_value"].as_str().expect("target id");
    assert_eq!(
        outputs[1]["output_value"],
        format!("http://collector-agents-se:7070/targets/{target}")
    );
    assert_eq!(outputs[1]["description"], "No description given");
    assert_eq!(outputs[2]["output_value"], "one-2-False");

    let (status, body, _) = api
        .call(Method::GET, &format!("/stacks/lb_1/{id}/outputs"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["outputs"][0],
        json!({"output_key": "target_id", "description": "Monitoring Target ID"})
    );
    let (_, body, _) = api
        .call(
            Method::GET,
            &format!("/stacks/lb_1/{id}/outputs/label"),
            None,
        )
        .await;
    assert_eq!(body["output"]["output_value"], "one-2-False");
    let (status, body, _) = api
        .call(
            Method::GET,
            &format!("/stacks/lb_1/{id}/outputs/nope"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["error"]["message"],
        "Specified output key nope not found."
    );
    let (_, template, _) = api
        .call(Method::GET, &format!("/stacks/lb_1/{id}/template"), None)
        .await;
    assert_eq!(template["heat_template_version"], "2015-10-15");

    // A new version replaces the monitor: a new physical id.
    let update = json!({"template": TEMPLATE, "parameters": {"name": "one", "version": 3}});
    let (status, _, _) = api
        .call(Method::PUT, &format!("/stacks/lb_1/{id}"), Some(update))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        api.settle("lb_1").await,
        ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]
    );
    let stack = api.show("lb_1").await;
    assert_eq!(stack["stack_status_reason"], "Stack successfully updated");
    assert!(stack["updated_time"].is_string());
    assert_ne!(stack["outputs"][0]["output_value"], target);

    // PATCH keeps the template and the other parameters.
    let (status, _, _) = api
        .call(
            Method::PATCH,
            &format!("/stacks/lb_1/{id}"),
            Some(json!({"parameters": {"flag": true}})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    api.settle("lb_1").await;
    assert_eq!(
        api.show("lb_1").await["outputs"][2]["output_value"],
        "one-3-True"
    );

    let (status, _, location) = api.call(Method::DELETE, "/stacks/lb_1", None).await;
    assert_eq!(status, StatusCode::FOUND);
    let (status, body, _) = api
        .call(Method::DELETE, &location.expect("Location"), None)
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (_, shown, _) = api.call(Method::GET, &self_url, None).await;
    assert_eq!(shown["stack"]["stack_status"], "DELETE_IN_PROGRESS");
    let (_, shown, _) = api.call(Method::GET, &self_url, None).await;
    assert_eq!(shown["stack"]["stack_status"], "DELETE_COMPLETE");
    assert!(shown["stack"].get("outputs").is_none());
    let (status, body, _) = api.call(Method::GET, "/stacks/lb_1", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["error"]["message"],
        "The Stack (lb_1) could not be found."
    );
    let (status, _, _) = api.call(Method::GET, &format!("/stacks/{id}"), None).await;
    assert_eq!(
        status,
        StatusCode::FOUND,
        "a deleted stack stays readable by id"
    );
    let (status, _, _) = api.call(Method::DELETE, &self_url, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, again) = api.create("lb_1", json!({"name": "two"})).await;
    assert_eq!(status, StatusCode::CREATED, "the name is free again");
    assert_ne!(again["stack"]["id"], id);
}

/// The recorded Heat ran on CPython 2: its output objects' keys come in that dict order
/// (ESI-SPEC §1.2), and a worker that keeps them prints `heat_outputs` as recorded.
#[tokio::test]
async fn output_objects_come_in_cpython_2_key_order() {
    let api = Api::start(HeatSpec::default()).await;
    let (status, created) = api.create("lb_1", json!({"name": "one"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["stack"]["id"].as_str().expect("id").to_string();
    api.settle("lb_1").await;
    let keys =
        |o: &Value| -> Vec<String> { o.as_object().expect("object").keys().cloned().collect() };
    let shown = api.show("lb_1").await;
    for output in shown["outputs"].as_array().expect("outputs") {
        assert_eq!(keys(output), ["output_value", "description", "output_key"]);
    }
    let (_, listed, _) = api
        .call(Method::GET, &format!("/stacks/lb_1/{id}/outputs"), None)
        .await;
    for output in listed["outputs"].as_array().expect("outputs") {
        assert_eq!(keys(output), ["description", "output_key"]);
    }
    let (_, one, _) = api
        .call(
            Method::GET,
            &format!("/stacks/lb_1/{id}/outputs/label"),
            None,
        )
        .await;
    assert_eq!(
        keys(&one["output"]),
        ["output_value", "description", "output_key"]
    );
}

#[tokio::test]
async fn list_filters_and_sorts_newest_first() {
    let api = Api::start(HeatSpec::default()).await;
    for name in ["a1", "b2", "c3"] {
        api.create(name, json!({"name": name})).await;
    }
    let (_, body, _) = api.call(Method::GET, "/stacks", None).await;
    let names: Vec<&str> = body["stacks"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["stack_name"].as_str())
        .collect();
    assert_eq!(names, ["c3", "b2", "a1"]);
    assert_eq!(body["stacks"][0]["description"], "");
    let (_, body, _) = api
        .call(
            Method::GET,
            "/stacks?name=b2&name=a1&sort_keys=stack_name&sort_dir=asc&with_count=true",
            None,
        )
        .await;
    let names: Vec<&str> = body["stacks"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["stack_name"].as_str())
        .collect();
    assert_eq!(names, ["a1", "b2"]);
    assert_eq!(body["count"], 2);
    let (_, body, _) = api.call(Method::GET, "/stacks?status=COMPLETE", None).await;
    assert_eq!(
        body["stacks"].as_array().map(Vec::len),
        Some(3),
        "the first list was a read"
    );
    let (_, body, _) = api
        .call(Method::GET, "/stacks?status=CREATE_FAILED", None)
        .await;
    assert_eq!(body["stacks"], json!([]));
}

#[tokio::test]
async fn bad_requests_get_heat_errors() {
    let api = Api::start(HeatSpec::default()).await;
    let (status, body) = api.create("s", json!({"name": "x", "bogus": 1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["type"], "UnknownUserParameter");
    assert_eq!(
        body["error"]["message"],
        "The Parameter (bogus) was not defined in template."
    );
    assert_eq!(body["title"], "Bad Request");
    let (status, body) = api.create("s", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "The Parameter (name) was not provided."
    );
    let (status, body) = api.create("9bad name", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["type"], "StackValidationFailed");
    let (status, body, _) = api
        .call(
            Method::POST,
            "/stacks",
            Some(json!({"stack_name": "s", "template": "not: a template"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["message"].clone()),
        (
            StatusCode::BAD_REQUEST,
            json!("Template format version not found.")
        )
    );
    let bad_attr = TEMPLATE.replace("[monitor, link]", "[monitor, nonsense]");
    let (status, body, _) = api
        .call(
            Method::POST,
            "/stacks",
            Some(json!({"stack_name": "s", "template": bad_attr, "parameters": {"name": "x"}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["type"], "InvalidTemplateAttribute");
    let (status, _, _) = api
        .call(Method::POST, "/stacks", Some(json!("not an object")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let response = api
        .client
        .post(format!("{}/stacks", api.fakes.heat_url()))
        .header("X-Auth-Token", &api.token)
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let (status, body, _) = api.call(Method::DELETE, "/stacks", None).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::METHOD_NOT_ALLOWED, json!(405))
    );
    let (status, body, _) = api.call(Method::GET, "/nowhere/at/all", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["type"], "NotFound");

    let (status, body, _) = api
        .call(
            Method::POST,
            "/validate",
            Some(json!({"template": TEMPLATE})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["Parameters"]["secret"]["NoEcho"], "true");
    assert_eq!(body["Description"], "A test stack");
}

#[tokio::test]
async fn scenario_rules_script_reads_failures_errors_and_outputs() {
    let mut slow = rule("slow_*");
    slow.in_progress_reads = Some(3);
    let mut failing = rule("fail_*");
    failing.fail = vec![heatbed::scenario::Failure {
        action: heatbed::scenario::StackAction::Create,
        reason: Some("Resource CREATE failed: boom".into()),
        times: Some(1),
    }];
    let mut flaky = rule("flaky");
    flaky.http_error = Some(heatbed::scenario::HttpError {
        status: 503,
        count: 2,
        methods: Vec::new(),
    });
    let mut scripted = rule("scripted");
    scripted.outputs = json!({"link": "http://recorded/targets/1", "extra": [1]})
        .as_object()
        .cloned()
        .unwrap_or_default();
    scripted.output_order = vec!["label".into(), "link".into()];
    let spec = HeatSpec {
        stacks: vec![slow, failing, flaky, scripted],
        ..HeatSpec::default()
    };
    let api = Api::start(spec).await;

    api.create("slow_1", json!({"name": "x"})).await;
    assert_eq!(api.settle("slow_1").await.len(), 4);

    api.create("fail_1", json!({"name": "x"})).await;
    assert_eq!(
        api.settle("fail_1").await,
        ["CREATE_IN_PROGRESS", "CREATE_FAILED"]
    );
    assert_eq!(
        api.show("fail_1").await["stack_status_reason"],
        "Resource CREATE failed: boom"
    );
    api.create("fail_2", json!({"name": "x"})).await;
    assert_eq!(
        api.settle("fail_2").await.last().map(String::as_str),
        Some("CREATE_COMPLETE"),
        "times: 1"
    );

    let (status, body) = api.create("flaky", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["code"], 503);
    let (status, _, _) = api.call(Method::GET, "/stacks/flaky", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = api.create("flaky", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::CREATED);

    api.create("scripted", json!({"name": "x"})).await;
    api.settle("scripted").await;
    let outputs = api.show("scripted").await["outputs"].clone();
    let keys: Vec<&str> = outputs
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["output_key"].as_str())
        .collect();
    assert_eq!(keys, ["label", "link", "target_id", "extra"]);
    assert_eq!(outputs[1]["output_value"], "http://recorded/targets/1");
    assert_eq!(outputs[3]["output_value"], json!([1]));
}

#[tokio::test]
async fn the_journal_records_every_call_with_secrets_hidden() {
    let api = Api::start(HeatSpec::default()).await;
    api.create("j", json!({"name": "x", "secret": "hunter2"}))
        .await;
    api.call(Method::GET, "/stacks/j?resolve_outputs=False", None)
        .await;
    let journal = api.fakes.heat_journal();
    assert_eq!(journal.len(), 2);
    let project = api.fakes.project_id();
    assert_eq!(journal[0].method, "POST");
    assert_eq!(journal[0].path, format!("/v1/{project}/stacks"));
    assert_eq!(
        journal[0].body["parameters"],
        json!({"name": "x", "secret": "******"})
    );
    assert_eq!(
        journal[0].body["template"]["resources"]["monitor"]["type"],
        "ESI::Monitoring::MonitoringTarget"
    );
    assert!(
        journal[0]
            .render()
            .starts_with(&format!("POST /v1/{project}/stacks\n{{\n"))
    );
    assert_eq!(
        journal[1].render(),
        format!("GET /v1/{project}/stacks/j?resolve_outputs=False\n")
    );
    assert_eq!(journal[1].status, 302);
}

/// `heat-stack/CreateLoadbalancer_05.md`: the recorded stack-show of load_balancer_interface.
#[tokio::test]
async fn the_recorded_load_balancer_interface_template_gives_the_recorded_show_shape() {
    let name = "load_balancer_interface_24580bfc-32f4-4c0f-8e8a-c7288497aa7c";
    let mut recorded = rule(name);
    recorded.outputs = json!({
        "monitoring_target_id": "2da66917-604c-4076-8c21-79da05f6479e",
        "monitoring_link": "http://collector-agents-se:7070/targets/2da66917-604c-4076-8c21-79da05f6479e",
    }).as_object().cloned().unwrap_or_default();
    let api = Api::start(HeatSpec::default()).await;
    let template = include_str!("fixtures/heat/load_balancer_interface.yaml");
    let parameters = json!({"tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c", "management_ip": "100.64.193.3",
        "version": 1, "gohan_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c"});
    let body = json!({"stack_name": name, "template": template, "parameters": parameters,
        "timeout_mins": 3, "disable_rollback": true});
    let (status, _, _) = api.call(Method::POST, "/stacks", Some(body.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    api.settle(name).await;
    let stack = api.show(name).await;

    for key in [
        "capabilities",
        "creation_time",
        "description",
        "disable_rollback",
        "id",
        "links",
        "notification_topics",
        "outputs",
        "parameters",
        "parent",
        "stack_name",
        "stack_owner",
        "stack_status",
        "stack_status_reason",
        "stack_user_project_id",
        "template_description",
        "timeout_mins",
        "updated_time",
    ] {
        assert!(stack.get(key).is_some(), "stack-show lacks {key}");
    }
    let id = stack["id"].as_str().expect("id");
    assert_eq!(stack["capabilities"], json!([]));
    assert_eq!(stack["description"], "Load Balancer Interface");
    assert_eq!(stack["template_description"], "Load Balancer Interface");
    assert_eq!(stack["disable_rollback"], true);
    assert_eq!(
        stack["links"][0]["href"],
        format!("{}/stacks/{name}/{id}", api.fakes.heat_url())
    );
    assert_eq!(stack["notification_topics"], json!([]));
    assert_eq!(stack["parent"], Value::Null);
    assert_eq!(stack["stack_owner"], "admin");
    assert_eq!(stack["stack_status"], "CREATE_COMPLETE");
    assert_eq!(
        stack["stack_status_reason"],
        "Stack CREATE completed successfully"
    );
    assert_eq!(
        stack["stack_user_project_id"],
        "fe3a4a1a72c04479bb6c19c2c0ccba4c"
    );
    assert_eq!(stack["timeout_mins"], 3);
    assert_eq!(stack["updated_time"], Value::Null);
    assert_eq!(
        stack["parameters"],
        json!({
            "OS::stack_id": id, "OS::stack_name": name, "OS::project_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c",
            "management_ip": "100.64.193.3", "gohan_id": "24580bfc-32f4-4c0f-8e8a-c7288497aa7c",
            "tenant_id": "fe3a4a1a72c04479bb6c19c2c0ccba4c", "version": "1",
        })
    );
    let outputs = stack["outputs"].as_array().expect("outputs");
    assert_eq!(outputs.len(), 2);
    let target = outputs[0]["output_value"].as_str().expect("target id");
    assert_eq!(target.len(), 36);
    assert_eq!(outputs[0]["description"], "Monitoring Target ID");
    assert_eq!(outputs[0]["output_key"], "monitoring_target_id");
    assert_eq!(
        outputs[1],
        json!({"output_key": "monitoring_link", "description": "Monitoring Process Link",
        "output_value": format!("http://collector-agents-se:7070/targets/{target}")})
    );
    let (_, shown, _) = api
        .call(Method::GET, &format!("/stacks/{name}/{id}/template"), None)
        .await;
    assert_eq!(
        shown["resources"]["lb_interface_monitor"]["properties"]["properties"]["if_name"],
        "1/1"
    );

    // A rule with the recorded outputs reproduces them exactly.
    let api = Api::start(HeatSpec {
        stacks: vec![recorded],
        ..HeatSpec::default()
    })
    .await;
    api.call(Method::POST, "/stacks", Some(body)).await;
    api.settle(name).await;
    assert_eq!(
        api.show(name).await["outputs"],
        json!([
            {"output_key": "monitoring_target_id", "description": "Monitoring Target ID",
             "output_value": "2da66917-604c-4076-8c21-79da05f6479e"},
            {"output_key": "monitoring_link", "description": "Monitoring Process Link",
             "output_value": "http://collector-agents-se:7070/targets/2da66917-604c-4076-8c21-79da05f6479e"},
        ])
    );
}
