//! The client side of the LwM2M Registration interface: Register, Update before the lifetime
//! runs out, De-register, and what to do when the server forgets the device.

use crate::events::DeviceEvent;
use crate::{Device, HEALTH_CHECK_MS};
use fota_bootloader::Behaviour;
use fota_coap::message::{self, set_content_format};
use fota_coap::messenger::Token;
use fota_coap::{CoapOption, MessageClass, Packet, RequestType, ResponseType, SimTime};
use fota_lwm2m::content;
use fota_lwm2m::register::{write_links, Link, RegisterParams, RD_PATH};
use fota_lwm2m::transitions::{BootVerdict, Trigger};

/// Wait before registering again after a Register went unanswered or was refused.
const REGISTER_RETRY_MS: u64 = 30_000;

#[derive(Clone, Debug)]
pub(crate) enum Registration {
    /// Not registered; a new Register is due at `retry_at`, if set.
    None {
        retry_at: Option<SimTime>,
    },
    Pending(Token),
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

impl Registration {
    pub(crate) fn location(&self) -> Option<&str> {
        match self {
            Registration::Registered { location, .. } | Registration::Updating { location, .. } => {
                Some(location)
            }
            _ => None,
        }
    }

    pub(crate) fn in_progress(&self) -> bool {
        matches!(
            self,
            Registration::Pending(_)
                | Registration::Updating { .. }
                | Registration::Deregistering(_)
        )
    }

    fn token(&self) -> Option<&Token> {
        match self {
            Registration::Pending(t) | Registration::Deregistering(t) => Some(t),
            Registration::Updating { token, .. } => Some(token),
            _ => None,
        }
    }
}

impl Device {
    pub(crate) fn register(&mut self, now: SimTime) {
        let Some(server) = self.cfg.server else {
            return;
        };
        let params = RegisterParams {
            endpoint: self.cfg.endpoint.clone(),
            lifetime_s: self.cfg.lifetime_s,
            lwm2m: self.cfg.lwm2m_version.as_str().into(),
            binding: "U".into(),
        };
        let mut p = message::request(RequestType::Post, RD_PATH);
        for q in params.to_queries() {
            p.add_option(CoapOption::UriQuery, q.into_bytes());
        }
        set_content_format(&mut p, content::LINK_FORMAT);
        p.payload = write_links(&links()).into_bytes();
        let token = self.messenger.request(now, server, p, false);
        self.registration = Registration::Pending(token);
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
            Registration::None { retry_at } => *retry_at,
            Registration::Registered { update_at, .. } => Some(*update_at),
            _ => None,
        }
    }

    pub(crate) fn on_registration_timer(&mut self, now: SimTime) {
        match &self.registration {
            Registration::None { retry_at: Some(t) } if *t <= now => self.register(now),
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
        let why = code.map_or("went unanswered".to_string(), |c| {
            format!("answered {}", message::code_name(c))
        });
        match std::mem::replace(
            &mut self.registration,
            Registration::None { retry_at: None },
        ) {
            Registration::Pending(_) if is(ResponseType::Created) => {
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
                    self.reboot_cause = crate::events::ResetCause::Watchdog;
                } else if self.awaiting_confirm {
                    self.awaiting_confirm = false;
                    self.log(
                        "new firmware registered and confirmed itself",
                        Some("FU-T11"),
                    );
                    self.boot.confirm();
                    self.report_boot_events();
                    self.apply(now, Trigger::Boot(BootVerdict::Confirmed), None);
                }
            }
            Registration::Pending(_) => {
                self.log(
                    format!("Register {why}; retrying in {} s", REGISTER_RETRY_MS / 1000),
                    None,
                );
                self.registration = Registration::None {
                    retry_at: Some(now + REGISTER_RETRY_MS),
                };
            }
            Registration::Updating { location, .. } if is(ResponseType::Changed) => {
                self.registration = Registration::Registered {
                    location,
                    update_at: self.next_update(now),
                };
            }
            Registration::Updating { .. } => {
                // The server no longer knows us (4.04) or did not answer: register afresh.
                self.log(
                    format!("registration Update {why}; registering again"),
                    None,
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
