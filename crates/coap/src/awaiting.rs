//! Requests of ours that wait for a response (RFC 7252 §5.3.2): each peer and token, matched
//! once, or for an observation (RFC 7641) until it is forgotten.

use crate::addr::Addr;
use crate::event::Token;

#[derive(Clone, Debug)]
struct Awaiting {
    peer: Addr,
    token: Token,
    /// Observations keep their token after the first response.
    keep: bool,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Awaited {
    awaiting: Vec<Awaiting>,
}

impl Awaited {
    pub(crate) fn add(&mut self, peer: Addr, token: Token, keep: bool) {
        self.awaiting.push(Awaiting { peer, token, keep });
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
    /// request stops waiting with it.
    pub(crate) fn take(&mut self, peer: Addr, token: &[u8]) -> bool {
        let Some(pos) = self
            .awaiting
            .iter()
            .position(|a| a.peer == peer && a.token == token)
        else {
            return false;
        };
        if !self.awaiting[pos].keep {
            self.awaiting.remove(pos);
        }
        true
    }
}
