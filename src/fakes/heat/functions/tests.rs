use serde_json::{Map, Value, json};

use super::*;
use crate::fakes::heat::errors::HeatError;

struct Fixture {
    params: Map<String, Value>,
}

impl Scope for Fixture {
    fn param(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    fn has_resource(&self, name: &str) -> bool {
        name == "server" || name == "monitor"
    }

    fn knows_attribute(&self, _resource: &str, attribute: &str) -> bool {
        attribute == "link" || attribute == "nets"
    }

    fn reference(&self, name: &str) -> Value {
        json!(format!("{name}-id"))
    }

    fn attribute(
        &self,
        resource: &str,
        attribute: Option<&str>,
        path: &[Value],
    ) -> Result<Value, HeatError> {
        let value = match attribute {
            None => json!({"link": "http://x/targets/1", "nets": {"a": [1, 2]}}),
            Some("link") => json!(format!("http://x/targets/{resource}")),
            Some(_) => json!({"a": [1, 2]}),
        };
        Ok(crate::fakes::heat::attributes::walk(&value, path).unwrap_or(Value::Null))
    }
}

/// Parse, validate and resolve `value` as an output of a template of version `date`; the
/// error is the message (a 400's or an `output_error`).
fn eval(value: Value, date: &str) -> Result<Value, String> {
    let fixture = Fixture {
        params: json!({
            "name": "lb", "version": 1, "ratio": 1.5, "whole": 2.0, "flag": true,
            "list": ["a", "b"], "map": {"b": 1, "a": [true, null]}, "none": null,
        })
        .as_object()
        .cloned()
        .unwrap_or_default(),
    };
    let (files, conditions) = (
        json!({"f.txt": "content"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        json!({"yes": true, "no": {"not": "yes"}})
            .as_object()
            .cloned()
            .unwrap_or_default(),
    );
    let env = Env::new(date, &fixture, &files, &conditions);
    parse(&value, "outputs.o.value", &env, false).map_err(|e| e.message())?;
    validate(&value, &["outputs", "o", "value"], &env).map_err(|e| e.message())?;
    resolve(&value, &env).map_err(|f| match f {
        Failure::Refused(e) => e.message(),
        Failure::Unresolved(m) => m,
    })
}

const OLD: &str = "2013-05-23";
const NEW: &str = "2021-04-16";

#[test]
fn get_param_returns_typed_values_and_walks_paths() {
    assert_eq!(eval(json!({"get_param": "version"}), OLD), Ok(json!(1)));
    assert_eq!(
        eval(json!({"get_param": ["map", "a", 0]}), NEW),
        Ok(json!(true))
    );
    assert_eq!(
        eval(json!({"get_param": ["map", "zzz"]}), NEW),
        Ok(json!(""))
    );
    assert_eq!(
        eval(json!({"get_param": "nope"}), NEW),
        Err("The Parameter (nope) was not provided.".into())
    );
}

#[test]
fn get_resource_and_get_attr_read_the_scope() {
    assert_eq!(
        eval(json!({"get_resource": "server"}), OLD),
        Ok(json!("server-id"))
    );
    assert_eq!(
        eval(json!({"get_attr": ["monitor", "nets", "a", 1]}), OLD),
        Ok(json!(2))
    );
    assert_eq!(
        eval(json!({"get_attr": ["monitor"]}), NEW).map(|v| v["link"].clone()),
        Ok(json!("http://x/targets/1"))
    );
    assert_eq!(
        eval(json!({"get_attr": ["monitor"]}), OLD),
        Err(
            "outputs.o.value.get_attr: Arguments to \"get_attr\" must be of the form \
             [resource_name, attribute, (path), ...]"
                .into()
        )
    );
    assert_eq!(
        eval(json!({"get_attr": ["ghost", "x"]}), OLD),
        Err("outputs.o.value.get_attr: The specified reference \"ghost\" (in unknown) is incorrect.".into())
    );
}

#[test]
fn str_replace_encodes_like_python_and_prefers_longest_keys() {
    let value = json!({"str_replace": {
        "template": "n=$name v=$version r=$ratio w=$whole f=$flag z=$none",
        "params": {
            "$name": {"get_param": "name"}, "$version": {"get_param": "version"},
            "$ratio": {"get_param": "ratio"}, "$whole": {"get_param": "whole"},
            "$flag": {"get_param": "flag"}, "$none": {"get_param": "none"},
        },
    }});
    assert_eq!(
        eval(value, OLD),
        Ok(json!("n=lb v=1 r=1.5 w=2.0 f=True z="))
    );
    let value = json!({"str_replace": {
        "template": "$a $ab $abc", "params": {"$a": "X", "$ab": "$a", "$abc": "Z"},
    }});
    assert_eq!(eval(value, OLD), Ok(json!("X $a Z")));
    let value =
        json!({"str_replace": {"template": "m=MAP", "params": {"MAP": {"get_param": "map"}}}});
    assert_eq!(
        eval(value.clone(), NEW),
        Ok(json!(r#"m={"a": [true, null], "b": 1}"#))
    );
    assert_eq!(
        eval(value, OLD),
        Err("\"str_replace\" params must be strings or numbers, param MAP is not valid".into())
    );
}

#[test]
fn four_thousand_params_replace_without_recursion() {
    let params: Map<String, Value> = (0..4000).map(|i| (format!("<{i}>"), json!(i))).collect();
    let template: String = (0..4000).map(|i| format!("<{i}>")).collect();
    let value = json!({"str_replace": {"template": template, "params": params}});
    let expected: String = (0..4000).map(|i| i.to_string()).collect();
    assert_eq!(eval(value, NEW), Ok(json!(expected)));
}

#[test]
fn versions_gate_functions() {
    let merge = json!({"map_merge": [{"a": 1}, {"b": 2}]});
    assert_eq!(
        eval(merge.clone(), OLD),
        Ok(merge.clone()),
        "data before 2016-04-08"
    );
    assert_eq!(eval(merge, NEW), Ok(json!({"a": 1, "b": 2})));
    assert_eq!(
        eval(json!({"Fn::Join": [",", ["a"]]}), "2014-10-16"),
        Err(
            "outputs.o.value.Fn::Join: The template version is invalid: The function \
             Fn::Join is not supported in this version of HOT."
                .into()
        )
    );
    assert_eq!(
        eval(json!({"Fn::Join": [",", ["a", "b"]]}), OLD),
        Ok(json!("a,b"))
    );
}

#[test]
fn conditions_and_if() {
    assert_eq!(eval(json!({"if": ["yes", 1, 2]}), NEW), Ok(json!(1)));
    assert_eq!(eval(json!({"if": ["no", 1, 2]}), NEW), Ok(json!(2)));
    assert_eq!(eval(json!([{"if": ["no", 1]}, 3]), NEW), Ok(json!([3])));
    assert_eq!(
        eval(
            json!({"if": [{"equals": [{"get_param": "name"}, "lb"]}, "a", "b"]}),
            NEW
        ),
        Ok(json!("a"))
    );
    assert_eq!(
        eval(json!({"if": ["maybe", 1, 2]}), NEW),
        Err("outputs.o.value.if: Invalid condition \"maybe\"".into())
    );
}

#[test]
fn get_file_reads_the_request_files_and_yaql_is_refused() {
    assert_eq!(
        eval(json!({"get_file": "f.txt"}), NEW),
        Ok(json!("content"))
    );
    assert_eq!(
        eval(json!({"get_file": "g.txt"}), NEW),
        Err("No content found in the \"files\" section for get_file path: g.txt".into())
    );
    let yaql = eval(
        json!({"yaql": {"expression": "$.data.x", "data": {"x": 1}}}),
        NEW,
    );
    assert!(
        yaql.as_ref()
            .is_err_and(|e| e.contains("not supported by heatbed") && e.contains("$.data.x")),
        "{yaql:?}"
    );
}

#[test]
fn python_scalars() {
    assert_eq!(py_str(&json!(1e16)), "1e+16");
    assert_eq!(py_str(&json!(0.1)), "0.1");
    assert_eq!(
        py_json(&json!({"é": [1.0, false]})),
        r#"{"\u00e9": [1.0, false]}"#
    );
}

#[test]
fn references_find_resources() {
    let mut out = Vec::new();
    references(
        &json!({"a": {"get_resource": "r1"}, "b": [{"get_attr": ["r2", "x"]}]}),
        &mut out,
    );
    out.sort();
    assert_eq!(out, ["r1", "r2"]);
}
