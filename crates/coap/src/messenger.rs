//! The RFC 7252 §4 message layer of one node, sans-IO: message ids and tokens, sending CON and
//! NON, answering (piggybacked, separately or with RST), and sorting what arrives into
//! requests and responses. It ties together the exchanges in flight (`exchange`), the recent
//! message ids (`dedup`) and the requests waiting for a response (`awaiting`).

use crate::addr::{Addr, Datagram};
use crate::awaiting::Awaited;
use crate::critical::unknown_critical_option;
use crate::dedup::{Recent, RecentIds};
use crate::exchange::{Due, Exchanges};
use crate::message::{decode, encode};
use crate::params::RESPONSE_TIMEOUT_MS;
use crate::rng::SimRng;
use crate::time::SimTime;
use coap_lite::{MessageClass, MessageType, Packet};
use std::collections::VecDeque;

pub use crate::event::{CoapEvent, Token};

#[derive(Clone, Debug)]
pub struct Messenger {
    local: Addr,
    rng: SimRng,
    next_mid: u16,
    exchanges: Exchanges,
    seen: RecentIds,
    awaiting: Awaited,
    out: VecDeque<Datagram>,
    events: VecDeque<CoapEvent>,
}

impl Messenger {
    pub fn new(local: Addr, mut rng: SimRng) -> Messenger {
        // RFC 7252 §4.4: start message ids at a random value.
        let next_mid = (rng.next_u32() & 0xffff) as u16;
        Messenger {
            local,
            rng,
            next_mid,
            exchanges: Exchanges::default(),
            seen: RecentIds::default(),
            awaiting: Awaited::default(),
            out: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    pub fn local(&self) -> Addr {
        self.local
    }

    fn take_mid(&mut self) -> u16 {
        let mid = self.next_mid;
        self.next_mid = self.next_mid.wrapping_add(1);
        mid
    }

    /// A fresh 4-byte token from the node's seeded generator.
    pub fn new_token(&mut self) -> Token {
        self.rng.next_u32().to_be_bytes().to_vec()
    }

    /// Sends a confirmable request with a new token and returns the token. With `observe`
    /// the token keeps matching notifications after the first response.
    pub fn request(&mut self, now: SimTime, to: Addr, mut packet: Packet, observe: bool) -> Token {
        let token = self.new_token();
        packet.set_token(token.clone());
        self.awaiting.add(to, token.clone(), observe);
        self.send_confirmable(now, to, packet);
        token
    }

    /// Stops matching responses for `token` (an observation the node no longer wants).
    pub fn forget(&mut self, token: &[u8]) {
        self.awaiting.forget(token);
    }

    /// Drops the exchange for `token` altogether: no more retransmissions, and no response
    /// matched (the peer restarted, so the request is moot).
    pub fn cancel(&mut self, now: SimTime, token: &[u8]) {
        self.forget(token);
        if let Some(peer) = self.exchanges.cancel(token) {
            self.release_held(now, peer);
        }
    }

    /// Sends `packet` (its token already set) as CON and retransmits it until acknowledged.
    /// While another confirmable to the same peer is unacknowledged it waits its turn.
    pub fn send_confirmable(&mut self, now: SimTime, to: Addr, packet: Packet) {
        if self.exchanges.is_outstanding(to) {
            self.exchanges.hold(to, packet);
        } else {
            self.transmit_confirmable(now, to, packet);
        }
    }

    /// Sends the next held confirmable for `peer`, if its line is free.
    fn release_held(&mut self, now: SimTime, peer: Addr) {
        if let Some((to, packet)) = self.exchanges.take_held(peer) {
            self.transmit_confirmable(now, to, packet);
        }
    }

    fn transmit_confirmable(&mut self, now: SimTime, to: Addr, mut packet: Packet) {
        packet.header.set_type(MessageType::Confirmable);
        let mid = self.take_mid();
        packet.header.message_id = mid;
        let token = packet.get_token().to_vec();
        let Ok(bytes) = encode(&packet) else {
            return self.events.push_back(CoapEvent::Timeout { to, token });
        };
        self.exchanges
            .start(now, &mut self.rng, to, mid, token, bytes.clone());
        self.emit(to, bytes);
    }

    /// Sends `packet` (its token already set) once, as NON.
    pub fn send_non_confirmable(&mut self, to: Addr, mut packet: Packet) {
        packet.header.set_type(MessageType::NonConfirmable);
        packet.header.message_id = self.take_mid();
        if let Ok(bytes) = encode(&packet) {
            self.emit(to, bytes);
        }
    }

    /// Answers `request` with `response`: piggybacked on the ACK for a CON, as NON for a NON.
    /// The answer is remembered so that a retransmitted request gets the same bytes again.
    pub fn respond(&mut self, to: Addr, request: &Packet, mut response: Packet) {
        response.set_token(request.get_token().to_vec());
        let request_mid = request.header.message_id;
        if request.header.get_type() == MessageType::Confirmable {
            response.header.set_type(MessageType::Acknowledgement);
            response.header.message_id = request_mid;
        } else {
            response.header.set_type(MessageType::NonConfirmable);
            response.header.message_id = self.take_mid();
        }
        // An answer too large to encode becomes 5.00 with the same header.
        let bytes = encode(&response).or_else(|_| {
            response.header.code =
                MessageClass::Response(coap_lite::ResponseType::InternalServerError);
            response.clear_all_options();
            response.payload = b"answer too large for one datagram".to_vec();
            encode(&response)
        });
        let Ok(bytes) = bytes else { return };
        self.seen.remember_reply(to, request_mid, &bytes);
        self.emit(to, bytes);
    }

    /// Acknowledges a confirmable request with an empty ACK now and answers it later with
    /// `respond_separately` (RFC 7252 §5.2.2). A retransmitted request gets the empty ACK again.
    pub fn acknowledge(&mut self, to: Addr, request: &Packet) {
        if request.header.get_type() != MessageType::Confirmable {
            return;
        }
        let mid = request.header.message_id;
        let mut ack = Packet::new();
        ack.header.set_type(MessageType::Acknowledgement);
        ack.header.message_id = mid;
        ack.header.code = MessageClass::Empty;
        let Ok(bytes) = encode(&ack) else { return };
        self.seen.remember_reply(to, mid, &bytes);
        self.emit(to, bytes);
    }

    /// The separate response to a request acknowledged earlier: a confirmable message of its
    /// own, with the request's token.
    pub fn respond_separately(
        &mut self,
        now: SimTime,
        to: Addr,
        token: &[u8],
        mut response: Packet,
    ) {
        response.set_token(token.to_vec());
        self.send_confirmable(now, to, response);
    }

    fn emit(&mut self, to: Addr, bytes: Vec<u8>) {
        self.out.push_back(Datagram {
            from: self.local,
            to,
            bytes,
        });
    }

    fn send_empty(&mut self, to: Addr, kind: MessageType, mid: u16) {
        let mut packet = Packet::new();
        packet.header.set_type(kind);
        packet.header.message_id = mid;
        packet.header.code = MessageClass::Empty;
        if let Ok(bytes) = encode(&packet) {
            self.emit(to, bytes);
        }
    }

    pub fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]) {
        self.seen.expire(now);
        let packet = match decode(bytes) {
            Ok(p) => p,
            Err(e) => {
                // RFC 7252 §4.2: a confirmable message we cannot parse (or take: one longer
                // than MAX_DATAGRAM) gets RST when its id can be read; anything else is
                // silently dropped.
                if bytes.len() >= 4 && bytes[0] >> 6 == 1 && (bytes[0] >> 4) & 3 == 0 {
                    self.send_empty(
                        from,
                        MessageType::Reset,
                        u16::from_be_bytes([bytes[2], bytes[3]]),
                    );
                }
                self.events.push_back(CoapEvent::Rejected {
                    from,
                    reason: e.to_string(),
                });
                return;
            }
        };
        match packet.header.get_type() {
            MessageType::Acknowledgement | MessageType::Reset => {
                self.on_ack_or_reset(now, from, packet)
            }
            MessageType::Confirmable | MessageType::NonConfirmable => match packet.header.code {
                MessageClass::Empty => {
                    // A CON with code 0.00 is a "CoAP ping": RST answers it (§4.3).
                    if packet.header.get_type() == MessageType::Confirmable {
                        self.send_empty(from, MessageType::Reset, packet.header.message_id);
                    }
                }
                MessageClass::Request(_) => self.on_request(now, from, packet),
                MessageClass::Response(_) | MessageClass::Reserved(_) => {
                    self.on_response(now, from, packet)
                }
            },
        }
    }

