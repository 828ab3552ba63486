//! The ResourceReader + JobManager proper: what each `/config` change and each finished job
//! does (ESI-SPEC §2.2–§2.9). Events are handled one at a time, in the order they arrive.

use std::collections::HashMap;

use etcd_client::Client;
use serde_json::Value;

use super::job::{self, JobName, Template};
use super::mapping::{Context, Resources};
use super::queue_store::{self as store, StoreError};
use super::schedule::Queue;
use super::schema::{ConfigKey, ResourceKey, Schemas, classify, unseen_type};
use super::state::{self, Situation};
use crate::worker::reference::{Log, template_path};

const COMPONENT: &str = "job_manager";

/// One resource's current config.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    /// The decoded body.
    pub(crate) body: Value,
    /// The config version.
    pub(crate) version: u64,
    /// `marked_for_deletion`.
    pub(crate) marked: bool,
}

/// Current bodies of every resource, for mapping paths.
#[derive(Debug, Default)]
pub(crate) struct Configs(pub(crate) HashMap<ResourceKey, Resource>);

impl Resources for Configs {
    fn body(&self, key: &ResourceKey) -> Option<&Value> {
        self.0.get(key).map(|r| &r.body)
    }
}

/// The job manager's state between events.
pub(crate) struct Manager {
    pub(crate) client: Client,
    pub(crate) log: Log,
    pub(crate) templates: HashMap<String, Template>,
    pub(crate) configs: Configs,
    pub(crate) queue: Queue,
    /// Job id -> handler, for promotion.
    pub(crate) handlers: HashMap<String, String>,
}

