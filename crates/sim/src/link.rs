//! The settings of one direction of a link: what the scenario's network section gives each
//! direction, and what the network applies to every datagram.

use serde::{Deserialize, Serialize};

/// How one direction of a link treats a datagram. Percentages are chances per datagram.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkParams {
    pub latency_ms: u64,
    /// Extra delay drawn evenly from 0 to this, per datagram.
    pub jitter_ms: u64,
    pub loss_percent: u8,
    pub duplicate_percent: u8,
    /// Held back by one to three latencies more, so that later datagrams overtake it.
    pub reorder_percent: u8,
    /// One bit of one byte flipped on the way.
    pub corrupt_percent: u8,
    /// Bits per second, IP and UDP headers included; 0 means no limit.
    pub bandwidth_bps: u64,
}
