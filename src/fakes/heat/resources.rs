//! A stack's resources: the template validated as Heat validates it, resources created in
//! dependency order with their properties resolved, kept, replaced (next generation, new
//! physical id) or deleted on update; outputs resolved against them.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::attributes::{self, Hooks, ResourceEvent, World};
use super::deps;
use super::errors::HeatError;
use super::functions::{self, Env, Failure};
use super::ids;
use super::scope::StackScope;
use super::template::{Params, ResourceDecl, Template};

/// A created resource.
#[derive(Debug, Clone)]
pub(super) struct Resource {
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) physical_id: String,
    pub(super) generation: u32,
    pub(super) properties: Value,
    pub(super) hooked: Map<String, Value>,
    pub(super) table: Map<String, Value>,
    /// A ResourceGroup's members (not nested further).
    pub(super) members: Vec<Resource>,
}

impl Resource {
    /// The resource as `get_attr` sees it.
    pub(super) fn view(&self) -> attributes::Attributes<'_> {
        attributes::Attributes {
            kind: &self.kind,
            physical_id: &self.physical_id,
            hooked: &self.hooked,
            table: &self.table,
            properties: &self.properties,
            members: &self.members,
        }
    }
}

/// Who the resources belong to and what they can call.
pub(super) struct Owner<'a> {
    pub(super) stack_id: &'a str,
    pub(super) stack_name: &'a str,
    pub(super) hooks: &'a Hooks,
    pub(super) world: &'a World,
}

/// The resources that exist (their `condition` holds) and the order to create them in.
pub(super) struct Plan {
    active: Vec<bool>,
    order: Vec<usize>,
}

/// Heat's stack validation (also `POST /validate`): the conditions, which resources exist,
/// the dependency order, each resource's properties parsed and validated in that order, then
/// each enabled output's value.
pub(super) fn validate_template(template: &Template, params: &Params) -> Result<Plan, HeatError> {
    let all = vec![true; template.resources.len()];
    let scope = StackScope::new(template, &all, params, &[], true);
    let env = env(template, &scope);
    functions::validate_section(&env)?;
    let active = template
        .resources
        .iter()
        .map(|d| {
            let path = format!("resources.{}.condition", d.name);
            functions::enabled(d.condition.as_ref(), &path, &env)
        })
        .collect::<Result<Vec<bool>, _>>()?;
    let order = deps::order(template, &active)?;
    let scope = StackScope::new(template, &active, params, &[], true);
    let env = self::env(template, &scope);
    for &i in &order {
        let decl = &template.resources[i];
        let path = format!("resources.{}.properties", decl.name);
        functions::parse(&decl.properties, &path, &env, false)?;
        let path = ["resources", decl.name.as_str(), "properties"];
        functions::validate(&decl.properties, &path, &env)?;
    }
    for output in &template.outputs {
        let path = format!("outputs.{}.condition", output.key);
        if functions::enabled(output.condition.as_ref(), &path, &env)? {
            let path = format!("outputs.{}.value", output.key);
            functions::parse(&output.value, &path, &env, false)?;
            functions::validate(&output.value, &["outputs", &output.key, "value"], &env)?;
        }
    }
    Ok(Plan { active, order })
}

fn env<'a>(template: &'a Template, scope: &'a StackScope<'_>) -> Env<'a> {
    Env::new(template.date, scope, &template.files, &template.conditions)
}

/// Brings the resources from `previous` to what `template` declares: unchanged ones are kept,
/// changed ones replaced (next generation), missing ones created, undeclared ones deleted.
/// Where a hook could be called, a dry run without hooks comes first, so a template error
/// leaves no trace in other fakes.
pub(super) fn realize(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
) -> Result<Vec<Resource>, HeatError> {
    let plan = validate_template(template, params)?;
    if may_call_hooks(owner.hooks, template, previous) {
        let hooks = Hooks::new();
        let dry = Owner {
            hooks: &hooks,
            ..*owner
        };
        build(&dry, template, params, previous, &plan)?;
    }
    let resources = build(owner, template, params, previous, &plan)?;
    for old in previous {
        if !resources.iter().any(|r| r.name == old.name) {
            notify_deleted(owner, old);
        }
    }
    Ok(resources)
}

/// Whether building `template` over `previous` could call one of `hooks`: a declared or a
/// previous resource (or group member) of a hooked type, or a group, whose members' types
/// are known only once built.
fn may_call_hooks(hooks: &Hooks, template: &Template, previous: &[Resource]) -> bool {
    // Members are not nested further.
    let hooked = |r: &Resource| {
        hooks.contains_key(&r.kind) || r.members.iter().any(|m| hooks.contains_key(&m.kind))
    };
    !hooks.is_empty()
        && (template
            .resources
            .iter()
            .any(|d| hooks.contains_key(&d.kind) || d.kind == "OS::Heat::ResourceGroup")
            || previous.iter().any(hooked))
}

/// Deletes every resource (stack delete).
pub(super) fn delete_all(owner: &Owner<'_>, resources: &[Resource]) {
    resources
        .iter()
        .rev()
        .for_each(|r| notify_deleted(owner, r));
}

