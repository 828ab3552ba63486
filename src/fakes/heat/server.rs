//! The running fake Heat: one wiremock server whose single responder is
//! `router::HeatResponder`, and the state it shares with it.

use std::sync::{Arc, Mutex, PoisonError};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use super::attributes::{self, ResourceHook};
use super::journal::HeatCall;
use super::{router, state};
use crate::fakes::keystone::Tokens;
use crate::scenario::HeatSpec;

/// The running fake Heat.
pub(in crate::fakes) struct HeatFake {
    pub(in crate::fakes) server: MockServer,
    state: Arc<Mutex<state::HeatState>>,
}

impl HeatFake {
    /// Starts the fake for `spec`; `collector_url` is where monitoring target links point.
    pub(in crate::fakes) async fn start(
        spec: &HeatSpec,
        collector_url: &str,
        tokens: Tokens,
    ) -> HeatFake {
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
    pub(in crate::fakes) fn journal(&self) -> Vec<HeatCall> {
        self.lock().journal.clone()
    }

    /// Plugs a hook into a resource type.
    pub(in crate::fakes) fn set_hook(&self, resource_type: &str, hook: Arc<dyn ResourceHook>) {
        self.lock().hooks.insert(resource_type.to_string(), hook);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, state::HeatState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
