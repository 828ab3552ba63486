//! The collector agents down (a fault step): the REST API answers 503 and nothing reaches
//! etcd; once up, the reports due meanwhile are written, in order.

use etcd_client::EventType;
use reqwest::{Method, StatusCode};

use crate::support::{MONITORING_KEY, STATE_KEY, call, recorded_body, synced, value, writes_after};

#[tokio::test]
async fn reports_due_while_down_are_written_once_the_agents_are_up() {
    let (_etcd, mut client, fakes) = synced().await;
    let (status, _) = call(&fakes, Method::POST, "/targets", Some(&recorded_body(1))).await;
    assert_eq!(status, StatusCode::CREATED);

    fakes.collector_up(false);
    let (status, _) = call(&fakes, Method::GET, "/targets", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let state = r#"{"error": "", "state": {"worker_state": "CREATE_COMPLETED"}, "version": 1}"#;
    let put = client.put(STATE_KEY, state, None).await.expect("put");
    let after = put.header().expect("header").revision();
    assert_eq!(value(&mut client, MONITORING_KEY).await, None);

    fakes.collector_up(true);
    let writes = writes_after(&mut client, "/monitoring/", after, 1).await;
    assert_eq!(
        writes,
        vec![(
            EventType::Put,
            MONITORING_KEY.to_string(),
            r#"{"interface":"UP","version":1}"#.to_string()
        )]
    );
    let (status, _) = call(&fakes, Method::GET, "/targets", None).await;
    assert_eq!(status, StatusCode::OK);
}
