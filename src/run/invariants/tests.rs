//! Each invariant over synthetic histories: a healthy run passes, each violation kind is
//! found and names its key, revisions and values.

use serde_json::json;

use super::{Invariant, Invariants, ViolationKind, check, pending};
use crate::run::recorder::Write;

const NET: &str = "v2.0/networks/n1";
const JOB: &str = "create:heat_worker:network:n1:1:abcde";

/// A history under construction, one revision per write.
#[derive(Default)]
struct History(Vec<Write>);

impl History {
    fn put(mut self, key: &str, value: impl ToString) -> Self {
        let revision = self.0.len() as i64 + 2;
        self.0.push(Write {
            revision,
            key: key.into(),
            value: Some(value.to_string().into_bytes()),
        });
        self
    }

    fn delete(mut self, key: &str) -> Self {
        let revision = self.0.len() as i64 + 2;
        self.0.push(Write {
            revision,
            key: key.into(),
            value: None,
        });
        self
    }

    /// Gohan's write of `version` at `/config/<path>` (Go-encoded, body a string).
    fn config(self, path: &str, version: u64) -> Self {
        let value =
            json!({"body": "{\"id\":\"x\"}", "marked_for_deletion": false, "version": version});
        self.put(&format!("/config/{path}"), value)
    }

    fn state(self, path: &str, version: u64, worker_state: &str) -> Self {
        let value =
            json!({"error": "", "state": {"worker_state": worker_state}, "version": version});
        self.put(&format!("/state/{path}"), value)
    }

    /// The job manager schedules `id` for `network` `n1` at `version`.
    fn job(self, id: &str, version: u64) -> Self {
        let value = json!(["heat_worker", {"resource_type": "network", "resource_id": "n1", "version": version}, 0]);
        self.put(&format!("/jobs/all/{id}"), value)
            .put(&format!("/jobs/ready/{id}"), "heat_worker")
    }

    fn claim(self, id: &str, reservation: &str) -> Self {
        self.put(&format!("/jobs/working/{id}"), reservation)
            .delete(&format!("/jobs/ready/{id}"))
    }

    fn finish(self, id: &str) -> Self {
        self.put(&format!("/jobs/finished/{id}"), "")
    }

    fn retire(self, id: &str) -> Self {
        ["working", "all", "finished"]
            .iter()
            .fold(self, |h, q| h.delete(&format!("/jobs/{q}/{id}")))
    }

    /// The reference worker's whole job, from the claim to the clean-up.
    fn run_job(self, id: &str, version: u64, worker_state: &str) -> Self {
        self.claim(id, "r1")
            .put(&format!("/esi-worker/job_state/{NET}"), "{}")
            .put(&format!("/jobs/working/{id}"), "r1")
            .state(NET, version, worker_state)
            .finish(id)
            .delete(&format!("/esi-worker/job_state/{NET}"))
            .retire(id)
    }

    fn check(&self) -> Invariants {
        check(&self.0)
    }
}

/// A template, a non-workable resource and a workable one with its job, as recorded.
fn healthy() -> History {
    History::default()
        .put(
            "/config/v2.0/heat_templates/network",
            json!({"body": "{}", "version": 1}),
        )
        .config("v2.0/quotas/default", 1)
        .state("v2.0/quotas/default", 1, "READ_COMPLETE")
        .config(NET, 1)
        .put(&format!("/esi-worker/config/{NET}"), "{}")
        .job(JOB, 1)
        .run_job(JOB, 1, "CREATE_COMPLETED")
}

fn kinds(invariants: &Invariants, invariant: Invariant) -> Vec<ViolationKind> {
    let check = invariants
        .checks
        .iter()
        .find(|c| c.invariant == invariant)
        .expect("every invariant is checked");
    check.violations.iter().map(|v| v.kind).collect()
}

#[test]
fn a_healthy_run_holds_every_invariant() {
    let invariants = healthy().check();
    assert!(invariants.hold(), "{invariants}");
    assert_eq!(invariants.checks.len(), Invariant::ALL.len());
    assert_eq!(
        invariants.counts.config_versions, 2,
        "the template is no resource"
    );
    assert_eq!(invariants.counts.jobs, 1);
    assert_eq!(
        invariants.summary(),
        "1 jobs, 0 lost, 0 duplicated, 0 state regressions, 0 leftover /jobs keys"
    );
    assert!(!pending(&healthy().0));
}

