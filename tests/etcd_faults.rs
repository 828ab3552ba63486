//! etcd faults: an embedded etcd killed and restarted keeps its data and its endpoints; a
//! watch that follows it misses nothing and repeats nothing; a cluster serves on while its
//! leader is down; a killed worker's leases can be expired; heatbed never kills an etcd it
//! did not start.

#[path = "support/etcd_binary.rs"]
mod etcd_binary;
use etcd_binary::etcd_binary;

use etcd_client::{Client, EventType};
use heatbed::etcd::{Backend, EtcdError, Follow, Range};

/// Runs `request` until it succeeds, at most `tries` times (a request may reach a member
/// that is down before the balancer learns it: that is what clients retry).
macro_rules! retried {
    ($tries:expr, $request:expr) => {{
        let mut last = None;
        let mut answer = None;
        for _ in 0..$tries {
            match $request.await {
                Ok(ok) => {
                    answer = Some(ok);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        answer.unwrap_or_else(|| panic!("never answered: {last:?}"))
    }};
}

async fn value(client: &mut Client, key: &str) -> Option<String> {
    let answer = retried!(200, client.get(key, None));
    answer
        .kvs()
        .first()
        .map(|kv| String::from_utf8_lossy(kv.value()).into_owned())
}

#[tokio::test]
async fn a_killed_etcd_restarts_on_its_data_and_a_follow_misses_no_write() {
    if !etcd_binary("etcd faults need the embedded backend") {
        return;
    }
    let etcd = Backend::Embedded.start().await.expect("etcd");
    let endpoints = etcd.endpoints().to_vec();
    let mut client = etcd.client();
    let first = client.put("/a", "1", None).await.expect("put");
    let start = first.header().expect("header").revision();
    let mut follow = Follow::from_revision(client.clone(), "/", Range::Prefix, start)
        .await
        .expect("follow");

    assert_eq!(etcd.kill().await.expect("kill"), ["heatbed"]);
    assert!(client.get("/a", None).await.is_err(), "etcd is down");
    assert_eq!(etcd.restart().await.expect("restart"), ["heatbed"]);
    assert_eq!(etcd.endpoints(), endpoints.as_slice());
    assert_eq!(value(&mut client, "/a").await.as_deref(), Some("1"));
    retried!(200, client.put("/b", "2", None));

    let mut seen = Vec::new();
    while seen.len() < 2 {
        for event in follow.next().await.expect("no write lost") {
            let kv = event.kv().expect("kv");
            assert_eq!(event.event_type(), EventType::Put);
            seen.push(String::from_utf8_lossy(kv.key()).into_owned());
        }
    }
    assert_eq!(seen, ["/a", "/b"], "each write once, in order");
}

#[tokio::test]
async fn a_cluster_serves_on_while_its_leader_is_down_and_takes_it_back() {
    if !etcd_binary("etcd faults need the embedded backend") {
        return;
    }
    let etcd = Backend::Cluster(3)
        .start()
        .await
        .expect("a 3-member cluster");
    assert_eq!(etcd.endpoints().len(), 3);
    let mut client = etcd.client();
    client.put("/before", "1", None).await.expect("put");

    let leader = etcd.kill_leader().await.expect("kill the leader");
    assert!(leader.starts_with("heatbed-"), "{leader}");
    retried!(200, client.put("/during", "2", None));
    assert_eq!(value(&mut client, "/before").await.as_deref(), Some("1"));

    assert_eq!(
        etcd.restart().await.expect("restart"),
        std::slice::from_ref(&leader)
    );
    // The member that was down has caught up: read from it alone.
    let index: usize = leader
        .trim_start_matches("heatbed-")
        .parse()
        .expect("member index");
    let mut member = Client::connect([&etcd.endpoints()[index]], None)
        .await
        .expect("connect");
    assert_eq!(value(&mut member, "/during").await.as_deref(), Some("2"));
}

#[tokio::test]
async fn expiring_leases_removes_what_a_dead_worker_held() {
    if !etcd_binary("etcd faults need the embedded backend") {
        return;
    }
    let etcd = Backend::Embedded.start().await.expect("etcd");
    let mut client = etcd.client();
    let lease = client.lease_grant(60, None).await.expect("lease").id();
    let options = etcd_client::PutOptions::new().with_lease(lease);
    client
        .put("/jobs/working/j", "r", Some(options))
        .await
        .expect("put");
    assert_eq!(etcd.expire_leases().await.expect("expire"), 1);
    assert_eq!(value(&mut client, "/jobs/working/j").await, None);
}

#[tokio::test]
async fn heatbed_never_kills_an_etcd_it_did_not_start() {
    if !etcd_binary("etcd faults need the embedded backend") {
        return;
    }
    let own = Backend::Embedded.start().await.expect("etcd");
    let external = Backend::External(own.endpoints().to_vec())
        .start()
        .await
        .expect("connects");
    let refused = external.kill().await.expect_err("refused");
    assert!(
        matches!(refused, EtcdError::FaultUnsupported { .. }),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("an external etcd"),
        "{refused}"
    );
    let mut client = own.client();
    client
        .put("/still", "up", None)
        .await
        .expect("own etcd still up");
}

#[test]
fn cluster_choices_parse_and_print() {
    assert_eq!("cluster:3".parse::<Backend>().unwrap(), Backend::Cluster(3));
    assert_eq!(Backend::Cluster(3).to_string(), "cluster:3");
    for bad in ["cluster:0", "cluster:8", "cluster:x", "cluster:"] {
        assert!(bad.parse::<Backend>().is_err(), "{bad}");
    }
}

#[tokio::test]
async fn a_fault_step_on_an_etcd_heatbed_did_not_start_is_a_clear_run_error() {
    if !etcd_binary("etcd faults need the embedded backend") {
        return;
    }
    let own = Backend::Embedded.start().await.expect("etcd");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kill.yaml");
    std::fs::write(
        &path,
        "name: kill\nworker: {kind: none}\nsteps:\n  - {action: fault, etcd: kill}\n",
    )
    .expect("scenario");
    let scenario = heatbed::scenario::load(&path).expect("loads");
    let external = Backend::External(own.endpoints().to_vec());
    let error = heatbed::run::run_on(&external, &scenario)
        .await
        .expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("step 1 (`fault`, line 4)"), "{message}");
    assert!(
        message.contains("fault `etcd: kill` failed") && message.contains("an external etcd"),
        "{message}"
    );
}
