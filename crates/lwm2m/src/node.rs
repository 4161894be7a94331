//! The node contract (DESIGN.md): every node is a sans-IO state machine driven by the world.

use fota_coap::{Addr, Datagram, SimTime};
use serde::Serialize;

/// A line for a node's log (campaign progress, the repository's refusals), with the rule it
/// follows: the event of nodes that have no typed facts of their own to report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum NodeEvent {
    Log {
        text: String,
        rule: Option<&'static str>,
    },
}

impl core::fmt::Display for NodeEvent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            NodeEvent::Log { text, .. } => f.write_str(text),
        }
    }
}

/// What every node's events can say for people: a line of text (`Display`) and, when it has
/// one, the SPEC rule it follows; `is_quiet` for facts a log for people leaves out.
pub trait Fact: core::fmt::Display {
    fn rule(&self) -> Option<&'static str>;
    fn is_quiet(&self) -> bool {
        false
    }
}

impl Fact for NodeEvent {
    fn rule(&self) -> Option<&'static str> {
        match self {
            NodeEvent::Log { rule, .. } => *rule,
        }
    }
}

pub trait Node {
    /// What the node reports besides datagrams, drained after every input.
    type Event: Fact;
    fn addr(&self) -> Addr;
    fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]);
    fn handle_timeout(&mut self, now: SimTime);
    /// Drain after every input.
    fn poll_transmit(&mut self) -> Option<Datagram>;
    fn poll_timeout(&self) -> Option<SimTime>;
    fn poll_event(&mut self) -> Option<Self::Event>;
}
