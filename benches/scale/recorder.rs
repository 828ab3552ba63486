//! What capturing checkpoints costs: a generated flow run with its documents (a checkpoint per
//! resource version, found in the recorded history and rendered), against the same flow with
//! no documents but a final wait on each resource's last `/state`, so both end at the same
//! point. Both record the history (the steps' waits need it); the difference is finding and
//! rendering the checkpoints.

use std::time::Duration;

use heatbed::etcd::Backend;
use heatbed::run::run_on;
use heatbed::scenario::{Condition, KeySelector, Pick, Scenario, Step, StepKind, Wait};

/// Resources of the flow.
const RESOURCES: usize = 300;
/// Runs of each (the median is printed).
const ROUNDS: usize = 3;

pub(crate) async fn bench() {
    let with = super::flow(RESOURCES);
    let without = without_checkpoints(&with);
    let checkpoints: usize = with.documents.iter().map(|d| d.checkpoints.len()).sum();
    let mut times = [vec![], vec![]];
    for _ in 0..ROUNDS {
        for (i, scenario) in [&without, &with].into_iter().enumerate() {
            let outcome = run_on(&Backend::Embedded, scenario)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            times[i].push(outcome.elapsed);
        }
    }
    let median = |t: &mut Vec<Duration>| {
        t.sort();
        t[ROUNDS / 2]
    };
    let (without_time, with_time) = (median(&mut times[0]), median(&mut times[1]));
    println!(
        "\n## Recorder: a flow of {RESOURCES} resources with and without its {checkpoints} checkpoints (median of {ROUNDS})\n"
    );
    println!("| | wall | ratio |");
    println!("|---|---|---|");
    println!(
        "| without checkpoints (final waits) | {} | 1.00x |",
        super::secs(without_time)
    );
    println!(
        "| with checkpoints captured | {} | {} |",
        super::secs(with_time),
        super::ratio(with_time.as_secs_f64(), without_time.as_secs_f64())
    );
}

/// `scenario` without documents, ending with a wait for the last checkpoint of each.
fn without_checkpoints(scenario: &Scenario) -> Scenario {
    let mut out = scenario.clone();
    for document in std::mem::take(&mut out.documents) {
        let Some(last) = document.checkpoints.last() else {
            continue;
        };
        let (KeySelector::Exact(key), Pick::Matching(subset)) = (&last.key, &last.pick) else {
            continue;
        };
        out.steps.push(Step {
            line: out.steps.len() as u64 + 1,
            kind: StepKind::Wait(Wait {
                key: key.clone(),
                prefix: false,
                condition: Condition::Matches(subset.clone()),
                timeout: scenario.timeout,
            }),
        });
    }
    out
}
