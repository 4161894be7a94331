//! What the message layer hands up to its node ([`CoapEvent`]), and the [`Token`] that ties a
//! response to its request.

use crate::addr::Addr;
use coap_lite::Packet;

pub type Token = Vec<u8>;

/// What the message layer hands up to the node.
#[derive(Clone, Debug, PartialEq)]
pub enum CoapEvent {
    /// A new request (duplicates are answered below this layer and never surface).
    Request { from: Addr, packet: Packet },
    /// A response or notification matching a request we sent.
    Response { from: Addr, packet: Packet },
    /// A confirmable request went unacknowledged MAX_RETRANSMIT + 1 times, or was acknowledged
    /// and its response did not come within RESPONSE_TIMEOUT: either way, no answer.
    Timeout { to: Addr, token: Token },
    /// The peer answered our confirmable message with RST.
    Reset { from: Addr, token: Token },
    /// Bytes that are not a CoAP message we can use; carries the reason for the trace.
    Rejected { from: Addr, reason: String },
}