#[test]
fn a_version_nobody_answers_is_lost_and_pending() {
    let history = healthy().config(NET, 2);
    let invariants = history.check();
    assert_eq!(
        kinds(&invariants, Invariant::OneJobPerConfigVersion),
        [ViolationKind::Lost]
    );
    let lost = &invariants.checks[0].violations[0];
    assert_eq!(lost.key, format!("/config/{NET}"));
    assert_eq!(lost.revisions, [history.0.last().unwrap().revision]);
    assert_eq!(invariants.counts.lost, 1);
    assert!(pending(&history.0), "a job may still come");
}

#[test]
fn a_version_answered_without_a_job_or_superseded_is_not_lost() {
    // A job that cannot be built: the job manager's *_FAILED at the version, no job.
    let failed = healthy().config(NET, 2).state(NET, 2, "MODIFY_FAILED");
    assert!(failed.check().hold(), "{}", failed.check());
    // An external worker's answer: Heat's status, no worker_state.
    let external = History::default().config(NET, 1).put(
        &format!("/state/{NET}"),
        json!({"state": {"orchestration_state": "CREATE_COMPLETE"}, "version": 1}),
    );
    assert!(external.check().hold(), "{}", external.check());
    // A progress write is no answer.
    let progress = History::default().config(NET, 1).put(
        &format!("/state/{NET}"),
        json!({"state": {"orchestration_state": "CREATE_IN_PROGRESS"}, "version": 1}),
    );
    assert_eq!(
        kinds(&progress.check(), Invariant::OneJobPerConfigVersion),
        [ViolationKind::Lost]
    );
    // Version 2 written before anyone answered 1, then answered: 1 is superseded.
    let superseded =
        History::default()
            .config(NET, 1)
            .config(NET, 2)
            .state(NET, 2, "READ_COMPLETE");
    assert!(superseded.check().hold(), "{}", superseded.check());
}

#[test]
fn two_jobs_for_one_version_are_duplicated() {
    let other = "create:heat_worker:network:n1:1:zzzzz";
    let history = healthy()
        .job(other, 1)
        .run_job(other, 1, "CREATE_COMPLETED");
    let invariants = history.check();
    assert_eq!(
        kinds(&invariants, Invariant::OneJobPerConfigVersion),
        [ViolationKind::DuplicateJob]
    );
    let duplicate = &invariants.checks[0].violations[0];
    assert_eq!(duplicate.key, format!("/config/{NET}"));
    assert_eq!(
        duplicate.values,
        [format!("/jobs/all/{JOB}"), format!("/jobs/all/{other}")]
    );
    assert_eq!(duplicate.revisions.len(), 3, "the config and both jobs");
    assert_eq!(invariants.counts.duplicated, 1);
    assert_eq!(invariants.counts.jobs, 2);
}

#[test]
fn one_job_id_scheduled_again_is_duplicated() {
    let history = healthy().job(JOB, 1).run_job(JOB, 1, "CREATE_COMPLETED");
    let invariants = history.check();
    assert!(
        kinds(&invariants, Invariant::OneJobPerConfigVersion)
            .contains(&ViolationKind::DuplicateJob),
        "{invariants}"
    );
    assert_eq!(invariants.counts.duplicated, 1);
}

#[test]
fn a_claim_taken_over_while_held_is_a_double_claim() {
    let history = History::default()
        .config(NET, 1)
        .job(JOB, 1)
        .claim(JOB, "r1")
        .put(&format!("/jobs/working/{JOB}"), "r2")
        .state(NET, 1, "CREATE_COMPLETED")
        .finish(JOB)
        .retire(JOB);
    let invariants = history.check();
    assert_eq!(
        kinds(&invariants, Invariant::NoDoubleClaimOrExecution),
        [ViolationKind::DoubleClaim]
    );
    let double = &invariants.checks[1].violations[0];
    assert_eq!(double.key, format!("/jobs/working/{JOB}"));
    assert_eq!(double.values, ["r1", "r2"]);
    assert_eq!(double.subject, format!("{NET}@1"));
    assert_eq!(invariants.counts.duplicated, 1);
}

#[test]
fn a_claim_released_unfinished_may_be_taken_again() {
    let history = History::default()
        .config(NET, 1)
        .job(JOB, 1)
        .claim(JOB, "r1")
        .delete(&format!("/jobs/working/{JOB}"))
        .put(&format!("/jobs/ready/{JOB}"), "heat_worker")
        .run_job(JOB, 1, "CREATE_COMPLETED");
    let invariants = history.check();
    assert!(invariants.hold(), "{invariants}");
    assert_eq!(invariants.counts.reclaimed, 1);
}

