//! The running fake Heat: its HTTP server ([`super::http`]) whose single responder is
//! `router::HeatResponder`, and the state it shares with it.

use std::sync::{Arc, Mutex, PoisonError};

use super::attributes::{self, ResourceHook};
use super::hold::{self, HeldStack};
use super::journal::HeatCall;
use super::{http, router, state};
use crate::fakes::keystone::Tokens;
use crate::scenario::HeatSpec;

/// The running fake Heat.
pub(in crate::fakes) struct HeatFake {
    server: crate::fakes::loopback::Loopback,
    state: Arc<Mutex<state::HeatState>>,
    responder: Arc<router::HeatResponder>,
    /// The etcd watch `hold_until` rules need, once started.
    watch: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for HeatFake {
    fn drop(&mut self) {
        if let Some(watch) = &self.watch {
            watch.abort();
        }
    }
}

impl HeatFake {
    /// Starts the fake for `spec`; `collector_url` is where monitoring target links point.
    ///
    /// # Panics
    /// When no loopback port can be bound (the machine is out of ports).
    pub(in crate::fakes) async fn start(
        spec: &HeatSpec,
        collector_url: &str,
        tokens: Tokens,
    ) -> HeatFake {
        let world = attributes::World {
            collector_url: collector_url.to_string(),
        };
        let state = Arc::new(Mutex::new(state::HeatState::new(
            spec.clone(),
            world,
            String::new(),
        )));
        let responder = Arc::new(router::HeatResponder {
            state: Arc::clone(&state),
            tokens,
            etcd: std::sync::RwLock::default(),
            turn: tokio::sync::Mutex::default(),
        });
        let server = http::serve(Arc::clone(&responder))
            .await
            .expect("the fake Heat binds a loopback port");
        state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .uri
            .clone_from(&server.uri);
        HeatFake {
            server,
            state,
            responder,
            watch: None,
        }
    }

    /// Follows etcd's writes (from now on, and the keys already there) for the scenario's
    /// `hold_until` rules; nothing when no rule holds.
    pub(in crate::fakes) async fn watch(
        &mut self,
        etcd: etcd_client::Client,
    ) -> Result<(), crate::fakes::FakeError> {
        let written = std::sync::Arc::clone(&self.lock().written);
        self.watch = hold::watch(etcd, written).await?;
        Ok(())
    }

    /// The stacks a `hold_until` rule keeps in progress now.
    pub(in crate::fakes) fn held(&self) -> Vec<HeldStack> {
        self.lock().held()
    }

    /// `http://127.0.0.1:PORT`.
    pub(in crate::fakes) fn uri(&self) -> String {
        self.server.uri.clone()
    }

    /// Every call so far.
    pub(in crate::fakes) fn journal(&self) -> Vec<HeatCall> {
        self.lock().journal.clone()
    }

    /// Reads `etcd`'s revision as each request arrives, for the journal.
    pub(in crate::fakes) fn observe(&self, etcd: etcd_client::Client) {
        *self
            .responder
            .etcd
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(etcd);
    }

    /// Plugs a hook into a resource type.
    pub(in crate::fakes) fn set_hook(&self, resource_type: &str, hook: Arc<dyn ResourceHook>) {
        let mut state = self.lock();
        let log = Arc::clone(&state.hook_log);
        let noted = super::journal::Noted { inner: hook, log };
        state
            .hooks
            .insert(resource_type.to_string(), Arc::new(noted));
    }

    /// Starts an outage (fault step); it ends after its requests or at [`Self::recover`].
    pub(in crate::fakes) fn outage(&self, outage: crate::fakes::Outage) {
        self.lock().outage.open(outage);
    }

    /// Ends the outage under way.
    pub(in crate::fakes) fn recover(&self) {
        self.lock().outage.close();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, state::HeatState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
