//! REG-1 at the message layer: a request whose ACK came but whose response did not times out
//! RESPONSE_TIMEOUT after the ACK, with the same `CoapEvent::Timeout` as a request never
//! acknowledged, so that no exchange waits for ever.

use fota_coap::message::{decode, encode, request, response};
use fota_coap::params::RESPONSE_TIMEOUT_MS;
use fota_coap::{
    Addr, CoapEvent, MessageType, Messenger, Packet, RequestType, ResponseType, SimRng, SimTime,
};

const A: Addr = Addr::new([192, 0, 2, 1], 5683);
const B: Addr = Addr::new([192, 0, 2, 2], 5683);

/// A sends a GET to B, B takes it; gives both, A's token and the request as B saw it.
fn requested() -> (Messenger, Messenger, Vec<u8>, Packet) {
    let mut a = Messenger::new(A, SimRng::new(1));
    let mut b = Messenger::new(B, SimRng::new(2));
    let token = a.request(SimTime::ZERO, B, request(RequestType::Post, "/rd/1"), false);
    let req = a.poll_transmit().unwrap();
    b.handle_datagram(SimTime(10), A, &req.bytes);
    let Some(CoapEvent::Request { packet, .. }) = b.poll_event() else {
        panic!("B takes the request")
    };
    (a, b, token, packet)
}

/// Runs A's timers up to `until` and gives the events they raised, with when.
fn events_until(a: &mut Messenger, until: SimTime) -> Vec<(SimTime, CoapEvent)> {
    let mut out = Vec::new();
    while let Some(at) = a.poll_timeout().filter(|t| *t <= until) {
        a.handle_timeout(at);
        while let Some(e) = a.poll_event() {
            out.push((at, e));
        }
    }
    out
}

#[test]
fn reg1_an_ack_whose_token_does_not_match_times_out_at_the_deadline() {
    let (mut a, mut b, token, req) = requested();
    b.respond(A, &req, response(ResponseType::Changed));
    let mut ack = decode(&b.poll_transmit().unwrap().bytes).unwrap();
    // The link damaged the token: the message id still matches A's request.
    let mut damaged = token.clone();
    damaged[0] ^= 0xff;
    ack.set_token(damaged);
    let acked_at = SimTime(20);
    a.handle_datagram(acked_at, B, &encode(&ack).unwrap());
    assert_eq!(a.poll_event(), None, "the damaged answer answers nothing");
    assert_eq!(a.poll_transmit(), None, "the ACK ended the retransmissions");
    let deadline = acked_at + RESPONSE_TIMEOUT_MS;
    assert_eq!(a.poll_timeout(), Some(deadline));
    assert_eq!(
        events_until(&mut a, deadline),
        vec![(deadline, CoapEvent::Timeout { to: B, token })]
    );
    assert_eq!(a.poll_timeout(), None, "nothing is left waiting");
    assert_eq!(a.poll_transmit(), None, "a timeout sends nothing");
}

#[test]
fn reg1_an_empty_ack_without_a_separate_response_times_out_at_the_deadline() {
    let (mut a, mut b, token, req) = requested();
    b.acknowledge(A, &req);
    let ack = b.poll_transmit().unwrap();
    let acked_at = SimTime(20);
    a.handle_datagram(acked_at, B, &ack.bytes);
    assert_eq!(a.poll_event(), None);
    let deadline = acked_at + RESPONSE_TIMEOUT_MS;
    assert_eq!(
        events_until(&mut a, SimTime(deadline.millis() - 1)),
        vec![],
        "it waits the whole deadline"
    );
    assert_eq!(
        events_until(&mut a, deadline),
        vec![(deadline, CoapEvent::Timeout { to: B, token })]
    );
    // A separate response after the deadline is no longer ours: RST, nothing handed up.
    b.respond_separately(
        deadline,
        A,
        req.get_token(),
        response(ResponseType::Changed),
    );
    let late = b.poll_transmit().unwrap();
    a.handle_datagram(deadline + 10, B, &late.bytes);
    assert_eq!(a.poll_event(), None);
    let answer = decode(&a.poll_transmit().unwrap().bytes).unwrap();
    assert_eq!(answer.header.get_type(), MessageType::Reset);
}

#[test]
fn reg1_a_separate_response_before_the_deadline_ends_the_wait() {
    let (mut a, mut b, token, req) = requested();
    b.acknowledge(A, &req);
    a.handle_datagram(SimTime(20), B, &b.poll_transmit().unwrap().bytes);
    let just_in_time = SimTime(20) + (RESPONSE_TIMEOUT_MS - 1);
    b.respond_separately(just_in_time, A, &token, response(ResponseType::Changed));
    a.handle_datagram(just_in_time, B, &b.poll_transmit().unwrap().bytes);
    let Some(CoapEvent::Response { packet, .. }) = a.poll_event() else {
        panic!("the separate response is handed up")
    };
    assert_eq!(packet.get_token(), &token[..]);
    assert_eq!(a.poll_timeout(), None, "no deadline is left");
}
