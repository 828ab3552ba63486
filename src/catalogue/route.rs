//! Which resource uses a template: the Gohan schema whose `metadata.template_path` can give
//! the template id (the fields that make it so are set), or else a type the worker pairs
//! with the template by name (no schema, or a schema without `template_path`). Solving works
//! on the mapping forms `template_path` uses: `C…`, `A…` of constants and fields, and
//! `if_mapping` (either branch; the caller checks the result with the worker's resolution).

use serde_json::{Map, Value};

use super::values::property;
use crate::worker::rules::{Mapping, Schemas, plural};

/// A resource type and the body fields that route it to the template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Route {
    /// The resource type.
    pub(crate) type_: String,
    /// Fields to set on the body.
    pub(crate) fields: Map<String, Value>,
}

/// How `template` is reached. `Err` says why no resource can use it.
pub(crate) fn route(template: &str) -> Result<Route, String> {
    let schemas = Schemas::recorded();
    for id in schemas.types() {
        let Some(raw) = schemas.by_type(id).and_then(|s| s.template_path.as_ref()) else {
            continue;
        };
        let Ok(mapping) = Mapping::parse(raw) else {
            continue;
        };
        if let Some(fields) = solve(&mapping, template, id) {
            return Ok(Route {
                type_: id.to_string(),
                fields,
            });
        }
    }
    // Paired by name: the path `v2.0/<plural>` must not belong to another type's schema.
    let path = format!("v2.0/{}", plural(template));
    match schemas.by_path(&path) {
        Some(schema) if schema.id != template => Err(format!(
            "no schema routes to it and /config/{path} belongs to type {}",
            schema.id
        )),
        _ => Ok(Route {
            type_: template.to_string(),
            fields: Map::new(),
        }),
    }
}

/// Field values under which `mapping` (of type `type_`) gives `target`.
fn solve(mapping: &Mapping, target: &str, type_: &str) -> Option<Map<String, Value>> {
    match mapping {
        Mapping::Constant(Value::String(c)) => (c == target).then(Map::new),
        Mapping::Field { field, path, .. } if path.is_empty() => {
            allowed(type_, field, target).then(|| one(field, target))
        }
        Mapping::Concat(parts) => concat(parts, target, type_),
        Mapping::If {
            then, otherwise, ..
        } => solve(then, target, type_).or_else(|| solve(otherwise, target, type_)),
        _ => None,
    }
}

/// `A…`: constants must match in order; a field takes the text up to the next constant.
fn concat(parts: &[Mapping], target: &str, type_: &str) -> Option<Map<String, Value>> {
    let mut rest = target;
    let mut fields = Map::new();
    for (n, part) in parts.iter().enumerate() {
        match part {
            Mapping::Constant(Value::String(c)) => rest = rest.strip_prefix(c.as_str())?,
            Mapping::Field { field, path, .. } if path.is_empty() => {
                let end = match parts.get(n + 1) {
                    Some(Mapping::Constant(Value::String(next))) => rest.find(next.as_str())?,
                    None => rest.len(),
                    Some(_) => return None,
                };
                let (value, after) = rest.split_at(end);
                if value.is_empty() || !allowed(type_, field, value) {
                    return None;
                }
                fields.insert(field.clone(), Value::String(value.into()));
                rest = after;
            }
            _ => return None,
        }
    }
    rest.is_empty().then_some(fields)
}

/// Whether `value` is allowed in `field` (its schema `enum`, if any).
fn allowed(type_: &str, field: &str, value: &str) -> bool {
    match property(type_, field).and_then(|p| p["enum"].as_array()) {
        Some(values) => values.iter().any(|v| v == value),
        None => true,
    }
}

fn one(field: &str, value: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(field.into(), Value::String(value.into()));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_template_path_or_by_name() {
        let r = route;
        assert_eq!(r("network").unwrap().type_, "network");
        let sr = r("static_route_aws").unwrap();
        assert_eq!(
            (sr.type_.as_str(), &sr.fields["service_type"]),
            ("static_route", &"aws".into())
        );
        let ese = r("ese_device_existing").unwrap();
        assert_eq!(ese.fields["existing"], "existing");
        assert_eq!(r("firewall_config").unwrap().type_, "firewall");
        assert_eq!(r("port").unwrap().type_, "port");
        assert_eq!(r("qos_option_aws").unwrap().type_, "qos_option_aws");
        assert_eq!(r("common_function").unwrap().type_, "common_function");
        assert!(r("static_route_mars").is_ok_and(|r| r.type_ == "static_route_mars"));
    }
}
