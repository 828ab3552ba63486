//! The synthetic Gohan resources of one template's scenario: the resource the template is for
//! (routed to it by its schema's `template_path`, or paired by its name), and every resource
//! its `parameter_mappings` reach. Fields are filled where a mapping reads them; a path hop
//! creates the related resource (one per type) and points the foreign key at it; an
//! `output_key` makes the related resource workable (its stack's outputs are read), so its
//! own template's mappings are satisfied too. `if_mapping`s take the branch the real
//! evaluator takes on the bodies built so far.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::Template;
use super::values::{Hint, property, synthesize, uuid};
use crate::worker::rules::{Context, Hop, Mapping, ResourceKey, Resources, Schemas, plural};

/// The tenant every synthetic resource belongs to: the fake Heat's default project.
pub(crate) const TENANT: &str = "fe3a4a1a72c04479bb6c19c2c0ccba4c";

/// One synthetic resource.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    /// Its id (UUIDv5 of the template and type).
    pub(crate) id: String,
    /// `v2.0/ports`: `/config/<path>/<id>`.
    pub(crate) path: String,
    /// The body Gohan stores.
    pub(crate) body: Value,
}

/// The resources of one scenario, one per type.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// The type of the resource the template is for.
    pub(crate) main: String,
    /// By type.
    pub(crate) resources: BTreeMap<String, Planned>,
    /// Types whose resource gets a stack: the main one and every `output_key` target.
    pub(crate) stacks: BTreeSet<String>,
    /// Type -> the types its body points at (creation order: referenced first).
    refs: BTreeMap<String, BTreeSet<String>>,
    /// What could not be satisfied, for the report.
    pub(crate) problems: Vec<String>,
    seed: String,
}

impl Resources for Plan {
    fn body(&self, key: &ResourceKey) -> Option<&Value> {
        self.resources
            .get(&key.type_)
            .filter(|r| r.id == key.id)
            .map(|r| &r.body)
    }
}

/// Where a mapping reads: a resource, or one element of a `for_field` list.
enum Site<'a> {
    Resource(String),
    Element {
        owner: String,
        value: &'a mut Value,
        items: Option<&'static Value>,
    },
}

impl Plan {
    /// An empty plan for `template`'s scenario, whose main resource is of `type_`.
    pub(crate) fn new(template: &str, type_: &str) -> Plan {
        let mut plan = Plan {
            main: type_.to_string(),
            seed: format!("heatbed:catalogue:{template}"),
            ..Plan::default()
        };
        plan.ensure(type_);
        plan.stacks.insert(type_.to_string());
        plan
    }

    /// The resource of `type_`, created (id, tenant) if new.
    pub(crate) fn ensure(&mut self, type_: &str) -> &mut Planned {
        let seed = format!("{}:{type_}", self.seed);
        self.resources.entry(type_.to_string()).or_insert_with(|| {
            let id = uuid(&seed);
            let path = Schemas::recorded()
                .by_type(type_)
                .map(|s| s.path.clone())
                .unwrap_or_else(|| format!("v2.0/{}", plural(type_)));
            let mut body = Map::new();
            body.insert("id".into(), Value::String(id.clone()));
            body.insert("tenant_id".into(), Value::String(TENANT.into()));
            Planned {
                id,
                path,
                body: Value::Object(body),
            }
        })
    }

    /// Sets `field` of `type_`'s resource unless it holds a value already.
    pub(crate) fn set(&mut self, type_: &str, field: &str, value: impl FnOnce() -> Value) {
        let body = &mut self.ensure(type_).body;
        if let Value::Object(o) = body
            && o.get(field).is_none_or(Value::is_null)
        {
            o.insert(field.to_string(), value());
        }
    }

    /// Types in creation order: every resource after the ones it points at, the main last.
    pub(crate) fn order(&self) -> Vec<String> {
        let mut out = vec![];
        let mut stack = vec![(self.main.clone(), false)];
        let mut seen = BTreeSet::new();
        while let Some((type_, expanded)) = stack.pop() {
            if expanded {
                out.push(type_);
                continue;
            }
            if !seen.insert(type_.clone()) {
                continue;
            }
            stack.push((type_.clone(), true));
            for next in self.refs.get(&type_).into_iter().flatten().rev() {
                stack.push((next.clone(), false));
            }
        }
        out
    }

