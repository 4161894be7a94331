//! RFC 7252 §4 message layer, sans-IO: message ids, tokens, retransmission of confirmable
//! messages with exponential backoff, deduplication of incoming confirmables, and matching
//! of responses to requests by token. One `Messenger` per node.

use crate::addr::{Addr, Datagram};
use crate::message::{decode, encode};
use crate::params::{
    ACK_RANDOM_FACTOR_DEN, ACK_RANDOM_FACTOR_NUM, ACK_TIMEOUT_MS, EXCHANGE_LIFETIME_MS,
    MAX_RETRANSMIT,
};
use crate::rng::SimRng;
use crate::time::SimTime;
use coap_lite::{MessageClass, MessageType, Packet};
use std::collections::VecDeque;

pub type Token = Vec<u8>;

/// What the message layer hands up to the node.
#[derive(Clone, Debug, PartialEq)]
pub enum CoapEvent {
    /// A new request (duplicates are answered below this layer and never surface).
    Request { from: Addr, packet: Packet },
    /// A response or notification matching a request we sent.
    Response { from: Addr, packet: Packet },
    /// A confirmable request went unacknowledged MAX_RETRANSMIT + 1 times.
    Timeout { to: Addr, token: Token },
    /// The peer answered our confirmable message with RST.
    Reset { from: Addr, token: Token },
    /// Bytes that are not a CoAP message we can use; carries the reason for the trace.
    Rejected { from: Addr, reason: String },
}

#[derive(Clone, Debug)]
struct Unacked {
    to: Addr,
    mid: u16,
    token: Token,
    bytes: Vec<u8>,
    retransmissions: u32,
    timeout_ms: u64,
    next_at: SimTime,
}

#[derive(Clone, Debug)]
struct Seen {
    from: Addr,
    mid: u16,
    at: SimTime,
    /// The response we sent for it, sent again if the same message id arrives again (shared:
    /// a world's checkpoints clone this list).
    reply: Option<std::sync::Arc<Vec<u8>>>,
}

#[derive(Clone, Debug)]
struct Awaiting {
    peer: Addr,
    token: Token,
    /// Observations keep their token after the first response.
    keep: bool,
}

#[derive(Clone, Debug)]
pub struct Messenger {
    local: Addr,
    rng: SimRng,
    next_mid: u16,
    unacked: Vec<Unacked>,
    seen: Vec<Seen>,
    awaiting: Vec<Awaiting>,
    /// Confirmable messages waiting for their peer's outstanding one to be acknowledged
    /// (NSTART = 1, RFC 7252 §4.7).
    held: VecDeque<(Addr, Packet)>,
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
            unacked: Vec::new(),
            seen: Vec::new(),
            awaiting: Vec::new(),
            held: VecDeque::new(),
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

    fn initial_timeout(&mut self) -> u64 {
        let hi = ACK_TIMEOUT_MS * ACK_RANDOM_FACTOR_NUM / ACK_RANDOM_FACTOR_DEN;
        self.rng.range(ACK_TIMEOUT_MS, hi)
    }

    /// Sends a confirmable request with a new token and returns the token. With `observe`
    /// the token keeps matching notifications after the first response.
    pub fn request(&mut self, now: SimTime, to: Addr, mut packet: Packet, observe: bool) -> Token {
        let token = self.new_token();
        packet.set_token(token.clone());
        self.awaiting.push(Awaiting {
            peer: to,
            token: token.clone(),
            keep: observe,
        });
        self.send_confirmable(now, to, packet);
        token
    }

    /// Stops matching responses for `token` (an observation the node no longer wants).
    pub fn forget(&mut self, token: &[u8]) {
        self.awaiting.retain(|a| a.token != token);
    }

    /// Drops the exchange for `token` altogether: no more retransmissions, and no response
    /// matched (the peer restarted, so the request is moot).
    pub fn cancel(&mut self, now: SimTime, token: &[u8]) {
        self.forget(token);
        self.held.retain(|(_, p)| p.get_token() != token);
        if let Some(i) = self.unacked.iter().position(|u| u.token == token) {
            let gone = self.unacked.remove(i);
            self.release_held(now, gone.to);
        }
    }

    /// Sends `packet` (its token already set) as CON and retransmits it until acknowledged.
    /// While another confirmable to the same peer is unacknowledged it waits its turn.
    pub fn send_confirmable(&mut self, now: SimTime, to: Addr, packet: Packet) {
        if self.unacked.iter().any(|u| u.to == to) {
            self.held.push_back((to, packet));
        } else {
            self.transmit_confirmable(now, to, packet);
        }
    }

