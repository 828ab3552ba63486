use super::*;
use crate::fakes::heat::hold::{Hold, Written};
use crate::fakes::heat::template::Template;

fn stack() -> Stack {
    let template = Template::parse(&serde_json::json!({"heat_template_version": "2013-05-23"}))
        .expect("template");
    Stack::new(NewStack {
        id: "id".into(),
        name: "s".into(),
        template,
        given: serde_json::Map::new(),
        params: Params::default(),
        timeout_mins: None,
        disable_rollback: true,
        tags: None,
        now: "2018-02-19T05:22:00Z".into(),
    })
}

const T: &str = "2018-02-19T05:22:01Z";

fn run(reads: u32, outcome: Outcome) -> Run {
    Run {
        reads,
        outcome,
        hold: None,
    }
}

fn held(written: &std::sync::Arc<Written>) -> Run {
    Run {
        reads: 0,
        outcome: Outcome::Complete,
        hold: Some(Hold {
            keys: vec!["/jobs/all/x:*".into()],
            written: std::sync::Arc::clone(written),
        }),
    }
}

#[test]
fn create_stays_in_progress_for_the_given_reads() {
    let mut s = stack();
    s.start(Action::Create, run(2, Outcome::Complete), T);
    assert_eq!(s.stack_status(), "CREATE_IN_PROGRESS");
    assert_eq!(s.reason, "Stack CREATE started");
    assert!(!s.observe(T));
    assert!(!s.observe(T));
    assert_eq!(s.stack_status(), "CREATE_IN_PROGRESS");
    assert!(s.observe(T));
    assert_eq!(s.stack_status(), "CREATE_COMPLETE");
    assert_eq!(s.reason, "Stack CREATE completed successfully");
    assert!(!s.observe(T), "a finished stack stays put");
    assert_eq!(s.events.len(), 2);
    assert_eq!(s.updated, None);
}

#[test]
fn zero_reads_complete_at_once() {
    let mut s = stack();
    s.start(Action::Create, run(0, Outcome::Complete), T);
    assert_eq!(s.stack_status(), "CREATE_COMPLETE");
}

#[test]
fn update_reason_and_updated_time_are_heats() {
    let mut s = stack();
    s.start(Action::Create, run(0, Outcome::Complete), T);
    s.start(
        Action::Update,
        run(1, Outcome::Complete),
        "2018-02-19T05:30:00Z",
    );
    assert_eq!(s.stack_status(), "UPDATE_IN_PROGRESS");
    assert_eq!(s.reason, "Stack UPDATE started");
    s.observe(T);
    s.observe(T);
    assert_eq!(s.stack_status(), "UPDATE_COMPLETE");
    assert_eq!(s.reason, "Stack successfully updated");
    assert_eq!(s.updated.as_deref(), Some("2018-02-19T05:30:00Z"));
}

#[test]
fn failures_carry_their_reason() {
    let mut s = stack();
    s.start(
        Action::Create,
        run(0, Outcome::Fail("Resource CREATE failed: boom".into())),
        T,
    );
    assert_eq!(s.stack_status(), "CREATE_FAILED");
    assert_eq!(s.reason, "Resource CREATE failed: boom");
    assert!(!s.is_deleted());
}

#[test]
fn delete_completes_into_a_soft_deleted_stack() {
    let mut s = stack();
    s.start(Action::Create, run(0, Outcome::Complete), T);
    s.start(Action::Delete, run(1, Outcome::Complete), T);
    assert_eq!(s.stack_status(), "DELETE_IN_PROGRESS");
    assert!(!s.is_deleted());
    s.observe(T);
    s.observe(T);
    assert_eq!(s.stack_status(), "DELETE_COMPLETE");
    assert_eq!(s.reason, "Stack DELETE completed successfully");
    assert!(s.is_deleted());
    assert_eq!(s.deleted.as_deref(), Some(T));
    let statuses: Vec<_> = s.events.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "CREATE_IN_PROGRESS",
            "CREATE_COMPLETE",
            "DELETE_IN_PROGRESS",
            "DELETE_COMPLETE"
        ]
    );
}

#[test]
fn a_hold_keeps_the_operation_in_progress_until_lifted() {
    let written = std::sync::Arc::new(Written::new(["/jobs/all/x:*".to_string()]));
    let mut s = stack();
    s.start(Action::Create, held(&written), T);
    assert_eq!(s.stack_status(), "CREATE_IN_PROGRESS");
    for _ in 0..5 {
        assert!(!s.observe(T));
    }
    assert_eq!(s.held_for(), ["/jobs/all/x:*"]);
    written.put(b"/jobs/all/x:1:abcde");
    assert!(s.held_for().is_empty());
    assert!(s.observe(T));
    assert_eq!(s.stack_status(), "CREATE_COMPLETE");
}
