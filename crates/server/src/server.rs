//! The LwM2M server: a registration directory and one firmware campaign, driven by what the
//! device reports (reads and State notifications).

use crate::campaign::{CampaignConfig, CampaignPhase};
pub use crate::directory::Registration;
use crate::directory::{Change, Directory};
use crate::paths::{
    DELIVERY, FIRMWARE, LINK_QUALITY, PACKAGE_URI, PROTOCOLS, RESULT, SIGNAL, UPDATE, VERSION,
};
use crate::values::{instance_values, value_text};
use fota_coap::block1_sender::Block1Sender;
use fota_coap::message::{self, set_content_format};
use fota_coap::messenger::Token;
use fota_coap::observe;
use fota_coap::{
    Addr, CoapEvent, CoapOption, Datagram, MessageClass, Messenger, Packet, RequestType,
    ResponseType, SimRng, SimTime,
};
use fota_lwm2m::register::RD_PATH;
use fota_lwm2m::{content, firmware, FwState, Node, NodeEvent, Path};
use std::collections::VecDeque;

/// How often a request that got no answer at all is sent again, as a new exchange, before the
/// campaign gives up on the device (SRV-4).
const REQUEST_ATTEMPTS: u32 = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Read(Path),
    Observe(Path),
    Write(Path, String),
    /// Write-Attributes with these queries.
    WriteAttributes(Path, Vec<String>),
    Execute(Path),
    /// The next block of the PUSH in progress.
    Push,
}

impl core::fmt::Display for Op {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Op::Read(p) => write!(f, "Read {p}"),
            Op::Observe(p) => write!(f, "Observe {p}"),
            Op::Write(p, v) => write!(f, "Write {p} = \"{v}\""),
            Op::WriteAttributes(p, q) => write!(f, "Write-Attributes {p}?{}", q.join("&")),
            Op::Execute(p) => write!(f, "Execute {p}"),
            Op::Push => write!(f, "PUSH block to /5/0/0"),
        }
    }
}

/// What an operator can ask of the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorRequest {
    Read(Path),
    Write(Path, String),
    Execute(Path),
    Observe(Path),
    WriteAttributes(Path, Vec<String>),
    /// Write the campaign's image to /5/0/0 now, whatever the radio says.
    Push,
}

/// An observation the server holds on the device.
#[derive(Clone, Debug)]
pub(crate) struct Observation {
    pub token: Token,
    pub path: Path,
    /// Number and arrival of the last notification taken (RFC 7641 freshness).
    pub last: Option<(u32, SimTime)>,
}

#[derive(Clone, Debug)]
pub struct Server {
    messenger: Messenger,
    pub(crate) campaign: CampaignConfig,
    pub(crate) phase: CampaignPhase,
    directory: Directory,
    pub(crate) queue: VecDeque<Op>,
    in_flight: Option<(Token, Op)>,
    /// Times the request in the queue's front has gone unanswered.
    retries: u32,
    pub(crate) observations: Vec<Observation>,
    /// Operator requests queued, and the tokens of those sent: their answers are reported.
    operator_pending: Vec<Op>,
    operator_tokens: Vec<Token>,
    reported_version: Option<String>,
    /// /5/0/9 as the device reported it.
    pub(crate) delivery_support: Option<i64>,
    /// /4/0/2 and /4/0/3 as last reported.
    pub(crate) signal_dbm: Option<i64>,
    pub(crate) link_quality: Option<i64>,
    pub(crate) push: Option<Block1Sender>,
    /// Execute Update has gone out: the next Register is the device back from the update.
    update_sent: bool,
    /// When the server polls the device if it has heard nothing by then (SRV-4).
    deadline: Option<SimTime>,
    /// The time of the latest input.
    pub(crate) clock: SimTime,
    events: VecDeque<NodeEvent>,
}

