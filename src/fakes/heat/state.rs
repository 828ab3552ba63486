//! The fake's state: stacks (live and soft-deleted), the journal, the scenario's rules and
//! what is left of their counted effects.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use super::attributes::{Hooks, World};
use super::errors::HeatError;
use super::hold::{HeldStack, Hold, Written};
use super::journal::HeatCall;
use super::resources::Owner;
use super::stack::{Action, Outcome, Run, Stack};
use super::views::Site;
use crate::scenario::{HeatSpec, StackAction, StackRule};

/// Everything the fake Heat knows.
pub(super) struct HeatState {
    pub(super) spec: HeatSpec,
    pub(super) world: World,
    pub(super) hooks: Hooks,
    /// `http://127.0.0.1:PORT`.
    pub(super) uri: String,
    /// Every stack ever created, in creation order (never removed: a deleted one stays,
    /// soft-deleted), so a [`StackHandle`] always names one. Added through [`HeatState::add`].
    stacks: Vec<Stack>,
    /// Index of each stack by id, and of the stacks of each name: a lookup is then not a
    /// scan of every stack ever created (at 10,000 stacks the scans under the state's lock
    /// were the fake's largest cost: `memcmp` 24% of a profile of a generated flow).
    by_id: HashMap<String, StackHandle>,
    by_name: HashMap<String, Vec<StackHandle>>,
    pub(super) journal: Vec<HeatCall>,
    /// Every template text parsed once, shared by the stacks made from it.
    pub(super) templates: super::template_cache::TemplateCache,
    /// What the hooks did while the current request is answered (see `journal::Noted`).
    pub(super) hook_log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// Per rule: HTTP errors still to answer.
    http_left: Vec<u32>,
    /// Per rule and failure: how many times it has failed an operation.
    failed: HashMap<(usize, usize), u32>,
    /// Stacks created so far per name (ids stay distinct when a name is reused).
    created: HashMap<String, usize>,
    /// The keys written to etcd that `hold_until` rules wait for.
    pub(super) written: Arc<Written>,
    /// The outage under way (fault steps).
    pub(super) outage: crate::fakes::outage::Window,
}

/// A stack of the fake: what [`HeatState::find`], [`HeatState::live`] and [`HeatState::at`]
/// hand the request handlers, and [`HeatState::stack`] takes back. Only the state makes one.
/// Ordered by creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct StackHandle(usize);

/// A successful answer.
#[derive(Debug)]
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) body: Option<Value>,
    pub(super) location: Option<String>,
}

impl Reply {
    /// 200 with a JSON body.
    pub(super) fn ok(body: Value) -> Reply {
        Reply {
            status: 200,
            body: Some(body),
            location: None,
        }
    }

    /// 302 to `location`, with webob's JSON body.
    pub(super) fn found(location: String) -> Reply {
        let message = format!(
            "The resource was found at {location}; you should be redirected automatically."
        );
        Reply {
            status: 302,
            body: Some(json!({"code": "302 Found", "message": message, "title": "Found"})),
            location: Some(location),
        }
    }
}

impl HeatState {
    pub(super) fn new(spec: HeatSpec, world: World, uri: String) -> HeatState {
        let http_left = spec
            .stacks
            .iter()
            .map(|r| r.http_error.as_ref().map_or(0, |h| h.count))
            .collect();
        let written = Arc::new(Written::new(
            spec.stacks
                .iter()
                .flat_map(|r| r.hold_until.iter().cloned()),
        ));
        HeatState {
            written,
            outage: Default::default(),
            spec,
            world,
            hooks: Hooks::new(),
            uri,
            stacks: Vec::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            journal: Vec::new(),
            templates: Default::default(),
            hook_log: Default::default(),
            http_left,
            failed: HashMap::new(),
            created: HashMap::new(),
        }
    }

    /// `http://127.0.0.1:PORT/v1/<tenant>`.
    pub(super) fn base(&self) -> String {
        format!("{}/v1/{}", self.uri, self.spec.project_id)
    }

    /// How links are built and whose the stacks are.
    pub(super) fn site<'a>(&'a self, base: &'a str) -> Site<'a> {
        Site {
            base,
            owner: crate::fakes::USERNAME,
            project: &self.spec.project_id,
        }
    }

