//! RFC 7252 §4.8 transmission parameters, in milliseconds.

pub const ACK_TIMEOUT_MS: u64 = 2_000;
/// ACK_RANDOM_FACTOR 1.5, kept as a ratio so no floating point enters the simulation.
pub const ACK_RANDOM_FACTOR_NUM: u64 = 3;
pub const ACK_RANDOM_FACTOR_DEN: u64 = 2;
pub const MAX_RETRANSMIT: u32 = 4;
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