    /// Sends the next held confirmable for `peer`, if its line is free.
    fn release_held(&mut self, now: SimTime, peer: Addr) {
        if self.unacked.iter().any(|u| u.to == peer) {
            return;
        }
        if let Some(i) = self.held.iter().position(|(to, _)| *to == peer) {
            if let Some((to, packet)) = self.held.remove(i) {
                self.transmit_confirmable(now, to, packet);
            }
        }
    }

    fn transmit_confirmable(&mut self, now: SimTime, to: Addr, mut packet: Packet) {
        packet.header.set_type(MessageType::Confirmable);
        let mid = self.take_mid();
        packet.header.message_id = mid;
        let Ok(bytes) = encode(&packet) else {
            return self.events.push_back(CoapEvent::Timeout {
                to,
                token: packet.get_token().to_vec(),
            });
        };
        let timeout_ms = self.initial_timeout();
        self.unacked.push(Unacked {
            to,
            mid,
            token: packet.get_token().to_vec(),
            bytes: bytes.clone(),
            retransmissions: 0,
            timeout_ms,
            next_at: now + timeout_ms,
        });
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
        self.remember_reply(to, request_mid, &bytes);
        self.emit(to, bytes);
    }

    /// Keeps `bytes` as the answer to the request `mid` from `peer`, to send again if it comes
    /// again. The newest entries are at the end, and a request is answered soon after it came.
    fn remember_reply(&mut self, peer: Addr, mid: u16, bytes: &[u8]) {
        if let Some(seen) = self
            .seen
            .iter_mut()
            .rev()
            .find(|s| s.from == peer && s.mid == mid)
        {
            seen.reply = Some(bytes.to_vec().into());
        }
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
        self.remember_reply(to, mid, &bytes);
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
        self.seen.retain(|s| now - s.at < EXCHANGE_LIFETIME_MS);
        let packet = match decode(bytes) {
            Ok(p) => p,
            Err(e) => {
                // RFC 7252 §4.2: a confirmable message we cannot parse gets RST when its id
                // can be read; anything else is silently dropped.
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
        let mid = packet.header.message_id;
        match packet.header.get_type() {
            MessageType::Acknowledgement | MessageType::Reset => {
                let pos = self
                    .unacked
                    .iter()
                    .position(|u| u.to == from && u.mid == mid);
                let Some(pos) = pos else { return };
                let acked = self.unacked.remove(pos);
                self.release_held(now, from);
                if packet.header.get_type() == MessageType::Reset {
                    self.awaiting.retain(|a| a.token != acked.token);
                    self.events.push_back(CoapEvent::Reset {
                        from,
                        token: acked.token,
                    });
                } else if packet.header.code != MessageClass::Empty {
                    self.deliver_response(from, packet);
                }
            }
            MessageType::Confirmable | MessageType::NonConfirmable => {
                let confirmable = packet.header.get_type() == MessageType::Confirmable;
                match packet.header.code {
                    MessageClass::Empty => {
                        // A CON with code 0.00 is a "CoAP ping": RST answers it (§4.3).
                        if confirmable {
                            self.send_empty(from, MessageType::Reset, mid);
                        }
                    }
                    MessageClass::Request(_) => {
                        if let Some(seen) = self
                            .seen
                            .iter()
                            .rev()
                            .find(|s| s.from == from && s.mid == mid)
                        {
                            if let Some(reply) = seen.reply.clone() {
                                self.emit(from, reply.to_vec());
                            }
                            return;
                        }
                        self.seen.push(Seen {
                            from,
                            mid,
                            at: now,
                            reply: None,
                        });
                        // RFC 7252 §5.4.1: a critical option we do not know makes the request
                        // unprocessable; 4.02 says which.
                        if let Some(unknown) = unknown_critical_option(&packet) {
                            let mut answer =
                                crate::message::response(coap_lite::ResponseType::BadOption);
                            answer.payload =
                                format!("unknown critical option {unknown}").into_bytes();
                            self.respond(from, &packet, answer);
                            return;
                        }
                        self.events.push_back(CoapEvent::Request { from, packet });
                    }
                    MessageClass::Response(_) | MessageClass::Reserved(_) => {
                        let known = self
                            .awaiting
                            .iter()
                            .any(|a| a.peer == from && a.token == packet.get_token());
                        if confirmable {
                            let kind = if known {
                                MessageType::Acknowledgement
                            } else {
                                MessageType::Reset
                            };
                            self.send_empty(from, kind, mid);
                        }
                        if known {
                            if self
                                .seen
                                .iter()
                                .rev()
                                .any(|s| s.from == from && s.mid == mid)
                            {
                                return;
                            }
                            self.seen.push(Seen {
                                from,
                                mid,
                                at: now,
                                reply: None,
                            });
                            self.deliver_response(from, packet);
                        }
                    }
                }
            }
        }
    }

    fn deliver_response(&mut self, from: Addr, packet: Packet) {
        let token = packet.get_token();
        let Some(pos) = self
            .awaiting
            .iter()
            .position(|a| a.peer == from && a.token == token)
        else {
            return;
        };
        if !self.awaiting[pos].keep {
            self.awaiting.remove(pos);
        }
        self.events.push_back(CoapEvent::Response { from, packet });
    }

    pub fn handle_timeout(&mut self, now: SimTime) {
        let mut i = 0;
        while i < self.unacked.len() {
            if self.unacked[i].next_at > now {
                i += 1;
                continue;
            }
            if self.unacked[i].retransmissions >= MAX_RETRANSMIT {
                let gone = self.unacked.remove(i);
                self.awaiting.retain(|a| a.token != gone.token);
                self.release_held(now, gone.to);
                self.events.push_back(CoapEvent::Timeout {
                    to: gone.to,
                    token: gone.token,
                });
                continue;
            }
            let u = &mut self.unacked[i];
            u.retransmissions += 1;
            u.timeout_ms *= 2;
            u.next_at = now + u.timeout_ms;
            let (to, bytes) = (u.to, u.bytes.clone());
            self.emit(to, bytes);
            i += 1;
        }
    }

    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.unacked.iter().map(|u| u.next_at).min()
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
        !self.unacked.is_empty() || !self.held.is_empty()
    }
}

/// Option numbers this implementation understands (RFC 7252, 7641, 7959, 7967).
const KNOWN_OPTIONS: [u16; 16] = [1, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 17, 20, 23, 27, 28];
const KNOWN_OPTIONS_HIGH: [u16; 4] = [35, 39, 60, 258];

/// The first critical (odd-numbered) option of `packet` that is not understood.
fn unknown_critical_option(packet: &Packet) -> Option<u16> {
    packet
        .options()
        .map(|(&n, _)| n)
        .find(|n| n % 2 == 1 && !KNOWN_OPTIONS.contains(n) && !KNOWN_OPTIONS_HIGH.contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{request, response};
    use coap_lite::{RequestType, ResponseType};

    const A: Addr = Addr::new([192, 0, 2, 1], 5683);
    const B: Addr = Addr::new([192, 0, 2, 2], 5683);

    fn pair() -> (Messenger, Messenger) {
        (
            Messenger::new(A, SimRng::new(1)),
            Messenger::new(B, SimRng::new(2)),
        )
    }

    #[test]
    fn piggybacked_response_matches_token_and_mid() {
        let (mut a, mut b) = pair();
        let token = a.request(SimTime::ZERO, B, request(RequestType::Get, "/3/0/3"), false);
        let req = a.poll_transmit().unwrap();
        b.handle_datagram(SimTime(10), A, &req.bytes);
        let Some(CoapEvent::Request { packet, .. }) = b.poll_event() else {
            panic!()
        };
        b.respond(A, &packet, response(ResponseType::Content));
        let ack = b.poll_transmit().unwrap();
        let decoded = decode(&ack.bytes).unwrap();
        assert_eq!(decoded.header.get_type(), MessageType::Acknowledgement);
        assert_eq!(decoded.header.message_id, packet.header.message_id);
        a.handle_datagram(SimTime(20), B, &ack.bytes);
        let Some(CoapEvent::Response { packet, .. }) = a.poll_event() else {
            panic!()
        };
        assert_eq!(packet.get_token(), &token[..]);
        assert!(!a.is_busy());
    }

    #[test]
    fn retransmits_with_doubling_then_times_out() {
        let (mut a, _) = pair();
        a.request(SimTime::ZERO, B, request(RequestType::Get, "/x"), false);
        let first = a.poll_transmit().unwrap();
        let t0 = a.poll_timeout().unwrap();
        assert!(
            (2000..=3000).contains(&t0.0),
            "initial timeout {t0:?} within ACK_TIMEOUT x [1, 1.5]"
        );
        let mut sends = 1;
        let mut gaps = vec![t0.0];
        let mut now = t0;
        loop {
            a.handle_timeout(now);
            while let Some(d) = a.poll_transmit() {
                assert_eq!(
                    d.bytes, first.bytes,
                    "a retransmission repeats the same bytes"
                );
                sends += 1;
            }
            if let Some(CoapEvent::Timeout { .. }) = a.poll_event() {
                break;
            }
            let next = a.poll_timeout().unwrap();
            gaps.push(next - now);
            now = next;
        }
        assert_eq!(sends, 1 + MAX_RETRANSMIT);
        assert_eq!(gaps[1], gaps[0] * 2);
        assert_eq!(gaps[4], gaps[0] * 16);
    }

    #[test]
    fn duplicate_confirmable_gets_the_stored_answer_once_processed() {
        let (mut a, mut b) = pair();
        a.request(
            SimTime::ZERO,
            B,
            request(RequestType::Post, "/5/0/2"),
            false,
        );
        let req = a.poll_transmit().unwrap();
        b.handle_datagram(SimTime(1), A, &req.bytes);
        let Some(CoapEvent::Request { packet, .. }) = b.poll_event() else {
            panic!()
        };
        b.respond(A, &packet, response(ResponseType::Changed));
        let ack1 = b.poll_transmit().unwrap();
        b.handle_datagram(SimTime(2), A, &req.bytes);
        assert_eq!(
            b.poll_event(),
            None,
            "the duplicate does not reach the node"
        );
        assert_eq!(b.poll_transmit().unwrap().bytes, ack1.bytes);
    }

    #[test]
    fn nstart_1_holds_a_second_confirmable_until_the_first_is_acknowledged() {
        let (mut a, mut b) = pair();
        a.request(SimTime::ZERO, B, request(RequestType::Get, "/1"), false);
        a.request(SimTime::ZERO, B, request(RequestType::Get, "/2"), false);
        let first = a.poll_transmit().unwrap();
        assert_eq!(a.poll_transmit(), None, "the second waits");
        b.handle_datagram(SimTime(5), A, &first.bytes);
        let Some(CoapEvent::Request { packet, .. }) = b.poll_event() else {
            panic!()
        };
        b.respond(A, &packet, response(ResponseType::Content));
        a.handle_datagram(SimTime(10), B, &b.poll_transmit().unwrap().bytes);
        let second = decode(&a.poll_transmit().expect("released by the ACK").bytes).unwrap();
        assert_eq!(crate::message::uri_path(&second), "/2");
        assert!(a.is_busy());
    }

    #[test]
    fn separate_response_empty_ack_first_then_confirmable_answer() {
        let (mut a, mut b) = pair();
        let token = a.request(
            SimTime::ZERO,
            B,
            request(RequestType::Post, "/5/0/2"),
            false,
        );
        let req = a.poll_transmit().unwrap();
        b.handle_datagram(SimTime(1), A, &req.bytes);
        let Some(CoapEvent::Request { packet, .. }) = b.poll_event() else {
            panic!()
        };
        b.acknowledge(A, &packet);
        let empty = b.poll_transmit().unwrap();
        a.handle_datagram(SimTime(2), B, &empty.bytes);
        assert!(!a.is_busy(), "the empty ACK stops retransmission");
        assert_eq!(a.poll_event(), None, "but no response yet");
        // A retransmitted request gets the same empty ACK.
        b.handle_datagram(SimTime(3), A, &req.bytes);
        assert_eq!(b.poll_transmit().unwrap().bytes, empty.bytes);
        b.respond_separately(SimTime(500), A, &token, response(ResponseType::Changed));
        let separate = b.poll_transmit().unwrap();
        assert_eq!(
            decode(&separate.bytes).unwrap().header.get_type(),
            MessageType::Confirmable
        );
        a.handle_datagram(SimTime(510), B, &separate.bytes);
        let ack = decode(&a.poll_transmit().unwrap().bytes).unwrap();
        assert_eq!(ack.header.get_type(), MessageType::Acknowledgement);
        assert_eq!(ack.header.code, MessageClass::Empty);
        let Some(CoapEvent::Response { packet, .. }) = a.poll_event() else {
            panic!()
        };
        assert_eq!(packet.get_token(), &token[..]);
        b.handle_datagram(SimTime(520), A, &encode(&ack).unwrap());
        assert!(!b.is_busy());
    }

    #[test]
    fn an_unknown_critical_option_gets_4_02_and_an_unknown_elective_one_is_ignored() {
        let (mut a, mut b) = pair();
        let mut p = request(RequestType::Get, "/3/0/3");
        p.add_option(coap_lite::CoapOption::Unknown(2049), vec![1]);
        a.request(SimTime::ZERO, B, p, false);
        b.handle_datagram(SimTime(1), A, &a.poll_transmit().unwrap().bytes);
        assert_eq!(b.poll_event(), None, "the node never sees it");
        let answer = decode(&b.poll_transmit().unwrap().bytes).unwrap();
        assert_eq!(
            answer.header.code,
            MessageClass::Response(ResponseType::BadOption)
        );
        let mut p = request(RequestType::Get, "/3/0/3");
        p.add_option(coap_lite::CoapOption::Unknown(2048), vec![1]);
        a.request(SimTime(2), B, p, false);
        a.handle_datagram(SimTime(3), B, &encode(&answer).unwrap());
        b.handle_datagram(SimTime(4), A, &a.poll_transmit().unwrap().bytes);
        assert!(matches!(b.poll_event(), Some(CoapEvent::Request { .. })));
    }

    #[test]
    fn rfc7641_non_notifications_reach_the_observer_without_an_ack() {
        let (mut a, mut b) = pair();
        let mut p = request(RequestType::Get, "/5/0");
        p.add_option(coap_lite::CoapOption::Observe, vec![]);
        let token = a.request(SimTime::ZERO, B, p, true);
        b.handle_datagram(SimTime(1), A, &a.poll_transmit().unwrap().bytes);
        let Some(CoapEvent::Request { packet, .. }) = b.poll_event() else {
            panic!()
        };
        b.respond(A, &packet, response(ResponseType::Content));
        a.handle_datagram(SimTime(2), B, &b.poll_transmit().unwrap().bytes);
        assert!(matches!(a.poll_event(), Some(CoapEvent::Response { .. })));
        for seq in 1..=3u8 {
            let mut note = response(ResponseType::Content);
            note.set_token(token.clone());
            note.add_option(coap_lite::CoapOption::Observe, vec![seq]);
            b.send_non_confirmable(A, note);
            a.handle_datagram(
                SimTime(10 + u64::from(seq)),
                B,
                &b.poll_transmit().unwrap().bytes,
            );
            assert!(
                matches!(a.poll_event(), Some(CoapEvent::Response { .. })),
                "notification {seq}"
            );
            assert_eq!(a.poll_transmit(), None, "a NON needs no ACK");
        }
        // Once the client forgets the observation, a confirmable notification gets RST.
        a.forget(&token);
        let mut note = response(ResponseType::Content);
        note.set_token(token.clone());
        b.send_confirmable(SimTime(20), A, note);
        a.handle_datagram(SimTime(21), B, &b.poll_transmit().unwrap().bytes);
        let rst = a.poll_transmit().unwrap();
        assert_eq!(
            decode(&rst.bytes).unwrap().header.get_type(),
            MessageType::Reset
        );
        b.handle_datagram(SimTime(22), A, &rst.bytes);
        assert!(matches!(b.poll_event(), Some(CoapEvent::Reset { .. })));
    }

    #[test]
    fn unparseable_confirmable_gets_reset() {
        let (_, mut b) = pair();
        // CON, TKL 9 (illegal), MID 0x1234.
        b.handle_datagram(SimTime(0), A, &[0x49, 0x01, 0x12, 0x34]);
        let rst = decode(&b.poll_transmit().unwrap().bytes).unwrap();
        assert_eq!(rst.header.get_type(), MessageType::Reset);
        assert_eq!(rst.header.message_id, 0x1234);
        // A NON that cannot be parsed is dropped silently.
        b.handle_datagram(SimTime(0), A, &[0x59, 0x01, 0x12, 0x35]);
        assert_eq!(b.poll_transmit(), None);
    }

    #[test]
    fn a_datagram_longer_than_the_limit_is_refused_with_reset_for_a_confirmable() {
        let (_, mut b) = pair();
        let mut p = request(RequestType::Put, "/5/0/0");
        p.header.set_type(MessageType::Confirmable);
        p.header.message_id = 0x4321;
        p.payload = vec![7; 1400];
        let bytes = p.to_bytes_unlimited().unwrap();
        assert!(bytes.len() > crate::params::MAX_DATAGRAM);
        b.handle_datagram(SimTime(0), A, &bytes);
        assert!(matches!(b.poll_event(), Some(CoapEvent::Rejected { .. })));
        let rst = decode(&b.poll_transmit().unwrap().bytes).unwrap();
        assert_eq!(rst.header.get_type(), MessageType::Reset);
        assert_eq!(rst.header.message_id, 0x4321);
        // The same as NON is dropped without a word.
        p.header.set_type(MessageType::NonConfirmable);
        b.handle_datagram(SimTime(0), A, &p.to_bytes_unlimited().unwrap());
        assert!(matches!(b.poll_event(), Some(CoapEvent::Rejected { .. })));
        assert_eq!(b.poll_transmit(), None);
    }
}
