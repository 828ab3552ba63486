//! The fake Heat over HTTP: generated templates (random nestings of the HOT functions) and
//! malformed requests are always answered, and never with a 5xx.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use heatbed::fakes::Fakes;
use heatbed::scenario::{CollectorSpec, HeatSpec};
use proptest::prelude::*;
use reqwest::Method;
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;

use crate::heat_client::HeatClient;

/// Requests one fake Heat serves before a fresh one replaces it. A fake keeps every stack
/// (Heat keeps deleted ones) and journals every request body as parsed JSON (a 1 MB body
/// of numbers is ~16 MB parsed), as a run's report needs; a long run
/// (`HEATBED_FUZZ_CASES=1000000`) on one fake would grow without bound.
const REQUESTS_PER_FAKE: u64 = 200;

/// One fake Heat (and Keystone) on a runtime of its own, shared by the cases, replaced
/// between cases every [`REQUESTS_PER_FAKE`] requests.
struct Server {
    runtime: Runtime,
    fakes: Option<Fakes>,
    heat: HeatClient,
    url: String,
    requests: u64,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let (fakes, heat) = runtime.block_on(fakes());
        Server {
            runtime,
            url: fakes.heat_url(),
            fakes: Some(fakes),
            heat,
            requests: 0,
        }
    }

    /// Called at the start of a case: a fresh fake once this one served its share (dropped
    /// inside the runtime, which its tasks belong to).
    fn recycle(&mut self) {
        if self.requests < REQUESTS_PER_FAKE {
            return;
        }
        let old = self.fakes.take();
        let (fakes, heat) = self.runtime.block_on(async {
            drop(old);
            fakes().await
        });
        self.url = fakes.heat_url();
        self.fakes = Some(fakes);
        self.heat = heat;
        self.requests = 0;
    }
}

async fn fakes() -> (Fakes, HeatClient) {
    let fakes = Fakes::start(&HeatSpec::default(), &CollectorSpec::default()).await;
    let heat = HeatClient::login(&fakes).await;
    (fakes, heat)
}

static SERVER: LazyLock<Mutex<Server>> = LazyLock::new(|| Mutex::new(Server::start()));

/// The shared fake for one case (a failed case's panic does not poison it for the rest).
fn server() -> MutexGuard<'static, Server> {
    let mut server = SERVER.lock().unwrap_or_else(PoisonError::into_inner);
    server.recycle();
    server
}

/// Sends one request; a dropped connection or unreadable answer fails, and so does a 5xx.
/// Returns the status and the JSON answer (null if none).
fn send(
    server: &mut Server,
    method: Method,
    path: &str,
    body: Option<Vec<u8>>,
) -> Result<(u16, Value), TestCaseError> {
    server.requests += 1;
    let url = format!("{}{path}", server.url);
    let outcome = server.runtime.block_on(async {
        let mut request = server
            .heat
            .client
            .request(method.clone(), url)
            .header("X-Auth-Token", &server.heat.token)
            .header("Content-Type", "application/json");
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
    });
    let (status, body) =
        outcome.map_err(|e| TestCaseError::fail(format!("{method} {path}: {e:?}")))?;
    prop_assert!(status < 500, "{method} {path}: {status} {body}");
    if std::env::var_os("HEATBED_FUZZ_TRACE").is_some() {
        eprintln!("{method} {path}: {status} {body:.120}");
    }
    Ok((status, body))
}

const FUNCTIONS: &[&str] = &[
    "get_param",
    "get_resource",
    "get_attr",
    "get_file",
    "resource_facade",
    "list_join",
    "str_replace",
    "str_replace_strict",
    "str_replace_vstrict",
    "repeat",
    "digest",
    "str_split",
    "map_merge",
    "map_replace",
    "yaql",
    "if",
    "equals",
    "not",
    "and",
    "or",
    "filter",
    "make_url",
    "list_concat",
    "list_concat_unique",
    "contains",
    "Fn::Select",
    "Fn::GetAZs",
    "Ref",
    "Fn::Join",
    "no_such_function",
];

const VERSIONS: &[&str] = &[
    "2013-05-23",
    "2014-10-16",
    "2015-04-30",
    "2015-10-15",
    "2016-04-08",
    "2016-10-14",
    "2017-02-24",
    "2017-09-01",
    "2018-08-31",
    "2021-04-16",
    "newton",
    "wallaby",
    "1999-01-01",
];

/// Values for the functions' arguments: the names the template defines among others.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        proptest::sample::select(&["name", "r", "s", "template", "params", "for_each", "a"][..])
            .prop_map(Value::from),
        "[ -~]{0,10}".prop_map(Value::from),
    ]
}

