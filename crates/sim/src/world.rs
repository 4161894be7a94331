//! The world: nodes, network and virtual clock, advanced one event at a time in a fixed
//! order, so a scenario and a seed always give the same trace.

use crate::cow::CowVec;
use crate::history::{BootRecord, FirmwareChange, History, LogEntry, VersionChange};
use crate::moments::Moment;
use crate::network::Network;
use crate::position::Position;
use crate::scenario::{Fault, Scenario};
use crate::topology::NodeId;
use crate::trace::{match_request, TraceEntry};
use fota_coap::{Addr, Datagram, SimRng, SimTime};
use fota_device::Device;
use fota_lwm2m::{FwState, Node, UpdateResult};
use fota_server::{CampaignPhase, Repository, Server};
use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    Deliver(usize),
    Timeout(NodeId),
    /// The scenario's next operator request.
    Operate(usize),
    /// The next fault of the timeline.
    Fault(usize),
}

#[derive(Clone, Debug)]
pub struct World {
    pub(crate) scenario: Scenario,
    seed: u64,
    pub(crate) now: SimTime,
    pub(crate) server: Server,
    pub(crate) repository: Repository,
    pub(crate) device: Device,
    pub(crate) network: Network,
    trace: CowVec<TraceEntry>,
    /// Datagrams a node has emitted that are not yet on the ladder: each becomes a trace row
    /// in a step of its own, so stepping shows one datagram at a time.
    outbox: VecDeque<(NodeId, Datagram)>,
    pub(crate) history: History,
    /// Operator requests of the scenario already made.
    pub(crate) operations_done: usize,
    /// The faults that happen at a moment, in time order, and how many have happened.
    pub(crate) timed_faults: Vec<Fault>,
    pub(crate) faults_done: usize,
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
        let network = Network::new(&scenario.network, &scenario.faults, &mut rng.fork(4));
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
            history: History::new(),
            operations_done: 0,
            timed_faults,
            faults_done: 0,
            steps: 0,
        }
    }

    /// The campaign's phase as of the rows on the ladder.
    pub fn visible_phase(&self) -> &CampaignPhase {
        let shown = self.trace.len();
        self.history
            .phases
            .iter()
            .rev()
            .find(|r| r.after_datagrams <= shown)
            .map_or(self.server.phase(), |r| &r.phase)
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
        &self.history.log
    }

    pub fn firmware_changes(&self) -> &CowVec<FirmwareChange> {
        &self.history.changes
    }

    /// /3/0/3 over time.
    pub fn versions(&self) -> &CowVec<VersionChange> {
        &self.history.versions
    }

    /// The device's moments so far (resets, boot steps, an image failing), in order.
    pub fn moments(&self) -> &CowVec<Moment> {
        &self.history.moments
    }

    /// The device's energy and battery over the run, a point every quarter second at most.
    pub fn energy_points(&self) -> &CowVec<crate::history::EnergyPoint> {
        &self.history.energy
    }

    /// The campaign's phases in order, each with the trace length when it began.
    pub fn campaign_phases(&self) -> &CowVec<crate::history::PhaseRecord> {
        &self.history.phases
    }

    /// What the bootloader did, in order, each with the trace length it happened at.
    pub fn boot_events(&self) -> &CowVec<BootRecord> {
        &self.history.boot
    }

    /// The device's checks of each complete download (BOOT-5), each with the trace length it
    /// happened at.
    pub fn prevalidations(&self) -> &CowVec<(usize, Vec<fota_bootloader::Check>)> {
        &self.history.prevalidations
    }

    /// The rules the datagram of `row` met: those its receiver applied to it (a /5 transition
    /// or refusal), or else the one its sender followed in sending it (SRV-3 for the radio
    /// reads that gate a PUSH), or else the one its shape alone shows (a Register, a Block2).
    pub fn row_rules(&self, row: usize) -> Vec<&'static str> {
        self.rules_met(row, || {
            let e = self.trace.get(row)?;
            let request = e
                .answers
                .and_then(|i| self.trace.get(i))
                .map(|r| r.bytes.as_slice());
            fota_lwm2m::explain(&e.bytes, request).rule
        })
    }

    /// `row_rules` for a caller that has already explained the datagram: `shape` gives the
    /// rule its shape shows, asked for only when neither its receiver nor its sender said one.
    pub fn rules_met(
        &self,
        row: usize,
        shape: impl FnOnce() -> Option<&'static str>,
    ) -> Vec<&'static str> {
        // The receiver's rule first; else the rule its sender followed; else its shape's.
        let applied = self.history.rules_applied(row);
        if !applied.is_empty() {
            return applied;
        }
        match self.history.sent_for(row) {
            Some(rule) => vec![rule],
            None => shape().into_iter().collect(),
        }
    }

    fn poll_timeout(&self, id: NodeId) -> Option<SimTime> {
        match id {
            NodeId::Server => self.server.poll_timeout(),
            NodeId::Repository => self.repository.poll_timeout(),
            NodeId::Device => self.device.poll_timeout(),
        }
    }

    /// The next input in the fixed order: earliest time first; at equal times deliveries
    /// (in send order) before timeouts (in node order).
    fn next_input(&self) -> Option<(SimTime, Input)> {
        let delivery = self
            .network
            .next_arrival()
            .map(|(at, row)| (at, Input::Deliver(row)));
        let timeout = NodeId::ALL
            .into_iter()
            .filter_map(|n| {
                self.poll_timeout(n)
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
        self.is_settled() || (self.outbox.is_empty() && self.next_input().is_none())
    }

    /// At the time limit, or the campaign over with nothing left on the wire or unanswered:
    /// `is_finished` without looking for the next input, which a step looks for anyway.
    fn is_settled(&self) -> bool {
        if self.now >= SimTime::from_secs(self.scenario.time_limit_s) {
            return true;
        }
        self.server.phase().is_over()
            && self.outbox.is_empty()
            && self.network.in_flight() == 0
            && !self.server.is_busy()
            && !self.device.is_busy()
    }

    /// /5/0/3, /5/0/5 and /3/0/3 as of the datagrams on the ladder so far: what the device
    /// had reported by then, not what it has already decided for the next step.
    pub fn visible_values(&self) -> (FwState, UpdateResult, String) {
        self.values_at(Position {
            rows: self.trace.len(),
            moments: usize::MAX,
        })
    }

    /// `visible_values` at a position of this world's event: as of the datagrams and the
    /// moments shown, so that stepping through a boot shows /3/0/3 change at the jump, not
    /// before its first step.
    pub fn values_at(&self, at: Position) -> (FwState, UpdateResult, String) {
        let shown = at.rows.min(self.trace.len());
        let (state, result) = self
            .history
            .changes
            .iter()
            .rev()
            .find(|c| c.after_datagrams <= shown && c.moments_before <= at.moments)
            .map_or((FwState::Idle, UpdateResult::Initial), |c| {
                (c.state, c.result)
            });
        let version = self
            .history
            .versions
            .iter()
            .rev()
            .find(|v| v.rows <= shown && v.moments_before <= at.moments)
            .map_or(String::new(), |v| v.version.clone());
        (state, result, version)
    }

    /// Processes one input. Returns false when the run is finished.
    pub fn step_event(&mut self) -> bool {
        if self.is_settled() {
            return false;
        }
        if let Some((node, datagram)) = self.outbox.pop_front() {
            self.steps += 1;
            self.record(Some(node), datagram);
            return true;
        }
        // Nothing scheduled is the other way a world finishes.
        match self.next_input() {
            Some((at, input)) => {
                self.step_input(at, input);
                true
            }
            None => false,
        }
    }

    /// Hands `input`, due `at`, to its node.
    fn step_input(&mut self, at: SimTime, input: Input) {
        self.now = at;
        self.steps += 1;
        let mut delivered = None;
        let node = match input {
            Input::Deliver(_) => {
                let Some(arrival) = self.network.arrive() else {
                    return;
                };
                delivered = Some(arrival.row);
                let (from, bytes) = (arrival.from, &arrival.bytes);
                match arrival.to {
                    NodeId::Server => self.server.handle_datagram(at, from, bytes),
                    NodeId::Repository => self.repository.handle_datagram(at, from, bytes),
                    NodeId::Device => self.device.handle_datagram(at, from, bytes),
                }
                arrival.to
            }
            Input::Timeout(n) => {
                match n {
                    NodeId::Server => self.server.handle_timeout(at),
                    NodeId::Repository => self.repository.handle_timeout(at),
                    NodeId::Device => self.device.handle_timeout(at),
                }
                n
            }
            Input::Operate(i) => {
                self.operations_done = i + 1;
                let request = self.scenario.operations[i].request.clone();
                self.server.operate(at, request);
                NodeId::Server
            }
            Input::Fault(i) => {
                self.faults_done = i + 1;
                let fault = self.timed_faults[i].clone();
                self.apply(at, &fault)
            }
        };
        self.drain(node, delivered);
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
                Some((at, input)) if at <= until => {
                    self.step_input(at, input);
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
        let row = self.trace.len();
        let answers = match_request(&self.trace, from, to, &bytes);
        let fate = self
            .network
            .send(self.now, row, (from, from_node), to, &bytes);
        self.trace.push(TraceEntry {
            id: row,
            sent_at: self.now,
            from,
            to,
            from_node,
            to_node: NodeId::of(to),
            bytes,
            fate,
            answers,
        });
    }

    /// Takes what node `id` emitted while handling one input: its datagrams go to the outbox,
    /// its events into the history. `delivered` is the row of the datagram it received, if
    /// the input was one.
    fn drain(&mut self, id: NodeId, delivered: Option<usize>) {
        let before_input = self.trace.len() + self.outbox.len();
        loop {
            let d = match id {
                NodeId::Server => self.server.poll_transmit(),
                NodeId::Repository => self.repository.poll_transmit(),
                NodeId::Device => self.device.poll_transmit(),
            };
            let Some(d) = d else { break };
            self.outbox.push_back((id, d));
        }
        let (now, step) = (self.now, self.steps);
        match id {
            NodeId::Device => {
                while let Some(ev) = self.device.poll_event() {
                    self.history.device(now, step, before_input, delivered, ev);
                }
                self.history.energy_point(now, self.device.energy_at(now));
            }
            NodeId::Server => {
                let energy = self.device.energy_at(now).0;
                while let Some(ev) = self.server.poll_event() {
                    self.history.server(now, before_input, ev, energy);
                }
            }
            NodeId::Repository => {
                while let Some(ev) = self.repository.poll_event() {
                    self.history
                        .note(now, id, ev, crate::history::Said::Repository);
                }
            }
        }
    }
}
