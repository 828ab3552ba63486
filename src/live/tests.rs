//! The recorder against a real etcd (what is lost is an error, never a gap) and the builder
//! on hand-made histories.

use std::time::Duration;

use etcd_client::CompactionOptions;
use serde_json::json;

use super::watch::{Event, History, follow};
use super::*;
use crate::encoding::go_json;
use crate::etcd::Backend;

fn everything() -> Scope {
    Scope {
        watch: WATCH.iter().map(|p| p.to_string()).collect(),
        ignore: IGNORE.iter().map(|p| p.to_string()).collect(),
    }
}

#[tokio::test]
async fn a_compacted_history_is_an_error_naming_the_revisions_lost() {
    let etcd = Backend::Embedded.start().await.expect("etcd");
    let mut client = etcd.client();
    for i in 0..5 {
        client.put(format!("/k{i}"), "v", None).await.expect("put");
    }
    let revision = client
        .get("/k0", None)
        .await
        .expect("get")
        .header()
        .expect("header")
        .revision();
    client
        .compact(revision, Some(CompactionOptions::new().with_physical()))
        .await
        .expect("compact");
    let url = etcd.endpoints()[0].clone();
    let got = follow(
        &mut client,
        &url,
        1,
        &everything(),
        &Until::default(),
        std::future::pending(),
    )
    .await;
    match got {
        Err(LiveError::Compacted { from, compacted }) => {
            assert_eq!((from, compacted), (2, revision));
            let message = LiveError::Compacted { from, compacted }.to_string();
            assert!(
                message.contains(&format!("revisions 2..={revision} are lost")),
                "{message}"
            );
        }
        other => panic!("expected a compaction error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_lost_etcd_is_an_error_naming_the_last_revision_received() {
    let etcd = Backend::Embedded.start().await.expect("etcd");
    let url = etcd.endpoints()[0].clone();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let recording = tokio::spawn({
        let url = url.clone();
        async move {
            let watching = |revision| {
                let _ = tx.send(revision);
            };
            record(
                &url,
                &everything(),
                &Until::default(),
                "f",
                None,
                watching,
                std::future::pending(),
            )
            .await
        }
    });
    let start = rx.await.expect("watching");
    let mut client = etcd.client();
    client.put("/config/raw", "1", None).await.expect("put");
    drop(etcd);
    let got = tokio::time::timeout(Duration::from_secs(60), recording)
        .await
        .expect("the recording ends when etcd goes")
        .expect("task");
    match got {
        Err(e @ LiveError::Lost { .. }) => {
            let message = e.to_string();
            assert!(message.contains(&url), "{message}");
            assert!(message.contains("was lost after revision"), "{message}");
            // Whether the put arrived before etcd went is a race; either way the message
            // names where the gap starts.
            let named = [start, start + 1].iter().any(|seen| {
                message.contains(&format!("after revision {seen} "))
                    && message.contains(&format!("from revision {} on is missing", seen + 1))
            });
            assert!(named, "{message}");
        }
        other => panic!("expected a lost watch, got {other:?}"),
    }
}

fn gohan(version: u64, marked: bool, body: serde_json::Value) -> Option<String> {
    Some(go_json(
        &json!({"body": go_json(&body), "marked_for_deletion": marked, "version": version}),
    ))
}

fn event(revision: i64, key: &str, value: Option<String>) -> Event {
    Event {
        revision,
        key: key.into(),
        value,
    }
}

#[test]
fn gohan_writes_become_gohan_steps_and_other_keys_raw_steps() {
    let net = "/config/v2.0/networks/n1";
    let body = json!({"id": "n1", "name": "a"});
    let state =
        |v: u64, s: &str| Some(json!({"version": v, "state": {"worker_state": s}}).to_string());
    let history = History {
        initial: vec![(
            "/config/v2.0/heat_templates/network".into(),
            "{\"t\":1}".into(),
        )],
        start: 10,
        end: 20,
        events: vec![
            event(11, net, gohan(1, false, body.clone())),
            event(12, "/state/v2.0/networks/n1", state(1, "CREATE_COMPLETED")),
            event(13, "/custom/flag", Some("on".into())),
            event(14, net, gohan(2, true, body.clone())),
            event(15, "/state/v2.0/networks/n1", state(2, "DELETE_COMPLETED")),
            event(16, net, None),
            event(17, "/state/v2.0/networks/n1", None),
            event(18, "/custom/flag", None),
            event(19, "/config/not_gohan", Some("{\"version\": 1}".into())),
        ],
    };
    let recording = build::scenario(&history, "f", "http://e", &[], None).expect("builds");
    let yaml = &recording.yaml;
    for expected in [
        "- action: put\n  key: /config/v2.0/heat_templates/network\n  file: fixtures/f/config_v2.0_heat_templates_network.json",
        "- action: gohan\n  op: create\n  path: /v2.0/networks/n1",
        "- action: put\n  key: /custom/flag\n  value: \"on\"",
        "- action: gohan\n  op: delete\n  path: /v2.0/networks/n1",
        "- action: delete\n  key: /custom/flag",
        "- action: put\n  key: /config/not_gohan\n  value: \"{\\\"version\\\": 1}\"",
        "worker_state: DELETE_COMPLETED",
        "name: networks_01",
    ] {
        assert!(yaml.contains(expected), "no `{expected}` in:\n{yaml}");
    }
    // Gohan's removal of the deleted resource is the delete step's, not a second raw one.
    assert_eq!(
        yaml.matches("- action: delete\n  key: /config/v2.0/networks/n1\n")
            .count(),
        1,
        "{yaml}"
    );
    let fixture = &recording.files[0];
    assert_eq!(
        (fixture.path.to_str(), fixture.content.as_str()),
        (
            Some("fixtures/f/config_v2.0_heat_templates_network.json"),
            "{\"t\":1}"
        )
    );
    let document = recording
        .files
        .iter()
        .find(|f| f.path.ends_with("recorded/f/networks_01.md"))
        .expect("the recording");
    assert_eq!(
        document.content.matches("### Checking stored data").count(),
        4
    );
}

#[test]
fn a_recording_without_writes_is_an_error() {
    let history = History {
        initial: vec![],
        start: 3,
        end: 3,
        events: vec![],
    };
    let err = build::scenario(&history, "f", "http://e", &["/".into()], None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "nothing was recorded between revisions 4 and 3: no write under the watched prefixes (/)"
    );
}