impl Server {
    pub fn new(addr: Addr, rng: SimRng, campaign: CampaignConfig) -> Server {
        Server {
            messenger: Messenger::new(addr, rng),
            campaign,
            phase: CampaignPhase::WaitingForDevice,
            directory: Directory::default(),
            queue: VecDeque::new(),
            in_flight: None,
            retries: 0,
            observations: Vec::new(),
            operator_pending: Vec::new(),
            operator_tokens: Vec::new(),
            reported_version: None,
            delivery_support: None,
            signal_dbm: None,
            link_quality: None,
            push: None,
            update_sent: false,
            deadline: None,
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
        let op = match request {
            OperatorRequest::Read(p) => Op::Read(p),
            OperatorRequest::Write(p, v) => Op::Write(p, v),
            OperatorRequest::Execute(p) => Op::Execute(p),
            OperatorRequest::Observe(p) => Op::Observe(p),
            OperatorRequest::WriteAttributes(p, q) => Op::WriteAttributes(p, q),
            OperatorRequest::Push => {
                self.start_push();
                self.send_next(now);
                return true;
            }
        };
        self.log(format!("operator: {op}"), None);
        self.operator_pending.push(op.clone());
        self.queue.push_front(op);
        self.send_next(now);
        true
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
        self.in_flight.is_some() || !self.queue.is_empty() || self.messenger.is_busy()
    }

    pub(crate) fn log(&mut self, text: impl Into<String>, rule: Option<&'static str>) {
        self.events.push_back(NodeEvent::Log {
            text: text.into(),
            rule,
        });
    }

    pub(crate) fn set_phase(&mut self, phase: CampaignPhase, rule: Option<&'static str>) {
        if self.phase != phase {
            self.log(format!("campaign: {phase}"), rule);
            self.phase = phase;
            self.heard_from_device();
        }
    }

    /// News from the device: the phase's timeout starts again (SRV-4).
    fn heard_from_device(&mut self) {
        self.deadline = self
            .phase
            .is_waiting()
            .then(|| self.clock + self.campaign.phase_timeout_s * 1000);
    }

    /// The phase's timeout passed with no news: ask the device where it is (SRV-4).
    fn poll_device(&mut self, now: SimTime) {
        self.deadline = None;
        if self.directory.current().is_none() || self.in_flight.is_some() || !self.queue.is_empty()
        {
            self.heard_from_device();
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
            self.queue
                .extend([Op::Read(SIGNAL), Op::Read(LINK_QUALITY)]);
        } else {
            self.queue.push_back(Op::Read(FIRMWARE));
        }
        self.heard_from_device();
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
        self.log(accepted.log, Some(accepted.rule));
        // A new Register means the device restarted: its observations are gone (SRV-2).
        self.forget_observations();
        self.queue.clear();
        if let Some((token, _)) = self.in_flight.take() {
            self.messenger.cancel(now, &token);
        }
        self.queue.extend([
            Op::Read(VERSION),
            Op::Read(PROTOCOLS),
            Op::Read(DELIVERY),
            Op::WriteAttributes(FIRMWARE, vec!["pmin=0".into()]),
            Op::Observe(FIRMWARE),
        ]);
        match self.phase {
            CampaignPhase::WaitingForDevice => {
                self.set_phase(CampaignPhase::Preparing, Some("SRV-1"));
            }
            CampaignPhase::WaitingForSignal => {
                // Watch the radio again on the new registration.
                self.queue
                    .extend([Op::Read(SIGNAL), Op::Read(LINK_QUALITY)]);
            }
            CampaignPhase::Pushing => {
                // A reboot cut the PUSH (the device reports Result 4, FU-P2).
                self.push = None;
                self.fail("the device restarted during the PUSH".into());
            }
            // The answer to Execute Update may have been lost before the reboot.
            ref p if *p == CampaignPhase::Updating || (p.is_delivering() && self.update_sent) => {
                self.set_phase(CampaignPhase::Verifying, Some("SRV-5"));
                self.queue.push_back(Op::Read(RESULT));
            }
            _ => {}
        }
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
        self.forget_observations();
        self.queue.clear();
        self.log(why, None);
    }

    pub(crate) fn forget_token(&mut self, token: &[u8]) {
        self.messenger.forget(token);
    }

    pub(crate) fn forget_observations(&mut self) {
        for o in std::mem::take(&mut self.observations) {
            self.messenger.forget(&o.token);
        }
    }

    pub(crate) fn send_next(&mut self, now: SimTime) {
        if self.in_flight.is_some() {
            return;
        }
        let (Some(op), Some(reg)) = (self.queue.pop_front(), self.directory.current()) else {
            return;
        };
        let to = reg.addr;
        let (packet, observe) = match &op {
            Op::Read(p) => (message::request(RequestType::Get, &p.to_string()), false),
            Op::Observe(p) => {
                let mut r = message::request(RequestType::Get, &p.to_string());
                r.add_option(CoapOption::Observe, Vec::new());
                (r, true)
            }
            Op::Write(p, value) => {
                let mut r = message::request(RequestType::Put, &p.to_string());
                set_content_format(&mut r, content::TEXT_PLAIN);
                r.payload = value.clone().into_bytes();
                (r, false)
            }
            Op::WriteAttributes(p, queries) => {
                let mut r = message::request(RequestType::Put, &p.to_string());
                for q in queries.iter() {
                    r.add_option(CoapOption::UriQuery, q.as_bytes().to_vec());
                }
                (r, false)
            }
            Op::Execute(p) => (message::request(RequestType::Post, &p.to_string()), false),
            Op::Push => match &self.push {
                Some(sender) => (sender.request(), false),
                None => return self.send_next(now),
            },
        };
        let token = self.messenger.request(now, to, packet, observe);
        if let Some(i) = self.operator_pending.iter().position(|o| *o == op) {
            self.operator_pending.remove(i);
            self.operator_tokens.push(token.clone());
        }
        if op == Op::Execute(UPDATE) {
            self.update_sent = true;
        }
        if let Op::Observe(path) = &op {
            self.observations.retain(|o| o.path != *path);
            self.observations.push(Observation {
                token: token.clone(),
                path: *path,
                last: None,
            });
        }
        self.in_flight = Some((token, op));
    }

    fn on_response(&mut self, now: SimTime, resp: Packet) {
        let token = resp.get_token().to_vec();
        let code = resp.header.code;
        let ok = |c: ResponseType| code == MessageClass::Response(c);
        let value = value_text(&resp);
        let op = match &self.in_flight {
            Some((t, _)) if *t == token => self.in_flight.take().map(|(_, op)| op),
            _ => None,
        };
        if op.is_some() {
            self.retries = 0;
        }
        let by_operator = op.is_some() && self.operator_tokens.contains(&token);
        if let (Some(op), Some(i)) = (&op, self.operator_tokens.iter().position(|t| *t == token)) {
            self.operator_tokens.remove(i);
            let answer = message::code_name(code);
            let shown = if value.is_empty() {
                String::new()
            } else {
                format!(": {value}")
            };
            self.log(format!("operator: {op} answered {answer}{shown}"), None);
        }
        let observed = self.observations.iter().position(|o| o.token == token);
        match op {
            None => {
                if let (Some(i), true) = (observed, ok(ResponseType::Content)) {
                    self.on_notification(now, i, &resp, &value);
                }
            }
            Some(Op::Observe(path)) if ok(ResponseType::Content) => {
                // The first answer to an observation counts as its first notification.
                if let Some(i) = observed {
                    self.observations[i].last =
                        message::uint_option(&resp, CoapOption::Observe).map(|seq| (seq, now));
                }
                self.on_report(path, &resp, &value);
                if path == FIRMWARE && self.phase == CampaignPhase::Preparing {
                    self.choose_delivery();
                }
            }
            Some(Op::WriteAttributes(..)) if ok(ResponseType::Changed) => {}
            Some(Op::WriteAttributes(path, _)) => {
                // Not fatal: the observation then follows the device's own defaults.
                let answer = message::code_name(code);
                self.log(
                    format!("Write-Attributes on {path} answered {answer}"),
                    None,
                );
            }
            Some(Op::Read(path)) | Some(Op::Observe(path)) => {
                if ok(ResponseType::Content) {
                    self.on_report(path, &resp, &value);
                } else if by_operator {
                    // The operator's own read: its answer is reported, the campaign goes on.
                } else if path == SIGNAL || path == LINK_QUALITY {
                    self.log(
                        format!("reading {path} answered {}", message::code_name(code)),
                        None,
                    );
                    self.on_radio();
                } else {
                    self.fail(format!(
                        "reading {path} answered {}",
                        message::code_name(code)
                    ));
                }
            }
            Some(Op::Push) => self.on_push_answer(&resp),
            // An operator's own request, reported above: the campaign goes on.
            Some(Op::Write(path, _) | Op::Execute(path))
                if path != PACKAGE_URI && path != UPDATE => {}
            Some(Op::Write(path, _)) => {
                if ok(ResponseType::Changed) {
                    self.set_phase(CampaignPhase::Downloading, Some("FU-T2"));
                } else {
                    self.fail(format!(
                        "writing {path} answered {}",
                        message::code_name(code)
                    ));
                }
            }
            Some(Op::Execute(path)) => {
                if ok(ResponseType::Changed) {
                    self.set_phase(CampaignPhase::Updating, Some("FU-T9"));
                } else {
                    self.fail(format!(
                        "executing {path} answered {}",
                        message::code_name(code)
                    ));
                }
            }
        }
        self.send_next(now);
    }

    /// A notification on observation `i`, taken when it is fresh (RFC 7641 §3.4).
    fn on_notification(&mut self, now: SimTime, i: usize, resp: &Packet, value: &str) {
        let seq = message::uint_option(resp, CoapOption::Observe).unwrap_or(0);
        let o = &mut self.observations[i];
        if !observe::is_fresh(o.last, seq, now) {
            self.log(
                format!("stale notification {seq} ignored (RFC 7641 §3.4)"),
                None,
            );
            return;
        }
        o.last = Some((seq, now));
        let path = o.path;
        self.on_report(path, resp, value);
        if path == SIGNAL {
            self.on_signal_notified();
        }
    }

    /// A value the device reported, by a read or a notification.
    fn on_report(&mut self, path: Path, resp: &Packet, value: &str) {
        if path == FIRMWARE {
            self.heard_from_device();
            self.on_firmware(resp);
        } else {
            self.on_value(path, value);
        }
    }

    /// A State and Update Result report: the observation of /5/0 in TLV (SRV-1).
    fn on_firmware(&mut self, resp: &Packet) {
        let values = instance_values(resp);
        let get = |id: u16| values.iter().find(|(i, _)| *i == id).and_then(|(_, v)| *v);
        let state = get(firmware::STATE)
            .and_then(|v| u8::try_from(v).ok())
            .and_then(FwState::from_code);
        let result = get(firmware::UPDATE_RESULT);
        match (&self.phase, state) {
            (phase, Some(FwState::Downloaded))
                if phase.is_delivering() && !self.queue.contains(&Op::Execute(UPDATE)) =>
            {
                self.log("image downloaded; executing Update", Some("FU-T9"));
                self.queue.push_back(Op::Execute(UPDATE));
            }
            // The device is back and done updating: judge (SRV-5).
            (CampaignPhase::Verifying, Some(FwState::Idle)) => {
                if let Some(r) = result {
                    self.verify(&r.to_string());
                }
            }
            // Back from an update whose Execute answer was lost: judge it (SRV-5).
            (phase, Some(FwState::Idle)) if phase.is_delivering() && self.update_sent => {
                if let Some(r) = result {
                    self.verify(&r.to_string());
                }
            }
            (phase, Some(FwState::Idle)) if phase.is_delivering() => match result {
                Some(r) if r != 0 => {
                    self.fail(format!("the download ended with Update Result {r}"))
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn on_value(&mut self, path: Path, value: &str) {
        if path == VERSION {
            self.reported_version = Some(value.to_string());
            return;
        }
        if path == SIGNAL || path == LINK_QUALITY {
            let v = value.parse::<i64>().ok();
            if path == SIGNAL {
                self.signal_dbm = v;
            } else {
                self.link_quality = v;
            }
            // The quality is read after the signal: judge once both are in.
            if path == LINK_QUALITY || self.phase == CampaignPhase::WaitingForSignal {
                self.heard_from_device();
                self.on_radio();
            }
            return;
        }
        if path == DELIVERY {
            self.delivery_support = value.parse().ok();
        }
        if path == PROTOCOLS || path == DELIVERY {
            self.log(
                format!(
                    "device reports {}: {value}",
                    fota_lwm2m::objects::describe(&path)
                ),
                Some("SRV-1"),
            );
            return;
        }
        if path == RESULT {
            match self.phase {
                CampaignPhase::Downloading | CampaignPhase::Pushing => {
                    self.fail(format!("the download ended with Update Result {value}"))
                }
                CampaignPhase::Verifying => self.verify(value),
                _ => {}
            }
        }
    }

    /// SRV-5: success is Update Result 1 with the new version running. Result 0 means the
    /// device is still updating (the new image has registered but not yet confirmed): wait
    /// for the State notification.
    fn verify(&mut self, result: &str) {
        let version = self.reported_version.clone().unwrap_or_default();
        match result {
            "0" => {}
            "1" if version == self.campaign.target_version => {
                self.set_phase(CampaignPhase::Succeeded, Some("SRV-5"))
            }
            _ => self.fail(format!(
                "after the update: Update Result {result}, version {version}"
            )),
        }
    }

    pub(crate) fn fail(&mut self, why: String) {
        if !self.phase.is_over() {
            self.set_phase(CampaignPhase::Failed(why), None);
        }
    }
}

impl Node for Server {
    fn addr(&self) -> Addr {
        self.messenger.local()
    }

    fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]) {
        self.clock = now;
        self.messenger.handle_datagram(now, from, bytes);
        self.drain(now);
    }

    fn handle_timeout(&mut self, now: SimTime) {
        self.clock = now;
        if self.deadline.is_some_and(|d| d <= now) {
            self.poll_device(now);
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
        let deadline = self.deadline.filter(|_| !self.phase.is_over());
        [self.messenger.poll_timeout(), expiry, deadline]
            .into_iter()
            .flatten()
            .min()
    }

    fn poll_event(&mut self) -> Option<NodeEvent> {
        self.events.pop_front()
    }
}

impl Server {
    /// A request got no answer after all its retransmissions: send it again as a new exchange
    /// a few times (SRV-4). While the device reboots its silence is expected: it will
    /// register again.
    fn on_unanswered(&mut self, op: Op) {
        if self.phase == CampaignPhase::Updating {
            return;
        }
        if self.retries + 1 < REQUEST_ATTEMPTS {
            self.retries += 1;
            self.log(
                format!(
                    "no answer to {op}: sending it again ({} of {})",
                    self.retries + 1,
                    REQUEST_ATTEMPTS
                ),
                Some("SRV-4"),
            );
            self.queue.push_front(op);
        } else {
            self.retries = 0;
            self.fail("the device stopped answering".into());
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
                    self.observations.retain(|o| o.token != token);
                    if let Some(i) = self.operator_tokens.iter().position(|t| *t == token) {
                        self.operator_tokens.remove(i);
                        self.log("operator: the request got no answer", None);
                    }
                    if let Some((_, op)) = self.in_flight.take_if(|(t, _)| *t == token) {
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
