//! The LwM2M server node: its state, and what ties the parts together. It takes datagrams
//! and timeouts, passes Register, Update and De-register to the directory, starts the campaign
//! when the device registers, polls it when it falls silent (SRV-4) and sends the queued
//! requests one by one. Answers and notifications are handled in `responses.rs`, the decisions
//! they lead to in the campaign's state machine (`machine.rs`), its deadlines in
//! `deadlines.rs`.

use crate::campaign::{CampaignConfig, CampaignPhase};
use crate::deadlines::{self, Since};
pub use crate::directory::Registration;
use crate::directory::{Change, Directory};
use crate::events::ServerEvent;
use crate::machine::{Act, Facts, Input};
use crate::observations::Observations;
use crate::operator::{OperatorOp, OperatorRequest};
use crate::paths::{DELIVERY, FIRMWARE, LINK_QUALITY, PROTOCOLS, RESULT, SIGNAL, UPDATE, VERSION};
use crate::requests::{Op, Requests, REQUEST_ATTEMPTS};
use fota_coap::block1_sender::Block1Sender;
use fota_coap::message;
use fota_coap::{
    Addr, CoapEvent, Datagram, MessageClass, Messenger, Packet, RequestType, ResponseType, SimRng,
    SimTime,
};
use fota_lwm2m::register::RD_PATH;
use fota_lwm2m::FwState;
use fota_lwm2m::Node;
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Server {
    messenger: Messenger,
    pub(crate) campaign: CampaignConfig,
    pub(crate) phase: CampaignPhase,
    directory: Directory,
    pub(crate) requests: Requests,
    pub(crate) observations: Observations,
    /// /3/0/3 as the device last reported it.
    pub(crate) reported_version: Option<String>,
    /// /5/0/9 as the device reported it.
    pub(crate) delivery_support: Option<i64>,
    /// /4/0/2 and /4/0/3 as last reported.
    pub(crate) signal_dbm: Option<i64>,
    pub(crate) link_quality: Option<i64>,
    pub(crate) push: Option<Block1Sender>,
    /// Answers in a row that did not fit the PUSH block in flight.
    pub(crate) push_unexpected: u32,
    /// Times the PUSH in progress started again from block 0.
    pub(crate) push_restarts: u32,
    /// Times the Package URI went out in this delivery.
    pub(crate) uri_writes: u32,
    /// Times Execute Update went out in this campaign, sent again after a lost answer too.
    updates_sent: u32,
    /// Times the campaign decided to execute Update (SRV-9 asks again, but not for ever).
    updates_asked: u32,
    /// Times the delivery was started.
    pub(crate) deliveries: u32,
    /// How the image is on its way, once a delivery began.
    pub(crate) delivering_by: Option<crate::campaign::Delivery>,
    /// Times the server asked the device to drop what it holds (SRV-10).
    pub(crate) clean_ups: u32,
    /// Times /3/0/3 was read again to confirm a version that did not match.
    version_checks: u32,
    /// Error answers in a row to the campaign's reads.
    pub(crate) read_errors: u32,
    /// Why the campaign failed, once it has: a success after it is a late one (SRV-9).
    failed_before: Option<String>,
    /// When the device's registration ran out or it de-registered, while it has not
    /// registered again.
    unregistered_at: Option<SimTime>,
    /// The device registered again since the delivery began: its next /5 report decides.
    pub(crate) rejoined: bool,
    /// /5/0/3 as the device last reported it.
    pub(crate) device_state: Option<FwState>,
    /// When the server polls the device if it has heard nothing by then (SRV-4).
    poll_at: Option<SimTime>,
    /// When the phase stops waiting (SRV-8).
    give_up_at: Option<SimTime>,
    /// When to deliver again, after the device answered 5.03 with Max-Age (BAT-3).
    pub(crate) redeliver_at: Option<SimTime>,
    /// When the registered device last sent a datagram: a queue-mode device is awake for a
    /// while after it.
    heard_at: SimTime,
    /// Since when a request has waited for a queue-mode device to wake.
    held_since: Option<SimTime>,
    /// When the phase began.
    phase_since: SimTime,
    /// The time of the latest input.
    pub(crate) clock: SimTime,
    events: VecDeque<ServerEvent>,
}

