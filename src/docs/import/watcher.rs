//! Reading the recorded run's etcd watcher logs
//! (`result_log/04_etcd_watcher_log/etcd-<prefix>-watcher.log`): every event a watcher
//! consumed, in order, with the value as JSON.

use std::path::Path;

use serde_json::Value;

/// Where the watcher logs are, inside a recorded flow folder.
const LOGS: &str = "result_log/04_etcd_watcher_log";

/// One event a watcher consumed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Event {
    /// `set` or `delete`.
    pub action: String,
    /// The etcd key.
    pub key: String,
    /// The value (JSON, else the raw text); `None` when the log shows none (a delete).
    pub value: Option<Value>,
}

impl Event {
    /// Whether this event wrote a value.
    pub(super) fn is_set(&self) -> bool {
        self.action == "set" && self.value.is_some()
    }

    /// The value's `version`, if it has one.
    pub(super) fn version(&self) -> Option<u64> {
        self.value.as_ref()?.get("version")?.as_u64()
    }
}

/// The events of `etcd-<name>-watcher.log` in `dir`, or `None` when the folder has no such log.
pub(super) fn read(dir: &Path, name: &str) -> Option<Vec<Event>> {
    let path = dir.join(LOGS).join(format!("etcd-{name}-watcher.log"));
    std::fs::read_to_string(path).ok().map(|text| events(&text))
}

/// Every ` action=[..], key=[..],` / ` value=[..]` pair of a watcher log, in order.
pub(super) fn events(log: &str) -> Vec<Event> {
    let mut events = Vec::new();
    let mut lines = log.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((action, key)) = action_and_key(line) else {
            continue;
        };
        let Some(first) = lines
            .peek()
            .and_then(|l| l.trim_start().strip_prefix("value=["))
        else {
            events.push(Event {
                action,
                key,
                value: None,
            });
            continue;
        };
        let mut raw = vec![first.to_string()];
        lines.next();
        while let Some(next) = lines.peek() {
            if is_log_line(next) || action_and_key(next).is_some() {
                break;
            }
            raw.push(next.to_string());
            lines.next();
        }
        let raw = raw.join("\n");
        let raw = raw.trim_end();
        let raw = raw.strip_suffix(']').unwrap_or(raw);
        let value = (!raw.trim().is_empty())
            .then(|| serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string())));
        events.push(Event { action, key, value });
    }
    events
}

/// ` action=[set], key=[/config/...],` -> (`set`, `/config/...`).
fn action_and_key(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix("action=[")?;
    let (action, rest) = rest.split_once(']')?;
    let key = rest.split_once("key=[")?.1.rsplit_once(']')?.0;
    Some((action.to_string(), key.to_string()))
}

/// `2018-02-19 05:14:44,422:DEBUG:...`: a line the logger wrote, not a value's.
fn is_log_line(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LOG: &str = "2018-02-19 05:15:12,506:DEBUG:\n*** Consume stored data in etcd ***\n action=[set], key=[/config/v2.0/quotas/default],\n value=[{\n    \"body\": {\"id\": \"default\"}, \n    \"version\": 1\n}]\n2018-02-19 05:15:12,507:DEBUG:New etcd client\n*** Consume stored data in etcd ***\n action=[delete], key=[/config/v2.0/ports/a],\n value=[]\n2018-02-19 05:15:13,000:DEBUG:\n action=[set], key=[/jobs/all],\n value=[plain]\n";

    #[test]
    fn reads_sets_and_deletes_in_order() {
        let events = events(LOG);
        assert_eq!(events.len(), 3);
        assert_eq!(events[0].key, "/config/v2.0/quotas/default");
        assert!(events[0].is_set());
        assert_eq!(
            events[0].value,
            Some(json!({"body": {"id": "default"}, "version": 1}))
        );
        assert_eq!(events[0].version(), Some(1));
        assert_eq!(events[1].action, "delete");
        assert_eq!(events[1].value, None);
        assert!(!events[1].is_set());
        assert_eq!(events[2].value, Some(json!("plain")));
    }
}
