//! The `heat:` section as written in a scenario file.

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

/// Fake Heat and Keystone settings.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeatFile {
    /// Keystone project id the fake hands out (default: the recorded tenant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// How many reads (show, list, events) a stack stays `*_IN_PROGRESS` before it completes
    /// (default 1). Never wall-clock time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_progress_reads: Option<u32>,
    /// Latency added to every Heat answer, e.g. `200ms` (default none).
    #[serde(
        default,
        with = "crate::scenario::duration",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Duration>,
    /// Per-stack behaviour; the first rule matching a stack name applies.
    #[serde(default)]
    #[schemars(with = "Vec<StackRuleFile>")]
    pub stacks: Vec<Spanned<StackRuleFile>>,
}

/// What the fake does for stacks whose name matches.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StackRuleFile {
    /// A stack name, or a glob where `*` matches any run of characters and `?` one character.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Only for this operation of the stack: 1 is its create, 2 its first update, ...
    /// (the recorded outputs of a stack change when it is updated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<u32>,
    /// Overrides `heat.in_progress_reads` for these stacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_progress_reads: Option<u32>,
    /// Output values that replace the computed ones (keys the template lacks are appended).
    #[serde(default)]
    pub outputs: Map<String, Value>,
    /// Output keys to list first, in this order (e.g. the recorded CPython dict order).
    #[serde(default)]
    pub output_order: Vec<String>,
    /// Operations that end `*_FAILED`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fail: Vec<FailureFile>,
    /// HTTP 5xx answers for the next calls about these stacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_error: Option<HttpErrorFile>,
    /// Latency added to every answer about these stacks.
    #[serde(
        default,
        with = "crate::scenario::duration",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Duration>,
    /// Keeps the operation `*_IN_PROGRESS` until a condition on etcd holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_until: Option<HoldFile>,
}

/// A condition on etcd a stack operation waits for.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldFile {
    /// Keys, or globs (`*` any run, `?` one character), each of which must have been written
    /// (put) at least once since the fakes started.
    pub exists: Vec<String>,
}

/// An operation that fails.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailureFile {
    /// create, update or delete.
    pub action: StackAction,
    /// `stack_status_reason` (default `Resource <ACTION> failed: ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Fail only the first `times` such operations (default: every one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

/// HTTP errors for the next calls.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpErrorFile {
    /// A 5xx status (default 503).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// How many calls fail.
    pub count: u32,
    /// Only calls with these methods count (default every method).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<HttpMethod>,
}

/// A stack operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
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
