//! Durations in scenario files: read with humantime (`200ms`, `1m 30s`), written in one unit
//! (`60s`, `200ms`) as people write them, so a written file reads as it was imported.

use std::time::Duration;

use serde::{Deserializer, Serializer};

/// Reads an optional humantime duration.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Duration>, D::Error> {
    humantime_serde::deserialize(de)
}

/// Writes an optional duration in whole seconds or milliseconds when it is one, else in
/// humantime's form.
pub(crate) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        None => s.serialize_none(),
        Some(d) => s.serialize_str(&text(*d)),
    }
}

/// `60s`, `200ms`, or humantime's `1s 500us`.
pub(crate) fn text(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else if d.subsec_nanos().is_multiple_of(1_000_000) {
        format!("{}ms", d.as_millis())
    } else {
        humantime::format_duration(d).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_in_one_unit() {
        assert_eq!(text(Duration::from_secs(60)), "60s");
        assert_eq!(text(Duration::from_millis(200)), "200ms");
        assert_eq!(text(Duration::from_millis(1500)), "1500ms");
        assert_eq!(text(Duration::from_micros(1500)), "1ms 500us");
    }
}
