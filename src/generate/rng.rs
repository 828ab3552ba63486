//! SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator whose output is fixed by its
//! definition, so a seed gives the same flow on every platform and every version of heatbed.
//! Not for anything secret.

/// A SplitMix64 stream.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    /// The stream of `seed`.
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the tiny modulo bias is irrelevant here.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub(crate) fn percent(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// An index of `weights` drawn in proportion to its weight; `None` when all are 0.
    pub(crate) fn weighted(&mut self, weights: &[u64]) -> Option<usize> {
        let total: u64 = weights.iter().sum();
        if total == 0 {
            return None;
        }
        let mut at = self.next_u64() % total;
        for (i, w) in weights.iter().enumerate() {
            if at < *w {
                return Some(i);
            }
            at -= w;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence() {
        // The first outputs for seed 1234567 of the reference implementation (Vigna's
        // splitmix64.c), so the stream can never drift.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(rng.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn weighted_draws_follow_the_weights() {
        let mut rng = SplitMix64::new(7);
        let mut counts = [0u32; 3];
        for _ in 0..3000 {
            counts[rng.weighted(&[1, 0, 2]).expect("a weight")] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > counts[0], "{counts:?}");
        assert_eq!(rng.weighted(&[0, 0]), None);
    }
}
