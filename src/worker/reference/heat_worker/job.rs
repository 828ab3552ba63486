//! A job as the job manager wrote it to `/jobs/all/<id>`, and the resolution of its params:
//! `output_key` params read the referenced resource's `/esi-worker/heat_stacks` outputs
//! (ESI-SPEC §3.3: the source is etcd, not Heat).

use etcd_client::Client;
use serde_json::{Map, Value};

use super::errors::JobError;
pub(crate) use crate::worker::reference::action::Action;
use crate::worker::reference::job_manager::plural;

/// One job.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// `/jobs/*/<id>`.
    pub(crate) id: String,
    /// create, modify or logical_delete.
    pub(crate) action: Action,
    /// Singular type, e.g. `load_balancer_interface`.
    pub(crate) resource_type: String,
    /// The resource id.
    pub(crate) resource_id: String,
    /// The config version the job is for.
    pub(crate) version: Value,
    /// The param records, in job order.
    pub(crate) params: Vec<Value>,
    /// The decoded `/config` body of that version.
    pub(crate) resource_input: Value,
}

impl Job {
    /// Parses a `/jobs/all` value: `["heat_worker", <job>, 0]` (a bare job object is accepted).
    pub(crate) fn parse(id: &str, raw: &[u8]) -> Result<Job, JobError> {
        let bad = |why: &str| JobError::Input(format!("job {id}: {why}"));
        let value: Value = serde_json::from_slice(raw).map_err(|_| bad("value is not JSON"))?;
        let job = match &value {
            Value::Array(items) => items.get(1).cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        let text = |key: &str| {
            job[key]
                .as_str()
                .map(String::from)
                .ok_or_else(|| bad(&format!("`{key}` is missing")))
        };
        let word = text("action")?;
        let action =
            Action::parse(&word).ok_or_else(|| bad(&format!("unknown action `{word}`")))?;
        Ok(Job {
            id: id.to_string(),
            action,
            resource_type: text("resource_type")?,
            resource_id: text("resource_id")?,
            version: job.get("version").cloned().unwrap_or(Value::Null),
            params: job["params"].as_array().cloned().unwrap_or_default(),
            resource_input: job.get("resource_input").cloned().unwrap_or(Value::Null),
        })
    }

    /// `v2.0/<plural>/<id>`.
    pub(crate) fn path(&self) -> String {
        resource_path(&self.resource_type, &self.resource_id)
    }

    /// The stack name, `<type>_<id>`.
    pub(crate) fn stack_name(&self) -> String {
        format!("{}_{}", self.resource_type, self.resource_id)
    }

    /// The resource's tenant (the body's `tenant_id`, else the `tenant_id` param).
    pub(crate) fn tenant_id(&self) -> Option<String> {
        self.resource_input["tenant_id"]
            .as_str()
            .map(String::from)
            .or_else(|| {
                self.params
                    .iter()
                    .find(|p| p["param"] == "tenant_id")
                    .and_then(|p| p["value"].as_str())
                    .map(String::from)
            })
    }

    /// Every param by name with its value resolved, in job order.
    pub(crate) async fn resolve(&self, etcd: &mut Client) -> Result<Map<String, Value>, JobError> {
        let mut resolved = Map::new();
        for record in &self.params {
            let name = record["param"]
                .as_str()
                .ok_or_else(|| JobError::Input(format!("job {}: a param without name", self.id)))?;
            resolved.insert(name.to_string(), resolve_record(etcd, record).await?);
        }
        Ok(resolved)
    }
}

/// `v2.0/<plural>/<id>` of a resource, with the job manager's [`plural`], so both spell the same
/// keys.
fn resource_path(resource_type: &str, resource_id: &str) -> String {
    format!("v2.0/{}/{resource_id}", plural(resource_type))
}

/// One param record's value: `value` as is, `output_key` from the referenced stack's outputs,
/// `list` element by element.
async fn resolve_record(etcd: &mut Client, record: &Value) -> Result<Value, JobError> {
    match record["type"].as_str().unwrap_or("value") {
        "output_key" => output_value(etcd, &record["value"]).await,
        "list" => {
            let mut values = Vec::new();
            for item in record["value"].as_array().into_iter().flatten() {
                values.push(Box::pin(resolve_record(etcd, item)).await?);
            }
            Ok(Value::Array(values))
        }
        _ => Ok(record.get("value").cloned().unwrap_or(Value::Null)),
    }
}

/// The `output_value` of output `output_key` of stack `resource_type`/`resource_id`.
async fn output_value(etcd: &mut Client, reference: &Value) -> Result<Value, JobError> {
    let field = |key: &str| reference[key].as_str().unwrap_or_default().to_string();
    let (key, kind, id) = (
        field("output_key"),
        field("resource_type"),
        field("resource_id"),
    );
    let path = format!("/esi-worker/heat_stacks/{}", resource_path(&kind, &id));
    let response = etcd
        .get(path.as_str(), None)
        .await
        .map_err(JobError::etcd(format!("get {path}")))?;
    let missing = |why: &str| JobError::Input(format!("output `{key}` of {kind}:{id}: {why}"));
    let kv = response
        .kvs()
        .first()
        .ok_or_else(|| missing("the resource has no stack"))?;
    let stack: Value =
        serde_json::from_slice(kv.value()).map_err(|_| missing("its stack record is not JSON"))?;
    stack["output"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["output_key"] == key.as_str())
        .map(|o| o.get("output_value").cloned().unwrap_or(Value::Null))
        .ok_or_else(|| missing("the stack has no such output"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_match_the_recorded_keys() {
        for (one, many) in [
            ("network", "networks"),
            ("vnf_instance", "vnf_instances"),
            ("load_balancer_interface", "load_balancer_interfaces"),
            ("load_balancer_conf", "load_balancer_confs"),
            ("reserve_address", "reserve_addresses"),
            ("policy", "policies"),
            ("gateway", "gateways"),
        ] {
            assert_eq!(plural(one), many);
        }
    }

    #[test]
    fn parses_a_recorded_job_value() {
        let raw = br#"["heat_worker", {"action": "logical_delete", "resource_type": "port",
            "resource_id": "p1", "version": 4, "params": [], "resource_input": {"tenant_id": "t"}}, 0]"#;
        let job = Job::parse("j", raw).expect("parses");
        assert_eq!(job.action, Action::LogicalDelete);
        assert_eq!(job.path(), "v2.0/ports/p1");
        assert_eq!(job.stack_name(), "port_p1");
        assert_eq!(job.tenant_id().as_deref(), Some("t"));
        assert!(Job::parse("j", b"[1]").is_err());
    }
}
