//! The server reads what an LwM2M 1.2 client answers (SRV-12): SenML CBOR with no Accept
//! asked, and an answer it cannot decode is logged and asked again with an Accept, a few
//! times, before the campaign gives up on the device.

use fota_coap::message::{self, decode, encode, set_content_format, set_uint_option};
use fota_coap::{
    Addr, CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType, SimRng, SimTime,
};
use fota_lwm2m::senml::{encode_cbor, Record, Value};
use fota_lwm2m::{content, Node};
use fota_server::{CampaignConfig, CampaignPhase, Server, ServerEvent};

const SERVER: Addr = Addr::new([192, 0, 2, 1], 5683);
const CLIENT: Addr = Addr::new([192, 0, 2, 10], 56830);

/// A server with a 1.2 client registered at time 0, and the first request it sends.
fn registered() -> (Server, Packet) {
    let mut s = Server::new(
        SERVER,
        SimRng::new(1),
        CampaignConfig::pull("coap://192.0.2.2/fw.bin", "2.0.0"),
    );
    let mut p = message::request(RequestType::Post, "/rd");
    for q in ["ep=dev", "lt=300", "lwm2m=1.2"] {
        p.add_option(CoapOption::UriQuery, q.as_bytes().to_vec());
    }
    set_content_format(&mut p, content::LINK_FORMAT);
    p.payload = b"</3/0>,</5/0>".to_vec();
    p.header.set_type(MessageType::Confirmable);
    p.header.message_id = 1;
    p.set_token(vec![1]);
    s.handle_datagram(SimTime(0), CLIENT, &encode(&p).unwrap());
    let first = next_request(&mut s).expect("the server reads the device");
    (s, first)
}

/// The next request the server sends, skipping its ACKs.
fn next_request(s: &mut Server) -> Option<Packet> {
    std::iter::from_fn(|| s.poll_transmit())
        .filter_map(|d| decode(&d.bytes).ok())
        .find(|p| matches!(p.header.code, MessageClass::Request(_)))
}

/// Answers `req` piggybacked with `code`, `format` and `payload`; returns the next request.
fn answer(
    s: &mut Server,
    req: &Packet,
    code: ResponseType,
    format: Option<u16>,
    payload: Vec<u8>,
) -> Option<Packet> {
    let mut a = message::response(code);
    a.header.set_type(MessageType::Acknowledgement);
    a.header.message_id = req.header.message_id;
    a.set_token(req.get_token().to_vec());
    if let Some(f) = format {
        set_content_format(&mut a, f);
    }
    if req.get_first_option(CoapOption::Observe).is_some() {
        set_uint_option(&mut a, CoapOption::Observe, 1);
    }
    a.payload = payload;
    s.handle_datagram(SimTime(1000), CLIENT, &encode(&a).unwrap());
    next_request(s)
}

/// Answers what a 1.2 client answers with no Accept, in SenML CBOR, until the server
/// observes /5/0; returns that Observe.
fn up_to_the_observe(s: &mut Server, mut req: Packet) -> Packet {
    loop {
        let path = message::uri_path(&req);
        let cbor = |name: &str, value| {
            encode_cbor(&[Record {
                name: name.into(),
                value: Some(value),
            }])
        };
        let next = match (req.header.code, path.as_str()) {
            (MessageClass::Request(RequestType::Get), "/5/0") => return req,
            (MessageClass::Request(RequestType::Put), _) => {
                answer(s, &req, ResponseType::Changed, None, Vec::new())
            }
            (_, "/3/0/3") => {
                let payload = cbor("/3/0/3", Value::Str("1.0.0".into()));
                answer(
                    s,
                    &req,
                    ResponseType::Content,
                    Some(content::SENML_CBOR),
                    payload,
                )
            }
            (_, "/5/0/8") => {
                let payload = cbor("/5/0/8/0", Value::Int(0));
                answer(
                    s,
                    &req,
                    ResponseType::Content,
                    Some(content::SENML_CBOR),
                    payload,
                )
            }
            (_, "/5/0/9") => {
                let payload = cbor("/5/0/9", Value::Int(2));
                answer(
                    s,
                    &req,
                    ResponseType::Content,
                    Some(content::SENML_CBOR),
                    payload,
                )
            }
            (_, other) => panic!("unexpected request to {other}"),
        };
        req = next.expect("the server goes on");
    }
}

fn logs(s: &mut Server) -> Vec<(String, Option<&'static str>)> {
    std::iter::from_fn(|| s.poll_event())
        .filter_map(|e| match e {
            ServerEvent::Log { text, rule } => Some((text, rule)),
            _ => None,
        })
        .collect()
}

fn accept(p: &Packet) -> Option<u32> {
    message::uint_option(p, CoapOption::Accept)
}

#[test]
fn srv12_senml_cbor_answers_with_no_accept_drive_the_campaign() {
    let (mut s, first) = registered();
    assert_eq!(accept(&first), None, "the first read names no Accept");
    let observe = up_to_the_observe(&mut s, first);
    let logs = logs(&mut s);
    assert!(
        logs.iter()
            .any(|(t, _)| t == "device reports /5/0/9 Firmware Update Delivery Method: 2"),
        "{logs:?}"
    );
    assert_eq!(accept(&observe), None);
    let state = encode_cbor(&[
        Record {
            name: "/5/0/3".into(),
            value: Some(Value::Int(0)),
        },
        Record {
            name: "/5/0/5".into(),
            value: Some(Value::Int(0)),
        },
    ]);
    let next = answer(
        &mut s,
        &observe,
        ResponseType::Content,
        Some(content::SENML_CBOR),
        state,
    )
    .expect("the server delivers");
    assert_eq!(
        message::uri_path(&next),
        "/5/0/1",
        "the Package URI is written next"
    );
}

