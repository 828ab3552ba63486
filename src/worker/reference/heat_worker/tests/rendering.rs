//! Every template the recorded worker rendered ("Heat template prepared:" in heat-worker.log)
//! is reproduced from the run's template (`config.w`) and the logged jinja parameters.

use serde_json::Value;

use super::super::render::render;
use super::recorded::{heat_worker_log, python_literal, run_templates};

/// (rendered template, jinja context) of every "Heat template prepared" entry.
fn recorded_renders() -> Vec<(String, serde_json::Map<String, Value>)> {
    let log = heat_worker_log();
    log.split("Heat template prepared: \n")
        .skip(1)
        .map(|entry| {
            let (rendered, rest) = entry
                .split_once("\n with parameters:\n")
                .expect("parameters follow the template");
            let (_, jinja) = rest
                .split_once("using this jinja parameters: \n")
                .expect("jinja parameters follow");
            let (jinja, _) = jinja.split_once(" (heat.py - 145)").expect("line end");
            let Value::Object(context) = python_literal(jinja) else {
                panic!("jinja parameters are a dict: {jinja}")
            };
            (rendered.to_string(), context)
        })
        .collect()
}

#[test]
fn renders_every_recorded_template_byte_for_byte() {
    let templates = run_templates();
    let ids: Vec<&str> = templates.iter().map(|(id, _)| id.as_str()).collect();
    for id in [
        "network",
        "subnet",
        "port",
        "vnf_instance",
        "load_balancer_conf",
        "load_balancer",
        "load_balancer_interface",
    ] {
        assert!(ids.contains(&id), "config.w has template {id}: {ids:?}");
    }
    let renders = recorded_renders();
    assert!(
        renders.len() >= 30,
        "found {} rendered templates",
        renders.len()
    );
    for (i, (recorded, context)) in renders.iter().enumerate() {
        let matching: Vec<&str> = templates
            .iter()
            .filter(|(id, body)| {
                let source = body["template_file"].as_str().unwrap_or_default();
                render(id, source, context).is_ok_and(|out| out == *recorded)
            })
            .map(|(id, _)| id.as_str())
            .collect();
        assert!(
            !matching.is_empty(),
            "rendered template #{i} (context {context:?}) matches no run template:\n{recorded}"
        );
    }
}

#[test]
fn load_balancer_interface_slots_render_as_recorded() {
    let templates = run_templates();
    let (_, body) = templates
        .iter()
        .find(|(id, _)| id == "load_balancer_interface")
        .expect("template");
    let source = body["template_file"].as_str().expect("template_file");
    let context = |slot: i64| match serde_json::json!({"jinja_slot_number": slot}) {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let slot0 = render("load_balancer_interface", source, &context(0)).expect("renders");
    assert!(slot0.contains("        \n        if_name: 0/1\n        \n        community_name"));
    let slot1 = render("load_balancer_interface", source, &context(1)).expect("renders");
    assert!(slot1.contains("        \n        if_name: 1/1\n        \n        community_name"));
    assert!(
        !slot1.ends_with('\n'),
        "one trailing newline is dropped, as Jinja2 does"
    );
}
