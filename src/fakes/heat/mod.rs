//! Fake Heat v1: a stateful stack simulator behind one wiremock responder.
//!
//! - [`router`]: the responder (token check, routing, injected errors, latency, journal).
//! - [`writes`] and [`reads`]: the API calls; [`views`]: the JSON they answer.
//! - [`state`]: stacks, journal, scenario rules; [`stack`]: one stack and its status machine.
//! - [`template`], [`functions`], [`resources`], [`attributes`]: templates, HOT functions,
//!   resources and their attributes; [`ids`]: deterministic ids.

mod attributes;
mod errors;
mod functions;
mod ids;
mod journal;
mod params;
mod reads;
mod resources;
mod router;
mod stack;
mod state;
mod template;
mod views;
mod writes;

use std::sync::{Arc, Mutex, PoisonError};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

pub use attributes::{ResourceEvent, ResourceHook};
pub use journal::HeatCall;

use super::keystone::Tokens;
use crate::scenario::HeatSpec;

/// The running fake Heat.
pub(super) struct HeatFake {
    pub(super) server: MockServer,
    state: Arc<Mutex<state::HeatState>>,
}

impl HeatFake {
    /// Starts the fake for `spec`; `collector_url` is where monitoring target links point.
    pub(super) async fn start(spec: &HeatSpec, collector_url: &str, tokens: Tokens) -> HeatFake {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        let world = attributes::World {
            collector_url: collector_url.to_string(),
        };
        let state = Arc::new(Mutex::new(state::HeatState::new(
            spec.clone(),
            world,
            server.uri(),
        )));
        Mock::given(any())
            .respond_with(router::HeatResponder {
                state: Arc::clone(&state),
                tokens,
            })
            .named("heat: dispatcher")
            .mount(&server)
            .await;
        HeatFake { server, state }
    }

    /// Every call so far.
    pub(super) fn journal(&self) -> Vec<HeatCall> {
        self.lock().journal.clone()
    }

    /// Plugs a hook into a resource type.
    pub(super) fn set_hook(&self, resource_type: &str, hook: Arc<dyn ResourceHook>) {
        self.lock().hooks.insert(resource_type.to_string(), hook);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, state::HeatState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
