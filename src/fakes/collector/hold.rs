//! `syncer_properties.etcd.hold_options` and what the etcd syncer writes of an agent's
//! results.
//!
//! The catalogue declares hold options on flapping-prone targets: `positive_status` a list of
//! strings (`[UP, DOWN]` for ports and ESE logical ports) or of objects (an HA pair's
//! `{primary: MASTER, secondary: BACKUP}`, or per VRID `{primary_vrid1: MASTER, ...}`), and
//! `time_seconds` (30 to 360). No recorded target had them ("Failed to get hold time options
//! from target: no hold options part"), so what they do is a documented choice: a hold-down
//! timer, applied when the target's rule says `hold: true` (a replayed recording scripts what
//! was written, already held). A status in `positive_status` is written at once; any other status is written only
//! once the agent has reported it for `time_seconds`. The agent reports once a minute (the
//! fake clock of `GET /targets/<id>`), so a run of `n` equal results lasts `n * 60` seconds,
//! and the last result lasts for ever (the agent keeps reporting it).

use serde_json::Value;

/// Seconds between two results of an agent (the recorded agents poll every 60 s).
pub(super) const POLL_SECONDS: u64 = 60;

/// A target's hold options.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Hold {
    /// Statuses written at once, strings or objects, compared as JSON.
    pub(super) positive: Vec<Value>,
    /// How long another status must last before it is written.
    pub(super) seconds: u64,
}

impl Hold {
    /// Reads `hold_options`; `None` unless it is an object with a `positive_status` list.
    /// `time_seconds` may be a number or a numeric string (Heat passes parameters as
    /// strings); missing or unreadable, it is 0: nothing is held.
    pub(super) fn of(options: &Value) -> Option<Hold> {
        let positive = options.get("positive_status")?.as_array()?.clone();
        let seconds = match options.get("time_seconds") {
            Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            _ => 0,
        };
        Some(Hold { positive, seconds })
    }

    fn holds(&self, status: &Value, polls: usize) -> bool {
        let lasted = u64::try_from(polls)
            .unwrap_or(u64::MAX)
            .saturating_mul(POLL_SECONDS);
        !self.positive.contains(status) && lasted < self.seconds
    }
}

/// The statuses the etcd syncer writes for `results` (one per poll, oldest first), in
/// order: a status held back by `hold` is dropped, and so is one equal to the status written
/// before it (the syncer's registry: "Skipping put … because the value is not changed").
pub(super) fn writes(results: &[Value], hold: Option<&Hold>) -> Vec<Value> {
    let mut runs: Vec<(&Value, usize)> = Vec::new();
    for status in results {
        match runs.last_mut() {
            Some((last, n)) if *last == status => *n += 1,
            _ => runs.push((status, 1)),
        }
    }
    let last = runs.len().saturating_sub(1);
    let mut written: Vec<Value> = Vec::new();
    for (i, (status, polls)) in runs.into_iter().enumerate() {
        let held = i < last && hold.is_some_and(|h| h.holds(status, polls));
        if !held && written.last() != Some(status) {
            written.push(status.clone());
        }
    }
    written
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn repeats_are_written_once() {
        let results = vec![json!("UP"), json!("UP"), json!("FAIL"), json!("UP")];
        assert_eq!(
            writes(&results, None),
            [json!("UP"), json!("FAIL"), json!("UP")]
        );
    }

    #[test]
    fn hold_options_read_strings_objects_and_numeric_strings() {
        let hold = Hold::of(&json!({"positive_status": [{"primary": "MASTER", "secondary": "BACKUP"}], "time_seconds": "360"}))
            .expect("hold options");
        assert_eq!(hold.seconds, 360);
        assert_eq!(
            hold.positive,
            [json!({"primary": "MASTER", "secondary": "BACKUP"})]
        );
        assert_eq!(Hold::of(&json!({"time_seconds": 30})), None);
        let no_time = Hold::of(&json!({"positive_status": ["UP"]})).expect("hold options");
        assert_eq!(no_time.seconds, 0);
    }

    #[test]
    fn a_short_negative_status_is_held_back_and_a_long_one_written() {
        let hold = Hold {
            positive: vec![json!("UP"), json!("DOWN")],
            seconds: 210,
        };
        // FAIL for 3 polls (180 s < 210 s): never written; UP again is a repeat.
        let short = vec![
            json!("UP"),
            json!("FAIL"),
            json!("FAIL"),
            json!("FAIL"),
            json!("UP"),
        ];
        assert_eq!(writes(&short, Some(&hold)), [json!("UP")]);
        // FAIL for 4 polls (240 s): written, then UP.
        let long = vec![
            json!("UP"),
            json!("FAIL"),
            json!("FAIL"),
            json!("FAIL"),
            json!("FAIL"),
            json!("UP"),
        ];
        assert_eq!(
            writes(&long, Some(&hold)),
            [json!("UP"), json!("FAIL"), json!("UP")]
        );
        // Positive statuses are never held; the last status lasts for ever.
        let positive = vec![json!("DOWN"), json!("UP"), json!("FAIL")];
        assert_eq!(
            writes(&positive, Some(&hold)),
            [json!("DOWN"), json!("UP"), json!("FAIL")]
        );
    }

    #[test]
    fn object_statuses_are_compared_as_json() {
        let hold = Hold {
            positive: vec![json!({"primary": "MASTER", "secondary": "BACKUP"})],
            seconds: 360,
        };
        let swapped = json!({"secondary": "BACKUP", "primary": "MASTER"});
        let failover = json!({"primary": "BACKUP", "secondary": "MASTER"});
        let results = vec![
            swapped.clone(),
            failover.clone(),
            swapped.clone(),
            failover.clone(),
        ];
        assert_eq!(writes(&results, Some(&hold)), [swapped, failover]);
    }
}