/// A decoded `/config` value: `{"body": <string or object>, "marked_for_deletion", "version"}`.
pub(crate) fn decode(raw: &[u8]) -> Option<Resource> {
    let value: Value = serde_json::from_slice(raw).ok()?;
    let body = match value.get("body")? {
        Value::String(s) => serde_json::from_str(s).ok()?,
        other => other.clone(),
    };
    Some(Resource {
        body,
        version: value.get("version").and_then(Value::as_u64).unwrap_or(0),
        marked: value
            .get("marked_for_deletion")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

impl Manager {
    /// A manager with nothing known yet.
    pub(crate) fn new(client: Client, log: Log) -> Self {
        Manager {
            client,
            log,
            templates: HashMap::new(),
            configs: Configs::default(),
            queue: Queue::default(),
            handlers: HashMap::new(),
        }
    }

    fn line(&self, message: impl std::fmt::Display) {
        self.log.line(COMPONENT, message);
    }

    /// Remembers a heat template (`/config/v2.0/heat_templates/<id>`).
    pub(crate) fn template_put(&mut self, id: &str, raw: &[u8]) {
        let parsed = decode(raw).map(|r| Template::parse(&r.body));
        match parsed {
            Some(Ok(template)) => {
                self.line(format_args!("Loaded heat template {id}"));
                self.templates.insert(id.to_string(), template);
            }
            Some(Err(e)) => self.line(format_args!("Heat template {id} ignored: {e}")),
            None => self.line(format_args!("Heat template {id} is not a Gohan value")),
        }
    }

    /// What `/config/<path>` names. A path no embedded schema claims is a resource of the
    /// heat template paired with its plural ([`unseen_type`]) when there is one: the type is
    /// the template id and the resource is `known`.
    pub(crate) fn classify(&self, path: &str) -> Option<ConfigKey> {
        match classify(path)? {
            ConfigKey::Resource {
                mut key,
                known: false,
            } => {
                let paired = unseen_type(&key.type_, self.templates.keys()).cloned();
                let known = paired.is_some();
                if let Some(type_) = paired {
                    key.type_ = type_;
                }
                Some(ConfigKey::Resource { key, known })
            }
            other => Some(other),
        }
    }

    /// A `/config/<path>` put.
    pub(crate) async fn config_put(&mut self, path: &str, raw: &[u8]) -> Result<(), StoreError> {
        let Some(kind) = self.classify(path) else {
            return Ok(());
        };
        let (key, known) = match kind {
            ConfigKey::Template(id) => {
                self.template_put(&id, raw);
                return Ok(());
            }
            ConfigKey::Resource { key, known } => (key, known),
        };
        let Some(resource) = decode(raw) else {
            self.line(format_args!("Ignored undecodable config /config/{path}"));
            return Ok(());
        };
        let name = format!("{}:{}", key.type_, key.id);
        self.line(format_args!(
            "Updating worker db cache with resource: {name}"
        ));
        let mirror = state::mirror(&resource.body, resource.marked, resource.version);
        let state_key = format!("/state/{path}");
        let state = store::create_or_swap_reading(
            &mut self.client,
            &format!("/esi-worker/config/{path}"),
            &mirror,
            &state_key,
        )
        .await?;
        self.configs.0.insert(key.clone(), resource.clone());
        let state_version = state.and_then(|raw| state::version_of(&raw));
        match state_version {
            None => self.line(format_args!(
                "No state found for /config/{path} - new resource."
            )),
            Some(v) => self.line(format_args!("State of {name} is at version {v}")),
        }

        let Some(template_id) = self.template_id(&key, known, &resource) else {
            self.line(format_args!("Non workable resource: {name}"));
            return self
                .read_complete(&state_key, state_version, resource.version)
                .await;
        };
        let Some(template) = self.templates.get(&template_id).cloned() else {
            self.line(format_args!(
                "Could not find template for resource: {name}, handling it as non workable"
            ));
            return self
                .read_complete(&state_key, state_version, resource.version)
                .await;
        };
        self.schedule(
            key,
            resource,
            (&state_key, state_version),
            &template_id,
            &template,
        )
        .await
    }

    /// `READ_COMPLETE` at `version` for a resource no job handles, unless its state is there.
    async fn read_complete(
        &mut self,
        state_key: &str,
        state_version: Option<u64>,
        version: u64,
    ) -> Result<(), StoreError> {
        if state_version.is_some_and(|v| v >= version) {
            return Ok(());
        }
        store::put(&mut self.client, state_key, state::read_complete(version)).await
    }

    /// A `/config/<path>` delete: Gohan's clean-up after a logical delete (or a physical
    /// delete, not observed): the mirror and the heat stack record go.
    pub(crate) async fn config_delete(&mut self, path: &str) -> Result<(), StoreError> {
        let key = match self.classify(path) {
            Some(ConfigKey::Template(id)) => {
                self.templates.remove(&id);
                return Ok(());
            }
            Some(ConfigKey::Resource { key, .. }) => key,
            None => return Ok(()),
        };
        let old = self.configs.0.remove(&key);
        let name = format!("{}:{}", key.type_, key.id);
        if old.is_some_and(|r| r.marked) {
            self.line(format_args!(
                "Gohan cleaned up config for logically deleted resource {name}"
            ));
        } else {
            self.line(format_args!("Config of {name} deleted"));
        }
        self.line(format_args!(
            "Trying to delete processed resource config for resource {name}"
        ));
        self.line(format_args!(
            "Trying to delete processed resource heat_stack for resource {name}"
        ));
        store::delete(
            &mut self.client,
            &[
                format!("/esi-worker/config/{path}"),
                format!("/esi-worker/heat_stacks/{path}"),
            ],
        )
        .await
    }

    /// `/jobs/finished/<id>` appeared: retire the job and promote its dependants.
    pub(crate) async fn finished(&mut self, id: &str) -> Result<(), StoreError> {
        self.line(format_args!("Mark job {id} as finished request."));
        store::retire(&mut self.client, id).await?;
        self.handlers.remove(id);
        for promoted in self.queue.finish(id) {
            let handler = self
                .handlers
                .get(&promoted)
                .cloned()
                .unwrap_or_else(|| "heat_worker".into());
            store::promote(&mut self.client, &promoted, &handler).await?;
            self.line(format_args!("Job {promoted} moved to ready."));
        }
        self.line(format_args!("Jobs counter: {}.", self.queue.len()));
        Ok(())
    }

    /// The template id of a resource, `None` if it is non-workable (the shared resolution,
    /// [`template_path::template_id`]): a type without a `template_path` uses the loaded
    /// template of its own name (paired), as `template_path: "C<type>"` would.
    fn template_id(&self, key: &ResourceKey, known: bool, resource: &Resource) -> Option<String> {
        let ctx = Context {
            type_: &key.type_,
            body: &resource.body,
            version: resource.version,
            resources: &self.configs,
        };
        let paired = known && self.templates.contains_key(&key.type_);
        match template_path::template_id(&ctx, paired) {
            Ok(id) => {
                if let Some(id) = &id {
                    let raw = Schemas::recorded()
                        .by_type(&key.type_)
                        .and_then(|s| s.template_path.clone())
                        .unwrap_or_else(|| Value::String(format!("C{id}")));
                    self.line(format_args!(
                        "Template id {id} resolved from mapping: {raw}"
                    ));
                }
                id
            }
            Err(e) => {
                self.line(format_args!(
                    "Template of {}:{} unresolved: {e}",
                    key.type_, key.id
                ));
                None
            }
        }
    }

    /// Builds and schedules the job for a workable resource's change.
    async fn schedule(
        &mut self,
        key: ResourceKey,
        resource: Resource,
        (state_key, state_version): (&str, Option<u64>),
        template_id: &str,
        template: &Template,
    ) -> Result<(), StoreError> {
        let name = format!("{}:{}", key.type_, key.id);
        // An earlier job of this resource that has not written its state yet.
        let pending_version = self
            .queue
            .pending_version(&key)
            .filter(|p| state_version.is_none_or(|s| *p > s));
        let situation = Situation {
            version: resource.version,
            marked: resource.marked,
            state_version,
            pending_version,
        };
        let Some(action) = state::select_action(situation) else {
            self.line(format_args!(
                "Resource {name} version {} already handled",
                resource.version
            ));
            return Ok(());
        };
        self.line(format_args!(
            "Workable resource {name} config has changed. Processing the change. (template {template_id})"
        ));
        let ctx = Context {
            type_: &key.type_,
            body: &resource.body,
            version: resource.version,
            resources: &self.configs,
        };
        let params = match job::params(template, &ctx, action) {
            Ok(params) => params,
            Err(e) => {
                self.line(format_args!("Cannot build the job of {name}: {e}"));
                let error = format!("cannot build the job from template {template_id}: {e}");
                let value = state::failed(action, resource.version, &error);
                return store::put(&mut self.client, state_key, value).await;
            }
        };
        let own: Vec<ResourceKey> = if pending_version.is_some() {
            vec![key.clone()]
        } else {
            vec![]
        };
        let dependency = self
            .queue
            .dependencies(own.iter().chain(params.resources.iter()));
        let job_name = JobName {
            action,
            handler: &template.handler,
            resource: &key,
            version: resource.version,
        };
        let id = job_name.id(&job::random_suffix());
        let object = job_name.object(&id, &resource.body, params.records, &dependency);
        let ready = dependency.is_empty();
        let value = job::all_value(&template.handler, &object);
        if !store::schedule(&mut self.client, &id, value, &template.handler, ready).await? {
            self.line(format_args!("Job {id} already exists"));
            return Ok(());
        }
        self.queue.add(&id, key, resource.version, &dependency);
        self.handlers.insert(id.clone(), template.handler.clone());
        self.line(format_args!("Job {id} dependencies: {dependency:?}"));
        let queue = if ready { "ready" } else { "waiting" };
        self.line(format_args!("Job {id} added to {queue}."));
        self.line(format_args!("Jobs counter: {}.", self.queue.len()));
        Ok(())
    }
}
