//! Our confirmable messages in flight (RFC 7252 §4.2, §4.7): each one's bytes, retransmitted
//! with exponential backoff until its ACK or RST comes or MAX_RETRANSMIT runs out, and the
//! confirmables held back while their peer already has one outstanding (NSTART = 1).

use crate::addr::Addr;
use crate::event::Token;
use crate::params::{ACK_RANDOM_FACTOR_DEN, ACK_RANDOM_FACTOR_NUM, ACK_TIMEOUT_MS, MAX_RETRANSMIT};
use crate::rng::SimRng;
use crate::time::SimTime;
use coap_lite::Packet;
use std::collections::VecDeque;

#[derive(Clone, Debug)]
struct Unacked {
    to: Addr,
    mid: u16,
    token: Token,
    bytes: Vec<u8>,
    retransmissions: u32,
    timeout_ms: u64,
    next_at: SimTime,
}

/// What a due exchange needs from the messenger.
pub(crate) enum Due {
    /// Send these bytes again.
    Resend { to: Addr, bytes: Vec<u8> },
    /// The last retransmission went unanswered; the exchange is gone.
    GaveUp { to: Addr, token: Token },
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Exchanges {
    unacked: Vec<Unacked>,
    /// Confirmable messages waiting for their peer's outstanding one to be acknowledged.
    held: VecDeque<(Addr, Packet)>,
}

impl Exchanges {
    /// True while a confirmable message to `peer` waits for its ACK.
    pub(crate) fn is_outstanding(&self, peer: Addr) -> bool {
        self.unacked.iter().any(|u| u.to == peer)
    }

    /// Keeps `packet` until the line to `to` is free.
    pub(crate) fn hold(&mut self, to: Addr, packet: Packet) {
        self.held.push_back((to, packet));
    }

    /// The next held confirmable for `peer`, if its line is free.
    pub(crate) fn take_held(&mut self, peer: Addr) -> Option<(Addr, Packet)> {
        if self.is_outstanding(peer) {
            return None;
        }
        let i = self.held.iter().position(|(to, _)| *to == peer)?;
        self.held.remove(i)
    }

    /// Starts retransmitting `bytes` (message `mid` with `token`) to `to`, first after a
    /// random ACK_TIMEOUT × [1, ACK_RANDOM_FACTOR] (RFC 7252 §4.2).
    pub(crate) fn start(
        &mut self,
        now: SimTime,
        rng: &mut SimRng,
        to: Addr,
        mid: u16,
        token: Token,
        bytes: Vec<u8>,
    ) {
        let hi = ACK_TIMEOUT_MS * ACK_RANDOM_FACTOR_NUM / ACK_RANDOM_FACTOR_DEN;
        let timeout_ms = rng.range(ACK_TIMEOUT_MS, hi);
        self.unacked.push(Unacked {
            to,
            mid,
            token,
            bytes,
            retransmissions: 0,
            timeout_ms,
            next_at: now + timeout_ms,
        });
    }

    /// Ends the exchange of message `mid` to `from` (its ACK or RST came) and gives its token.
    pub(crate) fn acknowledged(&mut self, from: Addr, mid: u16) -> Option<Token> {
        let pos = self
            .unacked
            .iter()
            .position(|u| u.to == from && u.mid == mid)?;
        Some(self.unacked.remove(pos).token)
    }

    /// Drops the held and the outstanding message with `token`; gives the peer of the
    /// outstanding one, whose line is then free.
    pub(crate) fn cancel(&mut self, token: &[u8]) -> Option<Addr> {
        self.held.retain(|(_, p)| p.get_token() != token);
        let i = self.unacked.iter().position(|u| u.token == token)?;
        Some(self.unacked.remove(i).to)
    }

    /// The next exchange due at `now`, from `*cursor` on in the order they started, with the
    /// retransmission counted and the next one scheduled at twice the timeout. Called until it
    /// gives `None`; exchanges started in between are met too, and are not yet due.
    pub(crate) fn next_due(&mut self, now: SimTime, cursor: &mut usize) -> Option<Due> {
        while let Some(u) = self.unacked.get_mut(*cursor) {
            if u.next_at > now {
                *cursor += 1;
                continue;
            }
            if u.retransmissions >= MAX_RETRANSMIT {
                let gone = self.unacked.remove(*cursor);
                return Some(Due::GaveUp {
                    to: gone.to,
                    token: gone.token,
                });
            }
            u.retransmissions += 1;
            u.timeout_ms *= 2;
            u.next_at = now + u.timeout_ms;
            *cursor += 1;
            return Some(Due::Resend {
                to: u.to,
                bytes: u.bytes.clone(),
            });
        }
        None
    }

    /// When the next retransmission is due.
    pub(crate) fn next_at(&self) -> Option<SimTime> {
        self.unacked.iter().map(|u| u.next_at).min()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.unacked.is_empty() && self.held.is_empty()
    }
}
