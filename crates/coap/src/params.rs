//! RFC 7252 §4.8 transmission parameters, in milliseconds.

pub const ACK_TIMEOUT_MS: u64 = 2_000;
/// ACK_RANDOM_FACTOR 1.5, kept as a ratio so no floating point enters the simulation.
pub const ACK_RANDOM_FACTOR_NUM: u64 = 3;
pub const ACK_RANDOM_FACTOR_DEN: u64 = 2;
pub const MAX_RETRANSMIT: u32 = 4;
/// RFC 7252 §4.8.2: how long a message id stays remembered for deduplication.
pub const EXCHANGE_LIFETIME_MS: u64 = 247_000;
/// Largest datagram we build or accept (coap-lite refuses larger than 1280 by default).
pub const MAX_DATAGRAM: usize = 1152 + 128;
