//! A stack's resources: created in dependency order with their properties resolved, kept,
//! replaced (next generation, new physical id) or deleted on update, and the [`Scope`] through
//! which properties and outputs read them.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::attributes::{self, Attributes, Hooks, ResourceEvent, World};
use super::deps;
use super::errors::HeatError;
use super::functions::{Scope, evaluate, validate};
use super::ids;
use super::template::{Params, ResourceDecl, Template};

/// A created resource.
#[derive(Debug, Clone)]
pub(super) struct Resource {
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) physical_id: String,
    pub(super) generation: u32,
    pub(super) properties: Value,
    hooked: Map<String, Value>,
    table: Map<String, Value>,
}

/// Who the resources belong to and what they can call.
pub(super) struct Owner<'a> {
    pub(super) stack_id: &'a str,
    pub(super) stack_name: &'a str,
    pub(super) hooks: &'a Hooks,
    pub(super) world: &'a World,
}

/// Checks that `template` can be realized with `params` the way Heat validates a stack
/// (dependencies, then each resource's properties, then the outputs), without calling any hook:
/// run before [`realize`] so a template error leaves no trace in other fakes.
pub(super) fn check(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
) -> Result<(), HeatError> {
    let order = validate_template(template, params)?;
    let hooks = Hooks::new();
    let dry = Owner {
        hooks: &hooks,
        ..*owner
    };
    build(&dry, template, params, previous, &order).map(drop)
}

/// Heat's template validation (also `POST /validate`): the dependency order, then each
/// resource's properties in that order, then the outputs. Returns the order.
pub(super) fn validate_template(
    template: &Template,
    params: &Params,
) -> Result<Vec<usize>, HeatError> {
    let order = deps::order(template)?;
    let scope = StackScope::new(template, params, &[], true);
    for &i in &order {
        let decl = &template.resources[i];
        let path = ["resources", decl.name.as_str(), "properties"];
        validate(&decl.properties, &path, &scope)?;
    }
    for output in &template.outputs {
        validate(
            &output.value,
            &["outputs", output.key.as_str(), "value"],
            &scope,
        )?;
    }
    Ok(order)
}

/// Brings the resources from `previous` to what `template` declares: unchanged ones are kept,
/// changed ones replaced (next generation), missing ones created, undeclared ones deleted.
pub(super) fn realize(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
) -> Result<Vec<Resource>, HeatError> {
    let resources = build(owner, template, params, previous, &deps::order(template)?)?;
    for old in previous {
        if !template.resources.iter().any(|d| d.name == old.name) {
            notify_deleted(owner, old);
        }
    }
    Ok(resources)
}

/// Deletes every resource (stack delete).
pub(super) fn delete_all(owner: &Owner<'_>, resources: &[Resource]) {
    resources
        .iter()
        .rev()
        .for_each(|r| notify_deleted(owner, r));
}

/// Evaluates `value` (an output) against the stack; attributes are null unless `ready`.
pub(super) fn resolve(
    value: &Value,
    template: &Template,
    params: &Params,
    resources: &[Resource],
    ready: bool,
) -> Result<Value, HeatError> {
    evaluate(
        value,
        &StackScope::new(template, params, resources, ready),
        template.modern,
    )
}

fn build(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
    order: &[usize],
) -> Result<Vec<Resource>, HeatError> {
    let previous: HashMap<&str, &Resource> =
        previous.iter().map(|r| (r.name.as_str(), r)).collect();
    let mut scope = StackScope::new(template, params, &[], true);
    let mut done: Vec<(usize, Resource)> = Vec::with_capacity(order.len());
    for &i in order {
        let decl = &template.resources[i];
        let properties = evaluate(&decl.properties, &scope, template.modern)?;
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
    let generated = ids::physical_id(owner.stack_id, &decl.name, generation);
    let physical_id = attributes::physical_id(&decl.kind, &properties, generated);
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
    }
}

fn notify_deleted(owner: &Owner<'_>, resource: &Resource) {
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

/// What functions see of a stack: its parameters and its resources (by name).
struct StackScope<'a> {
    params: &'a Params,
    declared: HashMap<&'a str, &'a ResourceDecl>,
    created: HashMap<String, Resource>,
    ready: bool,
}

impl<'a> StackScope<'a> {
    fn new(
        template: &'a Template,
        params: &'a Params,
        resources: &[Resource],
        ready: bool,
    ) -> Self {
        StackScope {
            params,
            declared: template
                .resources
                .iter()
                .map(|d| (d.name.as_str(), d))
                .collect(),
            created: resources
                .iter()
                .map(|r| (r.name.clone(), r.clone()))
                .collect(),
            ready,
        }
    }

    fn add(&mut self, resource: &Resource) {
        self.created.insert(resource.name.clone(), resource.clone());
    }
}

impl Scope for StackScope<'_> {
    fn param(&self, name: &str) -> Option<&Value> {
        self.params.typed.get(name)
    }

    fn has_resource(&self, name: &str) -> bool {
        self.declared.contains_key(name)
    }

    fn knows_attribute(&self, resource: &str, attribute: &str) -> bool {
        let Some(decl) = self.declared.get(resource) else {
            return false;
        };
        !attributes::is_modelled(&decl.kind)
            || decl.properties.get(attribute).is_some()
            || attributes::table(&decl.kind, "", &decl.properties, &World::default())
                .contains_key(attribute)
    }

    fn reference(&self, name: &str) -> Value {
        // Heat's FnGetRefId of a resource without a physical id is its name.
        self.created.get(name).map_or_else(
            || Value::String(name.into()),
            |r| Value::String(r.physical_id.clone()),
        )
    }

    fn attribute(
        &self,
        resource: &str,
        attribute: Option<&str>,
        path: &[Value],
    ) -> Result<Value, HeatError> {
        let Some(r) = self.created.get(resource).filter(|_| self.ready) else {
            return Ok(Value::Null);
        };
        let Some(attribute) = attribute else {
            return Ok(attributes::all(&r.hooked, &r.table, &r.properties));
        };
        let view = Attributes {
            kind: &r.kind,
            physical_id: &r.physical_id,
            hooked: &r.hooked,
            table: &r.table,
            properties: &r.properties,
        };
        view.get(attribute, path).ok_or_else(|| {
            HeatError::bad_request(
                "InvalidTemplateAttribute",
                format!("The Referenced Attribute ({resource} {attribute}) is incorrect."),
            )
        })
    }
}