    /// The owner of a stack's resources, for hooks.
    pub(super) fn owner<'a>(&'a self, stack_id: &'a str, stack_name: &'a str) -> Owner<'a> {
        Owner {
            stack_id,
            stack_name,
            hooks: &self.hooks,
            world: &self.world,
        }
    }

    /// The next id for a stack called `name`.
    pub(super) fn next_id(&mut self, name: &str) -> String {
        let nth = self.created.entry(name.to_string()).or_default();
        let id = super::ids::stack_id(&self.spec.project_id, name, *nth);
        *nth += 1;
        id
    }

    /// A stack by id (deleted ones too) or by name (live ones only).
    pub(super) fn find(&self, name_or_id: &str) -> Option<StackHandle> {
        self.by_id
            .get(name_or_id)
            .copied()
            .or_else(|| self.live(name_or_id))
    }

    /// The live stack called `name`.
    pub(super) fn live(&self, name: &str) -> Option<StackHandle> {
        self.by_name
            .get(name)?
            .iter()
            .copied()
            .find(|h| !self.stack(*h).is_deleted())
    }

    /// The stack at `/stacks/{name}/{id}`: the id must exist and carry that name.
    pub(super) fn at(&self, name: &str, id: &str) -> Result<StackHandle, HeatError> {
        self.by_id
            .get(id)
            .copied()
            .filter(|h| self.stack(*h).name == name)
            .ok_or_else(|| HeatError::stack_not_found(&format!("{name}/{id}")))
    }

    /// The stack with this id (deleted ones too).
    pub(super) fn with_id(&self, id: &str) -> Option<&Stack> {
        self.by_id.get(id).map(|h| self.stack(*h))
    }

    /// Every stack, in creation order.
    pub(super) fn handles(&self) -> impl Iterator<Item = StackHandle> + use<> {
        (0..self.stacks.len()).map(StackHandle)
    }

    /// The stack `handle` names.
    pub(super) fn stack(&self, handle: StackHandle) -> &Stack {
        &self.stacks[handle.0]
    }

    /// The stack `handle` names, to change.
    pub(super) fn stack_mut(&mut self, handle: StackHandle) -> &mut Stack {
        &mut self.stacks[handle.0]
    }

    /// Keeps a new stack.
    pub(super) fn add(&mut self, stack: Stack) -> StackHandle {
        let handle = StackHandle(self.stacks.len());
        self.by_id.insert(stack.id.clone(), handle);
        self.by_name
            .entry(stack.name.clone())
            .or_default()
            .push(handle);
        self.stacks.push(stack);
        handle
    }

    /// The rule of a stack name (rules for one generation excluded).
    pub(super) fn rule(&self, name: &str) -> Option<&StackRule> {
        self.spec.rule(name, None)
    }

    /// The rule for a stack as it is now: its current operation's rule first.
    pub(super) fn rule_of(&self, stack: &super::stack::Stack) -> Option<&StackRule> {
        self.spec.rule(&stack.name, Some(stack.operations))
    }

    /// Reads a stack stays in progress.
    fn reads(&self, name: &str) -> u32 {
        self.rule(name)
            .and_then(|r| r.in_progress_reads)
            .unwrap_or(self.spec.in_progress_reads)
    }

    /// How `action` on the stack runs: reads in progress, its outcome (counting scripted
    /// failures), and the hold of the rule for the generation it runs as.
    pub(super) fn run(&mut self, stack: &str, generation: u32, action: Action, first: &str) -> Run {
        let hold = self
            .spec
            .rule(stack, Some(generation))
            .filter(|r| !r.hold_until.is_empty())
            .map(|r| Hold {
                keys: r.hold_until.clone(),
                written: Arc::clone(&self.written),
            });
        Run {
            reads: self.reads(stack),
            outcome: self.outcome(stack, action, first),
            hold,
        }
    }

    /// The stacks a `hold_until` rule keeps in progress now.
    pub(super) fn held(&self) -> Vec<HeldStack> {
        self.stacks
            .iter()
            .filter_map(|s| {
                let waiting_for = s.held_for();
                (!waiting_for.is_empty()).then(|| HeldStack {
                    stack: s.name.clone(),
                    status: s.stack_status(),
                    waiting_for,
                })
            })
            .collect()
    }

    /// How an operation on `name` ends, counting scripted failures.
    fn outcome(&mut self, name: &str, action: Action, first_resource: &str) -> Outcome {
        let wanted = match action {
            Action::Create => StackAction::Create,
            Action::Update => StackAction::Update,
            Action::Delete => StackAction::Delete,
        };
        let Some(r) = self.spec.stacks.iter().position(|r| r.matches(name)) else {
            return Outcome::Complete;
        };
        let failures = &self.spec.stacks[r].fail;
        for (f, failure) in failures
            .iter()
            .enumerate()
            .filter(|(_, f)| f.action == wanted)
        {
            let used = self.failed.entry((r, f)).or_default();
            if failure.times.is_none_or(|times| *used < times) {
                *used += 1;
                return Outcome::Fail(failure.reason.clone().unwrap_or_else(|| {
                    format!(
                        "Resource {word} failed: Error: resources.{first_resource}: heatbed: \
                         scripted {lower} failure",
                        word = action.word(),
                        lower = action.word().to_lowercase(),
                    )
                }));
            }
        }
        Outcome::Complete
    }

    /// An injected HTTP error for a call about `name`, if one is due.
    pub(super) fn injected(&mut self, name: &str, method: &str) -> Option<HeatError> {
        let r = self.spec.stacks.iter().position(|r| r.matches(name))?;
        let error = self.spec.stacks[r].http_error.as_ref()?;
        let counts = error.methods.is_empty() || error.methods.iter().any(|m| m.as_str() == method);
        if !counts || self.http_left[r] == 0 {
            return None;
        }
        self.http_left[r] -= 1;
        Some(HeatError::Injected {
            status: error.status,
        })
    }
}
