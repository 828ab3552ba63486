//! What functions see of a stack ([`StackScope`]): its parameters and its active resources
//! (a resource whose `condition` fails does not exist), created ones by name.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use super::attributes::{self, World};
use super::errors::HeatError;
use super::functions::Scope;
use super::resources::Resource;
use super::template::{Params, ResourceDecl, Template};

pub(super) struct StackScope<'a> {
    params: &'a Params,
    declared: HashMap<&'a str, &'a ResourceDecl>,
    created: HashMap<String, Cow<'a, Resource>>,
    ready: bool,
}

impl<'a> StackScope<'a> {
    /// `active[i]`: whether the template's `i`th resource exists. Attributes read null
    /// unless `ready`.
    pub(super) fn new(
        template: &'a Template,
        active: &[bool],
        params: &'a Params,
        resources: &'a [Resource],
        ready: bool,
    ) -> Self {
        StackScope {
            params,
            declared: template
                .resources
                .iter()
                .zip(active)
                .filter(|(_, on)| **on)
                .map(|(d, _)| (d.name.as_str(), d))
                .collect(),
            created: resources
                .iter()
                .map(|r| (r.name.clone(), Cow::Borrowed(r)))
                .collect(),
            ready,
        }
    }

    /// A resource created since.
    pub(super) fn add(&mut self, resource: &Resource) {
        self.created
            .insert(resource.name.clone(), Cow::Owned(resource.clone()));
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
            |r| {
                super::natives::reference(&r.kind, &r.table)
                    .unwrap_or_else(|| Value::String(r.physical_id.clone()))
            },
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
        let view = r.view();
        let Some(attribute) = attribute else {
            return Ok(view.all());
        };
        view.get(attribute, path).ok_or_else(|| {
            HeatError::bad_request(
                "InvalidTemplateAttribute",
                format!("The Referenced Attribute ({resource} {attribute}) is incorrect."),
            )
        })
    }
}
