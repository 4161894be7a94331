//! Requests from the server: the CoAP method and path decide the LwM2M operation (Read,
//! Discover, Write, Write-Attributes, Execute), and the /5 ones go through the transition
//! table.

use crate::{uri, Device};
use fota_coap::message::{self, set_content_format};
use fota_coap::{Addr, CoapOption, MessageClass, Packet, RequestType, ResponseType, SimTime};
use fota_lwm2m::transitions::{Trigger, UriKind};
use fota_lwm2m::{firmware, Path};

impl Device {
    pub(crate) fn answer(&mut self, to: Addr, req: &Packet, code: ResponseType) {
        self.messenger.respond(to, req, message::response(code));
    }

    pub(crate) fn on_request(&mut self, now: SimTime, from: Addr, req: Packet) {
        let MessageClass::Request(method) = req.header.code else {
            return;
        };
        let Some(path) = Path::parse(&message::uri_path(&req)) else {
            return self.answer(from, &req, ResponseType::NotFound);
        };
        let fw = |r| path == Path::resource(5, 0, r);
        // Execute arguments that do not parse are refused before anything happens (4.00).
        if method == RequestType::Post && path.resource.is_some() {
            if let Err(why) = fota_lwm2m::execute::parse_args(&req.payload) {
                self.log(format!("Execute refused: {why}"), None);
                return self.answer(from, &req, ResponseType::BadRequest);
            }
        }
        let accept = message::uint_option(&req, CoapOption::Accept);
        let attribute_write = req.payload.is_empty() && !message::uri_queries(&req).is_empty();
        match method {
            RequestType::Get if accept == Some(u32::from(fota_lwm2m::content::LINK_FORMAT)) => {
                self.on_discover(from, &req, path)
            }
            RequestType::Get if fw(firmware::PACKAGE) => {
                self.answer(from, &req, ResponseType::MethodNotAllowed)
            }
            RequestType::Get => self.on_read(now, from, &req, path),
            RequestType::Put if attribute_write => self.on_write_attributes(from, &req, path),
            RequestType::Put if fw(firmware::PACKAGE_URI) => {
                let uri = req.payload.clone();
                self.on_write_uri(now, from, &req, &uri)
            }
            RequestType::Put | RequestType::Post
                if path.resource.is_none() && path.instance.is_some() =>
            {
                self.on_write_instance(now, from, &req, path)
            }
            RequestType::Put if fw(firmware::PACKAGE) => self.on_write_package(now, from, &req),
            RequestType::Post if fw(firmware::UPDATE) => {
                // The device's user defers the first update when a defer period is set (FU-T10).
                let deferred = self.cfg.defer_s > 0 && !self.deferred_once;
                // The battery defers it too, for as long as it is low (BAT-1).
                let trigger = if self.battery_too_low_to_update() {
                    Trigger::ExecuteUpdateOnLowBattery
                } else {
                    Trigger::ExecuteUpdate { deferred }
                };
                self.apply(now, trigger, Some((from, &req)));
            }
            RequestType::Post if fw(firmware::CANCEL) => {
                self.apply(now, Trigger::Cancel, Some((from, &req)));
            }
            _ if self.exists(&path) => self.answer(from, &req, ResponseType::MethodNotAllowed),
            _ => self.answer(from, &req, ResponseType::NotFound),
        }
    }

    fn on_read(&mut self, now: SimTime, from: Addr, req: &Packet, path: Path) {
        let accept = message::uint_option(req, CoapOption::Accept);
        let (format, value) = match self.render(&path, accept) {
            Ok(rendered) => rendered,
            Err(code) => return self.answer(from, req, code),
        };
        let mut resp = message::response(ResponseType::Content);
        set_content_format(&mut resp, format);
        self.observe_on_read(now, from, req, path, &mut resp);
        resp.payload = value;
        self.messenger.respond(from, req, resp);
    }

    /// A Package URI write, whether on /5/0/1 itself or inside a write on /5/0; `bytes` is the
    /// URI as it came.
    pub(crate) fn on_write_uri(&mut self, now: SimTime, from: Addr, req: &Packet, bytes: &[u8]) {
        if self.cfg.delivery == firmware::DELIVERY_PUSH && !bytes.is_empty() {
            self.log("this device fetches nothing (/5/0/9 is 1)", None);
            return self.answer(from, req, ResponseType::MethodNotAllowed);
        }
        let kind = match std::str::from_utf8(bytes) {
            Ok(t) => {
                // /5/0/1 takes the URI only if the table keeps it (FU-T2).
                self.uri_written = t.to_string();
                uri::classify(t, &self.cfg.hosts).0
            }
            Err(_) => UriKind::Invalid,
        };
        self.apply(now, Trigger::WriteUri(kind), Some((from, req)));
        self.uri_written.clear();
    }
}
