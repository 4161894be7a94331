//! The world: nodes, network and virtual clock, advanced one event at a time in a fixed
//! order, so a scenario and a seed always give the same trace.

use crate::cow::CowVec;
use crate::network::{Carriage, Network};
use crate::scenario::{Fault, Scenario};
use crate::topology::NodeId;
use crate::trace::{match_request, Fate, TraceEntry};
use fota_coap::{Addr, Datagram, SimRng, SimTime};
use fota_device::Device;
use fota_lwm2m::{FwState, Node, NodeEvent, UpdateResult};
use fota_server::{CampaignPhase, Repository, Server};
use serde::Serialize;
use std::collections::VecDeque;

/// A line of a node's log, stamped with the virtual time it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub at: SimTime,
    pub node: NodeId,
    pub text: String,
    pub rule: Option<&'static str>,
}

/// One change of /5/0/3 and /5/0/5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FirmwareChange {
    pub at: SimTime,
    pub state: FwState,
    pub result: UpdateResult,
    pub rule: &'static str,
    /// Trace length when it happened: the UI places it between ladder rows.
    pub after_datagrams: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Input {
    Deliver(usize),
    Timeout(NodeId),
    /// The scenario's next operator request.
    Operate(usize),
    /// The next fault of the timeline.
    Fault(usize),
}

#[derive(Clone, Debug)]
pub struct World {
    scenario: Scenario,
    seed: u64,
    now: SimTime,
    server: Server,
    repository: Repository,
    device: Device,
    network: Network,
    trace: CowVec<TraceEntry>,
    /// Datagrams a node has emitted that are not yet on the ladder: each becomes a trace row
    /// in a step of its own, so stepping shows one datagram at a time.
    outbox: VecDeque<(NodeId, Datagram)>,
    /// Trace ids of datagrams still on the wire, with their arrival time (a duplicated
    /// datagram is here twice).
    in_flight: Vec<(SimTime, usize)>,
    log: CowVec<LogEntry>,
    changes: CowVec<FirmwareChange>,
    /// /3/0/3 over time: (trace length when it changed, version).
    versions: CowVec<(usize, String)>,
    /// The campaign's phases: (trace length when it began, phase).
    phases: CowVec<(usize, CampaignPhase)>,
    /// Operator requests of the scenario already made.
    operations_done: usize,
    /// The faults that happen at a moment, in time order, and how many have happened.
    timed_faults: Vec<Fault>,
    faults_done: usize,
    /// Events processed so far: datagrams put on the ladder and inputs handed to nodes.
    steps: u64,
}

impl World {
    pub fn new(mut scenario: Scenario, seed: u64) -> World {
        scenario.operations.sort_by_key(|o| o.at_ms);
        let mut timed_faults: Vec<Fault> = scenario
            .faults
            .iter()
            .filter(|f| f.at_ms().is_some())
            .cloned()
            .collect();
        timed_faults.sort_by_key(|f| f.at_ms());
        let mut rng = SimRng::new(seed);
        let nodes = crate::build::nodes(&scenario, seed, &mut rng);
        let network = Network::new(&scenario.network, &mut rng.fork(4));
        World {
            scenario,
            seed,
            now: SimTime::ZERO,
            server: nodes.server,
            repository: nodes.repository,
            device: nodes.device,
            network,
            trace: CowVec::new(),
            outbox: VecDeque::new(),
            in_flight: Vec::new(),
            log: CowVec::new(),
            changes: CowVec::new(),
            versions: CowVec::new(),
            phases: {
                let mut p = CowVec::new();
                p.push((0, CampaignPhase::WaitingForDevice));
                p
            },
            operations_done: 0,
            timed_faults,
            faults_done: 0,
            steps: 0,
        }
    }

