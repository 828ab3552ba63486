//! Job objects (ESI-SPEC §2.5, §2.6): a template's mappings evaluated into param records,
//! and the `/jobs/all/<id>` value `["heat_worker", <job>, 0]` (PY-U).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value, json};

use super::mapping::{Context, Evaluated, Mapping, MappingError};
use super::pyorder;
use super::schema::ResourceKey;
use super::state::Action;
use crate::encoding::python_json;

/// The handler when a template names none.
const DEFAULT_HANDLER: &str = "heat_worker";

/// A heat template's job-relevant part.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// `handler` (`heat_worker`): the queue name and the job id's second part.
    pub(crate) handler: String,
    /// The parameter mappings, in the order the recorded job manager iterated them
    /// (CPython 2.7 dict order of the names inserted sorted, as Go wrote them).
    pub(crate) mappings: Vec<(String, Mapping)>,
}

impl Template {
    /// Parses a `/config/v2.0/heat_templates/<id>` body.
    pub(crate) fn parse(body: &Value) -> Result<Template, MappingError> {
        let handler = body
            .get("handler")
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_HANDLER)
            .to_string();
        let raw = body
            .get("parameter_mappings")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut names: Vec<&String> = raw.keys().collect();
        names.sort();
        let mappings = pyorder::ordered(&names)
            .into_iter()
            .map(|name| Ok((name.clone(), Mapping::parse(&raw[name])?)))
            .collect::<Result<_, MappingError>>()?;
        Ok(Template { handler, mappings })
    }
}

/// The evaluated params of one job.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Params {
    /// Param records, in mapping order.
    pub(crate) records: Vec<Value>,
    /// Every resource the mappings went through, in param then hop order (once each time
    /// it was named; the duplication quirk is not applied here).
    pub(crate) resources: Vec<ResourceKey>,
}

/// Evaluates every mapping of `template` for a resource. In `modify` and `logical_delete`
/// jobs each record's `resources` holds its hop list twice (ESI-SPEC §2.5, recorded quirk).
pub(crate) fn params(
    template: &Template,
    ctx: &Context<'_>,
    action: Action,
) -> Result<Params, MappingError> {
    let twice = action != Action::Create;
    let mut records = Vec::with_capacity(template.mappings.len());
    let mut resources = vec![];
    for (name, mapping) in &template.mappings {
        let evaluated = mapping.eval(ctx)?;
        resources.extend(evaluated.resources.iter().cloned());
        records.push(record(name, &evaluated, twice));
    }
    Ok(Params { records, resources })
}

/// A job's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JobName<'a> {
    /// The action.
    pub(crate) action: Action,
    /// The template's handler.
    pub(crate) handler: &'a str,
    /// The resource.
    pub(crate) resource: &'a ResourceKey,
    /// The config version.
    pub(crate) version: u64,
}

impl JobName<'_> {
    /// `<action>:<handler>:<type>:<id>:<version>:<suffix>`.
    pub(crate) fn id(&self, suffix: &str) -> String {
        format!(
            "{}:{}:{}:{}:{}:{suffix}",
            self.action.as_str(),
            self.handler,
            self.resource.type_,
            self.resource.id,
            self.version
        )
    }

    /// The job object. Keys in the order the recorded job documents show them.
    pub(crate) fn object(
        &self,
        id: &str,
        body: &Value,
        params: Vec<Value>,
        dependency: &[String],
    ) -> Value {
        json!({
            "is_first": true,
            "resource_id": self.resource.id,
            "handler": self.handler,
            "job_name": format!("{}:{}:{}", self.resource.type_, self.resource.id, self.version),
            "dependency": dependency,
            "version": self.version,
            "params": params,
            "resource_type": self.resource.type_,
            "action": self.action.as_str(),
            "is_last": true,
            "on_failure": "fail",
            "id": id,
            "resource_input": body,
        })
    }
}

/// The `/jobs/all/<id>` value: PY-U `[<handler>, <job>, 0]`. The trailing `0` was `0` in
/// every recorded job (meaning unknown, ESI-SPEC §9.1).
pub(crate) fn all_value(handler: &str, job: &Value) -> String {
    python_json(&json!([handler, job, 0]), false)
}

/// 5 random characters of `[a-z0-9]`.
pub(crate) fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut x = RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed));
    (0..5)
        .map(|_| {
            let c = ALPHABET[(x % ALPHABET.len() as u64) as usize];
            x /= ALPHABET.len() as u64;
            char::from(c)
        })
        .collect()
}

/// One param record: `{resources, type, value, param}` (outer key order as recorded); list
/// items are `{param, type, value, resources}` with empty `resources`.
fn record(name: &str, evaluated: &Evaluated, twice: bool) -> Value {
    let mut resources: Vec<Value> = evaluated.resources.iter().map(resource).collect();
    if twice {
        resources.extend_from_slice(&resources.clone());
    }
    let value = if evaluated.items.is_empty() && evaluated.kind != super::mapping::Kind::List {
        evaluated.value.clone()
    } else {
        Value::Array(
            evaluated
                .items
                .iter()
                .map(|item| {
                    let mut sub = Map::new();
                    sub.insert("param".into(), name.into());
                    sub.insert("type".into(), item.kind.as_str().into());
                    sub.insert("value".into(), item.value.clone());
                    sub.insert("resources".into(), Value::Array(vec![]));
                    Value::Object(sub)
                })
                .collect(),
        )
    };
    let mut out = Map::new();
    out.insert("resources".into(), Value::Array(resources));
    out.insert("type".into(), evaluated.kind.as_str().into());
    out.insert("value".into(), value);
    out.insert("param".into(), name.into());
    Value::Object(out)
}

fn resource(key: &ResourceKey) -> Value {
    json!({"resource_type": key.type_, "resource_id": key.id})
}

#[cfg(test)]
mod tests;