impl Server {
    pub fn new(addr: Addr, rng: SimRng, campaign: CampaignConfig) -> Server {
        Server {
            messenger: Messenger::new(addr, rng),
            campaign,
            phase: CampaignPhase::WaitingForDevice,
            directory: Directory::default(),
            requests: Requests::default(),
            observations: Observations::default(),
            reported_version: None,
            delivery_support: None,
            signal_dbm: None,
            link_quality: None,
            push: None,
            push_unexpected: 0,
            push_restarts: 0,
            uri_writes: 0,
            updates_sent: 0,
            updates_asked: 0,
            deliveries: 0,
            delivering_by: None,
            clean_ups: 0,
            version_checks: 0,
            read_errors: 0,
            failed_before: None,
            unregistered_at: None,
            rejoined: false,
            device_state: None,
            poll_at: None,
            give_up_at: None,
            redeliver_at: None,
            heard_at: SimTime::ZERO,
            held_since: None,
            phase_since: SimTime::ZERO,
            clock: SimTime::ZERO,
            events: VecDeque::new(),
        }
    }

    /// An operator's request to the registered device (the UI's operator panel, a scenario's
    /// timeline): it goes out ahead of the campaign's own queue. False when no device is
    /// registered.
    pub fn operate(&mut self, now: SimTime, request: OperatorRequest) -> bool {
        if self.directory.current().is_none() {
            self.log("operator request dropped: no device is registered", None);
            return false;
        }
        self.clock = now;
        let OperatorRequest { op, path, value } = request;
        let op = match op {
            OperatorOp::Read => Op::Read(path),
            OperatorOp::Write => Op::Write(path, value),
            OperatorOp::Execute => Op::Execute(path),
            OperatorOp::Observe => Op::Observe(path),
            OperatorOp::WriteAttributes => {
                Op::WriteAttributes(path, value.split('&').map(str::to_string).collect())
            }
            OperatorOp::Push => {
                self.start_push();
                self.send_next(now);
                return true;
            }
        };
        self.log(format!("operator: {op}"), None);
        self.requests.push_operator(op);
        self.send_next(now);
        true
    }

    /// Since when the server holds a request for its sleeping queue-mode device.
    pub fn holding_since(&self) -> Option<SimTime> {
        self.held_since
    }

    pub fn phase(&self) -> &CampaignPhase {
        &self.phase
    }

    pub fn campaign(&self) -> &CampaignConfig {
        &self.campaign
    }

    pub fn registration(&self) -> Option<&Registration> {
        self.directory.current()
    }

    /// True while a request of ours is unanswered or queued.
    pub fn is_busy(&self) -> bool {
        self.requests.is_busy() || self.messenger.is_busy()
    }

    pub(crate) fn log(&mut self, text: impl Into<String>, rule: Option<&'static str>) {
        self.events.push_back(ServerEvent::Log {
            text: text.into(),
            rule,
        });
    }

    pub(crate) fn set_phase(&mut self, phase: CampaignPhase, rule: Option<&'static str>) {
        if self.phase != phase {
            self.events.push_back(ServerEvent::Phase {
                phase: phase.clone(),
                rule,
                sent_before: self.messenger.queued(),
            });
            self.phase = phase;
            self.phase_since = self.clock;
            self.give_up_at = None;
            self.heard_from_device();
        }
    }

    /// News from the device: the phase's poll deadline starts again (SRV-4), and so does a
    /// give-up deadline that counts from the last news.
    pub(crate) fn heard_from_device(&mut self) {
        let due = deadlines::of(&self.phase, &self.campaign);
        // Deadlines saturate: a scenario file may give any u64 of seconds, and one past the
        // end of time is one that never comes.
        self.poll_at = due
            .poll_after_s
            .map(|s| self.clock + s.saturating_mul(1000));
        self.give_up_at = due.give_up.map(|g| {
            let from = match g.since {
                Since::LastNews => self.clock,
                Since::PhaseStart => self.phase_since,
            };
            from + g.after_s.saturating_mul(1000)
        });
    }

    /// The phase's give-up deadline passed (SRV-8).
    fn give_up_waiting(&mut self, now: SimTime) {
        self.give_up_at = None;
        let due = deadlines::of(&self.phase, &self.campaign);
        if let Some(input) = due.give_up.and_then(|g| g.input(&self.phase)) {
            let act = self.facts().next(input);
            self.apply(act);
        }
        self.send_next(now);
    }

