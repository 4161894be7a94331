//! PUSH delivery: the server writes the image to /5/0/0 with Block1 (SPEC FU-T1, BW-1 to BW-4,
//! FU-D2). Each block goes to the secondary slot as it arrives; the last one triggers the same
//! pre-validation as a PULL download.

use crate::Device;
use fota_coap::block1::{block1_response, refusal, Block1Step};
use fota_coap::{Addr, CoapOption, Packet, ResponseType, SimTime};
use fota_lwm2m::transitions::Trigger;
use fota_lwm2m::{FwState, UpdateResult};

impl Device {
    /// A flash failure ends the PUSH: 4.13 with the room the slot has (FU-D2).
    fn refuse_for_flash(&mut self, from: Addr, req: &Packet) {
        self.push.abort(from, &fota_coap::message::uri_path(req));
        let size = self.boot.capacity() as u32;
        self.messenger.respond(
            from,
            req,
            refusal(ResponseType::RequestEntityTooLarge, Some(size)),
        );
    }

    pub(crate) fn on_write_package(&mut self, now: SimTime, from: Addr, req: &Packet) {
        let reset = req.payload == [0] && req.get_first_option(CoapOption::Block1).is_none();
        if self.cfg.delivery == fota_lwm2m::firmware::DELIVERY_PULL && !reset {
            self.log("this device takes no PUSH (/5/0/9 is 0)", None);
            let refused = fota_coap::message::response(ResponseType::MethodNotAllowed);
            return self.messenger.respond(from, req, refused);
        }
        let step = match self.push.on_request(from, req) {
            // A whole image in one request is a single, last block.
            Block1Step::NotBlockwise => {
                if req.payload == [0] {
                    self.apply(now, Trigger::WritePackageReset, Some((from, req)));
                    return;
                }
                Block1Step::Data {
                    offset: 0,
                    data: req.payload.clone(),
                    first: true,
                    last: true,
                    ack: fota_coap::BlockOpt {
                        num: 0,
                        more: false,
                        szx: 6,
                    },
                }
            }
            other => other,
        };
        match step {
            Block1Step::NotBlockwise => {}
            Block1Step::Duplicate { ack } => {
                self.met("BW-2");
                self.messenger
                    .respond(from, req, block1_response(ResponseType::Continue, ack))
            }
            Block1Step::BlockTooLarge { max, why } => {
                self.messenger.respond(
                    from,
                    req,
                    block1_response(ResponseType::RequestEntityTooLarge, max),
                );
                self.met("FU-D3");
                self.log(format!("PUSH block refused: {why}"), Some("FU-D3"));
                if self.state == FwState::Downloading {
                    self.download_failed(now, UpdateResult::OutOfRam, why);
                }
            }
            Block1Step::Refuse { code, size1, why } => {
                self.messenger.respond(from, req, refusal(code, size1));
                self.met("BW-3");
                self.log(format!("PUSH block refused: {why}"), Some("BW-3"));
                if code == ResponseType::RequestEntityTooLarge && self.state == FwState::Downloading
                {
                    self.download_failed(now, UpdateResult::NotEnoughFlash, why);
                }
            }
            Block1Step::Data {
                offset,
                data,
                first,
                last,
                ack,
            } => {
                let pushing = self.state == FwState::Downloading && self.download.is_none();
                if first && pushing {
                    // Block 0 again restarts the PUSH in progress (BW-4).
                    self.met("BW-4");
                    self.log("PUSH restarts from block 0", Some("BW-4"));
                    if !self.erase_for_download(now) {
                        return self.refuse_for_flash(from, req);
                    }
                } else if first {
                    let start = Trigger::WritePackageStart;
                    let Some(o) = self.apply(now, start, Some((from, req))) else {
                        return;
                    };
                    if o.transition.is_refusal() {
                        // Refused (FU-R3, FU-R4): the transfer does not start.
                        self.push.abort(from, &fota_coap::message::uri_path(req));
                        return;
                    }
                    if self.state != FwState::Downloading {
                        // The slot could not be erased for the image (FU-D2).
                        return self.refuse_for_flash(from, req);
                    }
                } else if self.state == FwState::Downloading {
                    // The block joins the image by path and peer, whatever its token (BW-1).
                    self.met("BW-1");
                } else {
                    self.push.abort(from, &fota_coap::message::uri_path(req));
                    let code = ResponseType::RequestEntityIncomplete;
                    self.messenger
                        .respond(from, req, fota_coap::message::response(code));
                    return;
                }
                if let Err(e) = self.boot.write_secondary(offset, &data) {
                    self.refuse_for_flash(from, req);
                    self.download_failed(now, UpdateResult::NotEnoughFlash, e.to_string());
                    return;
                }
                if last {
                    let answer = if req.get_first_option(CoapOption::Block1).is_some() {
                        block1_response(ResponseType::Changed, ack)
                    } else {
                        fota_coap::message::response(ResponseType::Changed)
                    };
                    self.messenger.respond(from, req, answer);
                    self.finish_download(now);
                } else {
                    self.messenger
                        .respond(from, req, block1_response(ResponseType::Continue, ack));
                }
            }
        }
    }
}
