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
    /// The largest IP packet the link carries (datagram + 28 bytes of IPv4 and UDP headers);
    /// a larger one is lost, as on a link that does not fragment. 0 means no limit.
    pub mtu_bytes: u64,
}

/// The latency a link has when a scenario names none.
pub const DEFAULT_LATENCY_MS: u64 = 20;

impl LinkParams {
    /// A link as a scenario's network starts from: the default latency and nothing else.
    pub fn base() -> LinkParams {
        LinkParams {
            latency_ms: DEFAULT_LATENCY_MS,
            ..LinkParams::default()
        }
    }
}

/// Settings that replace some of a link's: the network's own, one direction's
/// (`network.links`), or every link's from a moment on (a `set-network` fault). What is left
/// out stays as it was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct LinkSettings {
    /// One-way delay.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Extra delay drawn evenly from 0 to this, per datagram.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jitter_ms: Option<u64>,
    /// Chance in percent that a datagram is lost, drawn from the run's seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss_percent: Option<u8>,
    /// Chance that a datagram arrives twice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_percent: Option<u8>,
    /// Chance that a datagram is held back long enough for later ones to overtake it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reorder_percent: Option<u8>,
    /// Chance that one bit of a datagram flips on the way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrupt_percent: Option<u8>,
    /// Bits per second, headers included; 0 means no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_bps: Option<u64>,
    /// The largest IP packet the link carries, 28 bytes of IPv4 and UDP headers included; a
    /// datagram that makes a larger one is lost (the link does not fragment). 0 means no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mtu_bytes: Option<u64>,
}

impl LinkSettings {
    /// The field names, as a scenario file spells them.
    pub const FIELDS: [&'static str; 8] = [
        "latency_ms",
        "jitter_ms",
        "loss_percent",
        "duplicate_percent",
        "reorder_percent",
        "corrupt_percent",
        "bandwidth_bps",
        "mtu_bytes",
    ];

    /// The settings given replace those of `p`.
    pub fn apply(&self, p: &mut LinkParams) {
        p.latency_ms = self.latency_ms.unwrap_or(p.latency_ms);
        p.jitter_ms = self.jitter_ms.unwrap_or(p.jitter_ms);
        p.loss_percent = self.loss_percent.unwrap_or(p.loss_percent);
        p.duplicate_percent = self.duplicate_percent.unwrap_or(p.duplicate_percent);
        p.reorder_percent = self.reorder_percent.unwrap_or(p.reorder_percent);
        p.corrupt_percent = self.corrupt_percent.unwrap_or(p.corrupt_percent);
        p.bandwidth_bps = self.bandwidth_bps.unwrap_or(p.bandwidth_bps);
        p.mtu_bytes = self.mtu_bytes.unwrap_or(p.mtu_bytes);
    }

    /// The chances given, by field name, for checking that each is a percentage.
    pub fn percents(&self) -> [(&'static str, Option<u8>); 4] {
        [
            ("loss_percent", self.loss_percent),
            ("duplicate_percent", self.duplicate_percent),
            ("reorder_percent", self.reorder_percent),
            ("corrupt_percent", self.corrupt_percent),
        ]
    }
}

/// Fields a section of a scenario file has beside its link settings that nothing reads: kept
/// only so that loading can name them as mistakes (serde's own check cannot see past the
/// settings flattened into the section).
pub type Unknown = std::collections::BTreeMap<String, serde_json::Value>;