    /// Adds a fault from now on: a branch of the run ("what if this block had been lost?").
    /// A timed fault earlier than now happens now; a datagram fault must name a row not yet
    /// on the ladder. Returns false when it comes too late to matter.
    pub fn add_fault(&mut self, fault: Fault) -> bool {
        match (fault.at_ms(), fault.row()) {
            (Some(at), _) => {
                let at = at.max(self.now.millis());
                let fault = match fault {
                    Fault::Reboot { .. } => Fault::Reboot { at_ms: at },
                    Fault::ReplaceImage { .. } => Fault::ReplaceImage { at_ms: at },
                    Fault::SetNetwork {
                        latency_ms,
                        loss_percent,
                        duplicate_percent,
                        corrupt_percent,
                        ..
                    } => Fault::SetNetwork {
                        at_ms: at,
                        latency_ms,
                        loss_percent,
                        duplicate_percent,
                        corrupt_percent,
                    },
                    Fault::PowerCut { off_ms, .. } => Fault::PowerCut { at_ms: at, off_ms },
                    Fault::LinkDown { node, up_at_ms, .. } => Fault::LinkDown {
                        at_ms: at,
                        node,
                        up_at_ms,
                    },
                    other => other,
                };
                let pos = self.faults_done
                    + self.timed_faults[self.faults_done..]
                        .iter()
                        .take_while(|f| f.at_ms() <= Some(at))
                        .count();
                self.timed_faults.insert(pos, fault.clone());
                self.scenario.faults.push(fault);
                true
            }
            (None, Some(row)) if row >= self.trace.len() => {
                self.scenario.faults.push(fault);
                true
            }
            _ => false,
        }
    }

    /// Adds an operator request from now on, as a branch of the run does: the server sends
    /// it at `at_ms` or now, whichever is later.
    pub fn add_operation(&mut self, mut op: crate::scenario::Operation) -> bool {
        if op.request().is_none() {
            return false;
        }
        op.at_ms = op.at_ms.max(self.now.millis());
        let pos = self.operations_done
            + self.scenario.operations[self.operations_done..]
                .iter()
                .take_while(|o| o.at_ms <= op.at_ms)
                .count();
        self.scenario.operations.insert(pos, op);
        true
    }

    /// The campaign's phase as of the rows on the ladder.
    pub fn visible_phase(&self) -> &CampaignPhase {
        let shown = self.trace.len();
        self.phases
            .iter()
            .rev()
            .find(|(at, _)| *at <= shown)
            .map_or(self.server.phase(), |(_, p)| p)
    }

