//! Which heat template a resource uses: its Gohan schema's `metadata.template_path` mapping
//! (ESI-SPEC §3.2) evaluated against the resource's `/config` body.
//!
//! Both components ask: the job manager to tell workable resources from the others and to pick
//! the `parameter_mappings` that build a job, the heat worker to re-resolve the template of a
//! job from its `resource_type` and `resource_input` ("Template id … resolved from mapping"),
//! as the recorded worker did, since the job object does not name its template. One table (the
//! embedded schemas) and one evaluator (the mapping language) serve both.

use serde_json::Value;

use super::job_manager::{Context, Mapping, MappingError, ResourceKey, Resources, Schemas};

/// The template id of a resource of type `ctx.type_` with body `ctx.body`; `Ok(None)` for a
/// non-workable one. A schema's `template_path` decides (no string: non-workable, like a port
/// whose `device_owner` is `network:dhcp`). A type with no `template_path` — no embedded
/// schema, or a schema without one (`common_function`) — uses the template of its own name
/// when `paired` (a heat template of that name is loaded), as `template_path: "C<type>"`
/// would, and is non-workable otherwise.
pub(crate) fn template_id(ctx: &Context<'_>, paired: bool) -> Result<Option<String>, MappingError> {
    let raw = Schemas::recorded()
        .by_type(ctx.type_)
        .and_then(|schema| schema.template_path.as_ref());
    let Some(raw) = raw else {
        return Ok(paired.then(|| ctx.type_.to_string()));
    };
    let evaluated = Mapping::parse(raw)?.eval(ctx)?;
    Ok(evaluated.value.as_str().map(str::to_string))
}

/// No other resources: for a caller that has only the resource itself (the heat worker). The
/// recorded `template_path` mappings read nothing but the resource's own body; one that hopped
/// to another resource would fail to evaluate as "not found".
pub(super) struct NoResources;

impl Resources for NoResources {
    fn body(&self, _: &ResourceKey) -> Option<&Value> {
        None
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn resolve(type_: &str, body: Value) -> Option<String> {
        let ctx = Context {
            type_,
            body: &body,
            version: 1,
            resources: &NoResources,
        };
        template_id(&ctx, true).expect("evaluates")
    }

    #[test]
    fn resolves_template_ids_as_recorded() {
        let port = |owner: &str| json!({"device_owner": owner});
        assert_eq!(resolve("port", port("")).as_deref(), Some("port"));
        assert_eq!(
            resolve("port", port("compute:nova")).as_deref(),
            Some("port")
        );
        assert_eq!(resolve("port", port("network:dhcp")), None);
        assert_eq!(
            resolve("load_balancer_interface", json!({})).as_deref(),
            Some("load_balancer_interface")
        );
        assert_eq!(
            resolve("static_route", json!({"service_type": "vpn"})).as_deref(),
            Some("static_route_vpn")
        );
        assert_eq!(
            resolve("firewall", json!({})).as_deref(),
            Some("firewall_config")
        );
        assert_eq!(
            resolve("local_subnet", json!({})).as_deref(),
            Some("ese_logical_port")
        );
    }

    #[test]
    fn types_without_a_template_path_use_a_loaded_template_of_their_name() {
        let body = json!({});
        let ctx = |type_| Context {
            type_,
            body: &body,
            version: 1,
            resources: &NoResources,
        };
        assert_eq!(
            template_id(&ctx("firewall_plan"), false).expect("evaluates"),
            None
        );
        assert_eq!(
            template_id(&ctx("common_function"), true)
                .expect("evaluates")
                .as_deref(),
            Some("common_function")
        );
    }

    #[test]
    fn a_type_without_schema_uses_its_own_template_when_paired() {
        assert_eq!(
            resolve("traffic_mirror", json!({})).as_deref(),
            Some("traffic_mirror")
        );
        let body = json!({});
        let ctx = Context {
            type_: "traffic_mirror",
            body: &body,
            version: 1,
            resources: &NoResources,
        };
        assert_eq!(template_id(&ctx, false).expect("evaluates"), None);
    }
}
