//! How the image reaches the device (SPEC §5, SRV-3): PULL through the Package URI, or PUSH
//! to /5/0/0 in Block1 blocks while the radio is good enough.

use crate::campaign::{CampaignPhase, Delivery};
use crate::paths::{LINK_QUALITY, PACKAGE, PACKAGE_URI, SIGNAL};
use crate::requests::Op;
use crate::server::Server;

/// How often one PUSH block is sent when its answers do not fit it.
const PUSH_BLOCK_ATTEMPTS: u32 = 3;

/// How often a PUSH starts again from block 0 when the device lost track of it.
const PUSH_RESTARTS: u32 = 2;
use fota_coap::block1_sender::{Block1Sender, SendStep};
use fota_coap::message::{self, set_content_format};
use fota_coap::{MessageClass, Packet, RequestType, ResponseType};
use fota_lwm2m::{content, firmware};

impl Server {
    /// After the device is read and observed: PULL or PUSH, from the operator's preference and
    /// what /5/0/9 allows.
    pub(crate) fn choose_delivery(&mut self) {
        let support = self
            .delivery_support
            .unwrap_or(i64::from(firmware::DELIVERY_BOTH));
        let pull_ok = support != i64::from(firmware::DELIVERY_PUSH);
        let push_ok = support != i64::from(firmware::DELIVERY_PULL);
        let method = match self.campaign.method {
            Delivery::Push if push_ok => Delivery::Push,
            Delivery::Pull if pull_ok => Delivery::Pull,
            _ if pull_ok => Delivery::Pull,
            _ if push_ok => Delivery::Push,
            _ => {
                return self.fail(format!(
                    "the device's /5/0/9 is {support}: no delivery fits"
                ));
            }
        };
        if method != self.campaign.method {
            self.log(
                format!("the device's /5/0/9 is {support}: delivering by {method:?} instead"),
                Some("SRV-3"),
            );
        }
        match method {
            Delivery::Pull => self.start_pull(),
            Delivery::Push if self.gated() => {
                self.log("PUSH chosen: reading the radio first", Some("SRV-3"));
                self.requests
                    .extend_for("SRV-3", [Op::Read(SIGNAL), Op::Read(LINK_QUALITY)]);
            }
            Delivery::Push => self.start_push(),
        }
    }

    /// Whether the campaign sets a radio threshold for PUSH.
    fn gated(&self) -> bool {
        self.campaign.push_min_signal_dbm.is_some() || self.campaign.push_min_link_quality.is_some()
    }

    fn start_pull(&mut self) {
        self.delivery_begins(Delivery::Pull);
        let uri = self.campaign.package_uri.clone();
        self.requests.push_back(Op::Write(PACKAGE_URI, uri));
    }

    /// A delivery begins: what the device says from now on is about this one.
    fn delivery_begins(&mut self, by: Delivery) {
        self.deliveries += 1;
        self.push_restarts = 0;
        self.uri_writes = 0;
        // Whatever the device said of /5 before no longer holds once the delivery starts.
        self.device_state = None;
        self.delivering_by = Some(by);
        self.rejoined = false;
    }

    /// The device cannot take a download now and says when to ask again (5.03 with Max-Age,
    /// BAT-2): the delivery starts afresh then (BAT-3). The phase's own deadline still holds.
    pub(crate) fn deliver_later(&mut self, secs: u64) {
        self.push = None;
        self.log(
            format!("the device cannot take a download now (5.03): delivering again in {secs} s"),
            Some("BAT-3"),
        );
        self.redeliver_at = Some(self.clock + secs.saturating_mul(1000));
    }

    /// The radio stayed too weak for as long as the campaign waits: deliver by PULL if the
    /// device takes it (SRV-3), else give up.
    pub(crate) fn fall_back_to_pull(&mut self) {
        let support = self
            .delivery_support
            .unwrap_or(i64::from(firmware::DELIVERY_BOTH));
        if support == i64::from(firmware::DELIVERY_PUSH) {
            return self.fail("the radio never got good enough for a PUSH".into());
        }
        self.log(
            "the radio stayed too weak for a PUSH: delivering by PULL instead",
            Some("SRV-3"),
        );
        self.stop_watching_radio();
        self.set_phase(CampaignPhase::Preparing, Some("SRV-3"));
        self.start_pull();
    }

    /// The radio values are in: push now, or keep watching /4/0/2 until they are good.
    pub(crate) fn on_radio(&mut self) {
        if !matches!(
            self.phase,
            CampaignPhase::Preparing | CampaignPhase::WaitingForSignal
        ) || self.push.is_some()
        {
            return;
        }
        let (signal, quality) = (self.signal_dbm, self.link_quality);
        if self.campaign.radio_allows_push(signal, quality) {
            self.log(
                format!(
                    "radio good enough for PUSH: {} dBm, link quality {}",
                    show(signal),
                    show(quality)
                ),
                Some("SRV-3"),
            );
            self.stop_watching_radio();
            self.start_push();
            return;
        }
        if self.phase == CampaignPhase::WaitingForSignal {
            return;
        }
        self.log(
            format!(
                "radio too weak for PUSH ({} dBm, link quality {}): waiting",
                show(signal),
                show(quality)
            ),
            Some("SRV-3"),
        );
        self.set_phase(CampaignPhase::WaitingForSignal, Some("SRV-3"));
        let mut queries = Vec::new();
        if let Some(min) = self.campaign.push_min_signal_dbm {
            queries.push(format!("gt={min}"));
        }
        self.requests.extend_for(
            "SRV-3",
            [Op::WriteAttributes(SIGNAL, queries), Op::Observe(SIGNAL)],
        );
    }

