//! RFC 7252 §4.8 transmission parameters, in milliseconds.

pub const ACK_TIMEOUT_MS: u64 = 2_000;
/// ACK_RANDOM_FACTOR 1.5, kept as a ratio so no floating point enters the simulation.
pub const ACK_RANDOM_FACTOR_NUM: u64 = 3;
pub const ACK_RANDOM_FACTOR_DEN: u64 = 2;
pub const MAX_RETRANSMIT: u32 = 4;
/// RFC 7252 §4.8.2 MAX_TRANSMIT_WAIT: ACK_TIMEOUT × (2^(MAX_RETRANSMIT + 1) − 1) ×
/// ACK_RANDOM_FACTOR, the longest a confirmable waits before its sender gives up on an ACK.
pub const MAX_TRANSMIT_WAIT_MS: u64 =
    ACK_TIMEOUT_MS * ((1 << (MAX_RETRANSMIT + 1)) - 1) * ACK_RANDOM_FACTOR_NUM
        / ACK_RANDOM_FACTOR_DEN;
/// How long a request whose ACK came without its response (an empty ACK promising a separate
/// response, RFC 7252 §5.2.2, or a piggybacked one whose token is not the request's) waits for
/// that response before it times out. RFC 7252 sets no bound; MAX_TRANSMIT_WAIT is the one
/// chosen: a peer that sends its separate response at once delivers it within that time even
/// over a lossy link (it is a confirmable of its own), and a request then fails within the same
/// bound whether its ACK or its response was lost, so a node's schedule (the device's Update at
/// half the lifetime) needs one margin only. EXCHANGE_LIFETIME (247 s) would outlast the default
/// 300 s lifetime's second half, letting the registration expire before the device notices.
pub const RESPONSE_TIMEOUT_MS: u64 = MAX_TRANSMIT_WAIT_MS;
/// RFC 7252 §4.8.2: how long a message id stays remembered for deduplication.
pub const EXCHANGE_LIFETIME_MS: u64 = 247_000;
/// Largest CoAP message, in bytes, that `message::encode` builds and `message::decode` accepts:
/// the one limit of the codec, so that whatever decodes also encodes again.
///
/// RFC 7252 §4.6 asks that a message fit in one IP packet and, when the path MTU is unknown,
/// suggests 1152 bytes for the message (1024 for the payload) under the 1280-byte IPv6 minimum
/// MTU. The project's largest messages are 1024-byte blocks with their options, well inside
/// 1152; the 128 bytes on top leave room for long paths and tokens and make the limit coap-lite's
/// default `Packet::MAX_SIZE` (1280), the size its own `to_bytes` refuses beyond.
pub const MAX_DATAGRAM: usize = 1152 + 128;
