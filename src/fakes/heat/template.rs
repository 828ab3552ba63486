//! HOT templates: parsing (an object, or a YAML/JSON string) and the parameters a stack is
//! created with, checked against the template's declarations the way Heat checks them.

use std::ops::Deref;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::errors::HeatError;
use super::functions::py_str;
use super::functions::versions::{VERSIONS, date_of};
use super::params::{coerce, shown};

/// How deep a template may nest (maps and lists): deeper is a 400, so nothing that walks a
/// template can run out of stack. YAML parsing already stops at 64 levels, JSON at 128.
const MAX_DEPTH: usize = 128;

/// A parsed HOT template and the request's `files`. What the text says is shared (an `Arc`)
/// by every stack made from the same text: see [`super::template_cache`].
#[derive(Debug, Clone)]
pub(super) struct Template {
    parsed: Arc<Parsed>,
    /// The request's `files` (`get_file`), set by create and update.
    pub(super) files: Map<String, Value>,
}

impl Deref for Template {
    type Target = Parsed;

    fn deref(&self) -> &Parsed {
        &self.parsed
    }
}

/// What a template's text says.
#[derive(Debug)]
pub(super) struct Parsed {
    /// The template as parsed, answered by template show.
    pub(super) raw: Value,
    /// The version's date (aliases resolved): which functions exist and how they behave.
    pub(super) date: &'static str,
    /// The `conditions` section (2016-10-14 on).
    pub(super) conditions: Map<String, Value>,
    /// `description`, or Heat's `No description`.
    pub(super) description: String,
    /// Declared parameters, in template order.
    pub(super) parameters: Vec<ParamDecl>,
    /// Resources, in template order.
    pub(super) resources: Vec<ResourceDecl>,
    /// Outputs, in template order.
    pub(super) outputs: Vec<OutputDecl>,
}

/// One declared parameter.
#[derive(Debug, Clone)]
pub(super) struct ParamDecl {
    pub(super) name: String,
    pub(super) kind: ParamKind,
    pub(super) default: Option<Value>,
    pub(super) hidden: bool,
    pub(super) description: String,
    pub(super) label: Option<String>,
}

/// A parameter's declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ParamKind {
    String,
    Number,
    Boolean,
    CommaDelimitedList,
    Json,
}

/// One resource.
#[derive(Debug, Clone)]
pub(super) struct ResourceDecl {
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) properties: Value,
    pub(super) depends_on: Vec<String>,
    /// `condition` (2016-10-14 on): the resource exists only when it holds.
    pub(super) condition: Option<Value>,
}

/// One output.
#[derive(Debug, Clone)]
pub(super) struct OutputDecl {
    pub(super) key: String,
    pub(super) description: String,
    pub(super) value: Value,
    /// `condition`: the output is null unless it holds.
    pub(super) condition: Option<Value>,
}

/// Parameters resolved for a stack: the typed values functions see, and the strings show prints.
#[derive(Debug, Clone, Default)]
pub(super) struct Params {
    pub(super) typed: Map<String, Value>,
    pub(super) shown: Map<String, Value>,
}

/// The identity of the stack, for the pseudo-parameters.
pub(super) struct Pseudo<'a> {
    pub(super) stack_id: &'a str,
    pub(super) stack_name: &'a str,
    pub(super) project_id: &'a str,
}

impl Template {
    /// Parses a request's `template`: an object, or a string holding YAML or JSON.
    pub(super) fn parse(template: &Value) -> Result<Template, HeatError> {
        let raw = match template {
            Value::Object(_) => template.clone(),
            Value::String(text) => parse_text(text)?,
            Value::Null => return Err(HeatError::invalid("No template specified")),
            _ => {
                return Err(HeatError::invalid(
                    "The template is not a JSON object or YAML mapping.",
                ));
            }
        };
        Ok(Template::of(Arc::new(Template::from_value(raw)?)))
    }

    /// A template of parsed text, with no `files` yet.
    pub(super) fn of(parsed: Arc<Parsed>) -> Template {
        Template {
            parsed,
            files: Map::new(),
        }
    }

    /// What the text says, to share with a later template of the same text.
    pub(super) fn parsed(&self) -> &Arc<Parsed> {
        &self.parsed
    }