/// Every output's value (null when its condition fails); attributes are null unless `ready`.
pub(super) fn resolve_outputs(
    template: &Template,
    params: &Params,
    resources: &[Resource],
    ready: bool,
) -> Vec<Result<Value, String>> {
    let created: HashSet<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    let active: Vec<bool> = template
        .resources
        .iter()
        .map(|d| created.contains(d.name.as_str()))
        .collect();
    let scope = StackScope::new(template, &active, params, resources, ready);
    let env = env(template, &scope);
    template
        .outputs
        .iter()
        .map(|output| {
            let path = format!("outputs.{}.condition", output.key);
            match functions::enabled(output.condition.as_ref(), &path, &env) {
                Ok(true) => {}
                Ok(false) => return Ok(Value::Null),
                Err(error) => return Err(error.message()),
            }
            functions::resolve(&output.value, &env).map_err(|failure| match failure {
                Failure::Refused(error) => error.message(),
                Failure::Unresolved(message) => message,
            })
        })
        .collect()
}

fn build(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
    plan: &Plan,
) -> Result<Vec<Resource>, HeatError> {
    let previous: HashMap<&str, &Resource> =
        previous.iter().map(|r| (r.name.as_str(), r)).collect();
    let mut scope = StackScope::new(template, &plan.active, params, &[], true);
    let mut done: Vec<(usize, Resource)> = Vec::with_capacity(plan.order.len());
    // Group members count against Heat's limit too.
    let mut total = plan.order.len();
    for &i in &plan.order {
        let decl = &template.resources[i];
        let properties = functions::resolve(&decl.properties, &env(template, &scope))
            .map_err(|f| f.into_heat(&format!("resources.{}.properties", decl.name)))?;
        if decl.kind == "OS::Heat::ResourceGroup" {
            total += super::natives::group_count(&properties);
            if total > deps::MAX_RESOURCES {
                return Err(HeatError::bad_request(
                    "RequestLimitExceeded",
                    "Request limit exceeded: Maximum resources per stack exceeded.",
                ));
            }
        }
        let old = previous.get(decl.name.as_str()).copied();
        let resource = match old.filter(|o| o.kind == decl.kind && o.properties == properties) {
            Some(kept) => kept.clone(),
            None => {
                // A replacement: the old resource goes first, as the recorded collector saw it.
                if let Some(old) = old {
                    notify_deleted(owner, old);
                }
                create(owner, decl, properties, old.map_or(0, |o| o.generation + 1))
            }
        };
        scope.add(&resource);
        done.push((i, resource));
    }
    // Keep template order for display.
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, r)| r).collect())
}

fn create(owner: &Owner<'_>, decl: &ResourceDecl, properties: Value, generation: u32) -> Resource {
    let members = if decl.kind == "OS::Heat::ResourceGroup" {
        super::natives::group_members(&properties)
            .into_iter()
            .enumerate()
            .map(|(i, (kind, properties))| {
                let name = format!("{}-{i}", decl.name);
                let member = ResourceDecl {
                    name: name.clone(),
                    kind,
                    properties: Value::Null,
                    depends_on: Vec::new(),
                    condition: None,
                };
                instantiate(owner, &member, properties, generation, Vec::new())
            })
            .collect()
    } else {
        Vec::new()
    };
    instantiate(owner, decl, properties, generation, members)
}

fn instantiate(
    owner: &Owner<'_>,
    decl: &ResourceDecl,
    properties: Value,
    generation: u32,
    members: Vec<Resource>,
) -> Resource {
    let generated = ids::physical_id(owner.stack_id, &decl.name, generation);
    let physical_id =
        super::natives::physical_name(&decl.kind, owner.stack_name, &decl.name, &generated)
            .unwrap_or_else(|| attributes::physical_id(&decl.kind, &properties, generated));
    let table = attributes::table(&decl.kind, &physical_id, &properties, owner.world);
    let hooked = owner.hooks.get(&decl.kind).map_or_else(Map::new, |hook| {
        hook.created(&ResourceEvent {
            stack_id: owner.stack_id,
            stack_name: owner.stack_name,
            resource_name: &decl.name,
            resource_type: &decl.kind,
            physical_id: &physical_id,
            properties: &properties,
        })
    });
    Resource {
        name: decl.name.clone(),
        kind: decl.kind.clone(),
        physical_id,
        generation,
        properties,
        hooked,
        table,
        members,
    }
}

fn notify_deleted(owner: &Owner<'_>, resource: &Resource) {
    resource
        .members
        .iter()
        .for_each(|m| notify_deleted(owner, m));
    if let Some(hook) = owner.hooks.get(&resource.kind) {
        hook.deleted(&ResourceEvent {
            stack_id: owner.stack_id,
            stack_name: owner.stack_name,
            resource_name: &resource.name,
            resource_type: &resource.kind,
            physical_id: &resource.physical_id,
            properties: &resource.properties,
        });
    }
}