    /// An ACK or RST ends the exchange of ours with its message id; an ACK may carry the
    /// response. A piggybacked response answers the request of that message id only, so its
    /// token must be the request's (RFC 7252 §5.3.2). An ACK without the response (empty, or
    /// with a token that does not match) leaves the request waiting until RESPONSE_TIMEOUT.
    fn on_ack_or_reset(&mut self, now: SimTime, from: Addr, packet: Packet) {
        let Some(token) = self.exchanges.acknowledged(from, packet.header.message_id) else {
            return;
        };
        self.release_held(now, from);
        if packet.header.get_type() == MessageType::Reset {
            self.awaiting.forget(&token);
            self.events.push_back(CoapEvent::Reset { from, token });
        } else if packet.header.code != MessageClass::Empty && packet.get_token() == token {
            self.deliver_response(from, packet);
        } else {
            self.awaiting.respond_by(&token, now + RESPONSE_TIMEOUT_MS);
        }
    }

    /// A request in a CON or NON: a duplicate gets the stored reply again, a new one goes up
    /// to the node unless it carries a critical option we do not know.
    fn on_request(&mut self, now: SimTime, from: Addr, packet: Packet) {
        if let Recent::Duplicate(reply) = self.seen.check(now, from, packet.header.message_id) {
            if let Some(reply) = reply {
                self.emit(from, reply.to_vec());
            }
            return;
        }
        // RFC 7252 §5.4.1: a critical option we do not know makes the request unprocessable;
        // 4.02 says which.
        if let Some(unknown) = unknown_critical_option(&packet) {
            let mut answer = crate::message::response(coap_lite::ResponseType::BadOption);
            answer.payload = format!("unknown critical option {unknown}").into_bytes();
            self.respond(from, &packet, answer);
            return;
        }
        self.events.push_back(CoapEvent::Request { from, packet });
    }

