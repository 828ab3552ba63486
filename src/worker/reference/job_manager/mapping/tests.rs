use std::collections::HashMap;

use serde_json::{Value, json};

use super::*;

#[derive(Default)]
struct Bodies(HashMap<ResourceKey, Value>);

impl Bodies {
    fn with(mut self, type_: &str, id: &str, body: Value) -> Self {
        self.0.insert(key(type_, id), body);
        self
    }
}

impl Resources for Bodies {
    fn body(&self, key: &ResourceKey) -> Option<&Value> {
        self.0.get(key)
    }
}

fn key(type_: &str, id: &str) -> ResourceKey {
    ResourceKey {
        type_: type_.into(),
        id: id.into(),
    }
}

fn eval(mapping: Value, type_: &str, body: &Value, bodies: &Bodies) -> Evaluated {
    Mapping::parse(&mapping)
        .expect("parses")
        .eval(&Context {
            type_,
            body,
            version: 4,
            resources: bodies,
        })
        .expect("evaluates")
}

#[test]
fn string_forms_give_fields_constants_versions_and_output_keys() {
    let body = json!({"id": "p1", "attached": false, "network_id": "n1", "tags": {}});
    let none = Bodies::default();
    assert_eq!(
        eval(json!("Pattached"), "port", &body, &none).value,
        json!(false)
    );
    assert_eq!(eval(json!("Ptags"), "port", &body, &none).value, json!({}));
    assert_eq!(
        eval(json!("Pmissing"), "port", &body, &none).value,
        Value::Null
    );
    assert_eq!(eval(json!("C13"), "port", &body, &none).value, json!("13"));
    assert_eq!(
        eval(json!("Vauto_filled"), "port", &body, &none).value,
        json!(4)
    );
    let m = eval(json!("Mnetwork:network_id:id"), "port", &body, &none);
    assert_eq!(m.kind, Kind::OutputKey);
    assert_eq!(
        m.value,
        json!({"output_key": "id", "resource_type": "network", "resource_id": "n1"})
    );
    assert_eq!(m.resources, [key("network", "n1")]);
}

#[test]
fn f_and_path_forms_follow_hops_and_record_them() {
    let vnf = json!({"id": "v1", "vnf_template_id": "t1", "vnf_plan_id": "pl1", "management_ip": "1.2.3.4"});
    let bodies = Bodies::default()
        .with(
            "vnf_template",
            "t1",
            json!({"image": "img", "credentials": {"u": 1}}),
        )
        .with(
            "load_balancer",
            "lb1",
            json!({"vnf_instance_id": "v1", "load_balancer_plan_id": "lp1"}),
        )
        .with(
            "load_balancer_plan",
            "lp1",
            json!({"vnf_template_id": "t1"}),
        )
        .with("vnf_instance", "v1", vnf.clone());
    let f = eval(
        json!("Fvnf_template+vnf_template_id:image"),
        "vnf_instance",
        &vnf,
        &bodies,
    );
    assert_eq!((f.kind, f.value), (Kind::Value, json!("img")));
    assert_eq!(f.resources, [key("vnf_template", "t1")]);

    let lbi = json!({"load_balancer_id": "lb1"});
    let ip = eval(
        json!({"field": "management_ip", "path": ["load_balancer_id", "vnf_instance_id"]}),
        "load_balancer_interface",
        &lbi,
        &bodies,
    );
    assert_eq!(ip.value, json!("1.2.3.4"));
    assert_eq!(
        ip.resources,
        [key("load_balancer", "lb1"), key("vnf_instance", "v1")]
    );

    let out = eval(
        json!({"path": ["load_balancer_id"], "output_key": "monitoring_link"}),
        "load_balancer_interface",
        &lbi,
        &bodies,
    );
    assert_eq!(
        out.value,
        json!({"output_key": "monitoring_link", "resource_type": "load_balancer", "resource_id": "lb1"})
    );
}

#[test]
fn conditionals_use_equal_and_anchored_regexps() {
    let port_path = json!({"else_mapping": {"constant": "port"},
        "if_mapping": {"regexp": [{"field": "device_owner"}, {"constant": "network:dhcp|network:empty"}]},
        "then_mapping": {"constant": null}});
    let none = Bodies::default();
    for (owner, expected) in [
        ("network:dhcp", Value::Null),
        ("network:empty", Value::Null),
        ("compute:nova", json!("port")),
        ("", json!("port")),
        ("x-network:dhcp", json!("port")),
    ] {
        let body = json!({"device_owner": owner});
        assert_eq!(
            eval(port_path.clone(), "port", &body, &none).value,
            expected,
            "{owner}"
        );
    }
    let force = json!({"else_mapping": {"constant": null},
        "if_mapping": {"equal": [{"field": "device_owner"}, {"constant": "network:common_function_gateway"}]},
        "then_mapping": {"field": "id", "path": [{"type": "common_function_gateway", "id": "device_id"}], "ignore_missing": true}});
    let body = json!({"device_owner": "network:common_function_gateway", "device_id": "gone"});
    let r = eval(force.clone(), "port", &body, &none);
    assert_eq!((r.value, r.resources.len()), (Value::Null, 0));
    let bodies = Bodies::default().with("common_function_gateway", "cfg1", json!({"id": "cfg1"}));
    let body = json!({"device_owner": "network:common_function_gateway", "device_id": "cfg1"});
    let r = eval(force, "port", &body, &bodies);
    assert_eq!(r.value, json!("cfg1"));
    assert_eq!(r.resources, [key("common_function_gateway", "cfg1")]);
}