    /// A new signal value while waiting: the quality is read again before deciding.
    pub(crate) fn on_signal_notified(&mut self) {
        if self.phase == CampaignPhase::WaitingForSignal
            && !self.requests.contains(&Op::Read(LINK_QUALITY))
        {
            self.requests.push_back_for("SRV-3", Op::Read(LINK_QUALITY));
        }
    }

    fn stop_watching_radio(&mut self) {
        if let Some(token) = self.observations.stop(SIGNAL) {
            // Its next notification gets a Reset, which ends it on the device (RFC 7641 §3.6).
            self.forget_token(&token);
        }
    }

    /// Starts writing the image to /5/0/0 (FU-T1).
    pub(crate) fn start_push(&mut self) {
        let mut template = message::request(RequestType::Put, &PACKAGE.to_string());
        set_content_format(&mut template, content::OPAQUE);
        let mut sender = Block1Sender::new(
            template,
            std::sync::Arc::clone(&self.campaign.image),
            self.campaign.push_block_size,
        );
        if self.campaign.push_insists_on_block_size {
            sender = sender.insisting();
        }
        self.log(
            format!(
                "pushing {} bytes to /5/0/0 in {}-byte Block1 blocks",
                sender.total(),
                sender.block_size()
            ),
            Some("FU-T1"),
        );
        self.delivery_begins(Delivery::Push);
        self.push = Some(sender);
        self.set_phase(CampaignPhase::Pushing, Some("FU-T1"));
        self.requests.push_back(Op::Push);
    }

    /// The device's answer to a PUSH block: the next block, the end, or a refusal.
    pub(crate) fn on_push_answer(&mut self, resp: &Packet) {
        let Some(sender) = self.push.as_mut() else {
            return;
        };
        match sender.on_response(resp) {
            SendStep::Next(_) => {
                self.push_unexpected = 0;
                self.requests.push_front(Op::Push)
            }
            // A damaged answer, or an answer to a damaged block: send the block again, a few
            // times (SRV-4); the device takes a block it already has once (BW-2).
            // The device lost track of the transfer (BW-3): block 0 starts it afresh (BW-4).
            // Not now: the device's battery cannot afford it (BAT-2); deliver again later.
            SendStep::Unexpected {
                code: MessageClass::Response(ResponseType::ServiceUnavailable),
                ..
            } => self.deliver_later(retry_after_s(resp)),
            SendStep::Unexpected { code, .. }
                if code == MessageClass::Response(ResponseType::RequestEntityIncomplete)
                    && self.push_restarts < PUSH_RESTARTS =>
            {
                self.push_restarts += 1;
                self.push_unexpected = 0;
                sender.restart();
                self.log(
                    "the device lost track of the PUSH (4.08): starting again from block 0",
                    Some("BW-4"),
                );
                self.requests.push_front_for("BW-4", Op::Push);
            }
            SendStep::Unexpected { why, .. } if self.push_unexpected + 1 < PUSH_BLOCK_ATTEMPTS => {
                self.push_unexpected += 1;
                self.log(
                    format!(
                        "unexpected answer to a PUSH block ({why}): sending it again ({} of {PUSH_BLOCK_ATTEMPTS})",
                        self.push_unexpected + 1
                    ),
                    Some("SRV-4"),
                );
                self.requests.push_front_for("SRV-4", Op::Push);
            }
            SendStep::Unexpected { why, .. } => {
                self.push_unexpected = 0;
                // What the device holds is unknown now: the phase decides the clean-up.
                self.device_state = None;
                self.fail(format!(
                    "the device's answers to the PUSH made no sense: {why}"
                ));
            }
            SendStep::Done(_) => {
                let total = sender.total();
                self.push = None;
                self.log(
                    format!("all {total} bytes pushed; waiting for Downloaded"),
                    Some("FU-T1"),
                );
            }
            SendStep::Failed { why, size1, .. } => {
                self.push = None;
                // A refused block ends the download on the device too (FU-D2, FU-D3): it is
                // Idle with its Result, and there is nothing to cancel (SRV-10).
                self.device_state = Some(fota_lwm2m::FwState::Idle);
                let room = size1.map_or(String::new(), |s| format!(" (Size1 {s})"));
                self.fail(format!("the device refused the PUSH: {why}{room}"));
            }
        }
    }
}

fn show(v: Option<i64>) -> String {
    v.map_or("unknown".into(), |v| v.to_string())
}

/// Seconds a 5.03 Service Unavailable asks the client to wait: its Max-Age, or 60 s, the
/// option's default (RFC 7252 §5.10.5).
pub(crate) fn retry_after_s(resp: &Packet) -> u64 {
    fota_coap::message::uint_option(resp, fota_coap::CoapOption::MaxAge).map_or(60, u64::from)
}