    /// Satisfies every mapping of `template` for the resource of `type_`.
    pub(crate) fn satisfy(&mut self, type_: &str, template: &Template) {
        let hints = super::hot::parameter_types(template.template_file());
        for (name, raw) in template.mappings() {
            let Ok(mapping) = Mapping::parse(&raw) else {
                continue;
            };
            let hint = hints.get(&name).copied().unwrap_or(Hint::Any);
            self.demand(&mut Site::Resource(type_.to_string()), &mapping, hint);
        }
    }

    fn demand(&mut self, site: &mut Site<'_>, mapping: &Mapping, hint: Hint) {
        match mapping {
            Mapping::Field { field, path, .. } => {
                if let Some(mut end) = self.walk(site, path) {
                    self.fill(&mut end, field, hint);
                }
            }
            Mapping::OutputKey { path, .. } => {
                if let Some(Site::Resource(end)) = self.walk(site, path) {
                    self.stacks.insert(end);
                }
            }
            Mapping::Member { field, keys } => self.member(site, field, keys, hint),
            Mapping::Concat(parts) => {
                for part in parts {
                    self.demand(site, part, Hint::String);
                }
            }
            Mapping::If {
                test,
                left,
                right,
                then,
                otherwise,
            } => {
                self.demand(site, left, Hint::Any);
                self.demand(site, right, Hint::Any);
                let holds = {
                    let (type_, body) = self.site_body(site);
                    let ctx = Context {
                        type_: &type_,
                        body: &body,
                        version: 1,
                        resources: self,
                    };
                    test.holds(left, right, &ctx).unwrap_or(false)
                };
                self.demand(site, if holds { then } else { otherwise }, hint);
            }
            Mapping::For { field, each } => self.each(site, field, each),
            Mapping::Constant(_) | Mapping::Version | Mapping::Unsupported(_) => {}
        }
    }

    /// `for_field`: the list gets one element that satisfies `each`.
    fn each(&mut self, site: &mut Site<'_>, field: &Mapping, each: &Mapping) {
        let Mapping::Field { field, path, .. } = field else {
            return self.demand(site, field, Hint::Any);
        };
        let owner = self.site_type(site);
        let Some(end) = self.walk(site, path) else {
            return;
        };
        let end_type = self.site_type(&end);
        let items = property(&end_type, field).and_then(|p| p.get("items"));
        let seed = format!("{}:{end_type}:{field}:0", self.seed);
        // The list's first element (made now if the list is missing or empty) satisfies `each`.
        let mut list = match &end {
            Site::Resource(t) => self.resources[t].body.get(field).cloned(),
            Site::Element { value, .. } => value.get(field).cloned(),
        }
        .and_then(|l| l.as_array().cloned())
        .unwrap_or_default();
        if list.is_empty() {
            list.push(match items {
                Some(items) if items["type"] == "object" => {
                    synthesize(Some(items), Hint::Any, field, &seed)
                }
                _ => Value::Object(Map::new()),
            });
        }
        let mut inner = Site::Element {
            owner,
            value: &mut list[0],
            items,
        };
        self.demand(&mut inner, each, Hint::Any);
        let list = Value::Array(list);
        match end {
            Site::Resource(t) => {
                if let Value::Object(o) = &mut self.ensure(&t).body {
                    o.insert(field.clone(), list);
                }
            }
            Site::Element { value, .. } => {
                if let Value::Object(o) = value {
                    o.insert(field.clone(), list);
                }
            }
        }
    }

    /// Follows `path` from `site`, creating related resources and foreign keys; the site at
    /// the end.
    fn walk<'s>(&mut self, site: &'s mut Site<'_>, path: &[Hop]) -> Option<Site<'s>> {
        let Some((first, rest)) = path.split_first() else {
            return Some(match site {
                Site::Resource(t) => Site::Resource(t.clone()),
                Site::Element {
                    owner,
                    value,
                    items,
                } => Site::Element {
                    owner: owner.clone(),
                    value,
                    items: *items,
                },
            });
        };
        let mut current = self.hop(site, first)?;
        for hop in rest {
            current = self.hop(&mut Site::Resource(current), hop)?;
        }
        Some(Site::Resource(current))
    }