#[test]
fn a_claim_after_the_finish_and_a_second_finish_are_caught() {
    let history = healthy()
        .put(&format!("/jobs/working/{JOB}"), "r9")
        .finish(JOB)
        .retire(JOB);
    let invariants = history.check();
    assert_eq!(
        kinds(&invariants, Invariant::NoDoubleClaimOrExecution),
        [
            ViolationKind::ClaimAfterFinish,
            ViolationKind::ExecutedTwice
        ]
    );
    let twice = &invariants.checks[1].violations[1];
    assert_eq!(twice.key, format!("/jobs/finished/{JOB}"));
    assert_eq!(twice.revisions.len(), 2);
    assert_eq!(invariants.counts.duplicated, 1, "one job, counted once");
}

#[test]
fn a_job_without_a_final_state_is_lost() {
    let history = History::default()
        .config(NET, 1)
        .job(JOB, 1)
        .claim(JOB, "r1")
        .put(
            &format!("/state/{NET}"),
            json!({"state": {"orchestration_state": "CREATE_IN_PROGRESS"}, "version": 1}),
        );
    let invariants = history.check();
    assert_eq!(
        kinds(&invariants, Invariant::OneFinalState),
        [ViolationKind::NoFinalState]
    );
    assert_eq!(
        invariants.checks[2].violations[0].key,
        format!("/jobs/all/{JOB}")
    );
    assert_eq!(
        kinds(&invariants, Invariant::NoLeftoverJobKeys),
        [ViolationKind::Leftover, ViolationKind::Leftover]
    );
    assert_eq!(invariants.counts.lost, 1);
    assert_eq!(invariants.counts.leftover_job_keys, 2);
    assert!(pending(&history.0));
}

#[test]
fn a_failed_job_ends_and_two_final_states_do_not() {
    let failed = History::default()
        .config(NET, 1)
        .job(JOB, 1)
        .run_job(JOB, 1, "CREATE_FAILED");
    assert!(failed.check().hold(), "{}", failed.check());

    let twice = History::default()
        .config(NET, 1)
        .job(JOB, 1)
        .state(NET, 1, "CREATE_COMPLETED")
        .run_job(JOB, 1, "CREATE_COMPLETED");
    let invariants = twice.check();
    assert_eq!(
        kinds(&invariants, Invariant::OneFinalState),
        [ViolationKind::SeveralFinalStates]
    );
    let several = &invariants.checks[2].violations[0];
    assert_eq!(several.key, format!("/state/{NET}"));
    assert_eq!(several.values.len(), 2);
    assert!(several.values[0].contains("CREATE_COMPLETED"));
}

#[test]
fn a_state_version_going_back_is_a_regression_unless_the_key_was_deleted() {
    let back = History::default()
        .config(NET, 2)
        .state(NET, 2, "READ_COMPLETE")
        .state(NET, 1, "READ_COMPLETE");
    let invariants = back.check();
    assert_eq!(
        kinds(&invariants, Invariant::StateVersionsNeverGoBack),
        [ViolationKind::StateRegression]
    );
    let regression = &invariants.checks[3].violations[0];
    assert_eq!(regression.key, format!("/state/{NET}"));
    assert_eq!(
        regression.revisions,
        [back.0[1].revision, back.0[2].revision]
    );
    assert!(regression.values[0].contains("\"version\":2"));
    assert!(regression.values[1].contains("\"version\":1"));
    assert_eq!(invariants.counts.state_regressions, 1);
    assert!(
        !pending(&back.0),
        "nothing can repair it: no reason to wait"
    );

    let deleted = History::default()
        .state(NET, 4, "DELETE_COMPLETED")
        .delete(&format!("/state/{NET}"))
        .state(NET, 1, "READ_COMPLETE");
    assert!(deleted.check().hold(), "{}", deleted.check());
}

#[test]
fn a_job_key_left_at_the_end_is_a_leftover() {
    let history = healthy().put("/jobs/waiting/x", "heat_worker");
    let invariants = history.check();
    assert_eq!(
        kinds(&invariants, Invariant::NoLeftoverJobKeys),
        [ViolationKind::Leftover]
    );
    let left = &invariants.checks[4].violations[0];
    assert_eq!(left.key, "/jobs/waiting/x");
    assert_eq!(left.values, ["heat_worker"]);
    assert!(
        invariants
            .to_string()
            .contains("broken: no /jobs/* key outlives the run")
    );
}

#[test]
fn a_job_is_read_from_its_id_when_its_value_is_not_a_job() {
    let id = "modify:heat_worker:policy:p:2:qqqqq";
    let history = History::default()
        .config("v2.0/policies/p", 2)
        .put(&format!("/jobs/all/{id}"), "not json")
        .state("v2.0/policies/p", 2, "MODIFY_COMPLETED")
        .delete(&format!("/jobs/all/{id}"));
    let invariants = history.check();
    assert!(invariants.hold(), "{invariants}");
    assert_eq!(invariants.counts.jobs, 1);
}