    /// The phase's timeout passed with no news: ask the device where it is (SRV-4).
    fn poll_device(&mut self, now: SimTime) {
        // Polling is no news: the next poll is due a phase timeout from now, and the give-up
        // deadline stays where it was.
        self.poll_at = deadlines::of(&self.phase, &self.campaign)
            .poll_after_s
            .map(|s| now + s.saturating_mul(1000));
        if self.directory.current().is_none() {
            // Nobody to poll: the device must register again, within the update deadline.
            let after_s = self.campaign.update_timeout_s;
            let lost_long = self
                .unregistered_at
                .is_some_and(|at| now >= at + after_s.saturating_mul(1000));
            if lost_long {
                let act = self.facts().next(Input::RegistrationLost { after_s });
                self.apply(act);
            }
            return;
        }
        if self.requests.is_busy() {
            return;
        }
        self.log(
            format!(
                "no news from the device for {} s: polling it with a Read",
                self.campaign.phase_timeout_s
            ),
            Some("SRV-4"),
        );
        if self.phase == CampaignPhase::WaitingForSignal {
            self.requests
                .extend([Op::Read(SIGNAL), Op::Read(LINK_QUALITY)]);
        } else {
            self.requests.push_back(Op::Read(FIRMWARE));
        }
        self.send_next(now);
    }

    fn on_register(&mut self, now: SimTime, from: Addr, req: &Packet) {
        let accepted = match self.directory.register(now, from, req) {
            Ok(accepted) => accepted,
            Err(refused) => {
                if let Some(text) = refused.log {
                    self.log(text, None);
                }
                return self.messenger.respond(from, req, refused.response);
            }
        };
        self.messenger.respond(from, req, accepted.response);
        self.unregistered_at = None;
        self.log(accepted.log, Some(accepted.rule));
        // A new Register means the device restarted: its observations are gone (SRV-2), and
        // what it last said of /5 may no longer hold.
        self.forget_observations();
        self.device_state = None;
        self.requests.clear();
        if let Some(token) = self.requests.cancel_in_flight() {
            self.messenger.cancel(now, &token);
        }
        self.requests.extend([
            Op::Read(VERSION),
            Op::Read(PROTOCOLS),
            Op::Read(DELIVERY),
            Op::WriteAttributes(FIRMWARE, vec!["pmin=0".into()]),
            Op::Observe(FIRMWARE),
        ]);
        let act = self.facts().next(Input::Registered);
        self.apply(act);
        self.send_next(now);
    }

    /// Update (POST) or De-register (DELETE) on `/rd/<id>`.
    fn on_registration_request(
        &mut self,
        now: SimTime,
        from: Addr,
        req: &Packet,
        method: RequestType,
    ) {
        let (code, change) = self.directory.on_request(now, req, method);
        match change {
            Change::Nothing => {}
            Change::Updated(path) => self.log(format!("registration {path} updated"), None),
            Change::Deregistered(path) => self.drop_registration(format!("{path} de-registered")),
        }
        self.messenger.respond(from, req, message::response(code));
    }

    fn drop_registration(&mut self, why: String) {
        self.directory.remove();
        self.unregistered_at = Some(self.clock);
        self.forget_observations();
        self.requests.clear();
        self.log(why, None);
    }

    pub(crate) fn forget_token(&mut self, token: &[u8]) {
        self.messenger.forget(token);
    }

    pub(crate) fn forget_observations(&mut self) {
        for token in self.observations.take_all() {
            self.messenger.forget(&token);
        }
    }

    /// Whether the registered device hears a request now: always, unless it registered in
    /// queue mode and has been silent for longer than it stays awake, less one ACK_TIMEOUT so
    /// that the request arrives while it still listens.
    fn device_listens(&self) -> bool {
        let Some(reg) = self.directory.current() else {
            return false;
        };
        let awake_ms = self
            .campaign
            .queue_awake_ms
            .saturating_sub(fota_coap::params::ACK_TIMEOUT_MS);
        !reg.queue_mode || self.clock < self.heard_at + awake_ms
    }

