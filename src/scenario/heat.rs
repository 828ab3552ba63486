//! The `heat:` section of a scenario: what the fake Heat (and Keystone) does. File model,
//! runtime types and validation live together here.
//!
//! ```yaml
//! heat:
//!   in_progress_reads: 1          # reads a stack stays *_IN_PROGRESS (default 1)
//!   stacks:
//!     - match: "load_balancer_interface_*"   # a stack name, or a glob with * and ?
//!       outputs:                             # replace computed output values
//!         monitoring_target_id: 2da66917-604c-4076-8c21-79da05f6479e
//!       fail:
//!         - {action: create, reason: "Resource CREATE failed: ..."}
//!       http_error: {status: 503, count: 2}  # the next 2 calls about the stack answer 503
//!       latency: 200ms
//!     - match: vnf_instance_398d65ba-0060-456e-b415-5bc954450717
//!       generation: 1
//!       hold_until:                          # IN_PROGRESS until these keys are in etcd
//!         exists: ["/jobs/all/create:heat_worker:load_balancer:b311c470-*:1:*"]
//! ```
//!
//! For each stack, the first rule whose `match` fits its name applies.
//!
//! `hold_until` orders a stack's completion after other writes to etcd: the fake answers
//! `*_IN_PROGRESS` to every read of the operation until each key (or glob) has been written
//! at least once since the fakes started, then counts `in_progress_reads` as usual. A recorded
//! job that lists another job as a dependency needs this: the job manager computes
//! dependencies from the jobs still unfinished when it processes the write, so the
//! dependency's stack must not complete before that. A hold never met ends with the
//! scenario's timeout, whose error names the stack and the keys it waited for.

use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Fake Heat and Keystone settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeatFile {
    /// Keystone project id the fake hands out (default: the recorded tenant).
    #[serde(default)]
    pub project_id: Option<String>,
    /// How many reads (show, list, events) a stack stays `*_IN_PROGRESS` before it completes
    /// (default 1). Never wall-clock time.
    #[serde(default)]
    pub in_progress_reads: Option<u32>,
    /// Latency added to every Heat answer, e.g. `200ms` (default none).
    #[serde(default, with = "humantime_serde")]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Duration>,
    /// Per-stack behaviour; the first rule matching a stack name applies.
    #[serde(default)]
    pub stacks: Vec<StackRuleFile>,
}

/// What the fake does for stacks whose name matches.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StackRuleFile {
    /// A stack name, or a glob where `*` matches any run of characters and `?` one character.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Only for this operation of the stack: 1 is its create, 2 its first update, ...
    /// (the recorded outputs of a stack change when it is updated).
    #[serde(default)]
    pub generation: Option<u32>,
    /// Overrides `heat.in_progress_reads` for these stacks.
    #[serde(default)]
    pub in_progress_reads: Option<u32>,
    /// Output values that replace the computed ones (keys the template lacks are appended).
    #[serde(default)]
    pub outputs: Map<String, Value>,
    /// Output keys to list first, in this order (e.g. the recorded CPython dict order).
    #[serde(default)]
    pub output_order: Vec<String>,
    /// Operations that end `*_FAILED`.
    #[serde(default)]
    pub fail: Vec<FailureFile>,
    /// HTTP 5xx answers for the next calls about these stacks.
    #[serde(default)]
    pub http_error: Option<HttpErrorFile>,
    /// Latency added to every answer about these stacks.
    #[serde(default, with = "humantime_serde")]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Duration>,
    /// Keeps the operation `*_IN_PROGRESS` until a condition on etcd holds.
    #[serde(default)]
    pub hold_until: Option<HoldFile>,
}

/// A condition on etcd a stack operation waits for.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldFile {
    /// Keys, or globs (`*` any run, `?` one character), each of which must have been written
    /// (put) at least once since the fakes started.
    pub exists: Vec<String>,
}

/// An operation that fails.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailureFile {
    /// create, update or delete.
    pub action: StackAction,
    /// `stack_status_reason` (default `Resource <ACTION> failed: ...`).
    #[serde(default)]
    pub reason: Option<String>,
    /// Fail only the first `times` such operations (default: every one).
    #[serde(default)]
    pub times: Option<u32>,
}