    /// One hop: the related type, its resource, and the foreign key pointing at it.
    fn hop(&mut self, site: &mut Site<'_>, hop: &Hop) -> Option<String> {
        let from = self.site_type(site);
        let (to, field) = match hop {
            Hop::Relation(field) => match Schemas::recorded().relation(&from, field) {
                Some(to) => (to.to_string(), field.clone()),
                None => {
                    self.problems
                        .push(format!("no relation for field {field:?} of {from}"));
                    return None;
                }
            },
            Hop::Typed { type_, field } => (type_.clone(), field.clone()),
        };
        let id = Value::String(self.ensure(&to).id.clone());
        // The key points at the planned resource, unless an earlier hop made it point at
        // another planned one (two branches using one field).
        let ids: BTreeSet<String> = self.resources.values().map(|r| r.id.clone()).collect();
        let planned =
            |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|v| ids.contains(v));
        let owner = self.site_type(site);
        match site {
            Site::Resource(_) => {
                if let Value::Object(o) = &mut self.ensure(&owner).body
                    && !planned(o.get(&field))
                {
                    o.insert(field, id);
                }
            }
            Site::Element { value, .. } => {
                if field.is_empty() {
                    **value = id;
                } else if let Value::Object(o) = value
                    && !planned(o.get(&field))
                {
                    o.insert(field, id);
                }
            }
        }
        self.refs.entry(owner).or_default().insert(to.clone());
        Some(to)
    }

    /// Sets a field the mapping reads, unless set: a foreign key points at a resource.
    fn fill(&mut self, site: &mut Site<'_>, field: &str, hint: Hint) {
        let type_ = self.site_type(site);
        if let Site::Resource(t) = site
            && Schemas::recorded().relation(t, field).is_some()
        {
            let t = t.clone();
            self.hop(&mut Site::Resource(t), &Hop::Relation(field.to_string()));
            return;
        }
        let seed = format!("{}:{type_}:{field}", self.seed);
        match site {
            Site::Resource(t) => {
                let t = t.clone();
                self.set(&t, field, || {
                    synthesize(property(&t, field), hint, field, &seed)
                });
            }
            Site::Element { value, items, .. } => {
                let p = items.and_then(|i| i["properties"].get(field));
                if let Value::Object(o) = value {
                    o.entry(field)
                        .or_insert_with(|| synthesize(p, hint, field, &seed));
                }
            }
        }
    }

    /// `O<field>:<key>…`: the nested member exists.
    fn member(&mut self, site: &mut Site<'_>, field: &str, keys: &[String], hint: Hint) {
        let Site::Resource(type_) = site else {
            return;
        };
        let type_ = type_.clone();
        let seed = format!("{}:{type_}:{field}", self.seed);
        let mut prop = property(&type_, field);
        self.set(&type_, field, || Value::Object(Map::new()));
        let body = &mut self.ensure(&type_).body;
        let mut at = &mut body[field];
        for (n, key) in keys.iter().enumerate() {
            prop = prop.and_then(|p| p["properties"].get(key));
            if !at.is_object() {
                return;
            }
            let last = n + 1 == keys.len();
            let slot = &mut at[key.as_str()];
            if slot.is_null() {
                *slot = if last {
                    synthesize(prop, hint, key, &seed)
                } else {
                    Value::Object(Map::new())
                };
            }
            at = slot;
        }
    }

    fn site_type(&self, site: &Site<'_>) -> String {
        match site {
            Site::Resource(t) => t.clone(),
            Site::Element { owner, .. } => owner.clone(),
        }
    }

    fn site_body(&self, site: &Site<'_>) -> (String, Value) {
        match site {
            Site::Resource(t) => (t.clone(), self.resources[t].body.clone()),
            Site::Element { owner, value, .. } => (owner.clone(), (**value).clone()),
        }
    }
}
