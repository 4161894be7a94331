//! Deduplication (RFC 7252 §4.5): the message ids received in the last EXCHANGE_LIFETIME, per
//! peer, each with the reply we sent for it, sent again when the same id comes again.

use crate::addr::Addr;
use crate::cow::CowVec;
use crate::params::EXCHANGE_LIFETIME_MS;
use crate::time::SimTime;
use std::sync::Arc;

#[derive(Clone, Debug)]
struct Seen {
    from: Addr,
    mid: u16,
    at: SimTime,
    /// The response we sent for it (shared: a world's checkpoints clone this list).
    reply: Option<Arc<Vec<u8>>>,
}

/// Every id remembered, oldest first. Entries are added as time goes on, so the expired ones
/// are a prefix: they are skipped, and dropped in bulk once they are most of the list. Kept
/// copy-on-write, since a world's checkpoints clone every messenger (a long run remembers
/// thousands of ids).
#[derive(Clone, Debug, Default)]
pub(crate) struct RecentIds {
    seen: CowVec<Seen>,
    /// Entries before this one are older than EXCHANGE_LIFETIME: forgotten.
    live: usize,
}

/// Forgotten entries kept before they are dropped: dropping copies the live ones, so it is
/// done when they are fewer than the forgotten.
const DROP_AFTER: usize = 1024;

/// What `RecentIds::check` knows of a message id.
pub(crate) enum Recent {
    /// Not seen: now remembered, without a reply yet.
    New,
    /// Seen before; the reply stored for it, if any.
    Duplicate(Option<Arc<Vec<u8>>>),
}

impl RecentIds {
    /// Forgets ids older than EXCHANGE_LIFETIME.
    pub(crate) fn expire(&mut self, now: SimTime) {
        while self
            .seen
            .get(self.live)
            .is_some_and(|s| now - s.at >= EXCHANGE_LIFETIME_MS)
        {
            self.live += 1;
        }
        if self.live >= DROP_AFTER && self.live * 2 >= self.seen.len() {
            let mut kept = CowVec::new();
            for s in self.seen.iter().skip(self.live) {
                kept.push(s.clone());
            }
            self.seen = kept;
            self.live = 0;
        }
    }

    /// The index of the newest entry for message `mid` from `from`, if it is remembered.
    fn find(&self, from: Addr, mid: u16) -> Option<usize> {
        let live = self.seen.len() - self.live;
        self.seen
            .iter()
            .rev()
            .take(live)
            .position(|s| s.from == from && s.mid == mid)
            .map(|back| self.seen.len() - 1 - back)
    }

    /// Whether message `mid` from `from` was seen; remembers it when it was not.
    pub(crate) fn check(&mut self, now: SimTime, from: Addr, mid: u16) -> Recent {
        if let Some(i) = self.find(from, mid) {
            return Recent::Duplicate(self.seen[i].reply.clone());
        }
        self.seen.push(Seen {
            from,
            mid,
            at: now,
            reply: None,
        });
        Recent::New
    }

    /// Keeps `bytes` as the answer to message `mid` from `peer`, to send again if it comes
    /// again. A request is answered soon after it came, so the search starts at the newest.
    pub(crate) fn remember_reply(&mut self, peer: Addr, mid: u16, bytes: &[u8]) {
        if let Some(seen) = self.find(peer, mid).and_then(|i| self.seen.get_mut(i)) {
            seen.reply = Some(bytes.to_vec().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer() -> Addr {
        Addr::new([10, 0, 0, 1], 5683)
    }

    #[test]
    fn an_id_is_a_duplicate_within_the_exchange_lifetime_and_new_after_it() {
        let mut r = RecentIds::default();
        let t0 = SimTime::ZERO;
        assert!(matches!(r.check(t0, peer(), 7), Recent::New));
        r.remember_reply(peer(), 7, b"ack");
        // Thousands of other ids later, still within the lifetime: the reply comes back.
        for mid in 0..3000u16 {
            r.check(t0 + 1, Addr::new([10, 0, 0, 2], 5683), mid);
        }
        let later = t0 + (EXCHANGE_LIFETIME_MS - 1);
        r.expire(later);
        assert!(
            matches!(r.check(later, peer(), 7), Recent::Duplicate(Some(b)) if b.as_slice() == b"ack")
        );
        // Past the lifetime it is forgotten (and the forgotten ones dropped), so it is new.
        let past = t0 + EXCHANGE_LIFETIME_MS + 1;
        r.expire(past);
        assert_eq!((r.live, r.seen.len()), (0, 0));
        assert!(matches!(r.check(past, peer(), 7), Recent::New));
        assert!(matches!(r.check(past, peer(), 7), Recent::Duplicate(None)));
    }
}
