//! The client side of the LwM2M Registration interface: Register, Update before the lifetime
//! runs out, De-register, and what to do when the server forgets the device or does not answer:
//! a failed Update is followed by a new Register, a failed Register is tried again with backoff,
//! for ever (REG-1).

use crate::events::DeviceEvent;
use crate::{Device, HEALTH_CHECK_MS};
use fota_bootloader::Behaviour;
use fota_coap::message::{self, set_content_format};
use fota_coap::messenger::Token;
use fota_coap::{CoapOption, MessageClass, Packet, RequestType, ResponseType, SimTime};
use fota_lwm2m::content;
use fota_lwm2m::register::{write_links, Link, RegisterParams, RD_PATH};
use fota_lwm2m::transitions::{BootVerdict, Trigger};

/// Wait before the first new Register after one went unanswered or was refused; each further
/// failure doubles it (LwM2M 1.1 §6.2.1.1: Communication Retry Timer × 2^(attempt − 1)).
/// Half LwM2M's 60 s default, so that a student sees the retries within a short run.
const REGISTER_RETRY_MS: u64 = 30_000;
/// The longest wait between two Registers: the fifth one's (30 s × 2^4), as LwM2M's default
/// Communication Retry Count (5) ends the doubling there. Where LwM2M would then wait the
/// Communication Sequence Delay Timer (24 h by default), the device goes on every 8 minutes, so
/// it registers within that long of its server coming back and never goes silent.
const REGISTER_RETRY_CAP_MS: u64 = 480_000;

/// The wait before the next Register after `failures` (at least 1) failed in a row.
fn register_retry_ms(failures: u32) -> u64 {
    let doublings = failures.saturating_sub(1).min(4);
    (REGISTER_RETRY_MS << doublings).min(REGISTER_RETRY_CAP_MS)
}

#[derive(Clone, Debug)]
pub(crate) enum Registration {
    /// Not registered; a new Register is due at `retry_at`, if set, after `failures` Registers
    /// failed in a row.
    None {
        retry_at: Option<SimTime>,
        failures: u32,
    },
    /// A Register is on its way, after `failures` failed in a row.
    Pending {
        token: Token,
        failures: u32,
    },
    Registered {
        location: String,
        update_at: SimTime,
    },
    Updating {
        location: String,
        token: Token,
    },
    Deregistering(Token),
}

/// Not registered, nothing failed yet: how a device starts and comes back from a reset.
impl Default for Registration {
    fn default() -> Registration {
        Registration::None {
            retry_at: None,
            failures: 0,
        }
    }
}

impl Registration {
    pub(crate) fn location(&self) -> Option<&str> {
        match self {
            Registration::Registered { location, .. } | Registration::Updating { location, .. } => {
                Some(location)
            }
            _ => None,
        }
    }

    /// A Register, an Update or a De-register is on its way, or a Register is due again: the
    /// run is not over while the device still has something to say.
    pub(crate) fn in_progress(&self) -> bool {
        matches!(
            self,
            Registration::Pending { .. }
                | Registration::Updating { .. }
                | Registration::Deregistering(_)
                | Registration::None {
                    retry_at: Some(_),
                    ..
                }
        )
    }

    fn token(&self) -> Option<&Token> {
        match self {
            Registration::Deregistering(t) => Some(t),
            Registration::Pending { token, .. } | Registration::Updating { token, .. } => {
                Some(token)
            }
            _ => None,
        }
    }
}

impl Device {
    /// Sends a Register; the count of failed ones in a row goes on with it.
    pub(crate) fn register(&mut self, now: SimTime) {
        let Some(server) = self.cfg.server else {
            return;
        };
        let failures = match self.registration {
            Registration::None { failures, .. } => failures,
            _ => 0,
        };
        let params = RegisterParams {
            endpoint: self.cfg.endpoint.clone(),
            lifetime_s: self.cfg.lifetime_s,
            lwm2m: self.cfg.lwm2m_version.as_str().into(),
            binding: "U".into(),
            queue_mode: self.cfg.queue_mode,
        };
        let mut p = message::request(RequestType::Post, RD_PATH);
        for q in params.to_queries() {
            p.add_option(CoapOption::UriQuery, q.into_bytes());
        }
        set_content_format(&mut p, content::LINK_FORMAT);
        p.payload = write_links(&links()).into_bytes();
        let token = self.messenger.request(now, server, p, false);
        self.registration = Registration::Pending { token, failures };
    }

    /// An Update is due halfway through the lifetime, leaving time for retransmissions.
    fn next_update(&self, now: SimTime) -> SimTime {
        now + u64::from(self.cfg.lifetime_s) * 500
    }

    fn send_update(&mut self, now: SimTime, location: String) {
        let Some(server) = self.cfg.server else {
            return;
        };
        let p = message::request(RequestType::Post, &location);
        let token = self.messenger.request(now, server, p, false);
        self.registration = Registration::Updating { location, token };
    }

