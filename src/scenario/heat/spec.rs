//! The validated `heat:` section the fake Heat consumes.

use std::time::Duration;

use serde_json::{Map, Value};

use super::file::{HttpMethod, StackAction};

/// Validated fake Heat / Keystone settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatSpec {
    /// The project id Keystone hands out.
    pub project_id: String,
    /// Default reads a stack stays in progress.
    pub in_progress_reads: u32,
    /// Latency of every answer.
    pub latency: Option<Duration>,
    /// Per-stack rules, first match wins.
    pub stacks: Vec<StackRule>,
}

impl Default for HeatSpec {
    fn default() -> Self {
        HeatSpec {
            project_id: crate::scenario::validate::RECORDED_PROJECT.into(),
            in_progress_reads: DEFAULT_IN_PROGRESS_READS,
            latency: None,
            stacks: Vec::new(),
        }
    }
}

impl HeatSpec {
    /// The rule for a stack name at its `generation`-th operation (`None`: rules without a
    /// generation only), if any.
    pub fn rule(&self, stack_name: &str, generation: Option<u32>) -> Option<&StackRule> {
        self.stacks.iter().find(|r| {
            r.matches(stack_name) && (r.generation.is_none() || r.generation == generation)
        })
    }
}

/// Validated per-stack behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackRule {
    /// Name or glob.
    pub pattern: String,
    /// The operation it is for (1 = create), or every one.
    pub generation: Option<u32>,
    /// Reads in progress, if overridden.
    pub in_progress_reads: Option<u32>,
    /// Scripted output values.
    pub outputs: Map<String, Value>,
    /// Output keys listed first.
    pub output_order: Vec<String>,
    /// Failing operations.
    pub fail: Vec<Failure>,
    /// HTTP errors.
    pub http_error: Option<HttpError>,
    /// Added latency.
    pub latency: Option<Duration>,
    /// Keys or globs that must have been written before the operation may complete (empty:
    /// no hold).
    pub hold_until: Vec<String>,
}

impl StackRule {
    /// Whether `name` matches the rule's name or glob.
    pub fn matches(&self, name: &str) -> bool {
        crate::scenario::glob(self.pattern.as_bytes(), name.as_bytes())
    }
}

/// A failing operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Which operation.
    pub action: StackAction,
    /// The reason, if scripted.
    pub reason: Option<String>,
    /// How many times (None: always).
    pub times: Option<u32>,
}

/// HTTP errors for the next calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// 500..=599.
    pub status: u16,
    /// How many calls.
    pub count: u32,
    /// Methods that count (empty: all).
    pub methods: Vec<HttpMethod>,
}

/// Reads a stack stays in progress unless the scenario says otherwise.
pub(super) const DEFAULT_IN_PROGRESS_READS: u32 = 1;
