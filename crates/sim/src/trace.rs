//! The trace: every datagram the world carried, in the order it was sent, with its fate.

use crate::cow::CowVec;
use crate::topology::NodeId;
use fota_coap::message;
use fota_coap::{Addr, MessageClass, SimTime};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Fate {
    /// Arrives at `at` (which may lie past the end of a run that stopped first).
    Delivered { at: SimTime },
    /// Nobody listens at the destination address.
    Undeliverable,
    /// Lost on the way: the link lost it, a node's link was down, or a fault dropped it.
    Dropped { reason: String },
    /// Arrived twice: at `at` and again at `copy_at`.
    Duplicated { at: SimTime, copy_at: SimTime },
    /// Arrived at `at` with the byte at offset `byte` XORed with `mask`.
    Corrupted { at: SimTime, byte: usize, mask: u8 },
}

impl Fate {
    pub fn is_lost(&self) -> bool {
        matches!(self, Fate::Dropped { .. } | Fate::Undeliverable)
    }

    /// A word for the fate, as the trace file and the pcap comments name it.
    pub fn name(&self) -> &'static str {
        match self {
            Fate::Delivered { .. } => "delivered",
            Fate::Undeliverable => "undeliverable",
            Fate::Dropped { .. } => "dropped",
            Fate::Duplicated { .. } => "duplicated",
            Fate::Corrupted { .. } => "corrupted",
        }
    }
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

impl TraceEntry {
    /// The bytes the receiver gets: the sent ones, with a corrupted byte changed.
    pub fn arriving_bytes(&self) -> Vec<u8> {
        let mut bytes = self.bytes.clone();
        if let Fate::Corrupted { byte, mask, .. } = self.fate {
            if let Some(b) = bytes.get_mut(byte) {
                *b ^= mask;
            }
        }
        bytes
    }
}

/// Finds the request a response answers: the latest request with the same token sent the
/// other way between the same two endpoints.
pub fn match_request(
    trace: &CowVec<TraceEntry>,
    from: Addr,
    to: Addr,
    bytes: &[u8],
) -> Option<usize> {
    // A request or an empty message answers nothing: its header says so without decoding it
    // (class 0). Only a well-formed response is matched.
    let (code, _) = message::peek_code_and_token(bytes)?;
    if code >> 5 == 0 {
        return None;
    }
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
        // Most datagrams the other way are not the request: their header says so without
        // decoding them (a request's code has class 0 and is not 0.00).
        let (code, their_token) = message::peek_code_and_token(&e.bytes)?;
        if code == 0 || code >> 5 != 0 || their_token != token {
            return None;
        }
        let req = message::decode(&e.bytes).ok()?;
        (matches!(req.header.code, MessageClass::Request(_)) && req.get_token() == token)
            .then_some(e.id)
    })
}
