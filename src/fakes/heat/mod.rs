//! Fake Heat v1: a stateful stack simulator behind one responder on its own HTTP server.
//!
//! - [`server`]: the running fake ([`HeatFake`]); [`http`]: its HTTP server; [`router`]: its
//!   responder (token check, routing, injected errors, latency, journal).
//! - [`writes`] and [`reads`]: the API calls; [`views`]: the JSON they answer.
//! - [`state`]: stacks, journal, scenario rules; [`stack`]: one stack and its status machine;
//!   [`hold`]: `hold_until`, what the fake follows of etcd to keep a stack in progress.
//! - [`template`] ([`template_cache`]: each text parsed once), [`functions`], [`resources`], [`deps`], [`scope`], [`attributes`],
//!   [`natives`]: templates, HOT functions, resources in dependency order, what functions see,
//!   attributes of modelled, unmodelled and Heat's own types; [`ids`]: deterministic ids.

mod attributes;
mod deps;
mod errors;
mod functions;
mod hold;
mod http;
mod ids;
mod journal;
mod natives;
mod params;
mod reads;
mod resources;
mod router;
mod scope;
mod server;
mod stack;
mod state;
mod template;
mod template_cache;
mod views;
mod writes;

pub use attributes::{ResourceEvent, ResourceHook};
pub use hold::HeldStack;
pub use journal::HeatCall;
pub(super) use server::HeatFake;
