//! Resource types the fake does not model answer every `get_attr` by one deterministic rule
//! (a property of the same name, else `<physical id>/<attribute>[/<path>...]`), and only
//! truly invalid templates are refused, with Heat's messages.

use heatbed::scenario::HeatSpec;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::Api;

const TEMPLATE: &str = "heat_template_version: 2013-05-23
parameters:
  host: {type: string}
resources:
  router:
    type: OS::Contrail::ExistingResource
    properties:
      fq_name: [default-global-system-config, {get_param: host}]
      resource_type: physical_router
  other:
    type: Vendor::Anything::AtAll
    properties:
      router: {get_resource: router}
outputs:
  id: {value: {get_resource: router}}
  fq_name: {value: {get_attr: [router, fq_name]}}
  fq_first: {value: {get_attr: [router, fq_name, 0]}}
  name: {value: {get_attr: [router, name]}}
  name_again: {value: {get_attr: [router, name]}}
  deep: {value: {get_attr: [router, interfaces, eth0, 0]}}
  other_name: {value: {get_attr: [other, name]}}
  show: {value: {get_attr: [router, show]}}
  echoed: {value: {get_attr: [other, router]}}
";

#[tokio::test]
async fn unmodelled_types_answer_every_attribute_deterministically() {
    let api = Api::start(HeatSpec::default()).await;
    let out = api.outputs("s1", TEMPLATE, json!({"host": "mx1"})).await;
    let id = out["id"].as_str().expect("physical id");
    assert_eq!(id.len(), 36);
    assert_eq!(
        out["fq_name"],
        json!(["default-global-system-config", "mx1"])
    );
    assert_eq!(out["fq_first"], json!("default-global-system-config"));
    assert_eq!(out["name"], json!(format!("{id}/name")));
    assert_eq!(out["name_again"], out["name"]);
    // 2013-05-23's get_attr walks the path into the value itself, as Heat's GetAttThenSelect.
    assert_eq!(out["deep"], Value::Null);
    let later = api
        .outputs(
            "s3",
            &TEMPLATE.replace("2013-05-23", "2014-10-16"),
            json!({"host": "mx1"}),
        )
        .await;
    let later_id = later["id"].as_str().expect("physical id");
    assert_eq!(
        later["deep"],
        json!(format!("{later_id}/interfaces/eth0/0"))
    );
    assert_ne!(out["other_name"], out["name"]);
    assert_eq!(out["echoed"], json!(id));
    assert_eq!(out["show"]["resource_type"], "physical_router");
    assert_eq!(out["show"]["id"], json!(id));

    // The same stack again, on a fresh fake: the same values.
    let again = Api::start(HeatSpec::default()).await;
    assert_eq!(
        again.outputs("s1", TEMPLATE, json!({"host": "mx1"})).await,
        out
    );
    // Another stack: other physical ids, other values.
    let other = api.outputs("s2", TEMPLATE, json!({"host": "mx1"})).await;
    assert_ne!(other["name"], out["name"]);
}

/// The error type and message of the create, and of `/validate` (which resolves nothing, so
/// it knows no parameter values) when `validate` says it refuses the template too.
async fn refused(api: &Api, template: &str, validate: bool) -> (String, String) {
    let mut answers = Vec::new();
    for path in ["/stacks", "/validate"] {
        let body = json!({"stack_name": "bad", "template": template, "parameters": {"host": "h"}});
        let (status, answer, _) = api.call(Method::POST, path, Some(body)).await;
        if path == "/stacks" || validate {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {answer}");
            answers.push((
                answer["error"]["type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                answer["error"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ));
        }
    }
    if validate {
        assert_eq!(answers[0], answers[1], "create and validate agree");
    }
    answers.swap_remove(0)
}

#[tokio::test]
async fn only_invalid_templates_are_refused_with_heats_messages() {
    let api = Api::start(HeatSpec::default()).await;
    let with = |from: &str, to: &str| {
        assert!(TEMPLATE.contains(from), "{from}");
        TEMPLATE.replace(from, to)
    };
    let cases = [
        (
            with(
                "router: {get_resource: router}",
                "router: {get_resource: nowhere}",
            ),
            "InvalidTemplateReference",
            "The specified reference \"nowhere\" (in other) is incorrect.",
        ),
        (
            with(
                "router: {get_resource: router}",
                "router: {get_attr: [nowhere, a]}",
            ),
            "InvalidTemplateReference",
            "The specified reference \"nowhere\" (in other) is incorrect.",
        ),
        (
            with(
                "name: {value: {get_attr: [router, name]}}",
                "name: {value: {get_attr: [nowhere, name]}}",
            ),
            "StackValidationFailed",
            "outputs.name.value.get_attr: The specified reference \"nowhere\" (in unknown) is incorrect.",
        ),
        (
            with(
                "type: Vendor::Anything::AtAll",
                "type: Vendor::Anything::AtAll\n    depends_on: [nowhere]",
            ),
            "InvalidTemplateReference",
            "The specified reference \"nowhere\" (in other) is incorrect.",
        ),
        (
            with(
                "resource_type: physical_router",
                "resource_type: {get_param: undeclared}",
            ),
            "UserParameterMissing",
            "The Parameter (undeclared) was not provided.",
        ),
        (
            with(
                "type: OS::Contrail::ExistingResource",
                "type: OS::Contrail::ExistingResource\n    depends_on: other",
            ),
            "CircularDependencyException",
            "Circular Dependency Found: {router: {other}, other: {router}}",
        ),
    ];
    for (template, kind, message) in cases {
        let validate = kind != "UserParameterMissing";
        assert_eq!(
            refused(&api, &template, validate).await,
            (kind.into(), message.into())
        );
    }
}

#[tokio::test]
async fn validate_reads_parameter_defaults_and_given_values() {
    let api = Api::start(HeatSpec::default()).await;
    let template = "heat_template_version: 2016-10-14
parameters:
  env: {type: string, default: prod}
  size: {type: number}
conditions:
  prod: {equals: [{get_param: env}, prod]}
resources:
  r: {type: Vendor::Thing, condition: prod, properties: {size: {get_param: size}}}
outputs:
  o: {value: {if: [prod, {get_attr: [r, size]}, none]}}
";
    let (status, answer, _) = api
        .call(
            Method::POST,
            "/validate",
            Some(json!({"template": template})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["Parameters"]["env"]["Default"], "prod");
    let (status, answer, _) = api
        .call(
            Method::POST,
            "/validate",
            Some(json!({"template": template.replace("prod]}\nresources", "prod]}\n  never: false\nresources").replace("condition: prod", "condition: nope")})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(
        answer["error"]["message"],
        "resources.r.condition: Invalid condition \"nope\""
    );
}
