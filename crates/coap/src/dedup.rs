//! Deduplication (RFC 7252 §4.5): the message ids received in the last EXCHANGE_LIFETIME, per
//! peer, each with the reply we sent for it, sent again when the same id comes again.

use crate::addr::Addr;
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

/// The newest entries are at the end.
#[derive(Clone, Debug, Default)]
pub(crate) struct RecentIds {
    seen: Vec<Seen>,
}

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
        self.seen.retain(|s| now - s.at < EXCHANGE_LIFETIME_MS);
    }

    /// Whether message `mid` from `from` was seen; remembers it when it was not.
    pub(crate) fn check(&mut self, now: SimTime, from: Addr, mid: u16) -> Recent {
        if let Some(seen) = self
            .seen
            .iter()
            .rev()
            .find(|s| s.from == from && s.mid == mid)
        {
            return Recent::Duplicate(seen.reply.clone());
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
        if let Some(seen) = self
            .seen
            .iter_mut()
            .rev()
            .find(|s| s.from == peer && s.mid == mid)
        {
            seen.reply = Some(bytes.to_vec().into());
        }
    }
}