#[test]
fn srv12_an_undecodable_answer_is_logged_and_asked_again_with_an_accept_then_given_up() {
    let (mut s, first) = registered();
    let mut req = up_to_the_observe(&mut s, first);
    logs(&mut s);
    // SenML CBOR that is not CBOR; then a 4.06 to the Accept named; then garbage again.
    let answers = [
        (ResponseType::Content, vec![0xde, 0xad, 0xbe, 0xef]),
        (ResponseType::NotAcceptable, Vec::new()),
        (ResponseType::Content, vec![0xff]),
    ];
    let mut accepts = Vec::new();
    for (code, payload) in answers {
        assert_eq!(message::uri_path(&req), "/5/0");
        accepts.push(accept(&req));
        let format = (code == ResponseType::Content).then_some(content::SENML_CBOR);
        match answer(&mut s, &req, code, format, payload) {
            Some(next) => req = next,
            None => break,
        }
    }
    assert_eq!(
        accepts,
        [None, Some(112), Some(11542)],
        "asked again with SenML CBOR, then TLV after the 4.06"
    );
    let logs = logs(&mut s);
    let undecodable: Vec<&String> = logs
        .iter()
        .filter(|(_, rule)| *rule == Some("SRV-12"))
        .map(|(t, _)| t)
        .collect();
    assert_eq!(undecodable.len(), 3, "{logs:?}");
    assert!(
        undecodable[0].starts_with(
            "Observe /5/0 answered 2.05 Content in 112 (application/senml+cbor): SenML: bad CBOR"
        ),
        "{}",
        undecodable[0]
    );
    assert!(
        undecodable[1].starts_with("Observe /5/0 answered 4.06"),
        "{}",
        undecodable[1]
    );
    assert!(
        logs.iter().any(
            |(t, r)| t == "no answer to Observe /5/0: sending it again (2 of 3)"
                && *r == Some("SRV-4")
        ),
        "{logs:?}"
    );
    assert_eq!(
        s.phase(),
        &CampaignPhase::Failed("the device stopped answering".into()),
        "after the last attempt the device counts as not answering"
    );
}

#[test]
fn srv12_an_undecodable_notification_is_logged_and_the_path_read_again() {
    let (mut s, first) = registered();
    let observe = up_to_the_observe(&mut s, first);
    let state = encode_cbor(&[Record {
        name: "/5/0/3".into(),
        value: Some(Value::Int(0)),
    }]);
    let write = answer(
        &mut s,
        &observe,
        ResponseType::Content,
        Some(content::SENML_CBOR),
        state,
    )
    .expect("the Package URI is written");
    logs(&mut s);
    // A notification on the observation's token whose CBOR is cut short.
    let mut note = message::response(ResponseType::Content);
    note.header.set_type(MessageType::Confirmable);
    note.header.message_id = 77;
    note.set_token(observe.get_token().to_vec());
    set_uint_option(&mut note, CoapOption::Observe, 2);
    set_content_format(&mut note, content::SENML_CBOR);
    note.payload = vec![0x81, 0xa2, 0x00];
    s.handle_datagram(SimTime(2000), CLIENT, &encode(&note).unwrap());
    let logs = logs(&mut s);
    assert!(
        logs.iter().any(|(t, r)| *r == Some("SRV-12")
            && t.starts_with("/5/0 reported in 112 (application/senml+cbor)")),
        "{logs:?}"
    );
    let next = answer(&mut s, &write, ResponseType::Changed, None, Vec::new())
        .expect("a request after the write");
    assert_eq!(
        (message::uri_path(&next), accept(&next)),
        ("/5/0".to_string(), None),
        "/5/0 is read again"
    );
    assert!(next.get_first_option(CoapOption::Observe).is_none());
}

/// `/3/0/3` in plain CBOR (Content-Format 60): a text string.
fn plain_cbor_version(version: &str) -> Vec<u8> {
    let len = u8::try_from(version.len()).expect("a short version");
    assert!(len < 24, "one head byte");
    [&[0x60 | len][..], version.as_bytes()].concat()
}

#[test]
fn srv12_a_client_built_without_text_plain_is_read_in_plain_cbor() {
    // As Anjay with ANJAY_WITHOUT_PLAINTEXT answers a single resource with no Accept.
    let (mut s, first) = registered();
    assert_eq!(message::uri_path(&first), "/3/0/3");
    let cbor = Some(content::CBOR);
    let next = answer(
        &mut s,
        &first,
        ResponseType::Content,
        cbor,
        plain_cbor_version("thirdparty-1"),
    )
    .expect("the server reads on");
    assert_eq!(message::uri_path(&next), "/5/0/8", "/3/0/3 was taken");
    let logs = logs(&mut s);
    assert!(!logs.iter().any(|(_, r)| *r == Some("SRV-12")), "{logs:?}");

    // A format it cannot read, then a 4.06 to text/plain: the third attempt asks for plain
    // CBOR, and that answer is taken.
    let (mut s, mut req) = registered();
    let answers = [
        (ResponseType::Content, Some(content::LWM2M_CBOR), vec![0xa0]),
        (ResponseType::NotAcceptable, None, Vec::new()),
        (ResponseType::Content, cbor, plain_cbor_version("1.0.0")),
    ];
    let mut accepts = Vec::new();
    for (code, format, payload) in answers {
        assert_eq!(message::uri_path(&req), "/3/0/3");
        accepts.push(accept(&req));
        req = answer(&mut s, &req, code, format, payload).expect("the server goes on");
    }
    assert_eq!(accepts, [None, Some(0), Some(60)]);
    assert_eq!(
        message::uri_path(&req),
        "/5/0/8",
        "/3/0/3 was taken at last"
    );
}
