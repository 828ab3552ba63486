//! Fake Keystone v3: the identity fake grows here; for now every route is unknown.

use wiremock::MockServer;

/// Starts the fake.
pub(super) async fn start() -> MockServer {
    let server = MockServer::builder().start().await;
    super::unknown::mount_catch_all(&server, "keystone").await;
    server
}
