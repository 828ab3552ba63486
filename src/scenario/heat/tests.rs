//! Tests of the `heat:` section.

use super::*;

fn parse(yaml: &str) -> Result<HeatSpec, (String, String)> {
    validate(Some(serde_saphyr::from_str(yaml).expect("parses")))
        .map_err(|e| (e.error.field, e.error.message))
}

#[test]
fn defaults_to_one_read_in_progress() {
    let spec = parse("{}").expect("valid");
    assert_eq!(spec.in_progress_reads, 1);
    assert_eq!(spec, HeatSpec::default());
}

#[test]
fn first_matching_rule_applies() {
    let spec = parse(
        "stacks:\n  - {match: 'lb_*', in_progress_reads: 3}\n  - {match: '*', in_progress_reads: 0}\n",
    )
    .expect("valid");
    assert_eq!(
        spec.rule("lb_x", None).and_then(|r| r.in_progress_reads),
        Some(3)
    );
    assert_eq!(
        spec.rule("port", None).and_then(|r| r.in_progress_reads),
        Some(0)
    );
}

#[test]
fn errors_name_the_key() {
    let err = parse("stacks:\n  - {match: x, http_error: {status: 404, count: 1}}\n")
        .expect_err("invalid");
    assert_eq!(err.0, "heat.stacks[0].http_error.status");
    let err = parse("stacks:\n  - {match: x, fail: [{action: create, times: 0}]}\n")
        .expect_err("invalid");
    assert_eq!(err.0, "heat.stacks[0].fail[0].times");
    let err = parse("stacks:\n  - {match: x, hold_until: {exists: []}}\n").expect_err("invalid");
    assert_eq!(err.0, "heat.stacks[0].hold_until.exists");
    let err =
        parse("stacks:\n  - {match: x, hold_until: {exists: [a, ' ']}}\n").expect_err("invalid");
    assert_eq!(err.0, "heat.stacks[0].hold_until.exists[1]");
}

#[test]
fn a_hold_names_keys_and_globs() {
    let spec =
        parse("stacks:\n  - {match: x, generation: 1, hold_until: {exists: ['/a/*', /b]}}\n")
            .expect("valid");
    let rule = spec.rule("x", Some(1)).expect("rule");
    assert_eq!(rule.hold_until, ["/a/*", "/b"]);
}

#[test]
fn unknown_keys_are_refused() {
    let err = serde_saphyr::from_str::<HeatFile>("stacks:\n  - {match: x, outptus: {}}\n");
    assert!(err.is_err());
}
