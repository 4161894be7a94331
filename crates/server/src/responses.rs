//! What the device answers and notifies: each response is matched to its request, each fresh
//! notification to its observation, and the values they carry go to the campaign's judgement.

use crate::campaign::CampaignPhase;
use crate::machine::Input;
use crate::paths::{DELIVERY, FIRMWARE, LINK_QUALITY, PROTOCOLS, RESULT, SIGNAL, VERSION};
use crate::requests::Op;
use crate::server::Server;
use crate::values::{decode, shown, Reported};
use fota_coap::message;
use fota_coap::{CoapOption, MessageClass, Packet, ResponseType, SimTime};
use fota_lwm2m::Path;
use fota_lwm2m::{firmware, FwState};

/// How often the campaign sends a read that the device answers with an error.
const READ_ATTEMPTS: u32 = 3;

impl Server {
    pub(crate) fn on_response(&mut self, now: SimTime, resp: Packet) {
        let token = resp.get_token().to_vec();
        let code = resp.header.code;
        let ok = |c: ResponseType| code == MessageClass::Response(c);
        let answer = message::code_name(code);
        let answered = self.requests.answered(&token);
        let by_operator = answered.as_ref().is_some_and(|a| a.by_operator);
        let op = answered.map(|a| a.op);
        if let (Some(op), true) = (&op, by_operator) {
            let value = shown(&resp, op.read_path(), ok(ResponseType::Content));
            let shown = if value.is_empty() {
                String::new()
            } else {
                format!(": {value}")
            };
            // The operator's, whatever it says: it ends nothing (SRV-11).
            self.log(
                format!("operator: {op} answered {answer}{shown}"),
                Some("SRV-11"),
            );
        }
        match op.clone() {
            None => {
                if ok(ResponseType::Content) && self.observations.is_observing(&token) {
                    self.on_notification(now, &token, &resp);
                }
            }
            Some(Op::Observe(path)) if ok(ResponseType::Content) => {
                // The first answer to an observation counts as its first notification.
                let seq = message::uint_option(&resp, CoapOption::Observe);
                self.observations.answered(&token, seq, now);
                let asked = (!by_operator).then_some(Op::Observe(path));
                let decoded = self.on_report(path, &resp, asked);
                // The first look at the device chooses the delivery; a later one (it registered
                // again before the delivery began) does not start a second.
                if decoded
                    && path == FIRMWARE
                    && self.phase == CampaignPhase::Preparing
                    && self.deliveries == 0
                {
                    self.choose_delivery();
                }
            }
            Some(Op::WriteAttributes(..)) if ok(ResponseType::Changed) => {}
            Some(Op::WriteAttributes(path, _)) => {
                // Not fatal: the observation then follows the device's own defaults.
                self.log(
                    format!("Write-Attributes on {path} answered {answer}"),
                    None,
                );
            }
            Some(ref op @ (Op::Read(path) | Op::Observe(path))) => {
                if ok(ResponseType::Content) {
                    self.read_errors = 0;
                    let asked = (!by_operator).then_some(Op::Read(path));
                    self.on_report(path, &resp, asked);
                } else if by_operator {
                    // The operator's own read: its answer is reported, the campaign goes on.
                } else if ok(ResponseType::NotAcceptable) {
                    // The device cannot produce the Accept named: ask again (SRV-12).
                    self.on_undecodable(format!("{op} answered {answer}"), op.clone());
                } else if path == SIGNAL || path == LINK_QUALITY {
                    self.log(format!("reading {path} answered {answer}"), None);
                    self.on_radio();
                } else if self.read_errors + 1 < READ_ATTEMPTS {
                    // The request may have been damaged on the way: ask again (SRV-4).
                    self.read_errors += 1;
                    self.log(
                        format!(
                            "reading {path} answered {answer}: asking again ({} of {READ_ATTEMPTS})",
                            self.read_errors + 1
                        ),
                        Some("SRV-4"),
                    );
                    let again = op.clone();
                    self.requests.push_front_for("SRV-4", again);
                } else {
                    self.read_errors = 0;
                    self.fail(format!("reading {path} answered {answer}"));
                }
            }
            Some(Op::Push) => self.on_push_answer(&resp),
            // An operator's Write or Execute, reported above, is the operator's: whatever the
            // answer, the campaign goes on and follows the device (SRV-11).
            Some(Op::Write(..) | Op::Execute(..)) if by_operator => {}
            Some(op) if Server::is_clean_up(&op) => {
                let code = match code {
                    MessageClass::Response(c) => c,
                    _ => ResponseType::UnKnown,
                };
                self.on_clean_up_answer(&op, code, &answer)
            }
            Some(Op::Write(..)) => {
                let changed = ok(ResponseType::Changed);
                let unavailable = ok(ResponseType::ServiceUnavailable);
                let act = self.facts().next(Input::UriWritten {
                    changed,
                    again: self.uri_writes > 1,
                    answer: &answer,
                    retry_after_s: unavailable.then(|| crate::delivery::retry_after_s(&resp)),
                });
                self.apply(act);
            }
            Some(Op::Execute(..)) => {
                let changed = ok(ResponseType::Changed);
                let act = self.facts().next(Input::UpdateExecuted {
                    changed,
                    not_allowed: ok(ResponseType::MethodNotAllowed),
                    answer: &answer,
                });
                self.apply(act);
            }
        }
        self.send_next(now);
    }

