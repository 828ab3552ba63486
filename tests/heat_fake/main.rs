//! The fake Heat and Keystone driven over HTTP, as a worker or a client would.

mod catalogue;
mod errors;
#[path = "../support/heat_client.rs"]
mod heat_client;
mod journal;
mod keystone;
mod lifecycle;
mod natives;
mod outage;
mod outputs;
mod rules;
mod support;
mod transport;
mod unmodelled;
