//! The fake Heat's `ESI::Monitoring::MonitoringTarget`: what heat-engine's plugin did with the
//! collector. Create registers a target with the resolved properties (heat-engine's
//! `POST /targets`); delete removes it (`DELETE /targets/<id>`), also when an update replaces
//! the resource (old deleted first, as recorded). Quick, in-memory work only: hooks run under
//! Heat's lock.
//!
//! The target takes the resource's physical id, which Heat makes deterministic per scenario,
//! so `get_resource` and the collector agree; `id`, `link` and `monitorer` come from the
//! collector's own view of the target.

use serde_json::{Map, Value};

use super::input::TargetInput;
use super::targets::Targets;
use super::views;
use crate::fakes::{ResourceEvent, ResourceHook};

/// The resource type this hook serves.
pub(in crate::fakes) const MONITORING_TARGET: &str = "ESI::Monitoring::MonitoringTarget";

/// The hook, over the collector's state.
pub(super) struct MonitoringTargetHook {
    pub(super) targets: Targets,
}

impl ResourceHook for MonitoringTargetHook {
    fn created(&self, resource: &ResourceEvent<'_>) -> Map<String, Value> {
        // Properties that are not an object: Heat let them through, so keep a blank target
        // rather than fail (a hook cannot fail).
        let input = TargetInput::parse(resource.properties, false).unwrap_or_default();
        let target = self.targets.create(input, Some(resource.physical_id));
        let view = views::target(&target, &self.targets.public_url());
        ["id", "link", "monitorer"]
            .into_iter()
            .filter_map(|k| view.get(k).map(|v| (k.to_string(), v.clone())))
            .collect()
    }

    fn deleted(&self, resource: &ResourceEvent<'_>) {
        self.targets.delete(resource.physical_id);
    }
}
