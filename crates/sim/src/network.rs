//! The simulated network: one link per direction between each pair of nodes, each with its own
//! seeded generator, so traffic on one link never shifts the random draws of another.

use crate::scenario::NetworkSpec;
use crate::topology::NodeId;
use fota_coap::{SimRng, SimTime};
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

#[derive(Clone, Debug)]
pub struct Network {
    /// Indexed by `from * 3 + to`.
    links: Vec<Link>,
}

fn index(from: NodeId, to: NodeId) -> usize {
    from as usize * NodeId::ALL.len() + to as usize
}

impl Network {
    pub fn new(spec: &NetworkSpec, rng: &mut SimRng) -> Network {
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
        Network { links }
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

    /// Carries a datagram of `len` bytes sent at `now`. A chance of 0 draws nothing, so a
    /// scenario keeps its trace when a feature it does not use is added.
    pub fn carry(&mut self, from: NodeId, to: NodeId, now: SimTime, len: usize) -> Carriage {
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

    fn network(spec: NetworkSpec) -> Network {
        Network::new(&spec, &mut SimRng::new(7))
    }

    fn lossy(percent: u8) -> NetworkSpec {
        NetworkSpec {
            loss_percent: percent,
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
            latency_ms: 10,
            bandwidth_bps: 8_000, // 1 byte per ms
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
            duplicate_percent: 100,
            corrupt_percent: 100,
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
