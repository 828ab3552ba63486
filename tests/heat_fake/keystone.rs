//! Keystone discovery and tokens, and Heat's checks of them.

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::support::{Api, token};

#[tokio::test]
async fn keystone_discovers_and_issues_tokens_whose_catalog_points_at_heat() {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let client = Client::new();
    let version: Value = client
        .get(fakes.auth_url())
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(
        version["version"]["links"][0]["href"],
        format!("{}/", fakes.auth_url())
    );

    let body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"name": "Default"}, "password": "heatbed"}}},
        "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}});
    let response = client
        .post(format!("{}/auth/tokens", fakes.auth_url()))
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.headers().contains_key("x-subject-token"));
    let token: Value = response.json().await.expect("json");
    assert!(
        token["token"]["expires_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert_eq!(token["token"]["project"]["id"], fakes.project_id());
    let catalog = token["token"]["catalog"].as_array().expect("catalog");
    let heat = catalog
        .iter()
        .find(|s| s["type"] == "orchestration")
        .expect("orchestration");
    assert_eq!(heat["endpoints"][0]["url"], fakes.heat_url());
    assert_eq!(heat["endpoints"][0]["interface"], "public");

    let mut wrong = body.clone();
    wrong["auth"]["identity"]["password"]["user"]["password"] = json!("nope");
    let response = client
        .post(format!("{}/auth/tokens", fakes.auth_url()))
        .json(&wrong)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn heat_checks_the_token_and_its_project() {
    let api = Api::start(HeatSpec::default()).await;
    let url = format!("{}/stacks", api.fakes.heat_url());
    let response = api.heat.client.get(&url).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], 401);
    let response = api
        .heat
        .client
        .get(&url)
        .header("X-Auth-Token", "forged")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let other = token(
        &api.heat.client,
        &api.fakes,
        json!({"id": "0123456789abcdef0123456789abcdef"}),
    )
    .await;
    let response = api
        .heat
        .client
        .get(&url)
        .header("X-Auth-Token", other)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["type"], "Forbidden");
}