/// Random nestings of the HOT functions with random arguments.
fn hot() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            (proptest::sample::select(FUNCTIONS), inner.clone())
                .prop_map(|(f, arg)| json!({ f: arg })),
            (
                proptest::sample::select(FUNCTIONS),
                proptest::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(f, args)| json!({ f: args })),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A template whose properties and outputs (and at times a condition) hold generated
/// function calls; mostly of a version that knows every function.
fn template() -> impl Strategy<Value = Value> {
    let version = prop_oneof![
        3 => Just("2021-04-16"),
        1 => proptest::sample::select(VERSIONS),
    ];
    let condition = proptest::option::weighted(0.2, hot());
    (version, hot(), hot(), condition).prop_map(|(version, properties, output, condition)| {
        let mut template = json!({
            "heat_template_version": version,
            "parameters": {"name": {"type": "string", "default": "n"}},
            "resources": {
                "r": {"type": "ESI::Monitoring::MonitoringTarget",
                      "properties": {"resource_id": properties}},
            },
            "outputs": {"o": {"value": output}},
        });
        if let Some(condition) = condition {
            template["conditions"] = json!({"c": condition});
            template["resources"]["s"] = json!({"type": "OS::Heat::None", "condition": "c"});
        }
        template
    })
}

static NAMES: AtomicU64 = AtomicU64::new(0);

proptest! {
    #![proptest_config(crate::config(128))]

    #[test]
    fn generated_templates_are_answered_without_5xx(template in template(), as_text in any::<bool>()) {
        let template = if as_text { Value::String(template.to_string()) } else { template };
        let server = &mut *server();
        let validate = json!({"template": template});
        send(server, Method::POST, "/validate", Some(validate.to_string().into_bytes()))?;
        let name = format!("fuzz{}", NAMES.fetch_add(1, Ordering::Relaxed));
        let create = json!({"stack_name": name, "template": template, "parameters": {}});
        let (status, body) = send(server, Method::POST, "/stacks", Some(create.to_string().into_bytes()))?;
        if status == 201 {
            let id = body["stack"]["id"].as_str().unwrap_or_default();
            let path = format!("/stacks/{name}/{id}");
            let (status, _) = send(server, Method::DELETE, &path, None)?;
            prop_assert_eq!(status, 204);
        }
    }
}

/// A path below the project's Heat URL: known segments, a created stack's, and any others.
fn path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        proptest::sample::select(
            &[
                "stacks",
                "detail",
                "validate",
                "outputs",
                "template",
                "environment",
                "files",
                "resources",
                "events",
                "resource_types",
                "fuzz0",
                "..",
                "%00",
                "%ff",
                "",
            ][..]
        )
        .prop_map(String::from),
        "[a-zA-Z0-9%._~-]{0,12}",
    ];
    let query = proptest::option::of("[a-z_=&%0-9]{0,20}");
    let head = proptest::sample::select(&["", "/stacks", "/stacks/fuzz0"][..]);
    let segments = proptest::collection::vec(segment, 0..5);
    (head, segments, query).prop_map(|(head, segments, query)| {
        let mut path: String = segments.iter().map(|s| format!("/{s}")).collect();
        path = format!("{head}{path}");
        if let Some(query) = query {
            path = format!("{path}?{query}");
        }
        path
    })
}

/// Bodies a careless client sends: broken JSON, JSON of the wrong shapes, random and huge.
fn body() -> impl Strategy<Value = Option<Vec<u8>>> {
    let shape = prop_oneof![
        Just(json!(null)),
        Just(json!([])),
        Just(json!({"stack_name": 1, "template": []})),
        Just(json!({"stack_name": "fuzz0", "template": "heat_template_version: x"})),
        Just(json!({"stack_name": "fuzz0", "template": {"resources": 5}, "parameters": []})),
        Just(json!({"template": {"heat_template_version": "2021-04-16"}, "files": 3})),
        Just(json!({"stack_name": "x".repeat(300), "template": {}, "timeout_mins": -1})),
        hot(),
    ];
    prop_oneof![
        Just(None),
        shape.prop_map(|v| Some(v.to_string().into_bytes())),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(Some),
        "[{}\\[\\]\":,a-z0-9 ]{0,40}".prop_map(|s| Some(s.into_bytes())),
        (1usize..1_000_000).prop_map(|n| Some(format!("[{}0]", "0,".repeat(n / 2)).into_bytes())),
        (1usize..1000)
            .prop_map(|n| Some(format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes())),
    ]
}

fn method() -> impl Strategy<Value = Method> {
    proptest::sample::select(
        &[
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "FUZZ",
        ][..],
    )
    .prop_map(|m| Method::from_bytes(m.as_bytes()).expect("method"))
}

proptest! {
    #![proptest_config(crate::config(128))]

    #[test]
    fn malformed_requests_are_answered_without_5xx(
        method in method(),
        path in path(),
        body in body(),
    ) {
        send(&mut server(), method, &path, body)?;
    }
}
