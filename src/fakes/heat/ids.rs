//! Deterministic ids (UUIDv5) and Heat's timestamps.

use std::time::SystemTime;

use uuid::Uuid;

/// The namespace of every id the fake makes.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://heatbed.invalid/fake-heat")
}

fn v5(name: &str) -> String {
    Uuid::new_v5(&namespace(), name.as_bytes()).to_string()
}

/// The id of the `nth` stack (0-based) created with `name` in `project`.
pub(super) fn stack_id(project: &str, name: &str, nth: usize) -> String {
    v5(&format!("stack/{project}/{name}/{nth}"))
}

/// The physical id of generation `generation` of a resource.
pub(super) fn physical_id(stack_id: &str, resource: &str, generation: u32) -> String {
    v5(&format!("resource/{stack_id}/{resource}/{generation}"))
}

/// The id of a stack's `seq`th event.
pub(super) fn event_id(stack_id: &str, seq: usize) -> String {
    v5(&format!("event/{stack_id}/{seq}"))
}

/// Now, as Heat prints times: `2018-02-19T05:22:00Z`.
pub(super) fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_and_distinct() {
        assert_eq!(stack_id("p", "s", 0), stack_id("p", "s", 0));
        assert_ne!(stack_id("p", "s", 0), stack_id("p", "s", 1));
        assert_ne!(physical_id("a", "r", 0), physical_id("a", "r", 1));
        assert_eq!(physical_id("a", "r", 0).len(), 36);
    }

    #[test]
    fn now_has_heat_format() {
        let now = now();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z'));
    }
}
