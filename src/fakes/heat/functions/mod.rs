//! HOT intrinsic functions, evaluated as heat 27.0.1 evaluates them, in its three phases:
//!
//! 1. [`parse`] (Heat's `template.parse`): every function's argument *shape* is checked as its
//!    constructor checks it, innermost first; `if` picks its branch here and only that branch
//!    is parsed. A failure is a 400 `StackValidationFailed` `<path>: <message>`.
//! 2. [`validate`] (Heat's `function.validate`): references (`get_attr` to a resource the
//!    template lacks, an attribute a modelled type lacks), removed functions, `repeat`'s
//!    `for_each`, `make_url`'s keys. Also a 400.
//! 3. [`resolve`] (Heat's `function.resolve`): the value. A failure here only shows when the
//!    value is read: an output answers `output_value: null` with `output_error`.
//!
//! Which names are functions depends on the template version ([`versions`]). Families:
//! [`refs`] (parameters, resources, attributes, files), [`text`] (joins, replaces, splits,
//! digests), [`url`] (`make_url`), [`lists`] (maps and lists, `repeat`), [`conditions`] (`if`, `equals`,
//! `not`, `and`, `or`, `contains`, the `conditions` section), [`cfn`] (the CloudFormation
//! functions of 2013-05-23). [`python`] is the slice of Python semantics they share.
//!
//! Recursion follows the template's nesting, which [`super::template`] bounds.

mod cfn;
mod conditions;
mod engine;
mod lists;
mod python;
mod refs;
mod text;
mod url;
pub(super) mod versions;

use serde_json::{Map, Value};

use super::errors::HeatError;

pub(super) use conditions::{enabled, validate_section};
pub(super) use engine::{parse, resolve, validate};
pub(crate) use python::{py_json, py_str, type_name};

/// What functions can see: parameters, and the resources of the stack.
pub(super) trait Scope {
    /// The typed value of a parameter (pseudo-parameters included).
    fn param(&self, name: &str) -> Option<&Value>;
    /// Whether the template declares the resource (and its condition holds).
    fn has_resource(&self, name: &str) -> bool;
    /// Whether `get_attr [resource, attribute]` passes Heat's validation (the resource's type
    /// has the attribute).
    fn knows_attribute(&self, resource: &str, attribute: &str) -> bool;
    /// `get_resource`: the resource's reference id (its physical id, or its name before it
    /// exists).
    fn reference(&self, name: &str) -> Value;
    /// `get_attr`: one attribute with `path` walked into it, or with `None` the map of all.
    fn attribute(
        &self,
        resource: &str,
        attribute: Option<&str>,
        path: &[Value],
    ) -> Result<Value, HeatError>;
}

/// Everything an evaluation needs besides the value.
pub(super) struct Env<'a> {
    /// The template's version date (`2013-05-23`...).
    pub(super) date: &'a str,
    pub(super) scope: &'a dyn Scope,
    /// The request's `files` map (`get_file`).
    pub(super) files: &'a Map<String, Value>,
    /// The template's `conditions` section.
    pub(super) conditions: &'a Map<String, Value>,
    /// The named conditions being resolved (a cycle is refused).
    pub(super) resolving: std::cell::RefCell<Vec<String>>,
}

impl<'a> Env<'a> {
    /// An environment for a template of version `date`.
    pub(super) fn new(
        date: &'a str,
        scope: &'a dyn Scope,
        files: &'a Map<String, Value>,
        conditions: &'a Map<String, Value>,
    ) -> Self {
        Env {
            date,
            scope,
            files,
            conditions,
            resolving: std::cell::RefCell::new(Vec::new()),
        }
    }
}

/// Why a value did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failure {
    /// The template is refused (400).
    Refused(HeatError),
    /// Python raised while resolving: its `str(exception)`.
    Unresolved(String),
}

impl Failure {
    /// As a 400 (for resource properties, which Heat resolves while validating).
    pub(super) fn into_heat(self, path: &str) -> HeatError {
        match self {
            Failure::Refused(error) => error,
            Failure::Unresolved(message) => HeatError::invalid(format!("{path}: {message}")),
        }
    }
}

impl From<HeatError> for Failure {
    fn from(error: HeatError) -> Self {
        Failure::Refused(error)
    }
}

/// An argument error of Python's kind: `KeyError`s print their message's `repr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ArgError {
    Key(String),
    Value(String),
    Type(String),
}

impl ArgError {
    /// `str(exception)`.
    pub(super) fn message(&self) -> String {
        match self {
            ArgError::Key(m) => python::repr_str(m),
            ArgError::Value(m) | ArgError::Type(m) => m.clone(),
        }
    }
}

impl From<ArgError> for Failure {
    fn from(error: ArgError) -> Self {
        Failure::Unresolved(error.message())
    }
}

/// The resources `value` refers to through `get_resource` and `get_attr` (and `Ref`, `depends_on`
/// aside), for the dependency order.
pub(super) fn references(value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if map.len() == 1 {
                    match map.iter().next() {
                        Some((name, Value::String(r))) if name == "get_resource" => {
                            out.push(r.clone());
                        }
                        Some((name, Value::Array(args))) if name == "get_attr" => {
                            if let Some(Value::String(r)) = args.first() {
                                out.push(r.clone());
                            }
                        }
                        _ => {}
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
