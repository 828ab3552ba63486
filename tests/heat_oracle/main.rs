//! The differential suite: every case of `tests/heat_oracle/cases/*.yaml` is resolved by the
//! fake Heat (over HTTP: create, then show) and by Heat's own engine (`oracle.py`, in a venv
//! under `target/`), and the two must answer the same: the same create error, or the same
//! value or `output_error` for every output.
//!
//! A case group names the versions it runs on (`all`: every HOT version), its parameters and
//! their values, conditions, stub resources (type `Heatbed::Stub`, literal properties), files
//! and outputs; it expands to one case per version. Without python3 or PyPI the test prints `SKIP`
//! and passes, unless `CI` is set.

#[path = "../support/heat_client.rs"]
mod heat_client;
mod venv;

use std::io::Write;
use std::process::{Command, Stdio};

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use heat_client::HeatClient;

/// Every HOT version Heat 27 knows, with an alias where one exists.
const ALL: [&str; 11] = [
    "2013-05-23",
    "2014-10-16",
    "2015-04-30",
    "2015-10-15",
    "2016-04-08",
    "newton",
    "2017-02-24",
    "pike",
    "2018-03-02",
    "rocky",
    "wallaby",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    name: String,
    /// Versions, or `[all]`, or `[from, <version>]` for every version since.
    versions: Vec<String>,
    #[serde(default)]
    parameters: Map<String, Value>,
    #[serde(default)]
    values: Map<String, Value>,
    #[serde(default)]
    conditions: Option<Map<String, Value>>,
    #[serde(default)]
    resources: Map<String, Value>,
    #[serde(default)]
    files: Map<String, Value>,
    outputs: Map<String, Value>,
    #[serde(default)]
    output_conditions: Map<String, Value>,
    #[serde(default)]
    resource_conditions: Map<String, Value>,
}

struct Case {
    name: String,
    template: Value,
    values: Map<String, Value>,
    files: Map<String, Value>,
}

fn versions(wanted: &[String]) -> Vec<String> {
    match wanted
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["all"] => ALL.iter().map(|v| v.to_string()).collect(),
        ["from", first] => {
            let start = ALL
                .iter()
                .position(|v| v == first)
                .expect("a known version");
            ALL[start..].iter().map(|v| v.to_string()).collect()
        }
        _ => wanted.to_vec(),
    }
}

fn cases() -> Vec<Case> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heat_oracle/cases");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let groups: Vec<Group> =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for group in groups {
            for version in versions(&group.versions) {
                let mut template = json!({"heat_template_version": version});
                template["parameters"] = Value::Object(group.parameters.clone());
                if let Some(conditions) = &group.conditions {
                    template["conditions"] = Value::Object(conditions.clone());
                }
                let resources: Map<String, Value> = group
                    .resources
                    .iter()
                    .map(|(k, p)| {
                        let mut resource = json!({"type": "Heatbed::Stub", "properties": p});
                        if let Some(c) = group.resource_conditions.get(k) {
                            resource["condition"] = c.clone();
                        }
                        (k.clone(), resource)
                    })
                    .collect();
                template["resources"] = Value::Object(resources);
                let outputs: Map<String, Value> = group
                    .outputs
                    .iter()
                    .map(|(k, v)| {
                        let mut output = json!({"value": v});
                        if let Some(c) = group.output_conditions.get(k) {
                            output["condition"] = c.clone();
                        }
                        (k.clone(), output)
                    })
                    .collect();
                template["outputs"] = Value::Object(outputs);
                out.push(Case {
                    name: format!("{} @ {version}", group.name),
                    template,
                    values: group.values.clone(),
                    files: group.files.clone(),
                });
            }
        }
    }
    out
}

/// The fake Heat, logged in (the `Fakes` must live as long as it).
struct Fake {
    _fakes: Fakes,
    heat: HeatClient,
}

impl Fake {
    async fn call(
        &self,
        method: Method,
        url: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value, Option<String>) {
        self.heat.call(method, url, body).await
    }

    /// The fake's answer reduced to the oracle's shape, and the stub resources it created.
    async fn resolve(&self, n: usize, case: &Case) -> (Value, Map<String, Value>) {
        let name = format!("case-{n}");
        let body = json!({"stack_name": name, "template": case.template, "parameters": case.values, "files": case.files});
        let (status, answer, _) = self.call(Method::POST, "/stacks", Some(body)).await;
        if status != StatusCode::CREATED {
            return (
                json!({"create_error": answer["error"]["message"]}),
                Map::new(),
            );
        }
        let (_, _, location) = self
            .call(Method::GET, &format!("/stacks/{name}"), None)
            .await;
        let url = location.expect("stack URL");
        let mut shown = Value::Null;
        for _ in 0..20 {
            shown = self.call(Method::GET, &url, None).await.1;
            if !shown["stack"]["stack_status"]
                .as_str()
                .is_some_and(|s| s.ends_with("IN_PROGRESS"))
            {
                break;
            }
        }
        let mut outputs = Map::new();
        for o in shown["stack"]["outputs"].as_array().into_iter().flatten() {
            let result = match o.get("output_error") {
                Some(error) => json!({"error": error}),
                None => json!({"value": o["output_value"]}),
            };
            outputs.insert(o["output_key"].as_str().unwrap_or_default().into(), result);
        }
        let (_, listed, _) = self
            .call(Method::GET, &format!("{url}/resources"), None)
            .await;
        let stubs = listed["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let name = r["resource_name"].as_str().unwrap_or_default().to_string();
                let properties = case.template["resources"][&name]["properties"].clone();
                (
                    name,
                    json!({"id": r["physical_resource_id"], "properties": properties}),
                )
            })
            .collect();
        (json!({"outputs": outputs}), stubs)
    }
}

fn oracle(python: &std::path::Path, input: &Value) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heat_oracle/oracle.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("oracle starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("cases written");
    let output = child.wait_with_output().expect("oracle runs");
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("oracle JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fake_resolves_templates_as_heats_engine_does() {
    let Some(python) = venv::python() else {
        return;
    };
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let heat = HeatClient::login(&fakes).await;
    let fake = Fake {
        _fakes: fakes,
        heat,
    };
    let cases = cases();
    let mut mine = Vec::new();
    let mut input = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let (answer, stubs) = fake.resolve(n, case).await;
        mine.push(answer);
        input.push(
            json!({"name": format!("case-{n}"), "template": case.template, "parameters": case.values,
            "files": case.files, "resources": stubs}),
        );
    }
    let heat = oracle(&python, &Value::Array(input));
    let mut differences = Vec::new();
    for ((case, mine), heat) in cases.iter().zip(&mine).zip(&heat) {
        if mine != heat {
            differences.push(format!("{}\n  fake: {mine}\n  heat: {heat}", case.name));
        }
    }
    println!(
        "differential: {} cases, {} differ",
        cases.len(),
        differences.len()
    );
    assert!(cases.len() >= 200, "at least 200 cases");
    assert!(
        differences.is_empty(),
        "{} of {} cases differ:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
}
