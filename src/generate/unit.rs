//! One template's unit: the catalogue's plan for it (its resource and every resource its
//! mappings reach), with every related resource the worker will work on satisfied too. In a
//! generated flow many templates are loaded at once, so a related resource whose type resolves
//! to one of them gets a job (the catalogue's one-template scenarios leave it non-workable);
//! its own mappings must then evaluate as well.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::catalogue::{Plan, Template, resolve, route, satisfy_all, updated};
use crate::worker::rules::{Context, Mapping, ResourceKey, Resources};

/// How many rounds of satisfying newly reached related resources a unit may take.
const ROUNDS: usize = 8;

/// One resource of a unit.
#[derive(Debug, Clone)]
pub(crate) struct UnitResource {
    /// Its type (`port`).
    pub(crate) type_: String,
    /// `v2.0/ports`.
    pub(crate) path: String,
    /// Its id in the unit (renamed per instance).
    pub(crate) id: String,
    /// The body Gohan creates.
    pub(crate) body: Value,
    /// The body of an update.
    pub(crate) updated: Value,
    /// The template the worker resolves for it; `None`: non-workable.
    pub(crate) template: Option<String>,
}

/// The resources of one template's unit, in creation order; the template's own resource last.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The template id.
    pub(crate) template: String,
    /// Referenced resources first.
    pub(crate) resources: Vec<UnitResource>,
}

/// The unit of `template`; `Err` says why the template cannot take part in a generated flow.
pub(crate) fn unit(template: &Template, catalogue: &[Template]) -> Result<Unit, String> {
    let routed = route(&template.id)?;
    let mut plan = Plan::new(&template.id, &routed.type_);
    for (field, value) in &routed.fields {
        plan.set(&routed.type_, field, || value.clone());
    }
    satisfy_all(&mut plan, template, catalogue)?;
    let find = |id: Option<String>| id.and_then(|id| catalogue.iter().find(|t| t.id == id));
    let paired = |type_: &str| catalogue.iter().any(|t| t.id == type_);
    let mut satisfied: BTreeSet<String> = plan.stacks.clone();
    for _ in 0..ROUNDS {
        let pending: Vec<(String, &Template)> = plan
            .resources
            .keys()
            .filter(|t| !satisfied.contains(*t))
            .filter_map(|t| Some((t.clone(), find(resolve(&plan, t, paired(t)))?)))
            .collect();
        if pending.is_empty() {
            break;
        }
        for (type_, t) in pending {
            plan.satisfy(&type_, t);
            satisfied.insert(type_);
        }
    }
    let mut resources = vec![];
    let mut created = Created {
        plan: &plan,
        types: BTreeSet::new(),
    };
    for type_ in plan.order() {
        let r = &plan.resources[&type_];
        let resolved = find(resolve(&plan, &type_, paired(&type_)));
        if type_ == plan.main && resolved.is_none_or(|t| t.id != template.id) {
            return Err(format!("its {type_} resolves to another template"));
        }
        created.types.insert(type_.clone());
        if let Some(t) = resolved {
            evaluates(&created, &type_, t)?;
        }
        resources.push(UnitResource {
            type_: type_.clone(),
            path: r.path.clone(),
            id: r.id.clone(),
            body: r.body.clone(),
            updated: updated(&type_, &r.body),
            template: resolved.map(|t| t.id.clone()),
        });
    }
    Ok(Unit {
        template: template.id.clone(),
        resources,
    })
}

/// The resources Gohan created so far, as the job manager sees them when it builds a job.
struct Created<'p> {
    plan: &'p Plan,
    types: BTreeSet<String>,
}

impl Resources for Created<'_> {
    fn body(&self, key: &ResourceKey) -> Option<&Value> {
        self.types
            .contains(&key.type_)
            .then(|| self.plan.body(key))
            .flatten()
    }
}

/// Every mapping of `template` evaluates for the planned resource of `type_` when it is
/// created (a resource its mappings reach created later, as in a reference cycle, fails the
/// job), as the job manager evaluates them to build its job.
fn evaluates(created: &Created<'_>, type_: &str, template: &Template) -> Result<(), String> {
    let ctx = Context {
        type_,
        body: &created.plan.resources[type_].body,
        version: 1,
        resources: created,
    };
    for (name, raw) in template.mappings() {
        Mapping::parse(&raw)
            .and_then(|m| m.eval(&ctx))
            .map_err(|e| format!("its {type_}'s mapping {name} of {}: {e}", template.id))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::catalogue::{DEFAULT_DIR, load_dir};

    #[test]
    fn a_unit_creates_what_each_job_reads_before_it_and_refuses_cycles() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_DIR);
        let catalogue = load_dir(&dir).expect("the catalogue loads");
        let mut refused = vec![];
        for template in &catalogue {
            match unit(template, &catalogue) {
                Ok(u) => {
                    let main = u.resources.last().expect("a resource");
                    assert_eq!(main.template.as_deref(), Some(template.id.as_str()));
                }
                Err(why) => refused.push(format!("{}: {why}", template.id)),
            }
        }
        eprintln!("{refused:#?}");
        assert!(refused.len() <= 5, "{refused:#?}");
    }
}
