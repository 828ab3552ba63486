//! Checkpoints as text: seed-style rendering, redaction, and the insta snapshot files.

mod redact;
mod render;
mod store;

pub(crate) use redact::JOB_SUFFIX;
pub use redact::redact;
pub use render::{decode_body, render_call, render_write};
pub use store::{KEYSPACE, Store, Verdict};
