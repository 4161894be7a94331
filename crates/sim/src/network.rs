//! The simulated network, the one owner of the wire: it decides the fate of every datagram
//! (a node's link down, a fault on that row, or what the link itself does: loss, delay,
//! jitter, reordering, duplication, corruption, bandwidth) and holds the datagrams on their way
//! until they arrive. One link per direction between each pair of nodes, each with its own
//! seeded generator, so traffic on one link never shifts the random draws of another. The
//! trace only records what the network decided.

use crate::link::{LinkParams, DEFAULT_LATENCY_MS};
use crate::scenario::{Fault, NetworkSpec};
use crate::topology::NodeId;
use crate::trace::Fate;
use fota_coap::{Addr, SimRng, SimTime};

/// What the link does to one datagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Carriage {
    Lost,
    /// Arrives at `at`; with `copy_at` a second copy arrives then; with `flip` one byte
    /// (offset, bit mask) arrives changed.
    Arrives {
        at: SimTime,
        copy_at: Option<SimTime>,
        flip: Option<(usize, u8)>,
    },
}

/// IPv4 and UDP headers: what a datagram costs on a bandwidth-limited link beyond its payload.
const IP_UDP_HEADERS: u64 = 28;

#[derive(Clone, Debug)]
struct Link {
    params: LinkParams,
    rng: SimRng,
    /// When the link has finished sending what it was given (bandwidth).
    busy_until: SimTime,
}

/// A time a node's link is down: what it sends or is sent is lost.
#[derive(Clone, Debug)]
struct Outage {
    node: NodeId,
    from_ms: u64,
    until_ms: Option<u64>,
}

/// A datagram on its way: when it arrives, at whom, and the bytes as they will arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub at: SimTime,
    /// Its row in the trace.
    pub row: usize,
    pub from: Addr,
    pub to: NodeId,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Network {
    /// Indexed by `from * 3 + to`.
    links: Vec<Link>,
    outages: Vec<Outage>,
    /// Faults on one datagram each, by its row, in the order they were given.
    row_faults: Vec<Fault>,
    /// How long an injected datagram, which comes over no link of ours, takes.
    injected_latency_ms: u64,
    /// Datagrams on their way (a duplicated one is here twice).
    in_flight: Vec<Arrival>,
}

fn index(from: NodeId, to: NodeId) -> usize {
    from as usize * NodeId::ALL.len() + to as usize
}

impl Network {
    /// The network a scenario describes, with the faults of its timeline that act on the wire
    /// (links down, faults on datagrams).
    pub fn new(spec: &NetworkSpec, faults: &[Fault], rng: &mut SimRng) -> Network {
        let mut links = Vec::new();
        for from in NodeId::ALL {
            for to in NodeId::ALL {
                links.push(Link {
                    params: spec.params(from, to),
                    rng: rng.fork(index(from, to) as u64 + 100),
                    busy_until: SimTime::ZERO,
                });
            }
        }
        let outages = spec
            .outages
            .iter()
            .map(|o| Outage {
                node: o.node,
                from_ms: o.from_ms,
                until_ms: o.to_ms,
            })
            .collect();
        let mut network = Network {
            links,
            outages,
            row_faults: Vec::new(),
            injected_latency_ms: spec.all.latency_ms.unwrap_or(DEFAULT_LATENCY_MS),
            in_flight: Vec::new(),
        };
        for f in faults {
            network.add_fault(f);
        }
        network
    }

    /// Takes a fault that acts on the wire: a link down for a while, or a fault on a row.
    /// Other faults are not the network's and are ignored.
    pub fn add_fault(&mut self, fault: &Fault) {
        match fault {
            Fault::LinkDown {
                at_ms,
                node,
                up_at_ms,
            } => self.outages.push(Outage {
                node: *node,
                from_ms: *at_ms,
                until_ms: *up_at_ms,
            }),
            f if f.row().is_some() => self.row_faults.push(f.clone()),
            _ => {}
        }
    }

    /// Changes every direction's settings from now on.
    pub fn adjust(&mut self, change: impl Fn(&mut LinkParams)) {
        for link in &mut self.links {
            change(&mut link.params);
        }
    }

    pub fn params(&self, from: NodeId, to: NodeId) -> LinkParams {
        self.links[index(from, to)].params
    }

