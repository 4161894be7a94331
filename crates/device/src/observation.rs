//! Observations the server holds on the device (RFC 7641 with LwM2M's notification
//! attributes): who observes which path, when a notification is due, Write-Attributes and
//! Discover.

use crate::Device;
use fota_coap::message::{self, set_content_format, set_uint_option};
use fota_coap::messenger::Token;
use fota_coap::observe::next_seq;
use fota_coap::{Addr, CoapOption, Packet, ResponseType, SimTime};
use fota_lwm2m::attributes::NotificationAttributes;
use fota_lwm2m::register::{write_links, Link};
use fota_lwm2m::{content, definitions, Path};

#[derive(Clone, Debug)]
pub(crate) struct Observer {
    pub(crate) peer: Addr,
    pub(crate) token: Token,
    path: Path,
    /// The Observe request's Accept: every notification comes in the format it named
    /// (RFC 7641: notifications carry the representation the registration asked for).
    accept: Option<u32>,
    seq: u32,
    last_sent: SimTime,
    /// The numeric value last notified, for gt, lt and st.
    last_number: Option<f64>,
    /// A change happened that pmin held back.
    pending: bool,
}

/// Whether an observation of `observed` covers a change of `changed` (the same path or one
/// of its ancestors).
fn covers(observed: &Path, changed: &Path) -> bool {
    observed.object == changed.object
        && observed
            .instance
            .is_none_or(|i| Some(i) == changed.instance)
        && observed
            .resource
            .is_none_or(|r| Some(r) == changed.resource)
}