    /// A separate response or notification in a CON or NON: a CON gets an empty ACK when its
    /// token is ours and RST when it is not; a new one goes up to the node.
    fn on_response(&mut self, now: SimTime, from: Addr, packet: Packet) {
        let mid = packet.header.message_id;
        let known = self.awaiting.is_awaited(from, packet.get_token());
        if packet.header.get_type() == MessageType::Confirmable {
            let kind = if known {
                MessageType::Acknowledgement
            } else {
                MessageType::Reset
            };
            self.send_empty(from, kind, mid);
        }
        if known && matches!(self.seen.check(now, from, mid), Recent::New) {
            self.deliver_response(from, packet);
        }
    }

    fn deliver_response(&mut self, from: Addr, packet: Packet) {
        if self.awaiting.take(from, packet.get_token()) {
            self.events.push_back(CoapEvent::Response { from, packet });
        }
    }

    pub fn handle_timeout(&mut self, now: SimTime) {
        let mut cursor = 0;
        while let Some(due) = self.exchanges.next_due(now, &mut cursor) {
            match due {
                Due::Resend { to, bytes } => self.emit(to, bytes),
                Due::GaveUp { to, token } => {
                    self.awaiting.forget(&token);
                    self.release_held(now, to);
                    self.events.push_back(CoapEvent::Timeout { to, token });
                }
            }
        }
        for (to, token) in self.awaiting.expire(now) {
            self.events.push_back(CoapEvent::Timeout { to, token });
        }
    }

    pub fn poll_timeout(&self) -> Option<SimTime> {
        [self.exchanges.next_at(), self.awaiting.next_deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// Datagrams emitted and not yet taken by `poll_transmit`.
    pub fn queued(&self) -> usize {
        self.out.len()
    }

    pub fn poll_transmit(&mut self) -> Option<Datagram> {
        self.out.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<CoapEvent> {
        self.events.pop_front()
    }

    /// True while a confirmable message of ours waits for its ACK or its turn.
    pub fn is_busy(&self) -> bool {
        !self.exchanges.is_empty()
    }
}
