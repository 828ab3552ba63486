//! The `collector:` section: parsing, defaults, rule selection and errors.

use serde_json::json;

use super::*;

fn parse(yaml: &str) -> Result<CollectorSpec, (String, String)> {
    validate(Some(serde_saphyr::from_str(yaml).expect("parses")))
        .map_err(|e| (e.error.field, e.error.message))
}

fn resource<'a>(resource_type: &'a str, resource_id: &'a str) -> TargetSelector<'a> {
    TargetSelector {
        resource_type,
        resource_id,
        ..TargetSelector::default()
    }
}

fn report<'a>(spec: &'a CollectorSpec, target: &TargetSelector<'_>) -> Option<&'a Report> {
    spec.rule(target).map(|r| &spec.targets[r].report)
}

#[test]
fn defaults_report_the_healthy_status_once_at_the_recorded_address() {
    let spec = parse("{}").expect("valid");
    assert_eq!(spec, CollectorSpec::default());
    assert_eq!(spec.public_url, "http://collector-agents-se:7070");
    assert!(spec.rule(&resource("ports", "x")).is_none());
    let spec = parse("targets:\n  - match: 'ports/*'\n").expect("valid");
    assert_eq!(
        report(&spec, &resource("ports", "x")),
        Some(&Report::Healthy)
    );
}

#[test]
fn flapping_expands_into_alternating_statuses() {
    let spec = parse("targets:\n  - match: 'ports/*'\n    report: {kind: flapping, times: 3}\n")
        .expect("valid");
    assert_eq!(
        report(&spec, &resource("ports", "abc")),
        Some(&Report::Statuses(vec![
            json!("UP"),
            json!("FAIL"),
            json!("UP")
        ]))
    );
    assert!(spec.rule(&resource("load_balancers", "abc")).is_none());
}

#[test]
fn statuses_may_be_mappings_for_ha_pairs() {
    let spec = parse(
        "targets:\n  - match: 'gw_interfaces/*'\n    report:\n      kind: statuses\n      statuses:\n        - {primary: MASTER, secondary: BACKUP}\n        - FAIL\n  - match: 'x/*'\n    report: {kind: flapping, between: [{a: MASTER}, {a: BACKUP}], times: 2}\n",
    )
    .expect("valid");
    assert_eq!(
        report(&spec, &resource("gw_interfaces", "1")),
        Some(&Report::Statuses(vec![
            json!({"primary": "MASTER", "secondary": "BACKUP"}),
            json!("FAIL")
        ]))
    );
    assert_eq!(
        report(&spec, &resource("x", "1")),
        Some(&Report::Statuses(vec![
            json!({"a": "MASTER"}),
            json!({"a": "BACKUP"})
        ]))
    );
}

#[test]
fn rules_select_by_type_field_and_version_too() {
    let spec = parse(
        "targets:\n  - {match: 'aws_interfaces/*', field: 'primary_*', report: {kind: silent}}\n  - {match: 'aws_interfaces/*', type: bgp_pool, version: 2, hold: true, report: {kind: unreachable}}\n  - {match: '*'}\n",
    )
    .expect("valid");
    let target = |kind, field_name, version| TargetSelector {
        resource_type: "aws_interfaces",
        resource_id: "1",
        kind: Some(kind),
        field_name: Some(field_name),
        version: Some(version),
    };
    let primary = target("snmp_ports_metric", "primary_router", 1);
    let secondary = target("snmp_ports_metric", "secondary_router", 1);
    assert_eq!(spec.rule(&primary), Some(0));
    assert_eq!(spec.rule(&secondary), Some(2));
    assert_eq!(spec.rule(&target("bgp_pool", "status", 2)), Some(1));
    assert!(spec.targets[1].hold && !spec.targets[0].hold);
    assert_eq!(spec.rule(&target("bgp_pool", "status", 1)), Some(2));
    // A REST call that only knows the resource fits the first rule of the resource.
    assert_eq!(spec.rule(&resource("aws_interfaces", "1")), Some(0));
}

#[test]
fn first_matching_rule_applies() {
    let spec = parse(
        "targets:\n  - {match: 'ports/a*', report: {kind: silent}}\n  - {match: '*', report: {kind: unreachable}}\n",
    )
    .expect("valid");
    assert_eq!(
        report(&spec, &resource("ports", "ab")),
        Some(&Report::Silent)
    );
    assert_eq!(
        report(&spec, &resource("ports", "b")),
        Some(&Report::Unreachable)
    );
}

#[test]
fn errors_name_the_key() {
    let cases = [
        (
            "targets:\n  - {match: x, http_error: {status: 404, count: 1}}\n",
            "collector.targets[0].http_error.status",
        ),
        (
            "targets:\n  - {match: x, report: {kind: statuses, statuses: []}}\n",
            "collector.targets[0].report.statuses",
        ),
        (
            "targets:\n  - {match: x, report: {kind: statuses, statuses: [UP, 3]}}\n",
            "collector.targets[0].report.statuses[1]",
        ),
        (
            "targets:\n  - {match: x, report: {kind: statuses, statuses: [{}]}}\n",
            "collector.targets[0].report.statuses[0]",
        ),
        (
            "targets:\n  - {match: x, report: {kind: flapping, between: [UP, UP]}}\n",
            "collector.targets[0].report.between",
        ),
        (
            "targets:\n  - {match: x, report: {kind: flapping, between: [UP, [1]]}}\n",
            "collector.targets[0].report.between",
        ),
        (
            "targets:\n  - {match: x, report: {kind: flapping, times: 4000000000}}\n",
            "collector.targets[0].report.times",
        ),
        (
            "targets:\n  - {match: x, field: ''}\n",
            "collector.targets[0].field",
        ),
        (
            "targets:\n  - {match: x, type: ' '}\n",
            "collector.targets[0].type",
        ),
        ("clock: yesterday\n", "collector.clock"),
        ("public_url: collector:7070\n", "collector.public_url"),
    ];
    for (yaml, key) in cases {
        let err = parse(yaml).expect_err(yaml);
        assert_eq!(err.0, key, "{yaml}");
    }
}

#[test]
fn unknown_keys_and_kinds_are_refused() {
    for yaml in [
        "targets:\n  - {match: x, reprot: {}}\n",
        "targets:\n  - {match: x, report: {kind: down}}\n",
        "targets:\n  - {match: x, report: {statuses: [UP], kind: statuses}}\n",
    ] {
        assert!(
            serde_saphyr::from_str::<CollectorFile>(yaml).is_err(),
            "{yaml}"
        );
    }
}

#[test]
fn rule_errors_carry_the_rule_position() {
    let file = serde_saphyr::from_str(
        "clock: 2018-02-19T05:22:01Z\ntargets:\n  - {match: a}\n  - {match: ''}\n",
    )
    .expect("parses");
    let invalid = validate(Some(file)).expect_err("invalid");
    assert_eq!(invalid.error.field, "collector.targets[1].match");
    assert_eq!(invalid.at.line(), 4);
}
