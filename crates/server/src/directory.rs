//! The registration directory: which device is registered, at which location and until when
//! (SRV-1, SRV-2, SRV-7). It answers Register, Update and De-register on the wire; what a
//! registration means for the campaign is the server's business.

use fota_coap::message;
use fota_coap::{Addr, CoapOption, Packet, RequestType, ResponseType, SimTime};
use fota_lwm2m::register::{parse_links, RegisterParams, RD_PATH};

/// LwM2M enabler versions the server serves (SRV-7).
const SUPPORTED_LWM2M: [&str; 3] = ["1.0", "1.1", "1.2"];

#[derive(Clone, Debug)]
pub struct Registration {
    pub endpoint: String,
    pub addr: Addr,
    pub location: String,
    pub lifetime_s: u32,
    pub lwm2m: String,
    pub objects: Vec<String>,
    /// When the registration lapses unless the device sends an Update.
    pub expires_at: SimTime,
    /// The client registered in queue mode: it sleeps between its messages.
    pub queue_mode: bool,
}

/// The one registration the server holds.
#[derive(Clone, Debug, Default)]
pub(crate) struct Directory {
    current: Option<Registration>,
    /// Registers accepted so far: each gets a new location, so that an Update to an old one
    /// is told apart and answered 4.04.
    registrations_seen: u32,
}

/// A Register the directory accepted: the 2.01 to send, and what to log.
pub(crate) struct Accepted {
    pub response: Packet,
    pub log: String,
    /// SRV-2 when the same endpoint registered again (it restarted), SRV-1 otherwise.
    pub rule: &'static str,
}

/// A Register the directory refused: the error to send, and what to log, if anything.
pub(crate) struct Refused {
    pub response: Packet,
    pub log: Option<String>,
}

/// What an Update or De-register on `/rd/<id>` changed.
pub(crate) enum Change {
    Nothing,
    Updated(String),
    Deregistered(String),
}

impl Directory {
    pub fn current(&self) -> Option<&Registration> {
        self.current.as_ref()
    }

    pub fn expires_at(&self) -> Option<SimTime> {
        self.current.as_ref().map(|r| r.expires_at)
    }

    pub fn remove(&mut self) {
        self.current = None;
    }

    /// A Register (POST /rd): the new registration replaces the old one.
    pub fn register(
        &mut self,
        now: SimTime,
        from: Addr,
        req: &Packet,
    ) -> Result<Accepted, Refused> {
        let params = match RegisterParams::from_queries(&message::uri_queries(req)) {
            Ok(p) => p,
            Err(why) => {
                let log = Some(format!("Register refused: {why}"));
                return Err(Refused {
                    response: bad_request(why),
                    log,
                });
            }
        };
        if !SUPPORTED_LWM2M.contains(&params.lwm2m.as_str()) {
            return Err(Refused {
                response: message::response(ResponseType::PreconditionFailed),
                log: Some(format!(
                    "Register refused: LwM2M {} is not served",
                    params.lwm2m
                )),
            });
        }
        let links = match parse_links(&String::from_utf8_lossy(&req.payload)) {
            Ok(l) => l,
            Err(why) => {
                return Err(Refused {
                    response: bad_request(why),
                    log: None,
                })
            }
        };
        self.registrations_seen += 1;
        let location = format!("{RD_PATH}/{}", self.registrations_seen);
        let mut response = message::response(ResponseType::Created);
        for segment in location.split('/').filter(|s| !s.is_empty()) {
            response.add_option(CoapOption::LocationPath, segment.as_bytes().to_vec());
        }
        let again = self
            .current
            .as_ref()
            .is_some_and(|r| r.endpoint == params.endpoint);
        let log = format!(
            "{} registered at {location} (lwm2m {}, lt {} s{})",
            params.endpoint,
            params.lwm2m,
            params.lifetime_s,
            if params.queue_mode {
                ", queue mode"
            } else {
                ""
            }
        );
        self.current = Some(Registration {
            endpoint: params.endpoint,
            addr: from,
            location,
            lifetime_s: params.lifetime_s,
            lwm2m: params.lwm2m,
            objects: links.into_iter().map(|l| l.target).collect(),
            expires_at: now + u64::from(params.lifetime_s) * 1000,
            queue_mode: params.queue_mode,
        });
        Ok(Accepted {
            response,
            log,
            rule: if again { "SRV-2" } else { "SRV-1" },
        })
    }

    /// Update (POST) or De-register (DELETE) on `/rd/<id>`: 4.04 when the id is not the
    /// device's current registration, so that the device registers afresh.
    pub fn on_request(
        &mut self,
        now: SimTime,
        req: &Packet,
        method: RequestType,
    ) -> (ResponseType, Change) {
        let path = message::uri_path(req);
        let Some(reg) = self.current.as_mut().filter(|r| r.location == path) else {
            return (ResponseType::NotFound, Change::Nothing);
        };
        match method {
            RequestType::Post => {
                let lifetime = message::uri_queries(req)
                    .iter()
                    .find_map(|q| q.strip_prefix("lt="))
                    .and_then(|v| v.parse::<u32>().ok());
                if let Some(lt) = lifetime {
                    reg.lifetime_s = lt;
                }
                reg.expires_at = now + u64::from(reg.lifetime_s) * 1000;
                (ResponseType::Changed, Change::Updated(path))
            }
            RequestType::Delete => {
                self.current = None;
                (ResponseType::Deleted, Change::Deregistered(path))
            }
            _ => (ResponseType::MethodNotAllowed, Change::Nothing),
        }
    }
}

fn bad_request(why: String) -> Packet {
    let mut resp = message::response(ResponseType::BadRequest);
    resp.payload = why.into_bytes();
    resp
}
