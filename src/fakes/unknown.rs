//! What every fake answers for a route it does not serve: OpenStack's error body with 404.

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts the catch-all on `server`, with the lowest priority so real routes win.
pub(super) async fn mount_catch_all(server: &MockServer, service: &str) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "explanation": "The resource could not be found.",
            "code": 404,
            "error": {"message": "The resource could not be found.", "traceback": null, "type": "NotFound"},
            "title": "Not Found",
        })))
        .with_priority(u8::MAX)
        .named(format!("{service}: unknown route"))
        .mount(server)
        .await;
}
