//! One stack's state and its status machine.
//!
//! An operation (create, update, delete) starts `*_IN_PROGRESS` and completes on a later
//! *read* of the stack (show, list, events): it stays in progress for the first `reads` reads
//! and the next one sees it `*_COMPLETE` (or `*_FAILED` when the scenario says so). Time never
//! moves it: there are no timers and no sleeps. A [`Hold`] stops the count: reads while it is
//! not lifted leave the operation in progress and do not count.

use serde_json::Value;

use super::hold::Hold;
use super::resources::Resource;
use super::template::{Params, Template};

/// What a stack is doing or did last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    pub(super) fn word(self) -> &'static str {
        match self {
            Action::Create => "CREATE",
            Action::Update => "UPDATE",
            Action::Delete => "DELETE",
        }
    }
}

/// How far the action got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    InProgress,
    Complete,
    Failed,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::InProgress => "IN_PROGRESS",
            Status::Complete => "COMPLETE",
            Status::Failed => "FAILED",
        }
    }
}

/// How a running operation will end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    Complete,
    /// Fails with this `stack_status_reason`.
    Fail(String),
}

/// A stack-level event, as `openstack stack event list` and `--wait` read them.
#[derive(Debug, Clone)]
pub(super) struct Event {
    pub(super) id: String,
    pub(super) time: String,
    pub(super) status: String,
    pub(super) reason: String,
}

/// One stack, live or soft-deleted.
#[derive(Debug, Clone)]
pub(super) struct Stack {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) template: Template,
    /// The parameters as given (for update's `existing`).
    pub(super) given: serde_json::Map<String, Value>,
    pub(super) params: Params,
    pub(super) timeout_mins: Option<i64>,
    pub(super) disable_rollback: bool,
    pub(super) tags: Option<Vec<String>>,
    pub(super) created: String,
    pub(super) updated: Option<String>,
    pub(super) deleted: Option<String>,
    pub(super) action: Action,
    pub(super) status: Status,
    pub(super) reason: String,
    pub(super) resources: Vec<Resource>,
    pub(super) events: Vec<Event>,
    /// Creates and updates so far: 1 while the create runs, 2 after the first update, ...
    pub(super) operations: u32,
    pending: Option<Pending>,
}

/// The operation under way: reads left in progress, how it ends, what holds it.
#[derive(Debug, Clone)]
struct Pending {
    reads: u32,
    outcome: Outcome,
    hold: Option<Hold>,
}

/// How an operation runs: reads in progress, its outcome, and a hold on it, if any.
pub(super) struct Run {
    pub(super) reads: u32,
    pub(super) outcome: Outcome,
    pub(super) hold: Option<Hold>,
}

/// Everything a new stack starts with.
pub(super) struct NewStack {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) template: Template,
    pub(super) given: serde_json::Map<String, Value>,
    pub(super) params: Params,
    pub(super) timeout_mins: Option<i64>,
    pub(super) disable_rollback: bool,
    pub(super) tags: Option<Vec<String>>,
    pub(super) now: String,
}

impl Stack {
    /// A stack whose create has just started.
    pub(super) fn new(new: NewStack) -> Stack {
        Stack {
            id: new.id,
            name: new.name,
            template: new.template,
            given: new.given,
            params: new.params,
            timeout_mins: new.timeout_mins,
            disable_rollback: new.disable_rollback,
            tags: new.tags,
            created: new.now,
            updated: None,
            deleted: None,
            action: Action::Create,
            status: Status::InProgress,
            reason: String::new(),
            resources: Vec::new(),
            events: Vec::new(),
            operations: 0,
            pending: None,
        }
    }

    /// `CREATE_COMPLETE` and the like.
    pub(super) fn stack_status(&self) -> String {
        format!("{}_{}", self.action.word(), self.status.word())
    }

    /// Soft-deleted: readable by id only.
    pub(super) fn is_deleted(&self) -> bool {
        self.action == Action::Delete && self.status == Status::Complete
    }

    /// The generation `action` runs as: creates and updates start a new one.
    pub(super) fn generation_of(&self, action: Action) -> u32 {
        match action {
            Action::Delete => self.operations,
            Action::Create | Action::Update => self.operations.saturating_add(1),
        }
    }

    /// The keys the running operation still waits for (empty when nothing holds it).
    pub(super) fn held_for(&self) -> Vec<String> {
        match self.pending.as_ref().and_then(|p| p.hold.as_ref()) {
            Some(hold) => hold
                .written
                .missing(&hold.keys)
                .into_iter()
                .map(Into::into)
                .collect(),
            None => Vec::new(),
        }
    }

    /// Starts `action`: held while `run.hold` is not lifted, then in progress for `run.reads`
    /// reads, then `run.outcome`.
    pub(super) fn start(&mut self, action: Action, run: Run, now: &str) {
        self.action = action;
        if action != Action::Delete {
            self.operations += 1;
        }
        self.status = Status::InProgress;
        self.reason = format!("Stack {} started", action.word());
        if action != Action::Create {
            self.updated = Some(now.to_string());
        }
        self.event(now);
        let lifted = run.hold.as_ref().is_none_or(Hold::lifted);
        let reads = run.reads;
        self.pending = Some(Pending {
            reads,
            outcome: run.outcome,
            hold: run.hold,
        });
        if reads == 0 && lifted {
            self.finish(now);
        }
    }

    /// One read of the stack: the operation moves on, and completes once its reads are used up.
    /// Returns whether it completed with this read.
    pub(super) fn observe(&mut self, now: &str) -> bool {
        match &mut self.pending {
            Some(Pending { hold: Some(h), .. }) if !h.lifted() => false,
            Some(Pending { reads: 0, .. }) => {
                self.finish(now);
                true
            }
            Some(Pending { reads, .. }) => {
                *reads -= 1;
                false
            }
            None => false,
        }
    }

    fn finish(&mut self, now: &str) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        match pending.outcome {
            Outcome::Complete => {
                self.status = Status::Complete;
                self.reason = match self.action {
                    Action::Update => "Stack successfully updated".into(),
                    action => format!("Stack {} completed successfully", action.word()),
                };
                if self.action == Action::Delete {
                    self.deleted = Some(now.to_string());
                }
            }
            Outcome::Fail(reason) => {
                self.status = Status::Failed;
                self.reason = reason;
            }
        }
        self.event(now);
    }

    fn event(&mut self, now: &str) {
        let seq = self.events.len();
        self.events.push(Event {
            id: super::ids::event_id(&self.id, seq),
            time: now.to_string(),
            status: self.stack_status(),
            reason: self.reason.clone(),
        });
    }
}

#[cfg(test)]
mod tests;
