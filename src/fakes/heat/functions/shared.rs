//! What every function family shares: the [`Scope`] a function sees, the [`Env`] it is
//! evaluated in, how it fails ([`Failure`], [`ArgError`]), and the [`references`] a value makes.

use super::python;
use crate::fakes::heat::errors::HeatError;
use serde_json::{Map, Value};

/// What functions can see: parameters, and the resources of the stack.
pub(in crate::fakes::heat) trait Scope {
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
pub(in crate::fakes::heat) struct Env<'a> {
    /// The template's version date (`2013-05-23`...).
    pub(in crate::fakes::heat) date: &'a str,
    pub(in crate::fakes::heat) scope: &'a dyn Scope,
    /// The request's `files` map (`get_file`).
    pub(in crate::fakes::heat) files: &'a Map<String, Value>,
    /// The template's `conditions` section.
    pub(in crate::fakes::heat) conditions: &'a Map<String, Value>,
    /// The named conditions being resolved (a cycle is refused).
    pub(in crate::fakes::heat) resolving: std::cell::RefCell<Vec<String>>,
}

impl<'a> Env<'a> {
    /// An environment for a template of version `date`.
    pub(in crate::fakes::heat) fn new(
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
pub(in crate::fakes::heat) enum Failure {
    /// The template is refused (400).
    Refused(HeatError),
    /// Python raised while resolving: its `str(exception)`.
    Unresolved(String),
}

impl Failure {
    /// As a 400 (for resource properties, which Heat resolves while validating).
    pub(in crate::fakes::heat) fn into_heat(self, path: &str) -> HeatError {
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
pub(in crate::fakes::heat) enum ArgError {
    Key(String),
    Value(String),
    Type(String),
}

impl ArgError {
    /// `str(exception)`.
    pub(in crate::fakes::heat) fn message(&self) -> String {
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
pub(in crate::fakes::heat) fn references(value: &Value, out: &mut Vec<String>) {
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