    /// Datagrams still on their way.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// When the next datagram arrives, and its row: the earliest, and of those the first sent.
    pub fn next_arrival(&self) -> Option<(SimTime, usize)> {
        self.in_flight.iter().map(|a| (a.at, a.row)).min()
    }

    /// Takes the datagram that arrives next off the wire.
    pub fn arrive(&mut self) -> Option<Arrival> {
        let next = self.next_arrival()?;
        let i = self.in_flight.iter().position(|a| (a.at, a.row) == next)?;
        Some(self.in_flight.remove(i))
    }

    /// The end whose link is down at `now`, if either is.
    fn link_down(&self, now: SimTime, ends: [Option<NodeId>; 2]) -> Option<NodeId> {
        let now = now.millis();
        let down = |node: NodeId| {
            self.outages
                .iter()
                .any(|o| o.node == node && o.from_ms <= now && o.until_ms.is_none_or(|t| now < t))
        };
        ends.into_iter().flatten().find(|&n| down(n))
    }

    /// Decides the fate of the datagram of trace row `row`, sent at `now` from `from` (the node
    /// `from_node`; `None` for one injected from outside) to `to`, and puts what arrives of it
    /// on the wire.
    pub fn send(
        &mut self,
        now: SimTime,
        row: usize,
        (from, from_node): (Addr, Option<NodeId>),
        to: Addr,
        bytes: &[u8],
    ) -> Fate {
        let Some(to_node) = NodeId::of(to) else {
            return Fate::Undeliverable;
        };
        if let Some(node) = self.link_down(now, [from_node, Some(to_node)]) {
            return Fate::Dropped {
                reason: format!("the {} link is down", node.name().to_lowercase()),
            };
        }
        let fault = self
            .row_faults
            .iter()
            .find(|f| f.row() == Some(row))
            .cloned();
        if matches!(fault, Some(Fault::Drop { .. })) {
            return Fate::Dropped {
                reason: "dropped by a fault on this datagram".into(),
            };
        }
        // A packet larger than the link carries is lost whole, before any chance is drawn.
        let mtu = from_node.map_or(0, |f| self.params(f, to_node).mtu_bytes);
        let packet = bytes.len() as u64 + IP_UDP_HEADERS;
        if mtu > 0 && packet > mtu {
            return Fate::Dropped {
                reason: format!(
                    "a {packet}-byte packet ({} bytes and 28 of IPv4 and UDP headers) is larger than the link's MTU of {mtu} bytes",
                    bytes.len()
                ),
            };
        }
        let (at, copy_at, flip) = match from_node {
            // An injected datagram has no sender node, so no link of ours: it goes straight.
            None => (now + self.injected_latency_ms, None, None),
            Some(f) => match self.carry(f, to_node, now, bytes.len()) {
                Carriage::Lost => {
                    return Fate::Dropped {
                        reason: format!(
                            "lost on the link ({} % loss)",
                            self.params(f, to_node).loss_percent
                        ),
                    }
                }
                Carriage::Arrives { at, copy_at, flip } => match &fault {
                    Some(Fault::Delay { delay_ms, .. }) => {
                        (at + *delay_ms, copy_at.map(|c| c + *delay_ms), flip)
                    }
                    Some(Fault::Duplicate { .. }) => (at, Some(at + 1), flip),
                    Some(Fault::Corrupt { byte, .. }) if *byte < bytes.len() => {
                        (at, copy_at, Some((*byte, 0xff)))
                    }
                    _ => (at, copy_at, flip),
                },
            },
        };
        let mut arriving = bytes.to_vec();
        if let Some(b) = flip.and_then(|(byte, mask)| Some((arriving.get_mut(byte)?, mask))) {
            *b.0 ^= b.1;
        }
        for at in std::iter::once(at).chain(copy_at) {
            self.in_flight.push(Arrival {
                at,
                row,
                from,
                to: to_node,
                bytes: arriving.clone(),
            });
        }
        match (copy_at, flip) {
            (_, Some((byte, mask))) => Fate::Corrupted { at, byte, mask },
            (Some(copy_at), None) => Fate::Duplicated { at, copy_at },
            (None, None) => Fate::Delivered { at },
        }
    }