impl Device {
    /// The attributes in force for `path`: resource over instance over object.
    pub(crate) fn effective_attributes(&self, path: &Path) -> NotificationAttributes {
        let at = |p: Path| {
            self.attributes
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, a)| *a)
                .unwrap_or_default()
        };
        let object = at(Path {
            object: path.object,
            instance: None,
            resource: None,
        });
        let instance = path
            .instance
            .map(|i| at(Path::instance(path.object, i)))
            .unwrap_or_default();
        let own = if path.resource.is_some() {
            at(*path)
        } else {
            NotificationAttributes::default()
        };
        own.over(instance.over(object))
    }

    fn number_at(&self, path: &Path) -> Option<f64> {
        let (Some(_), Some(r)) = (path.instance, path.resource) else {
            return None;
        };
        match self.value(path.object, r)? {
            crate::resources::Value::Int(i) => Some(i as f64),
            _ => None,
        }
    }

    /// Registers (Observe 0) or cancels (Observe 1) an observation as part of a read.
    pub(crate) fn observe_on_read(
        &mut self,
        now: SimTime,
        from: Addr,
        req: &Packet,
        path: Path,
        resp: &mut Packet,
    ) {
        match message::uint_option(req, CoapOption::Observe) {
            Some(0) => {
                self.observers
                    .retain(|o| !(o.peer == from && o.path == path));
                let last_number = self.number_at(&path);
                self.observers.push(Observer {
                    peer: from,
                    token: req.get_token().to_vec(),
                    path,
                    accept: message::uint_option(req, CoapOption::Accept),
                    seq: 0,
                    last_sent: now,
                    last_number,
                    pending: false,
                });
                set_uint_option(resp, CoapOption::Observe, 0);
            }
            Some(1) => self
                .observers
                .retain(|o| !(o.peer == from && o.path == path)),
            _ => {}
        }
    }

    /// Tells every observer covering one of `changed` once, now or when pmin allows.
    pub(crate) fn notify(&mut self, now: SimTime, changed: &[Path]) {
        for i in 0..self.observers.len() {
            let path = self.observers[i].path;
            if !changed.iter().any(|c| covers(&path, c)) {
                continue;
            }
            let attrs = self.effective_attributes(&path);
            if let (Some(last), Some(current)) =
                (self.observers[i].last_number, self.number_at(&path))
            {
                if !attrs.worth_notifying(last, current) {
                    continue;
                }
            }
            let earliest = self.observers[i].last_sent + u64::from(attrs.pmin.unwrap_or(0)) * 1000;
            if now >= earliest {
                self.send_notification(now, i, true);
            } else {
                self.observers[i].pending = true;
            }
        }
    }

    /// A change goes out confirmable, so the server surely learns of it; a periodic pmax
    /// notification with nothing new goes out non-confirmable (RFC 7641 §4.5 leaves the choice).
    fn send_notification(&mut self, now: SimTime, i: usize, confirmable: bool) {
        let (path, accept) = (self.observers[i].path, self.observers[i].accept);
        let Ok((format, payload)) = self.render(&path, accept) else {
            return;
        };
        let number = self.number_at(&path);
        let o = &mut self.observers[i];
        o.seq = next_seq(o.seq);
        o.last_sent = now;
        o.pending = false;
        o.last_number = number;
        let mut p = message::response(ResponseType::Content);
        p.set_token(o.token.clone());
        set_uint_option(&mut p, CoapOption::Observe, o.seq);
        set_content_format(&mut p, format);
        p.payload = payload;
        let peer = o.peer;
        if confirmable {
            self.messenger.send_confirmable(now, peer, p);
        } else {
            self.messenger.send_non_confirmable(peer, p);
        }
    }

    fn due_at(&self, o: &Observer) -> Option<SimTime> {
        let attrs = self.effective_attributes(&o.path);
        let held = o
            .pending
            .then(|| o.last_sent + u64::from(attrs.pmin.unwrap_or(0)) * 1000);
        let periodic = attrs
            .pmax
            .filter(|&p| p > 0)
            .map(|p| o.last_sent + u64::from(p) * 1000);
        held.into_iter().chain(periodic).min()
    }

    pub(crate) fn observation_timer(&self) -> Option<SimTime> {
        self.observers.iter().filter_map(|o| self.due_at(o)).min()
    }

    pub(crate) fn on_observation_timer(&mut self, now: SimTime) {
        for i in 0..self.observers.len() {
            if self.due_at(&self.observers[i]).is_some_and(|t| t <= now) {
                let changed = self.observers[i].pending;
                self.send_notification(now, i, changed);
            }
        }
    }

    /// Write-Attributes: a PUT with attribute queries and no payload.
    pub(crate) fn on_write_attributes(&mut self, from: Addr, req: &Packet, path: Path) {
        if !self.exists(&path) {
            return self
                .messenger
                .respond(from, req, message::response(ResponseType::NotFound));
        }
        let mut attrs = self
            .attributes
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, a)| *a)
            .unwrap_or_default();
        match attrs.apply(&message::uri_queries(req)) {
            Ok(()) => {
                self.attributes.retain(|(p, _)| *p != path);
                if !attrs.is_empty() {
                    self.attributes.push((path, attrs));
                }
                self.messenger
                    .respond(from, req, message::response(ResponseType::Changed));
            }
            Err(e) => {
                let mut resp = message::response(ResponseType::BadRequest);
                resp.payload = e.to_string().into_bytes();
                self.messenger.respond(from, req, resp);
            }
        }
    }

    /// Discover: the object's, instance's or resource's links with their attributes.
    pub(crate) fn on_discover(&mut self, from: Addr, req: &Packet, path: Path) {
        if !self.exists(&path) {
            return self
                .messenger
                .respond(from, req, message::response(ResponseType::NotFound));
        }
        let own = |p: Path| {
            self.attributes
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, a)| a.link_params())
                .unwrap_or_default()
        };
        let mut links = Vec::new();
        let resources: Vec<u16> = definitions::object(path.object)
            .map(|d| d.resources.iter().map(|r| r.id).collect())
            .unwrap_or_default();
        let present = |r: u16| self.exists(&Path::resource(path.object, 0, r));
        match (path.instance, path.resource) {
            (None, _) => {
                let mut attrs = own(path);
                if let Some(d) = definitions::object(path.object).filter(|d| d.version != "1.0") {
                    attrs.insert(0, ("ver".into(), d.version.into()));
                }
                links.push(Link {
                    target: path.to_string(),
                    attributes: attrs,
                });
                links.push(Link {
                    target: format!("/{}/0", path.object),
                    attributes: own(Path::instance(path.object, 0)),
                });
                for r in resources.into_iter().filter(|&r| present(r)) {
                    links.push(Link {
                        target: format!("/{}/0/{r}", path.object),
                        attributes: vec![],
                    });
                }
            }
            (Some(i), None) => {
                links.push(Link {
                    target: path.to_string(),
                    attributes: own(path),
                });
                for r in resources.into_iter().filter(|&r| present(r)) {
                    let rp = Path::resource(path.object, i, r);
                    links.push(Link {
                        target: rp.to_string(),
                        attributes: own(rp),
                    });
                }
            }
            (Some(_), Some(_)) => links.push(Link {
                target: path.to_string(),
                attributes: own(path),
            }),
        }
        let mut resp = message::response(ResponseType::Content);
        set_content_format(&mut resp, content::LINK_FORMAT);
        resp.payload = write_links(&links).into_bytes();
        self.messenger.respond(from, req, resp);
    }
}
