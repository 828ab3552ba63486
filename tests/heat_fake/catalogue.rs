//! Every template of the recorded catalogue (`tests/recorded/esi/heat_template/*.md`: devices,
//! ports, routers, gateways, routes, QoS, VPN, firewalls...) creates `CREATE_COMPLETE` in the
//! fake Heat with every output resolved, whatever resource types it uses.
//!
//! The Jinja parts are rendered with minijinja and plausible values by one rule: a variable
//! compared with or added to a number is `0`; any other is a [`Plausible`] value that prints
//! its own name, yields two plausible items when iterated, a plausible value for any attribute,
//! index or `split`. Stack parameters without a default get a value of their declared type.

use std::fmt;
use std::sync::Arc;

use heatbed::scenario::HeatSpec;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{Environment, Error, State, Value as Jinja};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::support::Api;

/// Every function name of every HOT version: none may survive in an output.
const FUNCTIONS: [&str; 29] = [
    "get_param",
    "get_resource",
    "get_attr",
    "get_file",
    "list_join",
    "str_replace",
    "str_replace_strict",
    "str_replace_vstrict",
    "repeat",
    "digest",
    "resource_facade",
    "str_split",
    "map_merge",
    "map_replace",
    "yaql",
    "if",
    "equals",
    "not",
    "and",
    "or",
    "contains",
    "filter",
    "make_url",
    "list_concat",
    "list_concat_unique",
    "Fn::Select",
    "Fn::Join",
    "Fn::Replace",
    "Ref",
];

/// A Jinja value standing for anything.
#[derive(Debug)]
struct Plausible(String);

impl Object for Plausible {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Iterable
    }

    fn get_value(self: &Arc<Self>, key: &Jinja) -> Option<Jinja> {
        Some(plausible(format!("{}.{key}", self.0)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(vec![
            plausible(format!("{}.0", self.0)),
            plausible(format!("{}.1", self.0)),
        ])
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        _args: &[Jinja],
    ) -> Result<Jinja, Error> {
        Ok(plausible(format!("{}.{method}", self.0)))
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn plausible(name: String) -> Jinja {
    Jinja::from_object(Plausible(name))
}

/// The render context: numbers where the template computes with them, [`Plausible`] else.
#[derive(Debug)]
struct Context(Vec<String>);

impl Object for Context {
    fn get_value(self: &Arc<Self>, key: &Jinja) -> Option<Jinja> {
        let name = key.as_str()?;
        Some(if self.0.iter().any(|n| n == name) {
            Jinja::from(0)
        } else {
            plausible(name.to_string())
        })
    }
}

/// Names the template adds to or compares with a number.
fn numeric(source: &str) -> Vec<String> {
    let pattern = regex::Regex::new(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:==|!=|<=|>=|<|>|\+|-|\*)\s*\d")
        .expect("regex");
    pattern
        .captures_iter(source)
        .map(|c| c[1].to_string())
        .collect()
}

fn render(source: &str) -> String {
    let env = Environment::new();
    env.render_str(source, Jinja::from_object(Context(numeric(source))))
        .expect("renders")
}

/// `(name, template_file)` of every catalogue document.
fn catalogue() -> Vec<(String, String)> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/recorded/esi/heat_template"
    );
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("catalogue") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let start = text.find("\n{\n").expect("JSON block");
        let end = start + text[start..].find("\n}\n").expect("JSON end") + 2;
        let doc: Value = serde_json::from_str(&text[start..end]).expect("JSON");
        let template = doc["body"]["template_file"]
            .as_str()
            .expect("template_file");
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        out.push((name, template.to_string()));
    }
    out.sort();
    out
}

/// A value of each declared parameter that has no default.
fn parameters(template: &Value) -> Map<String, Value> {
    let declared = template["parameters"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    declared
        .into_iter()
        .filter(|(_, decl)| decl.get("default").is_none())
        .map(|(name, decl)| {
            let value = match decl["type"].as_str() {
                Some("number") => json!(7),
                Some("boolean") => json!(true),
                Some("json") => json!({"key": "value"}),
                Some("comma_delimited_list") => json!("a,b"),
                _ => json!(format!("{name}-value")),
            };
            (name, value)
        })
        .collect()
}

/// Where an unevaluated function hides in `value`, if anywhere.
fn raw_function(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => {
            if map.len() == 1 && map.keys().all(|k| FUNCTIONS.contains(&k.as_str())) {
                return Some(value.to_string());
            }
            map.values().find_map(raw_function)
        }
        Value::Array(items) => items.iter().find_map(raw_function),
        _ => None,
    }
}

#[tokio::test]
async fn every_catalogue_template_creates_with_every_output_resolved() {
    let api = Api::start(HeatSpec::default()).await;
    let catalogue = catalogue();
    assert_eq!(catalogue.len(), 47, "the recorded catalogue");
    for (name, source) in catalogue {
        let hot = render(&source);
        let mut options = serde_saphyr::Options::default();
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
        let template: Value =
            serde_saphyr::from_str_with_options(&hot, options).expect("rendered YAML");
        let stack = name.replace('_', "-");
        let body =
            json!({"stack_name": stack, "template": hot, "parameters": parameters(&template)});
        let (status, answer, _) = api.call(Method::POST, "/stacks", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {answer}");
        let seen = api.settle(&stack).await;
        assert_eq!(
            seen.last().map(String::as_str),
            Some("CREATE_COMPLETE"),
            "{name}"
        );
        let shown = api.show(&stack).await;
        let outputs = shown["outputs"].as_array().expect("outputs");
        let declared = template["outputs"].as_object().map_or(0, Map::len);
        assert_eq!(outputs.len(), declared, "{name}: every output shown");
        for output in outputs {
            assert!(output.get("output_error").is_none(), "{name}: {output}");
            assert!(!output["output_value"].is_null(), "{name}: {output}");
            assert_eq!(
                raw_function(&output["output_value"]),
                None,
                "{name}: {output}"
            );
        }
    }
}
