//! RFC 7641 Observe: 24-bit sequence numbers and the freshness rule a client applies to
//! notifications that the network may have reordered (§3.4).

use crate::time::SimTime;

/// Sequence numbers are 24 bits on the wire.
pub const SEQ_MASK: u32 = 0x00ff_ffff;
/// After this long any notification counts as newer, whatever its number (§3.4).
pub const FRESHNESS_WINDOW_MS: u64 = 128_000;

pub fn next_seq(seq: u32) -> u32 {
    seq.wrapping_add(1) & SEQ_MASK
}

/// Whether a notification numbered `seq` arriving at `now` is newer than the last one taken,
/// numbered `last.0` and taken at `last.1`.
pub fn is_fresh(last: Option<(u32, SimTime)>, seq: u32, now: SimTime) -> bool {
    let Some((v1, t1)) = last else { return true };
    let (v1, v2) = (v1 & SEQ_MASK, seq & SEQ_MASK);
    (v1 < v2 && v2 - v1 < 1 << 23)
        || (v1 > v2 && v1 - v2 > 1 << 23)
        || now > t1 + FRESHNESS_WINDOW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7641_freshness() {
        let t = SimTime(1_000);
        assert!(is_fresh(None, 5, t));
        assert!(is_fresh(Some((5, t)), 6, t));
        assert!(
            !is_fresh(Some((6, t)), 5, t),
            "an older notification arriving late is dropped"
        );
        assert!(
            !is_fresh(Some((6, t)), 6, t),
            "the same number again is not newer"
        );
        // Wrap-around: 2^24 - 1 is followed by 0.
        assert!(is_fresh(Some((SEQ_MASK, t)), 0, t));
        assert!(!is_fresh(Some((0, t)), SEQ_MASK, t));
        // After 128 s anything counts as newer.
        assert!(is_fresh(Some((6, t)), 5, t + FRESHNESS_WINDOW_MS + 1));
        assert_eq!(next_seq(SEQ_MASK), 0);
    }
}
