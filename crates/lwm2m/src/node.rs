//! The node contract (DESIGN.md): every node is a sans-IO state machine driven by the world.

use crate::firmware::{FwState, UpdateResult};
use fota_coap::{Addr, Datagram, SimTime};
use serde::Serialize;

/// Something a node reports besides datagrams: what the UI's panels and the trace show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum NodeEvent {
    /// /5/0/3 and /5/0/5 changed (always together, in one transition). `sent_before` counts
    /// the datagrams this same input emitted before the change, so the trace can place it
    /// exactly between two messages.
    Firmware {
        state: FwState,
        result: UpdateResult,
        rule: &'static str,
        sent_before: usize,
    },
    /// /3/0/3 changed: a new image is running.
    FirmwareVersion { version: String, sent_before: usize },
    /// A line for the node's log (boot log, campaign progress), with the rule it follows.
    Log {
        text: String,
        rule: Option<&'static str>,
    },
}

pub trait Node {
    fn addr(&self) -> Addr;
    fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]);
    fn handle_timeout(&mut self, now: SimTime);
    /// Drain after every input.
    fn poll_transmit(&mut self) -> Option<Datagram>;
    fn poll_timeout(&self) -> Option<SimTime>;
    fn poll_event(&mut self) -> Option<NodeEvent>;
}
