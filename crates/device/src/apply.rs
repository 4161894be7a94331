//! The device runs the /5 transition table (`fota_lwm2m::transitions`): one verb, `apply`,
//! answers the request that brought the trigger, carries out the row's effects and changes
//! State and Result, telling observers.

use crate::events::DeviceEvent;
use crate::{uri, Device};
use fota_coap::{message, Addr, Packet, ResponseType, SimTime};
use fota_lwm2m::transitions::{self, Effect, Outcome, Trigger};
use fota_lwm2m::{firmware, Path, UpdateResult};

impl Device {
    /// Applies `trigger` to /5. When a request brought it, the request is answered first, so
    /// the response precedes any notification the change causes; a trigger the table does not
    /// know in this state gets 4.05.
    pub(crate) fn apply(
        &mut self,
        now: SimTime,
        trigger: Trigger,
        request: Option<(Addr, &Packet)>,
    ) -> Option<Outcome> {
        let trigger = self.gated_by_battery(trigger);
        let Some(o) = transitions::step(self.state, trigger) else {
            if let Some((from, req)) = request {
                self.messenger.respond(
                    from,
                    req,
                    message::response(ResponseType::MethodNotAllowed),
                );
            }
            return None;
        };
        self.met(o.rule());
        if let (Some((from, req)), Some(code)) = (request, o.answer()) {
            let mut answer = message::response(code);
            if code == ResponseType::ServiceUnavailable {
                // When to ask again (RFC 7252 §5.9.3.4), as the device's fuel gauge sees it.
                answer.add_option(
                    fota_coap::CoapOption::MaxAge,
                    message::uint_bytes(self.download_retry_s()),
                );
            }
            self.messenger.respond(from, req, answer);
        }
        for &e in o.effects().iter().filter(|e| e.before_change()) {
            self.perform(now, e, o.rule());
        }
        self.change(now, &o);
        for &e in o.effects().iter().filter(|e| !e.before_change()) {
            self.perform(now, e, o.rule());
        }
        Some(o)
    }

    /// Says which rule the input in hand met, for the trace row of the datagram that brought it.
    pub(crate) fn met(&mut self, rule: &'static str) {
        self.events.push_back(DeviceEvent::RuleApplied { rule });
    }

    /// Sets State and Result as the outcome says and tells observers of what changed.
    fn change(&mut self, now: SimTime, o: &Outcome) {
        let result = o.result.unwrap_or(self.result);
        if (o.state, result) == (self.state, self.result) {
            return;
        }
        let state_changed = o.state != self.state;
        if state_changed {
            self.last_state_change = now;
        }
        let result_changed = result != self.result;
        self.state = o.state;
        self.result = result;
        self.events.push_back(DeviceEvent::Firmware {
            state: o.state,
            result,
            rule: o.rule(),
            sent_before: self.messenger.queued(),
        });
        let mut changed = Vec::new();
        if state_changed {
            changed.push(Path::resource(5, 0, firmware::STATE));
            changed.push(Path::resource(5, 0, 12));
        }
        if result_changed {
            changed.push(Path::resource(5, 0, firmware::UPDATE_RESULT));
        }
        self.notify(now, &changed);
    }

    /// Carries out one effect of the row of `rule`.
    fn perform(&mut self, now: SimTime, effect: Effect, rule: &'static str) {
        match effect {
            Effect::KeepUri => self.package_uri = std::mem::take(&mut self.uri_written),
            Effect::ClearUri => self.package_uri.clear(),
            Effect::StopDownload => self.stop_download(),
            Effect::StartFetch => match uri::classify(&self.package_uri, &self.cfg.hosts).1 {
                Some(target) => {
                    self.log(
                        format!("PULL download of {} starts", self.package_uri),
                        Some("FU-T2"),
                    );
                    self.start_fetch(now, target);
                }
                None => {
                    self.log("the repository host does not resolve", Some("FU-D7"));
                    self.apply(now, Trigger::DownloadFailed(UpdateResult::InvalidUri), None);
                }
            },
            Effect::TakePush => {
                self.log("PUSH download starts", Some("FU-T1"));
                self.erase_for_download(now);
            }
            Effect::StartUpdate => self.start_update(now, rule),
            Effect::WaitForBattery => {
                self.waiting_for_battery = true;
                self.log(
                    format!(
                        "the battery is at {} %, below the {} % an update needs: the update waits for it",
                        self.battery_percent(),
                        self.cfg.battery.min_update_percent
                    ),
                    Some("BAT-1"),
                );
            }
            Effect::RefuseForBattery => self.log(
                format!(
                    "the battery is at {} %, below the {} % a download needs: refused, ask again in {} s",
                    self.battery_percent(),
                    self.cfg.battery.min_download_percent,
                    self.download_retry_s()
                ),
                Some("BAT-2"),
            ),
            Effect::Defer => {
                self.deferred_once = true;
                self.defer_until = Some(now + u64::from(self.cfg.defer_s) * 1000);
                self.log(
                    format!("the user defers the update for {} s", self.cfg.defer_s),
                    Some("FU-T10"),
                );
            }
        }
    }
}
