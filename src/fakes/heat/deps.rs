//! The dependency order of a template's resources (Kahn's algorithm, template order among the
//! ready ones) and the refusals Heat makes while computing it: a reference to a resource the
//! template lacks, a cycle, more resources than `max_resources_per_stack`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::errors::HeatError;
use super::functions::references;
use super::template::Template;

/// Heat's default `max_resources_per_stack`.
pub(super) const MAX_RESOURCES: usize = 1000;

/// Indexes of the active resources in dependency order: a resource comes after every resource
/// it names in `depends_on`, `get_resource` or `get_attr`; among the ready ones, template order
/// first. A reference to an inactive resource (its `condition` failed) is allowed, as in Heat.
pub(super) fn order(template: &Template, active: &[bool]) -> Result<Vec<usize>, HeatError> {
    if template.resources.len() > MAX_RESOURCES {
        return Err(HeatError::bad_request(
            "RequestLimitExceeded",
            "Request limit exceeded: Maximum resources per stack exceeded.",
        ));
    }
    let index: HashMap<&str, usize> = template
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let count = template.resources.len();
    let mut requires: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut required_by: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, decl) in template.resources.iter().enumerate() {
        if !active[i] {
            continue;
        }
        let mut names = decl.depends_on.clone();
        references(&decl.properties, &mut names);
        for name in names {
            // Heat's ResourceDefinition.dependencies: `key` is the requiring resource's name.
            let j = *index.get(name.as_str()).ok_or_else(|| {
                HeatError::bad_request(
                    "InvalidTemplateReference",
                    format!(
                        "The specified reference \"{name}\" (in {}) is incorrect.",
                        decl.name
                    ),
                )
            })?;
            if active[j] && !requires[i].contains(&j) {
                requires[i].push(j);
                required_by[j].push(i);
            }
        }
    }
    let mut waiting: Vec<usize> = requires.iter().map(Vec::len).collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..count)
        .filter(|&i| active[i] && waiting[i] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(count);
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        for &k in &required_by[i] {
            waiting[k] -= 1;
            if waiting[k] == 0 {
                ready.push(Reverse(k));
            }
        }
    }
    if order.len() < active.iter().filter(|a| **a).count() {
        return Err(cycle(template, &requires, &waiting));
    }
    Ok(order)
}

/// Heat's `CircularDependencyException`, its graph printed `{a: {b}, b: {a}}` over the
/// resources left unordered (Heat prints its resource objects where this prints their names).
fn cycle(template: &Template, requires: &[Vec<usize>], waiting: &[usize]) -> HeatError {
    let stuck = |i: &usize| waiting[*i] > 0;
    let pairs: Vec<String> = (0..requires.len())
        .filter(stuck)
        .map(|i| {
            let deps: Vec<&str> = requires[i]
                .iter()
                .filter(|j| stuck(j))
                .map(|&j| template.resources[j].name.as_str())
                .collect();
            format!("{}: {{{}}}", template.resources[i].name, deps.join(", "))
        })
        .collect();
    HeatError::bad_request(
        "CircularDependencyException",
        format!("Circular Dependency Found: {{{}}}", pairs.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn template(resources: serde_json::Value) -> Template {
        Template::parse(&json!({"heat_template_version": "2013-05-23", "resources": resources}))
            .expect("template")
    }

    #[test]
    fn dependencies_come_first_then_template_order() {
        let t = template(json!({
            "c": {"type": "T", "properties": {"x": {"get_attr": ["a", "y"]}}},
            "b": {"type": "T"},
            "a": {"type": "T", "depends_on": "b"},
        }));
        assert_eq!(order(&t, &vec![true; t.resources.len()]), Ok(vec![1, 2, 0]));
    }

    #[test]
    fn cycles_and_missing_resources_are_refused() {
        let t = template(json!({
            "a": {"type": "T", "depends_on": ["b"]},
            "b": {"type": "T", "properties": {"x": {"get_resource": "a"}}},
            "c": {"type": "T"},
        }));
        let error = order(&t, &vec![true; t.resources.len()]).expect_err("cycle");
        assert_eq!(
            error.body()["error"]["message"],
            "Circular Dependency Found: {a: {b}, b: {a}}"
        );
        let t = template(json!({"a": {"type": "T", "depends_on": "nope"}}));
        assert_eq!(
            order(&t, &vec![true; t.resources.len()])
                .expect_err("missing")
                .body()["error"]["message"],
            "The specified reference \"nope\" (in a) is incorrect."
        );
    }

    #[test]
    fn a_thousand_chained_resources_order_and_one_more_is_refused() {
        let resources: serde_json::Map<_, _> = (0..MAX_RESOURCES)
            .map(|i| {
                let deps = if i == 0 {
                    json!([])
                } else {
                    json!([format!("r{}", i - 1)])
                };
                (format!("r{i}"), json!({"type": "T", "depends_on": deps}))
            })
            .collect();
        let mut one_more = resources.clone();
        one_more.insert("extra".into(), json!({"type": "T"}));
        let t = template(serde_json::Value::Object(resources));
        assert_eq!(
            order(&t, &vec![true; t.resources.len()]).map(|o| o.len()),
            Ok(MAX_RESOURCES)
        );
        let over = template(serde_json::Value::Object(one_more));
        assert_eq!(
            order(&over, &vec![true; over.resources.len()])
                .expect_err("limit")
                .body()["error"]["type"],
            "RequestLimitExceeded"
        );
    }
}
