//! Checkpoints as text: seed-style rendering, redaction, and the insta snapshot files.

mod redact;
mod render;
mod store;

pub(crate) use redact::job_suffix_redaction;
pub use redact::{redact, redact_job_suffix};
pub use render::{decode_body, render_call, render_write};
pub use store::{KEYSPACE, Store, Verdict};