    pub(crate) fn send_next(&mut self, now: SimTime) {
        if let Some(op) = self.requests.next_to_send() {
            if !self.device_listens() && self.directory.current().is_some() {
                if self.held_since.is_none() {
                    let text = format!(
                        "holding {op}: the device sleeps (queue mode) and is sent it when it next speaks"
                    );
                    self.held_since = Some(now);
                    self.log(text, Some("Q-3"));
                }
                return;
            }
        }
        let (Some((op, why)), Some(reg)) = (self.requests.pop_next(), self.directory.current())
        else {
            return;
        };
        let (to, lwm2m) = (reg.addr, reg.lwm2m.clone());
        if let Some(since) = self.held_since.take() {
            self.log(
                format!(
                    "the device is awake: sending {op}, held {:.1} s",
                    (now - since) as f64 / 1000.0
                ),
                Some("Q-3"),
            );
            // The datagram's row says it was held (its own reason, if any, follows).
            self.events.push_back(ServerEvent::Sent {
                rule: "Q-3",
                sent_before: self.messenger.queued(),
            });
        }
        let accept = self.requests.accept(&op, &lwm2m);
        let Some((packet, observe)) = op.packet(self.push.as_ref(), accept) else {
            // The PUSH ended while its next block waited in the queue.
            return self.send_next(now);
        };
        if let Some(rule) = why {
            self.events.push_back(ServerEvent::Sent {
                rule,
                sent_before: self.messenger.queued(),
            });
        }
        let token = self.messenger.request(now, to, packet, observe);
        if matches!(&op, Op::Write(path, v) if *path == crate::paths::PACKAGE_URI && !v.is_empty())
        {
            self.uri_writes += 1;
        }
        if op == Op::Execute(UPDATE) {
            self.updates_sent += 1;
        }
        if let Op::Observe(path) = &op {
            self.observations.started(token.clone(), *path);
        }
        self.requests.sent(token, op);
    }

    /// What the campaign's state machine looks at.
    pub(crate) fn facts(&self) -> Facts<'_> {
        Facts {
            phase: &self.phase,
            update_sent: self.updates_sent > 0,
            execute_queued: self.requests.contains(&Op::Execute(UPDATE)),
            updates_sent: self.updates_sent,
            updates_asked: self.updates_asked,
            deliveries: self.deliveries,
            rejoined: self.rejoined,
            reported_version: self.reported_version.as_deref(),
            target_version: self.campaign.target_version.as_deref(),
            delivering_by: self.delivering_by,
            pushing: self.push.is_some(),
            clean_ups: self.clean_ups,
            version_checks: self.version_checks,
        }
    }

    /// Carries out what the state machine decided.
    pub(crate) fn apply(&mut self, act: Act) {
        match act {
            Act::Stay => {}
            Act::Enter(phase, rule) => self.set_phase(phase, Some(rule)),
            Act::Fail(why) => self.fail(why),
            Act::Succeed(rule) => match self.failed_before.clone() {
                Some(why) => self.set_phase(CampaignPhase::SucceededLate(why), Some("SRV-9")),
                None => self.set_phase(CampaignPhase::Succeeded, Some(rule)),
            },
            Act::ExecuteUpdate(rule) => {
                let text = if rule == "SRV-9" {
                    "the device holds the downloaded image: executing Update again"
                } else {
                    "image downloaded; executing Update"
                };
                self.log(text, Some(rule));
                self.updates_asked += 1;
                self.requests.push_back(Op::Execute(UPDATE));
            }
            Act::Verify => {
                self.set_phase(CampaignPhase::Verifying, Some("SRV-5"));
                self.requests.push_back(Op::Read(RESULT));
            }
            Act::WatchRadio => self
                .requests
                .extend([Op::Read(SIGNAL), Op::Read(LINK_QUALITY)]),
            Act::PushCut => {
                self.push = None;
                self.rejoined = true;
                self.log(
                    "the device restarted during the PUSH: its firmware state says what is left",
                    Some("FU-P2"),
                );
            }
            Act::DeliverAgain => {
                self.log(
                    "the device came back Idle with nothing downloaded: delivering again",
                    Some("SRV-9"),
                );
                self.choose_delivery();
            }
            Act::FallBackToPull => self.fall_back_to_pull(),
            Act::DeliverLater(secs) => self.deliver_later(secs),
            Act::Rejoined => self.rejoined = true,
            Act::ReadFirmware => self.requests.push_back(Op::Read(FIRMWARE)),
            Act::CheckVersion => {
                self.version_checks += 1;
                self.log(
                    format!(
                        "Update Result 1, but /3/0/3 reads {}: reading it again",
                        self.reported_version.as_deref().unwrap_or("nothing")
                    ),
                    Some("SRV-5"),
                );
                if self.phase != CampaignPhase::Verifying {
                    self.set_phase(CampaignPhase::Verifying, Some("SRV-5"));
                }
                self.requests.push_back(Op::Read(VERSION));
                self.requests.push_back(Op::Read(RESULT));
            }
            Act::CleanUp => {
                let phase = self.phase.clone();
                self.clean_up(&phase);
            }
        }
    }

    /// The campaign gives up: it says why, and leaves the device Idle (SRV-10).
    pub(crate) fn fail(&mut self, why: String) {
        if !self.phase.is_over() {
            let was = self.phase.clone();
            self.failed_before = Some(why.clone());
            self.set_phase(CampaignPhase::Failed(why), None);
            self.clean_up(&was);
            // A failed campaign sends no more of its image: the blocks left would start a
            // download nobody follows.
            self.push = None;
        }
    }

    pub(crate) fn directory_is_empty(&self) -> bool {
        self.directory.current().is_none()
    }
}

