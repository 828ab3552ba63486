use serde_json::{Value, json};

use super::*;

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
            None => Ok(json!({"link": "http://x/targets/1", "nets": {"a": [1, 2]}})),
            Some("link") => Ok(json!(format!("http://x/targets/{resource}"))),
            Some("nets") => Ok(json!({"a": [1, 2]})),
            Some(other) => Err(HeatError::invalid(format!("no {other}"))),
        }?;
        Ok(crate::fakes::heat::attributes::walk(&value, path).unwrap_or(Value::Null))
    }
}

fn eval(value: Value, modern: bool) -> Result<Value, HeatError> {
    let fixture = Fixture {
        params: json!({
            "name": "lb", "version": 1, "ratio": 1.5, "whole": 2.0, "flag": true,
            "list": ["a", "b"], "map": {"b": 1, "a": [true, null]}, "none": null,
        })
        .as_object()
        .cloned()
        .unwrap_or_default(),
    };
    evaluate(&value, &fixture, modern)
}

#[test]
fn get_param_returns_typed_values_and_walks_paths() {
    assert_eq!(eval(json!({"get_param": "version"}), false), Ok(json!(1)));
    assert_eq!(
        eval(json!({"get_param": ["map", "a", 0]}), true),
        Ok(json!(true))
    );
    assert_eq!(
        eval(json!({"get_param": ["map", "zzz"]}), true),
        Ok(json!(""))
    );
    let err = eval(json!({"get_param": "nope"}), true).expect_err("undeclared");
    assert_eq!(
        err.body()["error"]["message"],
        "The Parameter (nope) was not provided."
    );
}

#[test]
fn get_resource_and_get_attr_read_the_scope() {
    assert_eq!(
        eval(json!({"get_resource": "server"}), false),
        Ok(json!("server-id"))
    );
    assert_eq!(
        eval(json!({"get_attr": ["monitor", "link"]}), false),
        Ok(json!("http://x/targets/monitor"))
    );
    assert_eq!(
        eval(json!({"get_attr": ["monitor", "nets", "a", 1]}), false),
        Ok(json!(2))
    );
    assert_eq!(
        eval(json!({"get_attr": ["monitor", "nets", "zz"]}), false),
        Ok(Value::Null)
    );
    assert_eq!(
        eval(json!({"get_attr": ["monitor"]}), true).map(|v| v["link"].clone()),
        Ok(json!("http://x/targets/1"))
    );
    assert!(
        eval(json!({"get_attr": ["monitor"]}), false).is_err(),
        "2013 needs an attribute"
    );
    let err = eval(json!({"get_resource": "ghost"}), false).expect_err("unknown");
    assert_eq!(err.status(), 400);
    assert_eq!(err.body()["error"]["type"], "InvalidTemplateReference");
}

#[test]
fn str_replace_encodes_like_python() {
    let value = json!({"str_replace": {
        "template": "n=$name v=$version r=$ratio w=$whole f=$flag z=$none",
        "params": {
            "$name": {"get_param": "name"}, "$version": {"get_param": "version"},
            "$ratio": {"get_param": "ratio"}, "$whole": {"get_param": "whole"},
            "$flag": {"get_param": "flag"}, "$none": {"get_param": "none"},
        },
    }});
    assert_eq!(
        eval(value, false),
        Ok(json!("n=lb v=1 r=1.5 w=2.0 f=True z="))
    );
}

#[test]
fn str_replace_json_encodes_collections_from_2015_10_15() {
    let value = json!({"str_replace": {
        "template": "m=MAP l=LIST",
        "params": {"MAP": {"get_param": "map"}, "LIST": {"get_param": "list"}},
    }});
    assert_eq!(
        eval(value.clone(), true),
        Ok(json!(r#"m={"a": [true, null], "b": 1} l=["a", "b"]"#))
    );
    assert!(eval(value, false).is_err(), "2013-05-23 refuses maps");
}

#[test]
fn str_replace_replaces_longest_keys_first_without_rescanning() {
    let value = json!({"str_replace": {
        "template": "$a $ab $abc",
        "params": {"$a": "X", "$ab": "$a", "$abc": "Z"},
    }});
    assert_eq!(eval(value, false), Ok(json!("X $a Z")));
}

#[test]
fn list_join_joins_one_list_or_many() {
    assert_eq!(
        eval(json!({"list_join": [",", {"get_param": "list"}]}), false),
        Ok(json!("a,b"))
    );
    assert_eq!(
        eval(
            json!({"list_join": ["-", ["x", 1, true], [{"k": "v"}, null]]}),
            true
        ),
        Ok(json!(r#"x-1-True-{"k": "v"}-"#))
    );
    assert!(eval(json!({"list_join": [",", ["a"], ["b"]]}), false).is_err());
}

#[test]
fn nested_functions_resolve_inside_out() {
    let value = json!({"list_join": ["/", [
        {"get_attr": ["monitor", "link"]},
        {"str_replace": {"template": "v$V", "params": {"$V": {"get_param": "version"}}}},
    ]]});
    assert_eq!(eval(value, false), Ok(json!("http://x/targets/monitor/v1")));
}

#[test]
fn unknown_functions_and_plain_maps_stay_data() {
    let value = json!({"get_file": "x", "other": {"a": 1}});
    assert_eq!(eval(value.clone(), false), Ok(value));
}

#[test]
fn python_scalars() {
    assert_eq!(py_str(&json!(1e16)), "1e+16");
    assert_eq!(py_str(&json!(0.00001)), "1e-05");
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
