use core::fmt;
use serde::{Deserialize, Serialize};

/// A UDP endpoint in the simulated network. Addresses are fixed per node so that a pcap
/// export of a run reads like a capture from a real network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Addr {
    pub ip: [u8; 4],
    pub port: u16,
}

impl Addr {
    pub const fn new(ip: [u8; 4], port: u16) -> Addr {
        Addr { ip, port }
    }

    /// Parses `a.b.c.d` with an optional `:port` (default `default_port`).
    pub fn parse(host: &str, port: Option<u16>, default_port: u16) -> Option<Addr> {
        let mut ip = [0u8; 4];
        let mut parts = host.split('.');
        for byte in ip.iter_mut() {
            *byte = parts.next()?.parse().ok()?;
        }
        if parts.next().is_some() {
            return None;
        }
        Some(Addr::new(ip, port.unwrap_or(default_port)))
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.ip;
        write!(f, "{a}.{b}.{c}.{d}:{}", self.port)
    }
}

/// One UDP datagram: what a node emits and what the network delivers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Datagram {
    pub from: Addr,
    pub to: Addr,
    pub bytes: Vec<u8>,
}