    /// Events processed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn server(&self) -> &Server {
        &self.server
    }

    pub fn trace(&self) -> &CowVec<TraceEntry> {
        &self.trace
    }

    pub fn log(&self) -> &CowVec<LogEntry> {
        &self.log
    }

    pub fn firmware_changes(&self) -> &CowVec<FirmwareChange> {
        &self.changes
    }

    /// /3/0/3 over time: (trace length when it changed, version).
    pub fn versions(&self) -> &CowVec<(usize, String)> {
        &self.versions
    }

    /// The campaign's phases in order, each with the trace length when it began.
    pub fn campaign_phases(&self) -> &CowVec<(usize, CampaignPhase)> {
        &self.phases
    }

    fn node_mut(&mut self, id: NodeId) -> &mut dyn Node {
        match id {
            NodeId::Server => &mut self.server,
            NodeId::Repository => &mut self.repository,
            NodeId::Device => &mut self.device,
        }
    }

    fn node(&self, id: NodeId) -> &dyn Node {
        match id {
            NodeId::Server => &self.server,
            NodeId::Repository => &self.repository,
            NodeId::Device => &self.device,
        }
    }

    /// The next input in the fixed order: earliest time first; at equal times deliveries
    /// (in send order) before timeouts (in node order).
    fn next_input(&self) -> Option<(SimTime, Input)> {
        let delivery = self
            .in_flight
            .iter()
            .min_by_key(|(at, id)| (*at, *id))
            .map(|&(at, id)| (at, Input::Deliver(id)));
        let timeout = NodeId::ALL
            .into_iter()
            .filter_map(|n| {
                self.node(n)
                    .poll_timeout()
                    .map(|t| (t.max(self.now), Input::Timeout(n)))
            })
            .min_by_key(|(t, _)| *t);
        let operation = self.scenario.operations.get(self.operations_done).map(|o| {
            (
                SimTime(o.at_ms).max(self.now),
                Input::Operate(self.operations_done),
            )
        });
        let fault = self.timed_faults.get(self.faults_done).map(|f| {
            (
                SimTime(f.at_ms().unwrap_or(0)).max(self.now),
                Input::Fault(self.faults_done),
            )
        });
        // Earliest first; at equal times deliveries, then timeouts, then operator requests,
        // then faults.
        [delivery, timeout, operation, fault]
            .into_iter()
            .flatten()
            .min_by_key(|(t, input)| {
                let rank = match input {
                    Input::Deliver(_) => 0,
                    Input::Timeout(_) => 1,
                    Input::Operate(_) => 2,
                    Input::Fault(_) => 3,
                };
                (*t, rank)
            })
    }

    /// True when the campaign is over and nothing is left on the wire or unanswered, or when
    /// the time limit is reached, or when nothing at all is scheduled.
    pub fn is_finished(&self) -> bool {
        if self.now >= SimTime::from_secs(self.scenario.time_limit_s) {
            return true;
        }
        let settled = self.server.phase().is_over()
            && self.outbox.is_empty()
            && self.in_flight.is_empty()
            && !self.server.is_busy()
            && !self.device.is_busy();
        settled || (self.outbox.is_empty() && self.next_input().is_none())
    }

    /// /5/0/3, /5/0/5 and /3/0/3 as of the datagrams on the ladder so far: what the device
    /// had reported by then, not what it has already decided for the next step.
    pub fn visible_values(&self) -> (FwState, UpdateResult, String) {
        let shown = self.trace.len();
        let (state, result) = self
            .changes
            .iter()
            .rev()
            .find(|c| c.after_datagrams <= shown)
            .map_or((FwState::Idle, UpdateResult::Initial), |c| {
                (c.state, c.result)
            });
        let version = self
            .versions
            .iter()
            .rev()
            .find(|(at, _)| *at <= shown)
            .map_or(String::new(), |(_, v)| v.clone());
        (state, result, version)
    }

    /// Processes one input. Returns false when the run is finished.
    pub fn step_event(&mut self) -> bool {
        if self.is_finished() {
            return false;
        }
        if let Some((node, datagram)) = self.outbox.pop_front() {
            self.steps += 1;
            self.record(Some(node), datagram);
            return true;
        }
        self.step_input()
    }

    /// Hands the next input to its node. Returns false when nothing is scheduled.
    fn step_input(&mut self) -> bool {
        let Some((at, input)) = self.next_input() else {
            return false;
        };
        self.now = at;
        self.steps += 1;
        let node = match input {
            Input::Deliver(id) => {
                if let Some(i) = self.in_flight.iter().position(|&e| e == (at, id)) {
                    self.in_flight.remove(i);
                }
                let Some(entry) = self.trace.get_mut(id) else {
                    return true;
                };
                if entry.fate == Fate::InFlight {
                    entry.fate = Fate::Delivered { at };
                }
                let (from, bytes, to_node) = (entry.from, entry.arriving_bytes(), entry.to_node);
                let Some(to) = to_node else { return true };
                self.node_mut(to).handle_datagram(at, from, &bytes);
                to
            }
            Input::Timeout(n) => {
                self.node_mut(n).handle_timeout(at);
                n
            }
            Input::Operate(i) => {
                self.operations_done = i + 1;
                if let Some(request) = self.scenario.operations[i].request() {
                    self.server.operate(at, request);
                }
                NodeId::Server
            }
            Input::Fault(i) => {
                self.faults_done = i + 1;
                let fault = self.timed_faults[i].clone();
                self.apply(at, &fault)
            }
        };
        self.drain(node);
        if self
            .phases
            .last()
            .is_none_or(|(_, p)| p != self.server.phase())
        {
            let at = self.trace.len() + self.outbox.len();
            self.phases.push((at, self.server.phase().clone()));
        }
        true
    }

    /// A fault of the timeline happens now; returns the node it happens to.
    fn apply(&mut self, at: SimTime, fault: &Fault) -> NodeId {
        let (node, text) = match fault {
            Fault::Reboot { .. } => {
                self.device.reset(at);
                (NodeId::Device, "fault: the device reboots".to_string())
            }
            Fault::PowerCut { off_ms, .. } => {
                self.device.power_cut(at, *off_ms);
                (
                    NodeId::Device,
                    format!("fault: the device loses power for {off_ms} ms"),
                )
            }
            Fault::ReplaceImage { .. } => {
                let image = crate::build::rebuilt_image(&self.scenario, self.seed);
                let path = self.scenario.image.path.clone();
                self.repository.publish(&path, image);
                (
                    NodeId::Repository,
                    format!("fault: another build of {path} is published (a new ETag)"),
                )
            }
            Fault::LinkDown { node, up_at_ms, .. } => {
                let until = up_at_ms.map_or(" for good".to_string(), |t| format!(" until {t} ms"));
                (
                    NodeId::parse(node).unwrap_or(NodeId::Device),
                    format!("fault: the link is down{until}"),
                )
            }
            Fault::SetNetwork {
                latency_ms,
                loss_percent,
                duplicate_percent,
                corrupt_percent,
                ..
            } => {
                self.network.adjust(|p| {
                    p.latency_ms = latency_ms.unwrap_or(p.latency_ms);
                    p.loss_percent = loss_percent.unwrap_or(p.loss_percent);
                    p.duplicate_percent = duplicate_percent.unwrap_or(p.duplicate_percent);
                    p.corrupt_percent = corrupt_percent.unwrap_or(p.corrupt_percent);
                });
                let p = self.network.params(NodeId::Device, NodeId::Server);
                (
                    NodeId::Device,
                    format!(
                        "fault: the network now has {} ms latency, {} % loss, {} % duplication, {} % corruption",
                        p.latency_ms, p.loss_percent, p.duplicate_percent, p.corrupt_percent
                    ),
                )
            }
            // Datagram faults act when their row is recorded.
            _ => return NodeId::Device,
        };
        self.log.push(LogEntry {
            at,
            node,
            text,
            rule: None,
        });
        node
    }

    /// Runs until one more datagram is on the ladder (or the run ends). Returns whether a
    /// datagram was added.
    pub fn step_datagram(&mut self) -> bool {
        let before = self.trace.len();
        while self.trace.len() == before {
            if !self.step_event() {
                return false;
            }
        }
        true
    }

    /// Puts a datagram on the wire as if `from` had sent it now: how a student (or a test)
    /// injects a forged or corrupted message.
    pub fn inject(&mut self, from: Addr, to: Addr, bytes: Vec<u8>) {
        self.record(NodeId::of(from), Datagram { from, to, bytes });
    }

    /// Runs every input due up to `until`, whether or not the campaign is over: for watching
    /// what happens after it (registration Updates, lifetimes).
    pub fn run_until(&mut self, until: SimTime) {
        loop {
            if let Some((node, datagram)) = self.outbox.pop_front() {
                self.steps += 1;
                self.record(Some(node), datagram);
                continue;
            }
            match self.next_input() {
                Some((at, _)) if at <= until => {
                    self.step_input();
                }
                _ => break,
            }
        }
        self.now = self.now.max(until);
    }

    /// Runs to the end, bounded by the scenario's time limit.
    pub fn run_to_end(&mut self) {
        while self.step_event() {}
    }

    fn record(&mut self, from_node: Option<NodeId>, Datagram { from, to, bytes }: Datagram) {
        let trace_id = self.trace.len();
        let answers = match_request(&self.trace, from, to, &bytes);
        let to_node = NodeId::of(to);
        let fault = self
            .scenario
            .faults
            .iter()
            .find(|f| f.row() == Some(trace_id))
            .cloned();
        let mut arrivals = Vec::new();
        let fate = match (from_node, to_node, self.link_down(from_node, to_node)) {
            (_, None, _) => Fate::Undeliverable,
            (_, Some(_), Some(node)) => Fate::Dropped {
                reason: format!("the {} link is down", node.name().to_lowercase()),
            },
            (_, Some(_), None) if matches!(fault, Some(Fault::Drop { .. })) => Fate::Dropped {
                reason: "dropped by a fault on this datagram".into(),
            },
            // An injected datagram has no sender node, so no link of ours: it goes straight.
            (None, Some(_), None) => {
                arrivals.push(self.now + self.scenario.network.latency_ms);
                Fate::InFlight
            }
            (Some(f), Some(t), None) => match self.network.carry(f, t, self.now, bytes.len()) {
                Carriage::Lost => Fate::Dropped {
                    reason: format!(
                        "lost on the link ({} % loss)",
                        self.network.params(f, t).loss_percent
                    ),
                },
                Carriage::Arrives { at, copy_at, flip } => {
                    let (at, copy_at, flip) = match &fault {
                        Some(Fault::Delay { delay_ms, .. }) => {
                            (at + *delay_ms, copy_at.map(|c| c + *delay_ms), flip)
                        }
                        Some(Fault::Duplicate { .. }) => (at, Some(at + 1), flip),
                        Some(Fault::Corrupt { byte, .. }) if *byte < bytes.len() => {
                            (at, copy_at, Some((*byte, 0xff)))
                        }
                        _ => (at, copy_at, flip),
                    };
                    arrivals.push(at);
                    arrivals.extend(copy_at);
                    match (copy_at, flip) {
                        (_, Some((byte, mask))) => Fate::Corrupted { at, byte, mask },
                        (Some(copy_at), None) => Fate::Duplicated { at, copy_at },
                        (None, None) => Fate::InFlight,
                    }
                }
            },
        };
        self.trace.push(TraceEntry {
            id: trace_id,
            sent_at: self.now,
            from,
            to,
            from_node,
            to_node,
            bytes,
            fate,
            answers,
        });
        self.in_flight
            .extend(arrivals.into_iter().map(|at| (at, trace_id)));
    }

    /// The end whose link is down now, if either is: an outage of the scenario's network or a
    /// link-down fault.
    fn link_down(&self, from: Option<NodeId>, to: Option<NodeId>) -> Option<NodeId> {
        let now = self.now.millis();
        let outage = |node: NodeId| {
            self.scenario.network.outages.iter().any(|o| {
                NodeId::parse(&o.node) == Some(node)
                    && o.from_ms <= now
                    && o.to_ms.is_none_or(|t| now < t)
            })
        };
        let fault = |node: NodeId| {
            self.timed_faults.iter().any(|f| match f {
                Fault::LinkDown {
                    at_ms,
                    node: n,
                    up_at_ms,
                } => {
                    NodeId::parse(n) == Some(node)
                        && *at_ms <= now
                        && up_at_ms.is_none_or(|t| now < t)
                }
                _ => false,
            })
        };
        [from, to]
            .into_iter()
            .flatten()
            .find(|&node| outage(node) || fault(node))
    }

    fn drain(&mut self, id: NodeId) {
        let before_input = self.trace.len() + self.outbox.len();
        while let Some(d) = self.node_mut(id).poll_transmit() {
            self.outbox.push_back((id, d));
        }
        while let Some(ev) = self.node_mut(id).poll_event() {
            match ev {
                NodeEvent::Firmware {
                    state,
                    result,
                    rule,
                    sent_before,
                } => self.changes.push(FirmwareChange {
                    at: self.now,
                    state,
                    result,
                    rule,
                    after_datagrams: before_input + sent_before,
                }),
                NodeEvent::FirmwareVersion {
                    version: v,
                    sent_before,
                } => {
                    self.log.push(LogEntry {
                        at: self.now,
                        node: id,
                        text: format!("running firmware {v}"),
                        rule: None,
                    });
                    self.versions.push((before_input + sent_before, v));
                }
                NodeEvent::Log { text, rule } => self.log.push(LogEntry {
                    at: self.now,
                    node: id,
                    text,
                    rule,
                }),
            }
        }
    }
}