    fn from_value(raw: Value) -> Result<Parsed, HeatError> {
        let Some(root) = raw.as_object() else {
            return Err(HeatError::invalid(
                "The template is not a JSON object or YAML mapping.",
            ));
        };
        let version = match root.get("heat_template_version") {
            Some(Value::String(v)) => v.clone(),
            Some(other) => py_str(other),
            None if root.contains_key("HeatTemplateFormatVersion")
                || root.contains_key("AWSTemplateFormatVersion") =>
            {
                return Err(HeatError::bad_request(
                    "InvalidTemplateVersion",
                    "heatbed's fake Heat serves HOT templates (heat_template_version) only",
                ));
            }
            None => return Err(HeatError::invalid("Template format version not found.")),
        };
        let Some(date) = date_of(&version) else {
            let mut available: Vec<&str> = VERSIONS.iter().map(|(d, _)| *d).collect();
            available.extend(VERSIONS.iter().filter_map(|(_, alias)| *alias));
            available.sort_unstable();
            return Err(HeatError::bad_request(
                "InvalidTemplateVersion",
                format!(
                    "The template version is invalid: \"heat_template_version: {version}\". \
                     \"heat_template_version\" should be one of: {}",
                    available.join(", ")
                ),
            ));
        };
        check_depth(&raw)?;
        for key in root.keys() {
            let known =
                SECTIONS.contains(&key.as_str()) || (key == "conditions" && date >= "2016-10-14");
            if !known {
                return Err(HeatError::bad_request(
                    "InvalidTemplateSection",
                    format!("The template section is invalid: {key}"),
                ));
            }
        }
        Ok(Parsed {
            date,
            conditions: section(root, "conditions")?,
            description: match root.get("description") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => py_str(other),
                None => "No description".into(),
            },
            parameters: section(root, "parameters")?
                .iter()
                .map(|(name, decl)| param_decl(name, decl))
                .collect::<Result<_, _>>()?,
            resources: section(root, "resources")?
                .iter()
                .map(|(name, decl)| resource_decl(name, decl))
                .collect::<Result<_, _>>()?,
            outputs: section(root, "outputs")?
                .iter()
                .map(|(key, decl)| output_decl(key, decl))
                .collect::<Result<_, _>>()?,
            raw,
        })
    }

    /// Resolves the user's parameters (already merged with `environment.parameters`) against the
    /// declarations: undeclared and missing ones are refused with Heat's messages.
    pub(super) fn resolve(
        &self,
        given: &Map<String, Value>,
        pseudo: &Pseudo<'_>,
    ) -> Result<Params, HeatError> {
        self.resolve_given(given, pseudo, true)
    }

    /// What `POST /validate` resolves: like [`Template::resolve`], but a parameter with
    /// neither a value nor a default is only an error where a function reads it.
    pub(super) fn resolve_available(
        &self,
        given: &Map<String, Value>,
        pseudo: &Pseudo<'_>,
    ) -> Result<Params, HeatError> {
        self.resolve_given(given, pseudo, false)
    }

    fn resolve_given(
        &self,
        given: &Map<String, Value>,
        pseudo: &Pseudo<'_>,
        required: bool,
    ) -> Result<Params, HeatError> {
        if let Some(unknown) = given
            .keys()
            .find(|k| !self.parameters.iter().any(|p| &p.name == *k))
        {
            return Err(HeatError::bad_request(
                "UnknownUserParameter",
                format!("The Parameter ({unknown}) was not defined in template."),
            ));
        }
        let mut params = Params::default();
        for (key, value) in [
            ("OS::stack_id", pseudo.stack_id),
            ("OS::stack_name", pseudo.stack_name),
            ("OS::project_id", pseudo.project_id),
        ] {
            params.typed.insert(key.into(), Value::String(value.into()));
            params.shown.insert(key.into(), Value::String(value.into()));
        }
        for decl in &self.parameters {
            let value = match given.get(&decl.name) {
                Some(Value::Null) | None => decl.default.clone(),
                Some(value) => Some(value.clone()),
            };
            let Some(value) = value else {
                if !required {
                    continue;
                }
                return Err(HeatError::bad_request(
                    "UserParameterMissing",
                    format!("The Parameter ({}) was not provided.", decl.name),
                ));
            };
            let typed = coerce(decl, value)?;
            let shown = if decl.hidden {
                "******".to_string()
            } else {
                shown(decl.kind, &typed)
            };
            params.typed.insert(decl.name.clone(), typed);
            params.shown.insert(decl.name.clone(), Value::String(shown));
        }
        Ok(params)
    }
}