    /// Tells the server the device leaves (DELETE on the registration).
    pub fn deregister(&mut self, now: SimTime) {
        let (Some(server), Some(location)) = (self.cfg.server, self.registration.location()) else {
            return;
        };
        let p = message::request(RequestType::Delete, location);
        let token = self.messenger.request(now, server, p, false);
        self.registration = Registration::Deregistering(token);
    }

    pub(crate) fn registration_timer(&self) -> Option<SimTime> {
        match &self.registration {
            Registration::None { retry_at, .. } => *retry_at,
            Registration::Registered { update_at, .. } => Some(*update_at),
            _ => None,
        }
    }

    pub(crate) fn on_registration_timer(&mut self, now: SimTime) {
        match &self.registration {
            Registration::None {
                retry_at: Some(t), ..
            } if *t <= now => self.register(now),
            Registration::Registered {
                location,
                update_at,
            } if *update_at <= now => {
                let location = location.clone();
                self.send_update(now, location);
            }
            _ => {}
        }
    }

    /// Handles the answer (or, with `None`, the loss) of a registration message. Returns false
    /// when `token` is not one of ours.
    pub(crate) fn on_registration_answer(
        &mut self,
        now: SimTime,
        token: &[u8],
        resp: Option<&Packet>,
    ) -> bool {
        if self.registration.token().is_none_or(|t| t != token) {
            return false;
        }
        let code = resp.map(|r| r.header.code);
        let is = |c: ResponseType| code == Some(MessageClass::Response(c));
        let why = code.map_or("no answer".to_string(), |c| {
            format!("answered {}", message::code_name(c))
        });
        match std::mem::take(&mut self.registration) {
            Registration::Pending { .. } if is(ResponseType::Created) => {
                let location = resp.map(message::location_path).unwrap_or_default();
                self.events.push_back(DeviceEvent::Registered {
                    location: location.clone(),
                });
                self.registration = Registration::Registered {
                    location,
                    update_at: self.next_update(now),
                };
                if self.awaiting_confirm && self.behaviour == Behaviour::FailHealthCheck {
                    self.awaiting_confirm = false;
                    if let Some(version) = self.running {
                        self.image_failed(version);
                    }
                    self.reboot_at = Some(now + HEALTH_CHECK_MS);
                    self.reboot_cause = self.watchdog();
                } else if self.awaiting_confirm {
                    self.awaiting_confirm = false;
                    if self.boot.confirm() {
                        self.log(
                            "new firmware registered and confirmed itself",
                            Some("FU-T11"),
                        );
                        self.report_boot_events();
                        self.apply(now, Trigger::Boot(BootVerdict::Confirmed), None);
                    } else {
                        // The cut the scenario placed came after the boot's own flash work:
                        // at the confirm write. The device is off; what the flash holds
                        // decides the next boot.
                        self.report_boot_events();
                        self.log(
                            "the power went while the new firmware confirmed itself",
                            Some("BOOT-3"),
                        );
                        self.power_cut(now, 0);
                    }
                }
            }
            Registration::Pending { failures, .. } => {
                let failures = failures.saturating_add(1);
                let wait = register_retry_ms(failures);
                self.log(
                    format!("Register failed ({why}): trying again in {} s", wait / 1000),
                    Some("REG-1"),
                );
                self.registration = Registration::None {
                    retry_at: Some(now + wait),
                    failures,
                };
            }
            Registration::Updating { location, .. } if is(ResponseType::Changed) => {
                self.registration = Registration::Registered {
                    location,
                    update_at: self.next_update(now),
                };
            }
            Registration::Updating { .. } => {
                // The server no longer knows us (4.04), refused, or did not answer in time
                // (the message layer times out a lost ACK and a lost response alike): the
                // registration may be gone, so register afresh.
                self.log(
                    format!("registration Update failed ({why}): registering again"),
                    Some("REG-1"),
                );
                self.register(now);
            }
            Registration::Deregistering(_) => self.log("de-registered", None),
            other => self.registration = other,
        }
        true
    }
}

/// Every instance the device has, never /0 (OBJ-1, OBJ-2).
fn links() -> Vec<Link> {
    let plain = |t: &str| Link {
        target: t.into(),
        attributes: vec![],
    };
    vec![
        plain("/1/0"),
        plain("/3/0"),
        plain("/4/0"),
        Link {
            target: "/5".into(),
            attributes: vec![("ver".into(), "1.1".into())],
        },
        plain("/5/0"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// REG-1: the waits between Registers double from 30 s and stay at 8 minutes, for ever.
    #[test]
    fn reg1_register_retries_double_up_to_the_cap() {
        let waits: Vec<u64> = (1..=7).map(|n| register_retry_ms(n) / 1000).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 480, 480]);
        assert_eq!(register_retry_ms(u32::MAX), REGISTER_RETRY_CAP_MS);
    }
}