    /// A notification on the observation with `token`, taken when it is fresh (RFC 7641
    /// §3.4).
    fn on_notification(&mut self, now: SimTime, token: &[u8], resp: &Packet) {
        let seq = message::uint_option(resp, CoapOption::Observe).unwrap_or(0);
        let Some(path) = self.observations.notified(token, seq, now) else {
            self.log(
                format!("stale notification {seq} ignored (RFC 7641 §3.4)"),
                None,
            );
            return;
        };
        if !self.on_report(path, resp, None) {
            // Read what the notification failed to say (SRV-12).
            if !self.requests.contains(&Op::Read(path)) {
                self.requests.push_back_for("SRV-12", Op::Read(path));
            }
            return;
        }
        if path == SIGNAL {
            self.on_signal_notified();
        }
    }

    /// A value the device reported, by a read or a notification, in any format the server
    /// decodes (SRV-12); `asked` is the campaign's request it answers. False when it cannot
    /// be decoded.
    fn on_report(&mut self, path: Path, resp: &Packet, asked: Option<Op>) -> bool {
        let reported = match decode(resp, path) {
            Ok(r) => r,
            Err(e) => {
                let answer = message::code_name(resp.header.code);
                match asked {
                    Some(op) => self.on_undecodable(format!("{op} answered {answer} in {e}"), op),
                    None => self.log(
                        format!("{path} reported in {e}: the server cannot decode it"),
                        Some("SRV-12"),
                    ),
                }
                return false;
            }
        };
        if path == FIRMWARE {
            self.heard_from_device();
            self.on_firmware(&reported);
        } else {
            self.on_value(path, &reported.text());
        }
        true
    }

    /// An answer the server cannot decode, or a 4.06 to the Accept it named (SRV-12): it is
    /// logged and counts as no answer, so the request goes again, with an Accept, a bounded
    /// number of times before the campaign treats the device as not answering (SRV-4).
    fn on_undecodable(&mut self, what: String, op: Op) {
        self.log(format!("{what}: it counts as no answer"), Some("SRV-12"));
        self.requests.missed_format();
        self.on_unanswered(op);
    }

    /// A State and Update Result report: the observation of /5/0 (SRV-1).
    fn on_firmware(&mut self, reported: &Reported) {
        let state = reported
            .int(firmware::STATE)
            .and_then(|v| u8::try_from(v).ok())
            .and_then(FwState::from_code);
        let result = reported.int(firmware::UPDATE_RESULT);
        if state.is_some() {
            self.device_state = state;
        }
        let act = self.facts().next(Input::Firmware { state, result });
        self.apply(act);
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
            if let Ok(result) = value.parse() {
                let act = self.facts().next(Input::Result(result));
                self.apply(act);
            }
        }
    }
}
