//! The world: nodes, network and virtual clock, advanced one event at a time in a fixed
//! order, so a scenario and a seed always give the same trace.

use crate::scenario::Scenario;
use crate::topology::{NodeId, DEVICE_ADDR, REPOSITORY_ADDR, REPOSITORY_HOST, SERVER_ADDR};
use crate::trace::{match_request, Fate, TraceEntry};
use fota_bootloader::{ImageBuilder, ImageVersion};
use fota_coap::{Addr, Datagram, SimRng, SimTime};
use fota_device::{Device, DeviceConfig};
use fota_lwm2m::{FwState, Node, NodeEvent, UpdateResult};
use fota_server::{CampaignConfig, CampaignPhase, Delivery, Repository, Server};
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
    /// The scenario's next fault.
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
    trace: Vec<TraceEntry>,
    /// Datagrams a node has emitted that are not yet on the ladder: each becomes a trace row
    /// in a step of its own, so stepping shows one datagram at a time.
    outbox: VecDeque<(NodeId, Datagram)>,
    /// Trace ids of datagrams still on the wire, with their arrival time.
    in_flight: Vec<(SimTime, usize)>,
    log: Vec<LogEntry>,
    changes: Vec<FirmwareChange>,
    /// /3/0/3 over time: (trace length when it changed, version).
    versions: Vec<(usize, String)>,
    /// Operator requests of the scenario already made.
    operations_done: usize,
    faults_done: usize,
    /// Draws which datagrams the network loses.
    network_rng: SimRng,
    /// The campaign's phases: (trace length when it began, phase).
    phases: Vec<(usize, CampaignPhase)>,
    events_processed: u64,
}

