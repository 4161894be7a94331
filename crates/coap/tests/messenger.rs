//! The message layer between two messengers through its public API: piggybacked and separate
//! responses, retransmission and its backoff, deduplication, NSTART = 1, critical options,
//! observation by NON, and what RST answers.

use fota_coap::message::{decode, encode, request, response, uri_path};
use fota_coap::params::{MAX_DATAGRAM, MAX_RETRANSMIT};
use fota_coap::{
    Addr, CoapEvent, CoapOption, MessageClass, MessageType, Messenger, RequestType, ResponseType,
    SimRng, SimTime,
};

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
    assert_eq!(uri_path(&second), "/2");
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
    p.add_option(CoapOption::Unknown(2049), vec![1]);
    a.request(SimTime::ZERO, B, p, false);
    b.handle_datagram(SimTime(1), A, &a.poll_transmit().unwrap().bytes);
    assert_eq!(b.poll_event(), None, "the node never sees it");
    let answer = decode(&b.poll_transmit().unwrap().bytes).unwrap();
    assert_eq!(
        answer.header.code,
        MessageClass::Response(ResponseType::BadOption)
    );
    let mut p = request(RequestType::Get, "/3/0/3");
    p.add_option(CoapOption::Unknown(2048), vec![1]);
    a.request(SimTime(2), B, p, false);
    a.handle_datagram(SimTime(3), B, &encode(&answer).unwrap());
    b.handle_datagram(SimTime(4), A, &a.poll_transmit().unwrap().bytes);
    assert!(matches!(b.poll_event(), Some(CoapEvent::Request { .. })));
}

#[test]
fn rfc7641_non_notifications_reach_the_observer_without_an_ack() {
    let (mut a, mut b) = pair();
    let mut p = request(RequestType::Get, "/5/0");
    p.add_option(CoapOption::Observe, vec![]);
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
        note.add_option(CoapOption::Observe, vec![seq]);
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
    assert!(bytes.len() > MAX_DATAGRAM);
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
