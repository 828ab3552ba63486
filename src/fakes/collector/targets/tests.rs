//! Targets: due reports, hold options, default statuses.

use serde_json::json;

use super::*;

fn input(resource_id: &str, version: i64) -> TargetInput {
    let body = json!({"type": "snmp_ports", "resource_type": "ports", "resource_id": resource_id,
        "field_name": "vmi", "version": version,
        "syncer_properties": {"etcd": {"status": {"key": "vmi"}}}});
    TargetInput::parse(&body, false).expect("a target")
}

#[test]
fn due_targets_are_pending_until_synced_and_changes_until_handled() {
    let targets = Targets::new(&CollectorSpec::default());
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    targets.connect(tx);
    let a = targets.create(input("a", 2), Some("ta"));
    targets.create(input("b", 1), Some("tb"));
    let states: HashMap<String, Option<i64>> = [
        ("ports/a".to_string(), Some(2)),
        ("ports/b".to_string(), Some(0)),
    ]
    .into();
    assert_eq!(
        targets.pending(&states),
        [
            "2 target creations or deletions not handled yet",
            "ports/a v2 vmi (ta)"
        ]
    );
    targets.handled();
    targets.handled();
    let plan = targets.report(&a.id).expect("a plan");
    assert_eq!(plan.status_key, "vmi");
    assert_eq!(plan.statuses, [json!("UP")]);
    assert_eq!(targets.pending(&states), ["ports/a v2 vmi (ta)"]);
    let mut progress = targets.progress();
    progress.borrow_and_update();
    targets.synced(&a.id);
    assert!(progress.has_changed().expect("a sender"));
    assert!(targets.pending(&states).is_empty());
    assert_eq!(targets.report(&a.id), None, "reported once");
    // A state without a version makes every version due.
    let unversioned: HashMap<String, Option<i64>> = [("ports/b".to_string(), None)].into();
    assert_eq!(targets.pending(&unversioned), ["ports/b v1 vmi (tb)"]);
}

#[test]
fn hold_options_filter_only_when_the_rule_says_so() {
    let statuses = vec![json!("UP"), json!("FAIL"), json!("UP")];
    let body = json!({"type": "virtual_machine_interface", "resource_type": "ports",
        "resource_id": "p", "field_name": "vmi", "version": 1, "syncer_properties": {"etcd": {
            "status": {"key": "vmi"},
            "hold_options": {"positive_status": ["UP", "DOWN"], "time_seconds": 210}}}});
    for (hold, written) in [(false, statuses.clone()), (true, vec![json!("UP")])] {
        let mut rule =
            crate::scenario::TargetRule::new("ports/*", Report::Statuses(statuses.clone()));
        rule.hold = hold;
        let spec = CollectorSpec {
            targets: vec![rule],
            ..CollectorSpec::default()
        };
        let targets = Targets::new(&spec);
        let t = targets.create(TargetInput::parse(&body, false).expect("a target"), None);
        let plan = targets.report(&t.id).expect("a plan");
        assert_eq!(plan.statuses, written, "hold: {hold}");
    }
}

#[test]
fn hold_options_give_the_default_status() {
    let targets = Targets::new(&CollectorSpec::default());
    let pair = json!({"primary": "MASTER", "secondary": "BACKUP"});
    let body = json!({"type": "vrrp_pool", "resource_type": "gw_interfaces", "resource_id": "g",
        "field_name": "status", "version": 1, "syncer_properties": {"etcd": {
            "status": {"key": "status"},
            "hold_options": {"positive_status": [pair], "time_seconds": 360}}}});
    let t = targets.create(TargetInput::parse(&body, false).expect("a target"), None);
    let plan = targets.report(&t.id).expect("a plan");
    assert_eq!(plan.statuses, [pair]);
    let metrics = json!({"type": "igs_counter", "resource_type": "internet_gateways",
        "resource_id": "i", "field_name": "primary_counter", "version": 1,
        "syncer_properties": {"tsdb": {}}});
    let t = targets.create(TargetInput::parse(&metrics, false).expect("a target"), None);
    assert_eq!(targets.report(&t.id), None, "no etcd status to write");
    assert_eq!(targets.get(&t.id).expect("kept").results, [json!("UP")]);
}