#[test]
fn for_field_gives_a_list_of_output_key_items() {
    let body = json!({"fixed_ips": [{"subnet_id": "s1", "ip_address": "a"}, {"subnet_id": "s2", "ip_address": "b"}]});
    let m = json!({"for_field": "fixed_ips", "for_mapping": {"path": [{"type": "subnet", "id": "subnet_id"}], "output_key": "id"}});
    let r = eval(m, "port", &body, &Bodies::default());
    assert_eq!(r.kind, Kind::List);
    assert_eq!(r.items.len(), 2);
    assert!(r.items.iter().all(|i| i.kind == Kind::OutputKey));
    assert_eq!(r.resources, [key("subnet", "s1"), key("subnet", "s2")]);
    // `id: ""` is the element itself.
    let body = json!({"port_ids": ["p1"]});
    let m = json!({"for_field": "port_ids", "for_mapping": {"path": [{"type": "port", "id": ""}], "output_key": "id"}});
    let r = eval(m, "ese_logical_port", &body, &Bodies::default());
    assert_eq!(r.resources, [key("port", "p1")]);
}

#[test]
fn concatenation_joins_parts_as_python_strings() {
    let body = json!({"service_type": "internet", "vrf_name": "v"});
    let none = Bodies::default();
    assert_eq!(
        eval(
            json!("ACstatic_route_&Pservice_type"),
            "static_route",
            &body,
            &none
        )
        .value,
        json!("static_route_internet")
    );
    assert_eq!(
        eval(json!("APvrf_name&C_OUT"), "x", &body, &none).value,
        json!("v_OUT")
    );
}

#[test]
fn missing_relations_are_errors_unless_ignored() {
    let none = Bodies::default();
    let parsed =
        Mapping::parse(&json!({"field": "id", "path": ["load_balancer_conf_id"]})).unwrap();
    let ctx_body = json!({"load_balancer_conf_id": "c1"});
    let err = parsed
        .eval(&Context {
            type_: "load_balancer",
            body: &ctx_body,
            version: 1,
            resources: &none,
        })
        .unwrap_err();
    assert!(matches!(err, MappingError::Missing { .. }), "{err}");
    let unsupported = Mapping::parse(&json!("Qprimary:ip_address")).unwrap();
    let err = unsupported
        .eval(&Context {
            type_: "x",
            body: &ctx_body,
            version: 1,
            resources: &none,
        })
        .unwrap_err();
    assert!(matches!(err, MappingError::Unsupported { .. }), "{err}");
}

#[test]
fn a_long_chain_of_concatenations_parses_without_recursing() {
    let mapping = format!("{}Cx&Pid", "A".repeat(2_000));
    let body = json!({"id": "p1"});
    assert_eq!(
        eval(json!(mapping), "port", &body, &Bodies::default()).value,
        json!("xp1")
    );
    let parts = format!("A{}", vec!["Cab"; 1_000].join("&"));
    let joined = eval(json!(parts), "port", &body, &Bodies::default()).value;
    assert_eq!(joined.as_str().map(str::len), Some(2_000));
}

#[test]
fn deeply_nested_object_mappings_are_a_clear_error() {
    let mut mapping = json!({"constant": 1});
    for _ in 0..40 {
        mapping = json!({"if_mapping": {"equal": [mapping, {"constant": 1}]}});
    }
    let error = Mapping::parse(&mapping).expect_err("too deep");
    assert_eq!(error.to_string(), "mapping nests deeper than 32 levels");
}

#[test]
fn o_form_reads_a_member_of_an_object_field() {
    let body = json!({"primary": {"ip_address": "10.0.0.1/30", "deep": {"x": 1}}});
    let none = Bodies::default();
    let get = |m: &str| eval(json!(m), "aws_interface", &body, &none).value;
    assert_eq!(get("Oprimary:ip_address"), json!("10.0.0.1/30"));
    assert_eq!(get("Oprimary:deep:x"), json!(1));
    assert_eq!(get("Oprimary:missing"), Value::Null);
    assert_eq!(get("Osecondary:ip_address"), Value::Null);
    assert_eq!(
        get("Oprimary"),
        json!({"ip_address": "10.0.0.1/30", "deep": {"x": 1}})
    );
    assert!(matches!(
        Mapping::parse(&json!("O")).expect("loads"),
        Mapping::Unsupported(_)
    ));
}

#[test]
fn an_unknown_prefix_loads_but_does_not_evaluate() {
    let mapping = Mapping::parse(&json!("Xsomething")).expect("a template still loads");
    let body = json!({});
    let error = mapping
        .eval(&Context {
            type_: "port",
            body: &body,
            version: 1,
            resources: &Bodies::default(),
        })
        .expect_err("no meaning");
    assert_eq!(error.to_string(), "unsupported mapping \"Xsomething\"");
}
