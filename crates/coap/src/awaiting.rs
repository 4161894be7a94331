//! Requests of ours that wait for a response (RFC 7252 §5.3.2): each peer and token, matched
//! once, or for an observation (RFC 7641) until it is forgotten. Once a request's ACK has come
//! without its response, the wait has a deadline, so that no request waits for ever.

use crate::addr::Addr;
use crate::event::Token;
use crate::time::SimTime;

#[derive(Clone, Debug)]
struct Awaiting {
    peer: Addr,
    token: Token,
    /// Observations keep their token after the first response.
    keep: bool,
    /// When the wait for the first response ends; set once the request was acknowledged
    /// without it.
    deadline: Option<SimTime>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Awaited {
    awaiting: Vec<Awaiting>,
}

impl Awaited {
    pub(crate) fn add(&mut self, peer: Addr, token: Token, keep: bool) {
        self.awaiting.push(Awaiting {
            peer,
            token,
            keep,
            deadline: None,
        });
    }

    pub(crate) fn forget(&mut self, token: &[u8]) {
        self.awaiting.retain(|a| a.token != token);
    }

    pub(crate) fn is_awaited(&self, peer: Addr, token: &[u8]) -> bool {
        self.awaiting
            .iter()
            .any(|a| a.peer == peer && a.token == token)
    }

    /// Whether a response from `peer` with `token` answers a request of ours; a one-time
    /// request stops waiting with it, an observation no longer has a deadline.
    pub(crate) fn take(&mut self, peer: Addr, token: &[u8]) -> bool {
        let Some(pos) = self
            .awaiting
            .iter()
            .position(|a| a.peer == peer && a.token == token)
        else {
            return false;
        };
        if self.awaiting[pos].keep {
            self.awaiting[pos].deadline = None;
        } else {
            self.awaiting.remove(pos);
        }
        true
    }

    /// The request with `token` was acknowledged and its response is still to come: it waits
    /// until `deadline`.
    pub(crate) fn respond_by(&mut self, token: &[u8], deadline: SimTime) {
        for a in self.awaiting.iter_mut().filter(|a| a.token == token) {
            a.deadline = Some(deadline);
        }
    }

    /// The earliest deadline of a request still waiting.
    pub(crate) fn next_deadline(&self) -> Option<SimTime> {
        self.awaiting.iter().filter_map(|a| a.deadline).min()
    }

    /// Stops waiting for the requests whose deadline has come, and gives their peers and
    /// tokens in the order they were sent.
    pub(crate) fn expire(&mut self, now: SimTime) -> Vec<(Addr, Token)> {
        let (gone, kept): (Vec<Awaiting>, Vec<Awaiting>) = std::mem::take(&mut self.awaiting)
            .into_iter()
            .partition(|a| a.deadline.is_some_and(|d| d <= now));
        self.awaiting = kept;
        gone.into_iter().map(|a| (a.peer, a.token)).collect()
    }
}
