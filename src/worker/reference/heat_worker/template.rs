//! Which template a job's resource uses, and its `template_file`.
//!
//! The recorded worker re-resolved the template id from the schema's `template_path` mapping
//! with the job's `resource_input` ("Template id … resolved from mapping", ESI-SPEC §3.2) and
//! read the template Gohan stored at `/config/v2.0/heat_templates/<id>`. The resolution is the
//! job manager's ([`crate::worker::reference::template_path`]).

use etcd_client::Client;
use serde_json::Value;

use super::errors::JobError;
use super::job::Job;
use crate::worker::reference::job_manager::Context;
use crate::worker::reference::template_path::{self, NoResources};

/// The template id of `job`'s resource; `None` when the mapping says it has no template. A job
/// exists only for a resource paired with a template, so a type without schema uses the
/// template of its own name.
pub(crate) fn template_id(job: &Job) -> Result<Option<String>, JobError> {
    let ctx = Context {
        type_: &job.resource_type,
        body: &job.resource_input,
        version: job.version.as_u64().unwrap_or_default(),
        resources: &NoResources,
    };
    template_path::template_id(&ctx, true).map_err(|source| JobError::TemplatePath {
        resource_type: job.resource_type.clone(),
        source,
    })
}

/// The `template_file` of `/config/v2.0/heat_templates/<id>` (body a JSON string, as Gohan
/// writes it, or an object).
pub(crate) async fn template_file(etcd: &mut Client, id: &str) -> Result<String, JobError> {
    let key = format!("/config/v2.0/heat_templates/{id}");
    let response = etcd
        .get(key.as_str(), None)
        .await
        .map_err(JobError::etcd(format!("get {key}")))?;
    let bad = |why: &str| JobError::Input(format!("heat template {id}: {why}"));
    let kv = response.kvs().first().ok_or_else(|| bad("not in etcd"))?;
    let value: Value = serde_json::from_slice(kv.value()).map_err(|_| bad("not JSON"))?;
    let body = match &value["body"] {
        Value::String(s) => serde_json::from_str(s).map_err(|_| bad("body is not JSON"))?,
        Value::Object(_) => value["body"].clone(),
        _ => return Err(bad("no body")),
    };
    body["template_file"]
        .as_str()
        .map(String::from)
        .ok_or_else(|| bad("no template_file"))
}