    /// What the link `from` -> `to` does to a datagram of `len` bytes sent at `now`. A chance
    /// of 0 draws nothing, so a scenario keeps its trace when a feature it does not use is
    /// added.
    fn carry(&mut self, from: NodeId, to: NodeId, now: SimTime, len: usize) -> Carriage {
        let link = &mut self.links[index(from, to)];
        let p = link.params;
        let mut chance = |percent: u8| percent > 0 && link.rng.range(0, 99) < u64::from(percent);
        if chance(p.loss_percent) {
            return Carriage::Lost;
        }
        let corrupt = chance(p.corrupt_percent);
        let duplicate = chance(p.duplicate_percent);
        let reorder = chance(p.reorder_percent);
        let flip = (corrupt && len > 0).then(|| {
            let byte = link.rng.range(0, len as u64 - 1) as usize;
            (byte, 1u8 << link.rng.range(0, 7))
        });
        let mut extra = 0;
        if reorder {
            extra += link.rng.range(p.latency_ms.max(1), 3 * p.latency_ms.max(1));
        }
        if p.jitter_ms > 0 {
            extra += link.rng.range(0, p.jitter_ms);
        }
        let mut departs = now;
        if p.bandwidth_bps > 0 {
            let bits = (len as u64 + IP_UDP_HEADERS) * 8;
            let start = link.busy_until.max(now);
            link.busy_until = start + (bits * 1000).div_ceil(p.bandwidth_bps);
            departs = link.busy_until;
        }
        let at = departs + p.latency_ms + extra;
        let copy_at = duplicate.then(|| at + 1 + link.rng.range(0, p.latency_ms));
        Carriage::Arrives { at, copy_at, flip }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::LinkSettings;

    fn network(spec: NetworkSpec) -> Network {
        Network::new(&spec, &[], &mut SimRng::new(7))
    }

    fn lossy(percent: u8) -> NetworkSpec {
        NetworkSpec {
            all: LinkSettings {
                loss_percent: Some(percent),
                ..LinkSettings::default()
            },
            ..NetworkSpec::default()
        }
    }

    #[test]
    fn loss_is_about_the_chance_asked_for_and_seeded() {
        let mut n = network(lossy(30));
        let lost = (0..10_000)
            .filter(|_| {
                n.carry(NodeId::Device, NodeId::Server, SimTime::ZERO, 100) == Carriage::Lost
            })
            .count();
        assert!((2_700..3_300).contains(&lost), "{lost}");
        let again = {
            let mut n = network(lossy(30));
            (0..10_000)
                .filter(|_| {
                    n.carry(NodeId::Device, NodeId::Server, SimTime::ZERO, 100) == Carriage::Lost
                })
                .count()
        };
        assert_eq!(lost, again, "same seed, same losses");
    }

    #[test]
    fn each_direction_draws_on_its_own() {
        let mut a = network(lossy(50));
        let mut b = network(lossy(50));
        // Traffic the other way on b must not change what happens device -> server.
        for _ in 0..100 {
            b.carry(NodeId::Server, NodeId::Device, SimTime::ZERO, 10);
        }
        for _ in 0..100 {
            assert_eq!(
                a.carry(NodeId::Device, NodeId::Server, SimTime::ZERO, 10),
                b.carry(NodeId::Device, NodeId::Server, SimTime::ZERO, 10)
            );
        }
    }

    #[test]
    fn bandwidth_queues_datagrams_one_after_the_other() {
        let mut n = network(NetworkSpec {
            all: LinkSettings {
                latency_ms: Some(10),
                bandwidth_bps: Some(8_000), // 1 byte per ms
                ..LinkSettings::default()
            },
            ..NetworkSpec::default()
        });
        let at = |c| match c {
            Carriage::Arrives { at, .. } => at.millis(),
            Carriage::Lost => panic!("lost"),
        };
        // 72 + 28 header bytes = 100 ms on the wire each, then 10 ms of latency.
        let first = at(n.carry(NodeId::Device, NodeId::Server, SimTime(0), 72));
        let second = at(n.carry(NodeId::Device, NodeId::Server, SimTime(0), 72));
        assert_eq!((first, second), (110, 210));
    }

    #[test]
    fn duplicates_and_corruption_say_when_and_where() {
        let mut n = network(NetworkSpec {
            all: LinkSettings {
                duplicate_percent: Some(100),
                corrupt_percent: Some(100),
                ..LinkSettings::default()
            },
            ..NetworkSpec::default()
        });
        match n.carry(NodeId::Server, NodeId::Device, SimTime(0), 40) {
            Carriage::Arrives {
                at,
                copy_at: Some(copy),
                flip: Some((byte, mask)),
            } => {
                assert!(copy > at);
                assert!(byte < 40 && mask.count_ones() == 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
