//! Recorded etcd store dumps (`result_log/08_etcd_store/test.dump`): zlib-compressed JSON, a
//! tree of objects whose leaves are the raw values, one level per `/`-separated key segment
//! (`{"state": {"v2.0": {"ports": {"<id>": "<raw value>"}}}}`).

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The most bytes a dump may inflate to; a larger one is an error, not an exhausted memory.
const MAX_INFLATED: u64 = 256 * 1024 * 1024;

/// A dump that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// Not readable or not zlib.
    #[error("{path}: cannot inflate the store dump: {source}")]
    Read {
        /// The dump.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Larger than 256 MiB once inflated.
    #[error("{path}: the store dump inflates to more than {MAX_INFLATED} bytes")]
    TooLarge {
        /// The dump.
        path: PathBuf,
    },
    /// Not a JSON tree.
    #[error("{path}: the store dump is not JSON: {source}")]
    Json {
        /// The dump.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A leaf that is not a string (etcd values are bytes).
    #[error("{path}: key `{key}` holds {found}, not a raw string value")]
    Leaf {
        /// The dump.
        path: PathBuf,
        /// The key.
        key: String,
        /// What it holds.
        found: String,
    },
}

/// Every key of a store dump with its raw value, sorted by key.
pub fn read_store_dump(path: &Path) -> Result<Vec<(String, String)>, DumpError> {
    let read = |source| DumpError::Read {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read)?;
    let mut inflated = Vec::new();
    flate2::read::ZlibDecoder::new(file)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut inflated)
        .map_err(read)?;
    if inflated.len() as u64 > MAX_INFLATED {
        return Err(DumpError::TooLarge {
            path: path.to_owned(),
        });
    }
    // serde_json limits nesting (128 levels), and the walk below keeps its own stack.
    let tree: Value = serde_json::from_slice(&inflated).map_err(|source| DumpError::Json {
        path: path.to_owned(),
        source,
    })?;
    let mut keys = Vec::new();
    let mut stack = vec![(String::new(), tree)];
    while let Some((key, value)) = stack.pop() {
        match value {
            Value::Object(children) => stack.extend(
                children
                    .into_iter()
                    .map(|(name, child)| (format!("{key}/{name}"), child)),
            ),
            Value::String(raw) => keys.push((key, raw)),
            other => {
                return Err(DumpError::Leaf {
                    path: path.to_owned(),
                    key: if key.is_empty() { "/".into() } else { key },
                    found: other.to_string().chars().take(60).collect(),
                });
            }
        }
    }
    keys.sort();
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str = "tests/recorded/esi/05_load_balancer/result_log/08_etcd_store";

    fn dump() -> Vec<(String, String)> {
        read_store_dump(&Path::new(DUMP).join("test.dump")).unwrap()
    }

    #[test]
    fn reads_every_key_the_recorded_listing_names() {
        let listed = std::fs::read_to_string(Path::new(DUMP).join("lsr.txt")).unwrap();
        let mut listed: Vec<&str> = listed
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        listed.sort();
        let dump = dump();
        let keys: Vec<&str> = dump.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, listed);
        let kept = keys
            .iter()
            .filter(|k| !k.starts_with("/gohan/") && **k != "/job_manager_id")
            .count();
        assert_eq!(kept, 145);
    }

    #[test]
    fn values_are_the_raw_strings() {
        let dump = dump();
        let value = |key: &str| dump.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        assert_eq!(
            value("/monitoring/v2.0/ports/ddc14be4-3480-4e97-a978-817b18f9904c"),
            Some(r#"{"version":3,"vmi":"FAIL"}"#)
        );
        assert_eq!(
            value("/job_manager_id"),
            Some("7d5b241d-b702-4bcf-9b11-4831e9ec717a")
        );
        let config = value("/config/v2.0/reserve_addresses/default").unwrap();
        assert!(
            config.starts_with(r#"{"body":"{\"id\":\"default\""#),
            "{config}"
        );
    }

    #[test]
    fn bad_dumps_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.dump");
        std::fs::write(&plain, b"{}").unwrap();
        let e = read_store_dump(&plain).unwrap_err().to_string();
        assert!(e.contains("plain.dump") && e.contains("inflate"), "{e}");

        let number = dir.path().join("number.dump");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut z, br#"{"a": {"b": 1}}"#).unwrap();
        std::fs::write(&number, z.finish().unwrap()).unwrap();
        let e = read_store_dump(&number).unwrap_err().to_string();
        assert!(e.contains("`/a/b`"), "{e}");
    }
}