/// Top-level keys of a HOT template (`conditions` too from 2016-10-14 on).
const SECTIONS: [&str; 6] = [
    "heat_template_version",
    "description",
    "parameter_groups",
    "parameters",
    "resources",
    "outputs",
];

/// Refuses a template nested deeper than [`MAX_DEPTH`], walking it without recursion.
fn check_depth(raw: &Value) -> Result<(), HeatError> {
    let mut stack = vec![(raw, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(HeatError::invalid(format!(
                "heatbed: the template nests deeper than {MAX_DEPTH} levels"
            )));
        }
        match value {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

fn parse_text(text: &str) -> Result<Value, HeatError> {
    if ![
        "heat_template_version",
        "HeatTemplateFormatVersion",
        "AWSTemplateFormatVersion",
    ]
    .iter()
    .any(|key| text.contains(key))
    {
        return Err(HeatError::invalid("Template format version not found."));
    }
    let parsed = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text).map_err(|e| e.to_string())
    } else {
        // PyYAML, which Heat parses with, keeps the last of duplicate keys.
        let mut options = serde_saphyr::Options::default();
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
        serde_saphyr::from_str_with_options::<Value>(text, options).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| HeatError::invalid(format!("Error parsing template: {e}")))
}

fn section(root: &Map<String, Value>, name: &str) -> Result<Map<String, Value>, HeatError> {
    match root.get(name) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(HeatError::invalid(format!(
            "The template section is invalid: {name}"
        ))),
    }
}

fn param_decl(name: &str, decl: &Value) -> Result<ParamDecl, HeatError> {
    let Some(decl) = decl.as_object() else {
        return Err(HeatError::invalid(format!(
            "Invalid parameter schema for \"{name}\""
        )));
    };
    let kind = match decl.get("type").and_then(Value::as_str) {
        Some("string") => ParamKind::String,
        Some("number") => ParamKind::Number,
        Some("boolean") => ParamKind::Boolean,
        Some("comma_delimited_list") => ParamKind::CommaDelimitedList,
        Some("json") => ParamKind::Json,
        Some(other) => return Err(HeatError::invalid(format!("Invalid type ({other})"))),
        None => {
            return Err(HeatError::invalid(format!(
                "Missing parameter type for parameter: {name}"
            )));
        }
    };
    Ok(ParamDecl {
        name: name.into(),
        kind,
        default: decl.get("default").cloned(),
        hidden: decl.get("hidden").and_then(Value::as_bool).unwrap_or(false),
        description: decl
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .into(),
        label: decl.get("label").and_then(Value::as_str).map(Into::into),
    })
}

fn resource_decl(name: &str, decl: &Value) -> Result<ResourceDecl, HeatError> {
    let invalid = |what: &str| HeatError::invalid(format!("Resource {name} {what}"));
    let decl = decl.as_object().ok_or_else(|| invalid("is not a map"))?;
    let kind = match decl.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        _ => return Err(invalid("is missing \"type\"")),
    };
    let depends_on = match decl.get("depends_on") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(many)) => many
            .iter()
            .filter_map(Value::as_str)
            .map(Into::into)
            .collect(),
        Some(_) => return Err(invalid("depends_on must be a string or a list")),
    };
    let properties = match decl.get("properties") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(p @ Value::Object(_)) => p.clone(),
        Some(_) => return Err(invalid("properties must be a map")),
    };
    Ok(ResourceDecl {
        name: name.into(),
        kind,
        properties,
        depends_on,
        condition: decl.get("condition").cloned(),
    })
}

fn output_decl(key: &str, decl: &Value) -> Result<OutputDecl, HeatError> {
    let decl = decl.as_object().ok_or_else(|| {
        HeatError::invalid(format!(
            "Output validation error: outputs.{key}: Output definitions must be a map. Found a \
             {} instead",
            super::functions::type_name(decl)
        ))
    })?;
    if !decl.contains_key("value") {
        return Err(HeatError::invalid(format!(
            "Output validation error: outputs.{key}: Each output definition must contain a \
             value key."
        )));
    }
    Ok(OutputDecl {
        key: key.into(),
        description: decl
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("No description given")
            .into(),
        value: decl.get("value").cloned().unwrap_or(Value::Null),
        condition: decl.get("condition").cloned(),
    })
}
