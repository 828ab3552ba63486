//! Malformed requests get Heat's error answers.

use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{Api, TEMPLATE};

#[tokio::test]
async fn bad_requests_get_heat_errors() {
    let api = Api::start(HeatSpec::default()).await;
    let (status, body) = api.create("s", json!({"name": "x", "bogus": 1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["type"], "UnknownUserParameter");
    assert_eq!(
        body["error"]["message"],
        "The Parameter (bogus) was not defined in template."
    );
    assert_eq!(body["title"], "Bad Request");
    let (status, body) = api.create("s", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "The Parameter (name) was not provided."
    );
    let (status, body) = api.create("9bad name", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["type"], "StackValidationFailed");
    let (status, body, _) = api
        .call(
            Method::POST,
            "/stacks",
            Some(json!({"stack_name": "s", "template": "not: a template"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["message"].clone()),
        (
            StatusCode::BAD_REQUEST,
            json!("Template format version not found.")
        )
    );
    let bad_attr = TEMPLATE.replace("[monitor, link]", "[monitor, nonsense]");
    let (status, body, _) = api
        .call(
            Method::POST,
            "/stacks",
            Some(json!({"stack_name": "s", "template": bad_attr, "parameters": {"name": "x"}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["type"], "StackValidationFailed");
    assert_eq!(
        body["error"]["message"],
        "outputs.link.value.get_attr: The Referenced Attribute (monitor nonsense) is incorrect."
    );
    let (status, _, _) = api
        .call(Method::POST, "/stacks", Some(json!("not an object")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let response = api
        .heat
        .client
        .post(format!("{}/stacks", api.fakes.heat_url()))
        .header("X-Auth-Token", &api.heat.token)
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let (status, body, _) = api.call(Method::DELETE, "/stacks", None).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::METHOD_NOT_ALLOWED, json!(405))
    );
    let (status, body, _) = api.call(Method::GET, "/nowhere/at/all", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["type"], "NotFound");

    let (status, body, _) = api
        .call(
            Method::POST,
            "/validate",
            Some(json!({"template": TEMPLATE})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["Parameters"]["secret"]["NoEcho"], "true");
    assert_eq!(body["Description"], "A test stack");
}
