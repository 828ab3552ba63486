//! A job's action, as the job manager decides it and the heat worker carries it out.

/// What a job asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// No state yet: create the stack.
    Create,
    /// A state exists for an older version: update the stack.
    Modify,
    /// Gohan marked the resource for deletion: delete the stack; Gohan and the job manager
    /// remove the keys afterwards.
    LogicalDelete,
}

impl Action {
    /// The action as job ids and objects spell it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Modify => "modify",
            Action::LogicalDelete => "logical_delete",
        }
    }

    /// The action a job object names (`delete` read as `logical_delete`).
    pub(crate) fn parse(word: &str) -> Option<Action> {
        match word {
            "create" => Some(Action::Create),
            "modify" => Some(Action::Modify),
            "logical_delete" | "delete" => Some(Action::LogicalDelete),
            _ => None,
        }
    }

    /// The word of `/state.worker_state`: `CREATE`, `MODIFY`, `DELETE`.
    pub(crate) fn state_word(self) -> &'static str {
        match self {
            Action::Create => "CREATE",
            Action::Modify => "MODIFY",
            Action::LogicalDelete => "DELETE",
        }
    }

    /// The word of Heat's stack status for this action: `CREATE`, `UPDATE`, `DELETE`.
    pub(crate) fn heat_word(self) -> &'static str {
        match self {
            Action::Create => "CREATE",
            Action::Modify => "UPDATE",
            Action::LogicalDelete => "DELETE",
        }
    }
}