impl Node for Server {
    type Event = ServerEvent;

    fn addr(&self) -> Addr {
        self.messenger.local()
    }

    fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]) {
        self.clock = now;
        let from_device = self.directory.current().is_none_or(|r| r.addr == from);
        if from_device {
            self.heard_at = now;
        }
        self.messenger.handle_datagram(now, from, bytes);
        self.drain(now);
        // A queue-mode device that speaks is awake: what was held for it goes now.
        if from_device {
            self.send_next(now);
        }
    }

    fn handle_timeout(&mut self, now: SimTime) {
        self.clock = now;
        if self.give_up_at.is_some_and(|d| d <= now) {
            self.give_up_waiting(now);
        }
        if self.poll_at.is_some_and(|d| d <= now) {
            self.poll_device(now);
        }
        if self.redeliver_at.is_some_and(|d| d <= now) {
            self.redeliver_at = None;
            if !self.phase.is_over() {
                self.log("delivering again, as the device asked", Some("BAT-3"));
                self.choose_delivery();
                self.send_next(now);
            }
        }
        if self.directory.expires_at().is_some_and(|t| t <= now) {
            self.drop_registration("the registration's lifetime ran out".into());
        }
        self.messenger.handle_timeout(now);
        self.drain(now);
    }

    fn poll_transmit(&mut self) -> Option<Datagram> {
        self.messenger.poll_transmit()
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        let expiry = self.directory.expires_at();
        let waiting =
            (!self.phase.is_over()).then_some([self.poll_at, self.give_up_at, self.redeliver_at]);
        [self.messenger.poll_timeout(), expiry]
            .into_iter()
            .chain(waiting.into_iter().flatten())
            .flatten()
            .min()
    }

    fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }
}

impl Server {
    /// A request got no answer after all its retransmissions: send it again as a new exchange
    /// a few times (SRV-4). While the device reboots its silence is expected: it will
    /// register again.
    pub(crate) fn on_unanswered(&mut self, op: Op) {
        if self.phase == CampaignPhase::Updating {
            return;
        }
        match self.requests.retry(op.clone()) {
            Some(attempt) => self.log(
                format!("no answer to {op}: sending it again ({attempt} of {REQUEST_ATTEMPTS})"),
                Some("SRV-4"),
            ),
            None if Server::is_clean_up(&op) => self.log(
                format!("no answer to {op}: the device may not be Idle"),
                Some("SRV-10"),
            ),
            None => {
                let act = self.facts().next(Input::Unanswered);
                self.apply(act);
            }
        }
    }

    fn drain(&mut self, now: SimTime) {
        while let Some(ev) = self.messenger.poll_event() {
            match ev {
                CoapEvent::Request { from, packet } => {
                    let is_register = packet.header.code
                        == MessageClass::Request(RequestType::Post)
                        && message::uri_path(&packet) == RD_PATH;
                    let on_registration = message::uri_path(&packet).starts_with("/rd/");
                    match packet.header.code {
                        _ if is_register => self.on_register(now, from, &packet),
                        MessageClass::Request(method) if on_registration => {
                            self.on_registration_request(now, from, &packet, method)
                        }
                        _ => {
                            let not_found = message::response(ResponseType::NotFound);
                            self.messenger.respond(from, &packet, not_found)
                        }
                    }
                }
                CoapEvent::Response { packet, .. } => self.on_response(now, packet),
                CoapEvent::Timeout { token, .. } | CoapEvent::Reset { token, .. } => {
                    self.observations.ended(&token);
                    let lost = self.requests.lost(&token);
                    if lost.by_operator {
                        // The operator's request ends nothing: the campaign goes on (SRV-11).
                        self.log(
                            "operator: the request got no answer; the campaign goes on",
                            Some("SRV-11"),
                        );
                    } else if let Some(op) = lost.op {
                        self.on_unanswered(op);
                    }
                    self.send_next(now);
                }
                CoapEvent::Rejected { from, reason } => {
                    self.log(format!("dropped a datagram from {from}: {reason}"), None)
                }
            }
        }
    }
}