impl World {
    pub fn new(mut scenario: Scenario, seed: u64) -> World {
        scenario.operations.sort_by_key(|o| o.at_ms);
        scenario.faults.sort_by_key(|f| f.at_ms);
        let mut rng = SimRng::new(seed);
        let mut image_rng = rng.fork(5);
        let package_uri = scenario
            .package_uri
            .clone()
            .unwrap_or_else(|| format!("coap://{REPOSITORY_HOST}{}", scenario.image.path));
        // Versions were checked when the scenario was loaded; the fallbacks cannot be reached.
        let new_version = ImageVersion::parse(&scenario.image.version).unwrap_or_default();
        let old_version = ImageVersion::parse(&scenario.device.running_version).unwrap_or_default();
        let builder = scenario.image_builder();
        let payload_len = scenario.image.size.saturating_sub(builder.overhead());
        let mut payload = vec![0u8; payload_len];
        image_rng.fill(&mut payload);
        let mut new_image = builder.body(&payload).build();
        if scenario.image.not_an_image {
            image_rng.fill(&mut new_image);
        }
        if scenario.image.corrupt {
            // One bit of the body, after signing: the hash no longer matches (FU-D5).
            let at = new_image.len() / 2;
            new_image[at] ^= 0x10;
        }
        // The running image: about the new one's size, but always well inside a slot.
        let mut factory_payload = vec![0u8; payload_len.min(scenario.device.slot_size / 4)];
        image_rng.fill(&mut factory_payload);
        let factory_image = ImageBuilder::new(old_version)
            .security_counter(scenario.device.security_counter)
            .body(&factory_payload)
            .build();

        let sv = &scenario.server;
        let campaign = CampaignConfig {
            method: Delivery::parse(&sv.method).unwrap_or_default(),
            image: new_image.clone(),
            push_block_size: sv.push_block_size,
            push_insists_on_block_size: sv.push_insists_on_block_size,
            push_min_signal_dbm: sv.push_min_signal_dbm,
            push_min_link_quality: sv.push_min_link_quality,
            phase_timeout_s: sv.phase_timeout_s,
            ..CampaignConfig::pull(&package_uri, &new_version.to_string())
        };
        let server = Server::new(SERVER_ADDR, rng.fork(1), campaign);
        let mut repository = Repository::new(REPOSITORY_ADDR, rng.fork(2));
        repository.publish(&scenario.image.path, new_image);
        let d = &scenario.device;
        let device = Device::new(
            DeviceConfig {
                server: Some(SERVER_ADDR),
                lifetime_s: d.lifetime_s,
                slot_size: d.slot_size,
                block_size: d.block_size,
                boot_ms: d.boot_ms,
                defer_s: d.defer_s,
                power_cut_at_flash_op: d.power_cut_at_flash_op,
                download_retries: d.download_retries,
                download_buffer: d.download_buffer,
                corrupt_secondary_before_boot: d.corrupt_secondary_before_boot,
                delivery: d
                    .delivery_code()
                    .unwrap_or(fota_lwm2m::firmware::DELIVERY_BOTH),
                radio: d.radio.clone(),
                hosts: vec![(REPOSITORY_HOST.into(), REPOSITORY_ADDR)],
                serial: format!("SBX-{seed:08}"),
                ..DeviceConfig::new(DEVICE_ADDR, &d.endpoint, factory_image)
            },
            rng.fork(3),
        );
        let network_rng = rng.fork(4);
        World {
            scenario,
            seed,
            now: SimTime::ZERO,
            server,
            repository,
            device,
            trace: Vec::new(),
            outbox: VecDeque::new(),
            in_flight: Vec::new(),
            log: Vec::new(),
            changes: Vec::new(),
            versions: Vec::new(),
            operations_done: 0,
            faults_done: 0,
            network_rng,
            phases: vec![(0, CampaignPhase::WaitingForDevice)],
            events_processed: 0,
        }
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

    pub fn trace(&self) -> &[TraceEntry] {
        &self.trace
    }

    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    pub fn firmware_changes(&self) -> &[FirmwareChange] {
        &self.changes
    }

    /// The campaign's phases in order, each with the trace length when it began.
    pub fn campaign_phases(&self) -> &[(usize, CampaignPhase)] {
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
        let fault = self.scenario.faults.get(self.faults_done).map(|f| {
            (
                SimTime(f.at_ms).max(self.now),
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
        self.events_processed += 1;
        let node = match input {
            Input::Deliver(id) => {
                self.in_flight.retain(|&(_, i)| i != id);
                let entry = &mut self.trace[id];
                entry.fate = Fate::Delivered { at };
                let (from, bytes, to_node) = (entry.from, entry.bytes.clone(), entry.to_node);
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
                let kind = self.scenario.faults[i].kind.clone();
                let node = if kind == "replace-image" {
                    NodeId::Repository
                } else {
                    NodeId::Device
                };
                self.log.push(LogEntry {
                    at,
                    node,
                    text: format!("fault: {kind}"),
                    rule: None,
                });
                if node == NodeId::Repository {
                    let image = self.rebuilt_image();
                    let path = self.scenario.image.path.clone();
                    self.repository.publish(&path, image);
                } else {
                    self.device.reset(at);
                }
                node
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
        let fate = match (to_node, self.link_down(from_node, to_node)) {
            (None, _) => Fate::Undeliverable,
            (Some(_), Some(node)) => Fate::Dropped {
                reason: format!("the {} link is down", node.name().to_lowercase()),
            },
            (Some(_), None) if self.lost_on_the_way() => Fate::Dropped {
                reason: format!(
                    "lost on the link ({} % loss)",
                    self.scenario.network.loss_percent
                ),
            },
            (Some(_), None) => Fate::InFlight,
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
        if matches!(self.trace[trace_id].fate, Fate::InFlight) {
            self.in_flight
                .push((self.now + self.scenario.network.latency_ms, trace_id));
        }
    }

    /// The scenario's image built again with another body: same version, other bytes, so
    /// another ETag.
    fn rebuilt_image(&self) -> Vec<u8> {
        let builder = self.scenario.image_builder();
        let mut body = vec![0u8; self.scenario.image.size.saturating_sub(builder.overhead())];
        SimRng::new(self.seed).fork(6).fill(&mut body);
        builder.body(&body).build()
    }

    /// One draw of the link's loss; no draw at all when the link is lossless, so that a
    /// scenario without loss keeps its trace when loss is added elsewhere.
    fn lost_on_the_way(&mut self) -> bool {
        let loss = u64::from(self.scenario.network.loss_percent);
        loss > 0 && self.network_rng.range(0, 99) < loss
    }

    /// The end whose link is down now, if either is.
    fn link_down(&self, from: Option<NodeId>, to: Option<NodeId>) -> Option<NodeId> {
        let now = self.now.millis();
        [from, to].into_iter().flatten().find(|node| {
            self.scenario.network.outages.iter().any(|o| {
                NodeId::parse(&o.node) == Some(*node)
                    && o.from_ms <= now
                    && o.to_ms.is_none_or(|t| now < t)
            })
        })
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
