//! The server's registration directory: Register, Update, De-register and lifetime expiry, as a
//! client sees them on the wire.

use fota_coap::message::{self, decode, encode, location_path, set_content_format};
use fota_coap::{
    Addr, CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType, SimRng, SimTime,
};
use fota_lwm2m::Node;
use fota_server::{CampaignConfig, Server};

const SERVER: Addr = Addr::new([192, 0, 2, 1], 5683);
const CLIENT: Addr = Addr::new([192, 0, 2, 10], 56830);

fn server() -> Server {
    Server::new(
        SERVER,
        SimRng::new(1),
        CampaignConfig::pull("coap://192.0.2.2/fw.bin", "2.0.0"),
    )
}

/// Sends `p` as a CON from the client and returns the server's piggybacked answer.
fn send(s: &mut Server, now: SimTime, mid: u16, mut p: Packet) -> Packet {
    p.header.set_type(MessageType::Confirmable);
    p.header.message_id = mid;
    p.set_token(vec![mid as u8, 1]);
    s.handle_datagram(now, CLIENT, &encode(&p).unwrap());
    std::iter::from_fn(|| s.poll_transmit())
        .filter_map(|d| decode(&d.bytes).ok())
        .find(|a| a.header.get_type() == MessageType::Acknowledgement && a.header.message_id == mid)
        .expect("a piggybacked answer")
}

fn register(lwm2m: &str, lt: u32) -> Packet {
    let mut p = message::request(RequestType::Post, "/rd");
    for q in [
        "ep=dev".to_string(),
        format!("lt={lt}"),
        format!("lwm2m={lwm2m}"),
    ] {
        p.add_option(CoapOption::UriQuery, q.into_bytes());
    }
    set_content_format(&mut p, 40);
    p.payload = b"</3/0>,</5/0>".to_vec();
    p
}

fn code(p: &Packet) -> MessageClass {
    p.header.code
}

#[test]
fn update_extends_the_lifetime_and_delete_ends_it() {
    let mut s = server();
    let created = send(&mut s, SimTime(0), 1, register("1.1", 20));
    assert_eq!(
        code(&created),
        MessageClass::Response(ResponseType::Created)
    );
    let location = location_path(&created);
    assert_eq!(location, "/rd/1");
    // An Update at 15 s moves the expiry to 35 s.
    let a = send(
        &mut s,
        SimTime(15_000),
        2,
        message::request(RequestType::Post, &location),
    );
    assert_eq!(code(&a), MessageClass::Response(ResponseType::Changed));
    s.handle_timeout(SimTime(25_000));
    assert!(s.registration().is_some(), "still registered at 25 s");
    // An Update for a registration the server does not have gets 4.04.
    let a = send(
        &mut s,
        SimTime(26_000),
        3,
        message::request(RequestType::Post, "/rd/77"),
    );
    assert_eq!(code(&a), MessageClass::Response(ResponseType::NotFound));
    let a = send(
        &mut s,
        SimTime(27_000),
        4,
        message::request(RequestType::Delete, &location),
    );
    assert_eq!(code(&a), MessageClass::Response(ResponseType::Deleted));
    assert!(s.registration().is_none());
}

#[test]
fn a_registration_lapses_when_its_lifetime_runs_out() {
    let mut s = server();
    send(&mut s, SimTime(0), 1, register("1.1", 20));
    assert_eq!(s.poll_timeout().map(|t| t <= SimTime(20_000)), Some(true));
    s.handle_timeout(SimTime(20_000));
    assert!(s.registration().is_none());
}

#[test]
fn srv7_lwm2m_1_0_and_1_2_register_and_other_versions_get_4_12() {
    for v in ["1.0", "1.2"] {
        let a = send(&mut server(), SimTime(0), 1, register(v, 300));
        assert_eq!(
            code(&a),
            MessageClass::Response(ResponseType::Created),
            "lwm2m={v}"
        );
    }
    let a = send(&mut server(), SimTime(0), 1, register("2.0", 300));
    assert_eq!(
        code(&a),
        MessageClass::Response(ResponseType::PreconditionFailed)
    );
}
