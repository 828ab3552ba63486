//! Sharding scenarios across machines (`heatbed run --partition K/N`), stable by scenario id
//! and with nextest's two forms:
//!
//! - `count:K/N` (also plain `K/N`): the scenarios sorted by id (then path), the i-th
//!   (from 0) in shard `i mod N + 1`. Shards differ in size by at most one; adding a
//!   scenario can move the ones sorted after it.
//! - `hash:K/N`: shard `h mod N + 1`, h the first 8 bytes (big-endian) of the SHA-256 of the
//!   id. A scenario stays in its shard whatever else is added; shards may be uneven.
//!
//! Either way, the N shards are disjoint and together hold every scenario.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// One shard of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// How scenarios are assigned.
    pub kind: PartitionKind,
    /// This shard, from 1.
    pub shard: u64,
    /// How many shards.
    pub count: u64,
}

/// How scenarios are assigned to shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionKind {
    /// Round robin over the scenarios sorted by id.
    Count,
    /// By a hash of the id.
    Hash,
}

/// A `--partition` value that is not `count:K/N` or `hash:K/N` with 1 <= K <= N.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("partition `{given}`: {reason} (expected `count:K/N` or `hash:K/N`, 1 <= K <= N)")]
pub struct PartitionError {
    /// The value given.
    pub given: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Partition {
    /// The items of this shard, in their given order; `id` names each item (unique ids
    /// assumed; equal ids are then ordered by their position).
    pub fn select<T>(&self, items: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
        let mut keep = vec![false; items.len()];
        match self.kind {
            PartitionKind::Count => {
                let mut order: Vec<usize> = (0..items.len()).collect();
                order.sort_by(|a, b| id(&items[*a]).cmp(id(&items[*b])).then(a.cmp(b)));
                for (rank, index) in order.into_iter().enumerate() {
                    keep[index] = rank as u64 % self.count + 1 == self.shard;
                }
            }
            PartitionKind::Hash => {
                for (index, item) in items.iter().enumerate() {
                    keep[index] = hash(id(item)) % self.count + 1 == self.shard;
                }
            }
        }
        items
            .into_iter()
            .zip(keep)
            .filter_map(|(item, keep)| keep.then_some(item))
            .collect()
    }
}

fn hash(id: &str) -> u64 {
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

impl FromStr for Partition {
    type Err = PartitionError;

    fn from_str(given: &str) -> Result<Self, Self::Err> {
        let error = |reason: &str| PartitionError {
            given: given.to_string(),
            reason: reason.to_string(),
        };
        let (kind, rest) = match given.split_once(':') {
            Some(("count", rest)) => (PartitionKind::Count, rest),
            Some(("hash", rest)) => (PartitionKind::Hash, rest),
            Some((other, _)) => return Err(error(&format!("unknown kind `{other}`"))),
            None => (PartitionKind::Count, given),
        };
        let (shard, count) = rest.split_once('/').ok_or_else(|| error("no `/`"))?;
        let number = |text: &str, what: &str| {
            text.parse::<u64>()
                .map_err(|e| error(&format!("{what} `{text}`: {e}")))
        };
        let (shard, count) = (number(shard, "shard")?, number(count, "count")?);
        if shard == 0 || count == 0 || shard > count {
            return Err(error("shards count from 1 and K must not exceed N"));
        }
        Ok(Partition { kind, shard, count })
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            PartitionKind::Count => "count",
            PartitionKind::Hash => "hash",
        };
        write!(f, "{kind}:{}/{}", self.shard, self.count)
    }
}

impl serde::Serialize for Partition {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Partition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::{Partition, PartitionKind};

    fn ids() -> Vec<String> {
        // Not in sorted order, so the count form's sorting matters.
        ["m", "c", "x", "a", "q", "b", "z", "k", "e", "d", "y"]
            .map(String::from)
            .to_vec()
    }

    fn shards(kind: &str, count: u64) -> Vec<Vec<String>> {
        (1..=count)
            .map(|k| {
                let partition: Partition = format!("{kind}:{k}/{count}").parse().unwrap();
                partition.select(ids(), |s| s.as_str())
            })
            .collect()
    }

    #[test]
    fn shards_are_disjoint_and_cover_every_scenario() {
        for kind in ["count", "hash"] {
            for count in 1..=5 {
                let shards = shards(kind, count);
                let mut all: Vec<String> = shards.concat();
                let total = all.len();
                all.sort();
                all.dedup();
                assert_eq!(total, all.len(), "{kind}:_/{count} shards overlap");
                let mut expected = ids();
                expected.sort();
                assert_eq!(all, expected, "{kind}:_/{count} shards miss a scenario");
            }
        }
    }

    #[test]
    fn count_shards_are_round_robin_over_sorted_ids_and_keep_the_given_order() {
        let shards = shards("count", 3);
        // Sorted: a b c d e k m q x y z; shard 1 takes ranks 0, 3, 6, 9.
        assert_eq!(shards[0], ["m", "a", "d", "y"]);
        assert_eq!(shards[1], ["q", "b", "z", "e"]);
        assert_eq!(shards[2], ["c", "x", "k"]);
    }

    #[test]
    fn a_hash_shard_does_not_depend_on_the_other_scenarios() {
        let partition: Partition = "hash:2/3".parse().unwrap();
        let alone: Vec<bool> = ids()
            .into_iter()
            .map(|id| !partition.select(vec![id], |s| s.as_str()).is_empty())
            .collect();
        let together = partition.select(ids(), |s| s.as_str());
        let expected: Vec<String> = ids()
            .into_iter()
            .zip(alone)
            .filter_map(|(id, kept)| kept.then_some(id))
            .collect();
        assert_eq!(together, expected);
    }

    #[test]
    fn partitions_parse_like_nextest_and_print_back() {
        let plain: Partition = "2/3".parse().unwrap();
        assert_eq!(plain.kind, PartitionKind::Count);
        assert_eq!(plain.to_string(), "count:2/3");
        assert_eq!(
            "hash:1/1".parse::<Partition>().unwrap().to_string(),
            "hash:1/1"
        );
        for bad in [
            "0/2",
            "3/2",
            "1/0",
            "count:1",
            "slice:1/2",
            "a/b",
            "1/-2",
            "",
        ] {
            let error = bad.parse::<Partition>().unwrap_err();
            assert!(error.to_string().contains(&format!("`{bad}`")), "{error}");
        }
    }
}
