//! Loading and validation: every error names the file, line, column and key.

use std::path::Path;

use super::load::parse;
use super::validate::validate;
use super::{KeySelector, LoadError, Pick, Scenario, StepKind};

fn load_str(text: &str) -> Result<Scenario, LoadError> {
    let path = Path::new("scenarios/t.yaml");
    validate(path, parse(path, text)?)
}

fn error(text: &str) -> String {
    load_str(text).expect_err("should be rejected").to_string()
}

const HEAD: &str = "name: t\nworker: {kind: none}\n";

#[test]
fn loads_a_scenario_with_every_step_kind() {
    let text = format!(
        "{HEAD}steps:\n\
         - {{action: put, key: /a, value: {{x: 1}}}}\n\
         - {{action: put, key: /b, value: plain}}\n\
         - {{action: delete, key: /a, prefix: true}}\n\
         - {{action: gohan, op: create, path: /v2.0/ports/p, body: {{id: p}}}}\n\
         - {{action: wait, key: /a, until: matches, value: {{x: 1}}, timeout: 2s}}\n\
         documents:\n\
         - name: d\n  title: T\n  checkpoints:\n  - key: /a\n  - pattern: /jobs/all/*:?????\n    nth: 2\n"
    );
    let scenario = load_str(&text).unwrap();
    assert_eq!(scenario.id, "t");
    assert_eq!(scenario.steps.len(), 5);
    assert_eq!(scenario.steps[3].line, 7);
    match &scenario.steps[0].kind {
        StepKind::Put(put) => assert_eq!(put.value, br#"{"x":1}"#),
        other => panic!("{other:?}"),
    }
    match &scenario.steps[1].kind {
        StepKind::Put(put) => assert_eq!(put.value, b"plain"),
        other => panic!("{other:?}"),
    }
    match &scenario.steps[3].kind {
        StepKind::Gohan(gohan) => assert_eq!(gohan.key, "/config/v2.0/ports/p"),
        other => panic!("{other:?}"),
    }
    let second = &scenario.documents[0].checkpoints[1];
    assert_eq!((second.number, &second.pick), (2, &Pick::Nth(2)));
    assert!(matches!(second.key, KeySelector::Pattern { .. }));
    assert!(
        second
            .key
            .matches("/jobs/all/create:heat_worker:port:x:1:ab3cd")
    );
    assert!(
        !second
            .key
            .matches("/jobs/all/create:heat_worker:port:x:1:ab3c")
    );
}

#[test]
fn rejects_an_unknown_field_with_line_column_and_key() {
    let message = error(&format!(
        "{HEAD}steps:\n  - action: put\n    key: /a\n    valeu: 1\n"
    ));
    assert!(
        message.starts_with("scenarios/t.yaml:6:5: at `steps[0].valeu`"),
        "{message}"
    );
    assert!(message.contains("valeu"), "{message}");
}

#[test]
fn rejects_yaml_one_one_booleans() {
    let message = error(&format!(
        "{HEAD}steps:\n  - action: delete\n    key: /a\n    prefix: yes\n"
    ));
    assert!(
        message.starts_with("scenarios/t.yaml:6:13: at `steps[0].prefix`"),
        "{message}"
    );
}

#[test]
fn rejects_an_unknown_step_action() {
    let message = error(&format!("{HEAD}steps:\n  - action: sleep\n    key: /a\n"));
    assert!(message.starts_with("scenarios/t.yaml:4:"), "{message}");
    assert!(message.contains("sleep"), "{message}");
}

#[test]
fn rejects_malformed_yaml_with_its_position() {
    let message = error("name: t\nsteps: [\n");
    assert!(message.starts_with("scenarios/t.yaml:"), "{message}");
    assert!(!message.contains("?:?"), "{message}");
}

#[test]
fn rejects_invalid_values_naming_the_key() {
    let cases = [
        (
            "steps:\n  - {action: put, key: a, value: 1}\n",
            "steps[0].key",
        ),
        ("steps:\n  - {action: put, key: /a}\n", "steps[0]"),
        (
            "steps:\n  - {action: gohan, op: create, path: /ports}\n",
            "steps[0].path",
        ),
        (
            "steps:\n  - {action: gohan, op: update, path: /v2.0/ports/p}\n",
            "steps[0].body",
        ),
        (
            "steps:\n  - {action: wait, key: /a, until: matches}\n",
            "steps[0].value",
        ),
        (
            "steps:\n  - {action: wait, key: /a/, prefix: true, until: matches, value: {x: 1}}\n",
            "steps[0].prefix",
        ),
        (
            "steps: []\ndocuments:\n  - {name: d, title: T, checkpoints: [{key: /a, pattern: /b}]}\n",
            "documents[0].checkpoints[0]",
        ),
        (
            "steps: []\ndocuments:\n  - {name: d, title: T, checkpoints: [{key: /a, nth: 0}]}\n",
            "documents[0].checkpoints[0].nth",
        ),
        (
            "steps: []\ndocuments:\n  - {name: 'a b', title: T, checkpoints: [{key: /a}]}\n",
            "documents[0].name",
        ),
        (
            "steps: []\nredactions:\n  - {kind: regex, pattern: '(', replacement: x}\n",
            "redactions[0].pattern",
        ),
    ];
    for (body, key) in cases {
        let message = error(&format!("{HEAD}{body}"));
        assert!(message.contains(&format!("at `{key}`")), "{key}: {message}");
        assert!(message.starts_with("scenarios/t.yaml:"), "{message}");
        assert!(!message.contains("?:?"), "{message}");
    }
}

#[test]
fn rejects_two_documents_with_one_name() {
    let doc = "  - {name: d, title: T, checkpoints: [{key: /a}]}\n";
    let message = error(&format!("{HEAD}steps: []\ndocuments:\n{doc}{doc}"));
    assert!(message.contains("at `documents[1].name`"), "{message}");
}

#[test]
fn rejects_more_job_slots_than_a_semaphore_takes() {
    for slots in ["2305843009213693952", "1025"] {
        let message = error(&format!(
            "name: t\nworker: {{kind: reference, slots: {slots}}}\nsteps: []\n"
        ));
        assert!(message.contains("at `worker.slots`"), "{message}");
        assert!(message.contains("more than the 1024 allowed"), "{message}");
    }
}

#[test]
fn a_keyspace_takes_keys_under_its_prefixes_but_its_ignores() {
    let scenario = load_str(&format!(
        "{HEAD}steps: []\nkeyspace:\n  prefixes: [/state/, /monitoring/]\n  ignore: ['/state/v2.0/ports/*', /monitoring/x]\n"
    ))
    .unwrap();
    let keyspace = scenario.keyspace.unwrap();
    assert!(keyspace.takes("/state/v2.0/networks/n"));
    assert!(!keyspace.takes("/state/v2.0/ports/p"));
    assert!(keyspace.takes("/monitoring/y"));
    assert!(!keyspace.takes("/monitoring/x"));
    assert!(!keyspace.takes("/config/v2.0/networks/n"));
    let every = load_str(&format!("{HEAD}steps: []\nkeyspace: {{}}\n")).unwrap();
    assert!(every.keyspace.unwrap().takes("/anything"));
}

#[test]
fn a_bad_keyspace_names_its_key() {
    let e = error(&format!(
        "{HEAD}steps: []\nkeyspace:\n  prefixes: [state/]\n"
    ));
    assert!(
        e.contains("t.yaml:5:3: at `keyspace.prefixes[0]`")
            && e.contains("`state/` must start with `/`"),
        "{e}"
    );
    let e = error(&format!("{HEAD}steps: []\nkeyspace:\n  ignore: ['x*']\n"));
    assert!(e.contains("keyspace.ignore[0]"), "{e}");
    let e = error(&format!("{HEAD}steps: []\nkeyspace:\n  prefixes: []\n"));
    assert!(
        e.contains("keyspace.prefixes") && e.contains("names no prefix"),
        "{e}"
    );
    let e = error(&format!("{HEAD}steps: []\nkeyspace:\n  prefix: [/]\n"));
    assert!(e.contains("prefix"), "{e}");
}

#[test]
fn a_put_file_larger_than_etcd_takes_is_an_error_and_never_read_whole() {
    let e = error(&format!(
        "{HEAD}steps:\n- {{action: put, key: /a, file: /dev/zero}}\n"
    ));
    assert!(
        e.contains("steps[0].file") && e.contains("/dev/zero: larger than 1572864 bytes"),
        "{e}"
    );
}

#[test]
fn a_huge_timeout_loads() {
    let scenario = load_str(&format!(
        "{HEAD}timeout: 18446744073709551615s\nsteps:\n- {{action: wait, key: /a, timeout: 18446744073709551615s}}\n"
    ))
    .unwrap();
    assert_eq!(scenario.timeout.as_secs(), u64::MAX);
}

#[test]
fn section_errors_name_their_line_and_column() {
    let cases = [
        ("name: ' '\nsteps: []\n", "1:7: at `name`"),
        (
            "name: t\nworker: {kind: reference, slots: 0}\nsteps: []\n",
            "2:9: at `worker.slots`",
        ),
        (
            "name: t\nworker:\n  kind: command\n  command: ''\nsteps: []\n",
            "3:3: at `worker.command`",
        ),
        (
            "name: t\nheat:\n  project_id: 'a b'\nsteps: []\n",
            "3:3: at `heat.project_id`",
        ),
        (
            "name: t\nheat:\n  stacks:\n    - {match: x}\n    - {match: y, hold_until: {exists: []}}\nsteps: []\n",
            "5:7: at `heat.stacks[1].hold_until.exists`",
        ),
        (
            "name: t\ncollector: {public_url: ftp://x}\nsteps: []\n",
            "2:12: at `collector.public_url`",
        ),
        (
            "name: t\ncollector:\n  targets:\n    - match: ''\nsteps: []\n",
            "4:7: at `collector.targets[0].match`",
        ),
    ];
    for (text, expected) in cases {
        let message = error(text);
        assert!(
            message.starts_with(&format!("scenarios/t.yaml:{expected}")),
            "{expected}: {message}"
        );
    }
}

#[test]
fn a_scenario_written_from_its_steps_loads_back_the_same() {
    let text = format!(
        "{HEAD}steps:\n\
         - {{action: put, key: /a, value: {{x: 1}}}}\n\
         - {{action: delete, key: /a, prefix: true}}\n\
         - {{action: gohan, op: delete, path: /v2.0/ports/p}}\n\
         - {{action: wait, key: /a, until: matches, value: {{x: 1}}, timeout: 1500ms}}\n\
         - {{action: wait, key: /b/, prefix: true, until: deleted}}\n\
         documents:\n\
         - name: d\n  title: T\n  checkpoints:\n  - key: /a\n  - {{key: /a, after: 1}}\n  - {{pattern: /b*, matching: {{v: 1}}}}\n"
    );
    let scenario = load_str(&text).unwrap();
    let file = super::ScenarioFile {
        name: super::unspanned(scenario.name.clone()),
        description: None,
        timeout: None,
        worker: None,
        heat: None,
        collector: None,
        steps: scenario
            .steps
            .iter()
            .map(|s| super::unspanned(s.kind.to_file()))
            .collect(),
        documents: scenario
            .documents
            .iter()
            .map(|d| super::unspanned(d.to_file()))
            .collect(),
        redactions: Vec::new(),
        keyspace: None,
    };
    let written = serde_saphyr::to_string(&file).unwrap();
    let again = load_str(&written).unwrap();
    let kinds = |s: &Scenario| s.steps.iter().map(|s| s.kind.clone()).collect::<Vec<_>>();
    assert_eq!(kinds(&again), kinds(&scenario), "{written}");
    let picks = |s: &Scenario| {
        s.documents[0]
            .checkpoints
            .iter()
            .map(|c| (c.key.to_string(), c.pick.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(picks(&again), picks(&scenario), "{written}");
}