/// HTTP errors for the next calls.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpErrorFile {
    /// A 5xx status (default 503).
    #[serde(default)]
    pub status: Option<u16>,
    /// How many calls fail.
    pub count: u32,
    /// Only calls with these methods count (default every method).
    #[serde(default)]
    pub methods: Vec<HttpMethod>,
}

/// A stack operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StackAction {
    /// POST /stacks.
    Create,
    /// PUT or PATCH.
    Update,
    /// DELETE.
    Delete,
}

/// An HTTP method Heat serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl HttpMethod {
    /// The method as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

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
            project_id: super::validate::RECORDED_PROJECT.into(),
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
        super::glob::glob(self.pattern.as_bytes(), name.as_bytes())
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
const DEFAULT_IN_PROGRESS_READS: u32 = 1;

/// Validates the `heat` section; errors are (key path, message).
pub(crate) fn validate(file: Option<HeatFile>) -> Result<HeatSpec, (String, String)> {
    let file = file.unwrap_or_default();
    let defaults = HeatSpec::default();
    let project_id = file.project_id.unwrap_or(defaults.project_id);
    if project_id.is_empty()
        || !project_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err((
            "heat.project_id".into(),
            "must be a non-empty id of letters, digits, `-` and `_`".into(),
        ));
    }
    let stacks = file
        .stacks
        .into_iter()
        .enumerate()
        .map(|(i, rule)| {
            stack_rule(rule)
                .map_err(|(field, message)| (format!("heat.stacks[{i}]{field}"), message))
        })
        .collect::<Result<_, _>>()?;
    Ok(HeatSpec {
        project_id,
        in_progress_reads: file.in_progress_reads.unwrap_or(defaults.in_progress_reads),
        latency: file.latency,
        stacks,
    })
}

/// Validates an `http_error` section (of a stack or a target rule).
pub(super) fn http_error(
    file: Option<HttpErrorFile>,
) -> Result<Option<HttpError>, (String, String)> {
    let err = |field: &str, message: &str| Err((field.to_string(), message.to_string()));
    match file {
        None => Ok(None),
        Some(HttpErrorFile {
            status: Some(s), ..
        }) if !(500..=599).contains(&s) => err(".http_error.status", "must be a 5xx status"),
        Some(HttpErrorFile { count: 0, .. }) => err(".http_error.count", "must be at least 1"),
        Some(h) => Ok(Some(HttpError {
            status: h.status.unwrap_or(503),
            count: h.count,
            methods: h.methods,
        })),
    }
}

fn stack_rule(rule: StackRuleFile) -> Result<StackRule, (String, String)> {
    let err = |field: &str, message: &str| Err((field.to_string(), message.to_string()));
    if rule.pattern.trim().is_empty() {
        return err(".match", "must not be empty");
    }
    if rule.outputs.keys().any(String::is_empty) {
        return err(".outputs", "output keys must not be empty");
    }
    let fail = rule
        .fail
        .into_iter()
        .enumerate()
        .map(|(j, f)| match (&f.reason, f.times) {
            (Some(r), _) if r.trim().is_empty() => Err((
                format!(".fail[{j}].reason"),
                "must not be empty".to_string(),
            )),
            (_, Some(0)) => Err((
                format!(".fail[{j}].times"),
                "must be at least 1".to_string(),
            )),
            _ => Ok(Failure {
                action: f.action,
                reason: f.reason,
                times: f.times,
            }),
        })
        .collect::<Result<_, _>>()?;
    let http_error = http_error(rule.http_error)?;
    let hold_until = match rule.hold_until {
        None => Vec::new(),
        Some(HoldFile { exists }) if exists.is_empty() => {
            return err(".hold_until.exists", "must name at least one key or glob");
        }
        Some(HoldFile { exists }) => match exists.iter().position(|k| k.trim().is_empty()) {
            Some(i) => return err(&format!(".hold_until.exists[{i}]"), "must not be empty"),
            None => exists,
        },
    };
    Ok(StackRule {
        pattern: rule.pattern,
        generation: rule.generation,
        in_progress_reads: rule.in_progress_reads,
        outputs: rule.outputs,
        output_order: rule.output_order,
        fail,
        http_error,
        latency: rule.latency,
        hold_until,
    })
}

#[cfg(test)]
#[path = "heat_tests.rs"]
mod tests;
