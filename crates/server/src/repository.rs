//! The firmware repository: a CoAP resource server that serves files with Block2, ETag and
//! Size2, and 4.04 for unknown paths (SRV-6).

use fota_coap::message::{self, set_content_format, set_uint_option};
use fota_coap::{
    Addr, BlockOpt, CoapEvent, CoapOption, Datagram, MessageClass, Messenger, Packet, RequestType,
    ResponseType, SimRng, SimTime,
};
use fota_lwm2m::{content, Node, NodeEvent};
use std::collections::VecDeque;

/// Largest block the repository sends: 1024 bytes keeps a datagram under 1152 bytes.
pub const MAX_BLOCK: usize = 1024;

#[derive(Clone, Debug)]
struct File {
    path: String,
    /// Shared, so that a world's checkpoints do not copy the image.
    body: std::sync::Arc<Vec<u8>>,
    etag: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Repository {
    messenger: Messenger,
    files: Vec<File>,
    events: VecDeque<NodeEvent>,
}

impl Repository {
    pub fn new(addr: Addr, rng: SimRng) -> Repository {
        Repository {
            messenger: Messenger::new(addr, rng),
            files: Vec::new(),
            events: VecDeque::new(),
        }
    }

    /// Publishes `body` at `path`; its ETag is the first 8 bytes of its SHA-256, so it changes
    /// whenever the content does.
    pub fn publish(&mut self, path: &str, body: Vec<u8>) {
        let etag = fota_digest::sha256(&body)[..8].to_vec();
        self.files.retain(|f| f.path != path);
        self.files.push(File {
            path: path.to_string(),
            body: body.into(),
            etag,
        });
    }

    fn on_request(&mut self, from: Addr, req: Packet) {
        let path = message::uri_path(&req);
        let resp = match req.header.code {
            MessageClass::Request(RequestType::Get) => self.serve(&path, &req),
            _ => message::response(ResponseType::MethodNotAllowed),
        };
        self.messenger.respond(from, &req, resp);
    }

    fn serve(&self, path: &str, req: &Packet) -> Packet {
        let Some(file) = self.files.iter().find(|f| f.path == path) else {
            return message::response(ResponseType::NotFound);
        };
        let asked = match req
            .get_first_option(CoapOption::Block2)
            .map(|v| BlockOpt::decode(v))
        {
            Some(Ok(b)) => Some(b),
            Some(Err(_)) => return message::response(ResponseType::BadOption),
            None => None,
        };
        let max_szx = BlockOpt::szx_for(MAX_BLOCK).unwrap_or(6);
        // Without Block2 the body goes whole when it fits, else as block 0 (late negotiation, BW-8).
        let (num, szx) = match asked {
            None if file.body.len() <= MAX_BLOCK => {
                let mut resp = message::response(ResponseType::Content);
                resp.add_option(CoapOption::ETag, file.etag.clone());
                set_content_format(&mut resp, content::OPAQUE);
                resp.payload = file.body.to_vec();
                return resp;
            }
            None => (0, max_szx),
            // A smaller block than asked keeps the same byte offset (RFC 7959 §2.4).
            Some(b) if b.szx > max_szx => (b.num << (b.szx - max_szx), max_szx),
            Some(b) => (b.num, b.szx),
        };
        let size = 16usize << szx;
        let start = num as usize * size;
        if start >= file.body.len() && !(start == 0 && file.body.is_empty()) {
            return message::response(ResponseType::BadOption);
        }
        let end = (start + size).min(file.body.len());
        let block = BlockOpt {
            num,
            more: end < file.body.len(),
            szx,
        };
        let mut resp = message::response(ResponseType::Content);
        resp.add_option(CoapOption::ETag, file.etag.clone());
        set_content_format(&mut resp, content::OPAQUE);
        resp.add_option(CoapOption::Block2, block.encode());
        set_uint_option(&mut resp, CoapOption::Size2, file.body.len() as u32);
        resp.payload = file.body[start..end].to_vec();
        resp
    }
}

impl Node for Repository {
    type Event = NodeEvent;

    fn addr(&self) -> Addr {
        self.messenger.local()
    }

    fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]) {
        self.messenger.handle_datagram(now, from, bytes);
        while let Some(ev) = self.messenger.poll_event() {
            match ev {
                CoapEvent::Request { from, packet } => self.on_request(from, packet),
                CoapEvent::Rejected { from, reason } => self.events.push_back(NodeEvent::Log {
                    text: format!("dropped a datagram from {from}: {reason}"),
                    rule: None,
                }),
                _ => {}
            }
        }
    }

    fn handle_timeout(&mut self, now: SimTime) {
        self.messenger.handle_timeout(now);
    }

    fn poll_transmit(&mut self) -> Option<Datagram> {
        self.messenger.poll_transmit()
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        self.messenger.poll_timeout()
    }

    fn poll_event(&mut self) -> Option<NodeEvent> {
        self.events.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_coap::message::{decode, encode, uint_option};
    use fota_coap::MessageType;

    const REPO: Addr = Addr::new([192, 0, 2, 20], 5683);
    const CLIENT: Addr = Addr::new([192, 0, 2, 30], 5683);

    fn get(repo: &mut Repository, path: &str, block: Option<BlockOpt>, mid: u16) -> Packet {
        let mut p = message::request(RequestType::Get, path);
        p.header.set_type(MessageType::Confirmable);
        p.header.message_id = mid;
        p.set_token(vec![mid as u8]);
        if let Some(b) = block {
            p.add_option(CoapOption::Block2, b.encode());
        }
        repo.handle_datagram(SimTime::ZERO, CLIENT, &encode(&p).unwrap());
        decode(&repo.poll_transmit().unwrap().bytes).unwrap()
    }

    #[test]
    fn srv6_blocks_carry_etag_and_size2_and_reassemble() {
        let body: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
        let mut repo = Repository::new(REPO, SimRng::new(1));
        repo.publish("/fw/app.bin", body.clone());
        let mut got = Vec::new();
        let mut etags = Vec::new();
        for num in 0.. {
            let r = get(
                &mut repo,
                "/fw/app.bin",
                BlockOpt::new(num, false, 512),
                num as u16,
            );
            assert_eq!(uint_option(&r, CoapOption::Size2), Some(3000));
            etags.push(r.get_first_option(CoapOption::ETag).unwrap().clone());
            got.extend_from_slice(&r.payload);
            let b = BlockOpt::decode(r.get_first_option(CoapOption::Block2).unwrap()).unwrap();
            assert_eq!((b.num, b.size()), (num, 512));
            if !b.more {
                break;
            }
        }
        assert_eq!(got, body);
        assert!(etags.windows(2).all(|w| w[0] == w[1]));
        repo.publish("/fw/app.bin", vec![1, 2, 3]);
        let r = get(&mut repo, "/fw/app.bin", None, 99);
        assert_ne!(
            r.get_first_option(CoapOption::ETag).unwrap(),
            &etags[0],
            "new content, new ETag"
        );
    }

    #[test]
    fn bw8_get_without_block2_gets_block_zero() {
        let mut repo = Repository::new(REPO, SimRng::new(1));
        repo.publish("/fw/big.bin", vec![7; 5000]);
        let r = get(&mut repo, "/fw/big.bin", None, 1);
        let b = BlockOpt::decode(r.get_first_option(CoapOption::Block2).unwrap()).unwrap();
        assert_eq!(
            (b.num, b.more, b.size(), r.payload.len()),
            (0, true, 1024, 1024)
        );
    }

    #[test]
    fn unknown_path_is_404_and_past_the_end_is_402() {
        let mut repo = Repository::new(REPO, SimRng::new(1));
        repo.publish("/fw/a.bin", vec![0; 100]);
        let r = get(&mut repo, "/fw/missing.bin", None, 1);
        assert_eq!(
            r.header.code,
            MessageClass::Response(ResponseType::NotFound)
        );
        let r = get(&mut repo, "/fw/a.bin", BlockOpt::new(1, false, 128), 2);
        assert_eq!(
            r.header.code,
            MessageClass::Response(ResponseType::BadOption)
        );
    }
}
