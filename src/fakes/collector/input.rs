//! What a target is made of: the body of `POST /targets`, i.e. the MonitoringTarget
//! properties, and what the agents and the etcd syncer read from it.

use serde_json::{Map, Value};

use super::errors::ApiError;
use super::hold::Hold;
use crate::scenario::TargetSelector;

/// A target's fields, as heat-engine sent them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct TargetInput {
    pub(super) kind: String,
    pub(super) resource_type: String,
    pub(super) resource_id: String,
    pub(super) field_name: String,
    pub(super) tenant_id: String,
    pub(super) version: i64,
    pub(super) properties: Value,
    pub(super) syncer_properties: Value,
}

impl TargetInput {
    /// Parses a body. `strict` (the REST API) refuses missing or mistyped fields; the Heat
    /// hook is lenient, as Heat already validated what its template declares.
    pub(super) fn parse(body: &Value, strict: bool) -> Result<TargetInput, ApiError> {
        let Value::Object(body) = body else {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        };
        let text = |name: &str| match body.get(name) {
            Some(Value::String(s)) if !(strict && s.is_empty()) => Ok(s.clone()),
            None | Some(Value::Null) if !strict => Ok(String::new()),
            _ => Err(ApiError::bad_request(format!(
                "`{name}` must be a non-empty string"
            ))),
        };
        let object = |name: &str| match body.get(name) {
            Some(v @ Value::Object(_)) => Ok(v.clone()),
            None | Some(Value::Null) => Ok(Value::Object(Map::new())),
            _ => Err(ApiError::bad_request(format!("`{name}` must be an object"))),
        };
        let version = match body.get("version") {
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
            Some(Value::String(s)) if !strict && s.parse::<i64>().is_ok() => {
                s.parse().unwrap_or_default()
            }
            None | Some(Value::Null) if !strict => 0,
            _ => return Err(ApiError::bad_request("`version` must be an integer")),
        };
        Ok(TargetInput {
            kind: text("type")?,
            resource_type: text("resource_type")?,
            resource_id: text("resource_id")?,
            field_name: text("field_name")?,
            tenant_id: text("tenant_id")?,
            version,
            properties: object("properties")?,
            syncer_properties: object("syncer_properties")?,
        })
    }

    /// `syncer_properties.etcd.status.key`: the field the etcd syncer writes, if any.
    pub(super) fn status_key(&self) -> Option<&str> {
        self.syncer_properties
            .pointer("/etcd/status/key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
    }

    /// `syncer_properties.etcd.hold_options`, if the target has them.
    pub(super) fn hold(&self) -> Option<Hold> {
        Hold::of(self.syncer_properties.pointer("/etcd/hold_options")?)
    }

    /// The status a healthy device reports: the first `positive_status` of the hold options
    /// (a string such as `UP`, or an HA pair's `{primary: MASTER, secondary: BACKUP}`), else
    /// `UP`, what every recorded agent reported for a healthy device.
    pub(super) fn healthy(&self) -> Value {
        self.hold()
            .and_then(|h| h.positive.into_iter().next())
            .unwrap_or_else(|| Value::from(UP))
    }

    /// The target as scenario rules see it.
    pub(super) fn selector(&self) -> TargetSelector<'_> {
        TargetSelector {
            resource_type: &self.resource_type,
            resource_id: &self.resource_id,
            kind: Some(&self.kind),
            field_name: Some(&self.field_name),
            version: Some(self.version),
        }
    }

    /// `<resource_type>/<resource_id>`, the resource the target reports on.
    pub(super) fn resource(&self) -> String {
        format!("{}/{}", self.resource_type, self.resource_id)
    }
}

/// A healthy device's status.
const UP: &str = "UP";
