//! Synthetic field values: what a Gohan resource would hold in a field, from the field's
//! property in the Gohan schemas (`memo/schemas.txt`: type, format, enum, default, items) or,
//! when no schema describes it, from the heat parameter type the field feeds. Deterministic.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use uuid::Uuid;

/// The Gohan schemas of the recorded system (vendored).
const SCHEMAS: &str = include_str!("../../tests/recorded/esi/memo/schemas.txt");

/// What a heat parameter expects (`type:` of a HOT parameter); `Any` for a Jinja variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `json`.
    Json,
    /// `comma_delimited_list`.
    List,
    /// No heat parameter (a `jinja_*` variable, an operand).
    Any,
}

impl Hint {
    /// The hint for a HOT parameter type.
    pub(crate) fn of(hot_type: &str) -> Hint {
        match hot_type {
            "number" => Hint::Number,
            "boolean" => Hint::Boolean,
            "json" => Hint::Json,
            "comma_delimited_list" => Hint::List,
            "string" => Hint::String,
            _ => Hint::Any,
        }
    }
}

/// Properties of every schema: type -> field -> property.
fn properties() -> &'static BTreeMap<String, Map<String, Value>> {
    static PROPS: OnceLock<BTreeMap<String, Map<String, Value>>> = OnceLock::new();
    PROPS.get_or_init(|| {
        let all: Value = serde_json::from_str(SCHEMAS).unwrap_or(Value::Null);
        all["schemas"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let id = s["id"].as_str()?.to_string();
                let props = s["schema"]["properties"].as_object()?.clone();
                Some((id, props))
            })
            .collect()
    })
}

/// The property of `field` in `type_`'s schema; for a type without schema, the property of
/// the same field in the first schema (by id) that declares it.
pub(crate) fn property(type_: &str, field: &str) -> Option<&'static Value> {
    let props = properties();
    match props.get(type_) {
        Some(own) => own.get(field),
        None => props.values().find_map(|p| p.get(field)),
    }
}

/// A free-text field of `type_`'s schema that users may update (`permission` has `update`;
/// no relation, enum or format), the first by name: what the generated update changes.
pub(crate) fn updatable(type_: &str) -> Option<&'static str> {
    let mut fields: Vec<(&String, &Value)> = properties().get(type_)?.iter().collect();
    fields.sort_by_key(|(name, _)| *name);
    fields.into_iter().find_map(|(name, p)| {
        let updatable = p["permission"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|x| x == "update"));
        let text = p["type"] == "string" && p.get("enum").is_none() && p.get("format").is_none();
        (updatable && text && p.get("relation").is_none()).then_some(name.as_str())
    })
}

/// A deterministic id: UUIDv5 of `seed` in the URL namespace.
pub(crate) fn uuid(seed: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, seed.as_bytes()).to_string()
}

/// A value for `field` described by `property` (if any), fed to a parameter of kind `hint`.
/// `seed` makes generated ids deterministic.
pub(crate) fn synthesize(property: Option<&Value>, hint: Hint, field: &str, seed: &str) -> Value {
    match (property.map(|p| from_property(p, field, seed, 0)), hint) {
        // A free-text field that feeds a number or boolean parameter holds one as text.
        (Some(Value::String(s)), Hint::Number) if s.parse::<f64>().is_err() => json!("1"),
        (Some(Value::String(s)), Hint::Boolean) if s != "true" && s != "false" => json!("true"),
        (Some(value), _) => value,
        (None, hint) => from_hint(hint, field),
    }
}

/// How deep nested object/array properties are filled in.
const MAX_DEPTH: usize = 4;

fn from_property(p: &Value, field: &str, seed: &str, depth: usize) -> Value {
    if let Some(default) = p.get("default").filter(|d| !d.is_null() && *d != "") {
        return default.clone();
    }
    if let Some(first) = p["enum"]
        .as_array()
        .and_then(|e| e.iter().find(|v| !v.is_null()))
    {
        return first.clone();
    }
    let type_ = match &p["type"] {
        Value::String(t) => t.as_str(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string"),
        _ => "string",
    };
    match type_ {
        "integer" | "number" => p.get("minimum").cloned().unwrap_or(json!(1)),
        "boolean" => json!(true),
        "array" if depth < MAX_DEPTH => match p.get("items") {
            Some(items) => json!([from_property(items, field, seed, depth + 1)]),
            None => json!([]),
        },
        "object" if depth < MAX_DEPTH => {
            let mut object = Map::new();
            for (name, sub) in p["properties"].as_object().into_iter().flatten() {
                let seed = format!("{seed}/{name}");
                object.insert(name.clone(), from_property(sub, name, &seed, depth + 1));
            }
            Value::Object(object)
        }
        "array" => json!([]),
        "object" => json!({}),
        _ => string(p["format"].as_str().unwrap_or_default(), field, seed),
    }
}

fn string(format: &str, field: &str, seed: &str) -> Value {
    let text = match format {
        f if f.contains("uuid") => uuid(seed),
        f if f.contains("cidr") => "10.0.0.1/30".into(),
        f if f.contains("ip") => "10.0.0.1".into(),
        f if f.contains("mac") => "fa:16:3e:00:00:01".into(),
        _ => format!("{field}-1"),
    };
    Value::String(text)
}

fn from_hint(hint: Hint, field: &str) -> Value {
    match hint {
        Hint::Number => json!(1),
        Hint::Boolean => json!(true),
        Hint::Json => json!({}),
        Hint::List => json!(format!("{field}-1")),
        Hint::String | Hint::Any => json!(format!("{field}-1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_schema_then_the_parameter_type() {
        let p = |t: &str, f: &str| property(t, f).cloned();
        let value = |t: &str, f: &str| synthesize(p(t, f).as_ref(), Hint::String, f, "s");
        assert_eq!(value("static_route", "service_type"), json!("aws"));
        assert_eq!(
            value("aws_interface", "primary")["ip_address"],
            "10.0.0.1/30"
        );
        let fixed_ips = value("port", "fixed_ips");
        assert!(fixed_ips[0].get("subnet_id").is_some(), "{fixed_ips}");
        // A type without schema types a field as the schemas that declare it do.
        assert_eq!(p("qos_option_aws", "qos_type"), p("qos_option", "qos_type"));
        assert_eq!(synthesize(None, Hint::Number, "x", "s"), json!(1));
        assert_eq!(updatable("network"), Some("description"));
        assert_eq!(updatable("qos_option_aws"), None);
        assert_eq!(uuid("a"), uuid("a"));
        assert_ne!(uuid("a"), uuid("b"));
    }
}
