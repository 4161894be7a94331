//! The trace: every datagram the world carried, in the order it was sent, with its fate.

use crate::topology::NodeId;
use fota_coap::message;
use fota_coap::{Addr, MessageClass, SimTime};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Fate {
    InFlight,
    Delivered {
        at: SimTime,
    },
    /// Nobody listens at the destination address.
    Undeliverable,
    /// Lost on the way: a node's link was down when it was sent.
    Dropped {
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    pub id: usize,
    pub sent_at: SimTime,
    pub from: Addr,
    pub to: Addr,
    pub from_node: Option<NodeId>,
    pub to_node: Option<NodeId>,
    pub bytes: Vec<u8>,
    pub fate: Fate,
    /// The row of the request this datagram answers (matched by token and peers).
    pub answers: Option<usize>,
}

/// Finds the request a response answers: the latest request with the same token sent the
/// other way between the same two endpoints.
pub fn match_request(trace: &[TraceEntry], from: Addr, to: Addr, bytes: &[u8]) -> Option<usize> {
    let packet = message::decode(bytes).ok()?;
    if !matches!(
        packet.header.code,
        MessageClass::Response(_) | MessageClass::Reserved(_)
    ) {
        return None;
    }
    let token = packet.get_token();
    trace.iter().rev().find_map(|e| {
        if e.from != to || e.to != from {
            return None;
        }
        let req = message::decode(&e.bytes).ok()?;
        (matches!(req.header.code, MessageClass::Request(_)) && req.get_token() == token)
            .then_some(e.id)
    })
}
