//! The observations the server holds on the device, and which of their notifications are
//! fresh enough to take (RFC 7641 §3.4).

use fota_coap::messenger::Token;
use fota_coap::observe;
use fota_coap::SimTime;
use fota_lwm2m::Path;

/// An observation the server holds on the device.
#[derive(Clone, Debug)]
struct Observation {
    token: Token,
    path: Path,
    /// Number and arrival of the last notification taken (RFC 7641 freshness).
    last: Option<(u32, SimTime)>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Observations(Vec<Observation>);

impl Observations {
    /// An Observe of `path` went out with `token`: it replaces any older one of that path.
    pub fn started(&mut self, token: Token, path: Path) {
        self.0.retain(|o| o.path != path);
        self.0.push(Observation {
            token,
            path,
            last: None,
        });
    }

    pub fn is_observing(&self, token: &[u8]) -> bool {
        self.0.iter().any(|o| o.token == token)
    }

    /// The first answer to an observation counts as its first notification.
    pub fn answered(&mut self, token: &[u8], seq: Option<u32>, now: SimTime) {
        if let Some(o) = self.0.iter_mut().find(|o| o.token == token) {
            o.last = seq.map(|seq| (seq, now));
        }
    }

    /// A notification numbered `seq` on the observation with `token`: the observed path when
    /// the notification is fresh and taken, None when it is stale or the token unknown.
    pub fn notified(&mut self, token: &[u8], seq: u32, now: SimTime) -> Option<Path> {
        let o = self.0.iter_mut().find(|o| o.token == token)?;
        if !observe::is_fresh(o.last, seq, now) {
            return None;
        }
        o.last = Some((seq, now));
        Some(o.path)
    }

    /// The exchange with `token` ended: so did its observation.
    pub fn ended(&mut self, token: &[u8]) {
        self.0.retain(|o| o.token != token);
    }

    /// Stops holding the observation of `path`: its token, for the messenger to forget.
    pub fn stop(&mut self, path: Path) -> Option<Token> {
        let i = self.0.iter().position(|o| o.path == path)?;
        Some(self.0.remove(i).token)
    }

    /// Drops every observation (the device restarted or left): their tokens.
    pub fn take_all(&mut self) -> Vec<Token> {
        std::mem::take(&mut self.0)
            .into_iter()
            .map(|o| o.token)
            .collect()
    }
}
