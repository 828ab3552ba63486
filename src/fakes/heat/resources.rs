//! A stack's resources: created in dependency order with their properties resolved, kept,
//! replaced (next generation, new physical id) or deleted on update, and the [`Scope`] through
//! which properties and outputs read them.

use serde_json::{Map, Value};

use super::attributes::{self, Hooks, ResourceEvent, World};
use super::errors::HeatError;
use super::functions::{Scope, evaluate, references};
use super::ids;
use super::template::{Params, Template};

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

/// Checks that `template` can be realized with `params` and its outputs resolved, without
/// calling any hook: run before [`realize`] so a template error leaves no trace in other fakes.
pub(super) fn check(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
) -> Result<(), HeatError> {
    let hooks = Hooks::new();
    let dry = Owner {
        hooks: &hooks,
        ..*owner
    };
    let resources = build(&dry, template, params, previous, &order(template)?)?;
    for output in &template.outputs {
        resolve(&output.value, template, params, &resources, true)?;
    }
    Ok(())
}

/// Brings the resources from `previous` to what `template` declares: unchanged ones are kept,
/// changed ones replaced (next generation), missing ones created, undeclared ones deleted.
pub(super) fn realize(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
) -> Result<Vec<Resource>, HeatError> {
    let resources = build(owner, template, params, previous, &order(template)?)?;
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
    let scope = StackScope {
        template,
        params,
        resources,
        ready,
    };
    evaluate(value, &scope, template.modern)
}

fn build(
    owner: &Owner<'_>,
    template: &Template,
    params: &Params,
    previous: &[Resource],
    order: &[usize],
) -> Result<Vec<Resource>, HeatError> {
    let mut done: Vec<Resource> = Vec::new();
    for &i in order {
        let decl = &template.resources[i];
        let scope = StackScope {
            template,
            params,
            resources: &done,
            ready: true,
        };
        let properties = evaluate(&decl.properties, &scope, template.modern)?;
        let old = previous.iter().find(|r| r.name == decl.name);
        if let Some(old) = old.filter(|o| o.kind == decl.kind && o.properties == properties) {
            done.push(old.clone());
            continue;
        }
        // A replacement: the old resource goes first, as the recorded collector saw it.
        if let Some(old) = old {
            notify_deleted(owner, old);
        }
        let generation = old.map_or(0, |o| o.generation + 1);
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
        done.push(Resource {
            name: decl.name.clone(),
            kind: decl.kind.clone(),
            physical_id,
            generation,
            properties,
            hooked,
            table,
        });
    }
    // Keep template order for display.
    done.sort_by_key(|r| template.resources.iter().position(|d| d.name == r.name));
    Ok(done)
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

/// Template indexes in dependency order (template order among independent ones).
fn order(template: &Template) -> Result<Vec<usize>, HeatError> {
    let names: Vec<&str> = template.resources.iter().map(|r| r.name.as_str()).collect();
    let mut deps: Vec<Vec<usize>> = Vec::new();
    for decl in &template.resources {
        let mut refs = decl.depends_on.clone();
        references(&decl.properties, &mut refs);
        let mut mine = Vec::new();
        for r in refs {
            let Some(j) = names.iter().position(|n| *n == r) else {
                return Err(HeatError::bad_request(
                    "InvalidTemplateReference",
                    format!(
                        "The specified reference \"{r}\" (in {}) is incorrect.",
                        decl.name
                    ),
                ));
            };
            mine.push(j);
        }
        deps.push(mine);
    }
    let mut order: Vec<usize> = Vec::new();
    while order.len() < names.len() {
        let next = (0..names.len())
            .find(|i| !order.contains(i) && deps[*i].iter().all(|d| order.contains(d)));
        let Some(next) = next else {
            let stuck: Vec<&str> = (0..names.len())
                .filter(|i| !order.contains(i))
                .map(|i| names[i])
                .collect();
            return Err(HeatError::invalid(format!(
                "Circular Dependency Found: {}",
                stuck.join(", ")
            )));
        };
        order.push(next);
    }
    Ok(order)
}

struct StackScope<'a> {
    template: &'a Template,
    params: &'a Params,
    resources: &'a [Resource],
    ready: bool,
}

impl Scope for StackScope<'_> {
    fn param(&self, name: &str) -> Option<&Value> {
        self.params.typed.get(name)
    }

    fn has_resource(&self, name: &str) -> bool {
        self.template.resources.iter().any(|r| r.name == name)
    }

    fn reference(&self, name: &str) -> Value {
        // Heat's FnGetRefId of a resource without a physical id is its name.
        self.resources.iter().find(|r| r.name == name).map_or_else(
            || Value::String(name.into()),
            |r| Value::String(r.physical_id.clone()),
        )
    }

    fn attribute(&self, resource: &str, attribute: Option<&str>) -> Result<Value, HeatError> {
        let Some(r) = self.resources.iter().find(|r| r.name == resource) else {
            return Ok(Value::Null);
        };
        let Some(attribute) = attribute else {
            return Ok(if self.ready {
                attributes::all(&r.hooked, &r.table, &r.properties)
            } else {
                Value::Null
            });
        };
        match attributes::lookup(attribute, &r.hooked, &r.table, &r.properties) {
            Some(value) if self.ready => Ok(value),
            Some(_) => Ok(Value::Null),
            None => Err(HeatError::bad_request(
                "InvalidTemplateAttribute",
                format!("The Referenced Attribute ({resource} {attribute}) is incorrect."),
            )),
        }
    }
}
