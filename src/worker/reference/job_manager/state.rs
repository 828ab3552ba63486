//! What a `/config` change means (ESI-SPEC §2.2, §2.3) and the values the job manager writes
//! besides jobs: `READ_COMPLETE` states and the `/esi-worker/config` mirror.

use serde_json::{Value, json};

use crate::encoding::python_json;
pub(crate) use crate::worker::reference::action::Action;

/// What is known about a resource when one of its config versions arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Situation {
    /// The new config version.
    pub(crate) version: u64,
    /// `marked_for_deletion`.
    pub(crate) marked: bool,
    /// The `/state` version, if a state exists.
    pub(crate) state_version: Option<u64>,
    /// The version of the newest unfinished job of this resource, if any.
    pub(crate) pending_version: Option<u64>,
}

/// The action for a workable resource's change, or `None` when it was already handled
/// (a state or an unfinished job at this version or later: a resync, a replayed event).
///
/// Observed: no state -> create; older state -> modify; marked -> logical_delete. Not
/// observed (ESI-SPEC §9.5), decided here: a change arriving while an earlier job of the
/// resource is unfinished is a modify of what that job will have built (and depends on it).
pub(crate) fn select_action(s: Situation) -> Option<Action> {
    let done = s.state_version.max(s.pending_version);
    if done.is_some_and(|v| v >= s.version) {
        return None;
    }
    Some(if s.marked {
        Action::LogicalDelete
    } else if done.is_some() {
        Action::Modify
    } else {
        Action::Create
    })
}

/// The `/state` value of a non-workable resource (PY-S).
pub(crate) fn read_complete(version: u64) -> String {
    python_json(
        &json!({"error": "", "state": {"worker_state": "READ_COMPLETE"}, "version": version}),
        true,
    )
}

/// The `/state` value of a workable resource whose job could not be built (a mapping that
/// does not parse or evaluate): what the heat worker writes for a job Heat never answered,
/// `<CREATE|MODIFY|DELETE>_FAILED` with the reason in `error` and no outputs (PY-S).
pub(crate) fn failed(action: Action, version: u64, error: &str) -> String {
    python_json(
        &json!({
            "error": error,
            "state": {
                "heat_outputs": "[]",
                "orchestration_state": format!("{}_FAILED", action.heat_word()),
                "worker_state": format!("{}_FAILED", action.state_word()),
            },
            "version": version,
        }),
        true,
    )
}

/// The `/esi-worker/config` mirror value (PY-S, ESI-SPEC §1.4).
pub(crate) fn mirror(body: &Value, deleted: bool, version: u64) -> String {
    python_json(
        &json!({"body": body, "deleted": deleted, "version": version}),
        true,
    )
}

/// The `version` of a `/state` or mirror value, if it parses.
pub(crate) fn version_of(raw: &[u8]) -> Option<u64> {
    serde_json::from_slice::<Value>(raw)
        .ok()?
        .get("version")?
        .as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn situation(marked: bool, state: Option<u64>, pending: Option<u64>) -> Situation {
        Situation {
            version: 3,
            marked,
            state_version: state,
            pending_version: pending,
        }
    }

    #[test]
    fn actions_follow_state_marks_and_pending_jobs() {
        assert_eq!(
            select_action(situation(false, None, None)),
            Some(Action::Create)
        );
        assert_eq!(
            select_action(situation(false, Some(2), None)),
            Some(Action::Modify)
        );
        assert_eq!(
            select_action(situation(true, Some(2), None)),
            Some(Action::LogicalDelete)
        );
        assert_eq!(
            select_action(situation(false, None, Some(1))),
            Some(Action::Modify)
        );
        assert_eq!(select_action(situation(false, Some(3), None)), None);
        assert_eq!(select_action(situation(false, Some(1), Some(3))), None);
    }

    #[test]
    fn values_are_written_as_the_recorded_worker_did() {
        assert_eq!(
            read_complete(2),
            r#"{"error": "", "state": {"worker_state": "READ_COMPLETE"}, "version": 2}"#
        );
        assert_eq!(
            mirror(&json!({"b": 1, "a": "x"}), false, 1),
            r#"{"body": {"a": "x", "b": 1}, "deleted": false, "version": 1}"#
        );
        assert_eq!(version_of(br#"{"version": 5}"#), Some(5));
        assert_eq!(
            failed(Action::Modify, 2, "unsupported mapping \"Xy\""),
            r#"{"error": "unsupported mapping \"Xy\"", "state": {"heat_outputs": "[]", "orchestration_state": "UPDATE_FAILED", "worker_state": "MODIFY_FAILED"}, "version": 2}"#
        );
    }
}
