//! The device answering the server, byte for byte: answers and /5 values per SPEC.md.

use fota_bootloader::{build_image, ImageVersion};
use fota_coap::message::{self, decode, encode, set_content_format, set_uint_option, uint_option};
use fota_coap::{
    Addr, CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType, SimRng, SimTime,
};
use fota_device::{Device, DeviceConfig};
use fota_lwm2m::register::Lwm2mVersion;
use fota_lwm2m::{FwState, Node, UpdateResult};

const SERVER: Addr = Addr::new([192, 0, 2, 1], 5683);
const DEVICE: Addr = Addr::new([192, 0, 2, 10], 56830);

struct Bench {
    device: Device,
    mid: u16,
    now: SimTime,
    /// When the Register was answered.
    registered_at: SimTime,
}

impl Bench {
    /// A device that has booted and registered.
    fn registered() -> Bench {
        Bench::registered_as(Lwm2mVersion::V1_1).0
    }

    /// A device of LwM2M `version` that has booted and registered, and its Register.
    fn registered_as(version: Lwm2mVersion) -> (Bench, Packet) {
        let cfg = DeviceConfig {
            server: Some(SERVER),
            lwm2m_version: version,
            slot_size: 8192,
            boot_ms: 100,
            ..DeviceConfig::new(
                DEVICE,
                "t",
                build_image(ImageVersion::new(1, 0, 0), &[1; 100]),
            )
        };
        let mut device = Device::new(cfg, SimRng::new(3));
        // The bootloader checks the image (it takes time) before the firmware registers.
        let mut now = SimTime(100);
        device.handle_timeout(now);
        let register = loop {
            if let Some(d) = device.poll_transmit() {
                break decode(&d.bytes).unwrap();
            }
            now = device
                .poll_timeout()
                .expect("the device boots and registers");
            device.handle_timeout(now);
        };
        let mut created = message::response(ResponseType::Created);
        created.header.set_type(MessageType::Acknowledgement);
        created.header.message_id = register.header.message_id;
        created.set_token(register.get_token().to_vec());
        created.add_option(CoapOption::LocationPath, b"rd".to_vec());
        created.add_option(CoapOption::LocationPath, b"9".to_vec());
        let registered_at = now + 20;
        device.handle_datagram(registered_at, SERVER, &encode(&created).unwrap());
        assert!(device.is_registered());
        assert_eq!(device.registration_location(), Some("/rd/9"));
        let bench = Bench {
            device,
            mid: 100,
            now: SimTime(200),
            registered_at,
        };
        (bench, register)
    }

    fn send(&mut self, mut p: Packet) -> Packet {
        self.mid += 1;
        self.now = self.now + 10;
        p.header.set_type(MessageType::Confirmable);
        p.header.message_id = self.mid;
        p.set_token(vec![self.mid as u8]);
        self.device
            .handle_datagram(self.now, SERVER, &encode(&p).unwrap());
        let answer = decode(&self.device.poll_transmit().expect("an answer").bytes).unwrap();
        assert_eq!(answer.header.message_id, self.mid, "piggybacked on the ACK");
        answer
    }

    fn write_uri(&mut self, uri: &str) -> Packet {
        let mut p = message::request(RequestType::Put, "/5/0/1");
        set_content_format(&mut p, 0);
        p.payload = uri.as_bytes().to_vec();
        self.send(p)
    }
}

fn code(p: &Packet) -> MessageClass {
    p.header.code
}

fn resp(c: ResponseType) -> MessageClass {
    MessageClass::Response(c)
}

#[test]
fn fu_r5_reading_the_package_is_method_not_allowed() {
    let mut b = Bench::registered();
    let a = b.send(message::request(RequestType::Get, "/5/0/0"));
    assert_eq!(code(&a), resp(ResponseType::MethodNotAllowed));
}

#[test]
fn fu_t3_unsupported_scheme_gives_result_9_and_4_00() {
    let mut b = Bench::registered();
    assert_eq!(
        code(&b.write_uri("https://repo.example/fw.bin")),
        resp(ResponseType::BadRequest)
    );
    assert_eq!(
        (b.device.fw_state(), b.device.fw_result()),
        (FwState::Idle, UpdateResult::UnsupportedProtocol)
    );
}

#[test]
fn fu_t4_unparseable_uri_gives_result_7_and_4_00() {
    let mut b = Bench::registered();
    assert_eq!(
        code(&b.write_uri("just words")),
        resp(ResponseType::BadRequest)
    );
    assert_eq!(b.device.fw_result(), UpdateResult::InvalidUri);
    // FU-T15: an empty URI in Idle resets the result.
    assert_eq!(code(&b.write_uri("")), resp(ResponseType::Changed));
    assert_eq!(b.device.fw_result(), UpdateResult::Initial);
}

#[test]
fn fu_d7_unknown_host_answers_2_04_then_fails_with_7() {
    let mut b = Bench::registered();
    assert_eq!(
        code(&b.write_uri("coap://nowhere.example/fw.bin")),
        resp(ResponseType::Changed)
    );
    assert_eq!(
        (b.device.fw_state(), b.device.fw_result()),
        (FwState::Idle, UpdateResult::InvalidUri)
    );
}

#[test]
fn fu_r1_update_in_idle_is_refused_and_changes_nothing() {
    let mut b = Bench::registered();
    let a = b.send(message::request(RequestType::Post, "/5/0/2"));
    assert_eq!(code(&a), resp(ResponseType::MethodNotAllowed));
    assert_eq!(
        (b.device.fw_state(), b.device.fw_result()),
        (FwState::Idle, UpdateResult::Initial)
    );
}

#[test]
fn obj7_unsupported_accept_gets_4_06_and_reads_are_text() {
    let mut b = Bench::registered();
    // LwM2M CBOR (11544) is a format this device does not produce.
    let mut p = message::request(RequestType::Get, "/3/0/3");
    set_uint_option(&mut p, CoapOption::Accept, 11544);
    assert_eq!(code(&b.send(p)), resp(ResponseType::NotAcceptable));
    let a = b.send(message::request(RequestType::Get, "/3/0/3"));
    assert_eq!(
        (code(&a), a.payload.as_slice()),
        (resp(ResponseType::Content), &b"1.0.0"[..])
    );
    assert_eq!(
        a.get_first_option(CoapOption::ContentFormat),
        Some(&vec![]),
        "text/plain: Content-Format 0, an empty option value"
    );
    assert_eq!(uint_option(&a, CoapOption::ContentFormat), Some(0));
    let a = b.send(message::request(RequestType::Get, "/9/0/0"));
    assert_eq!(code(&a), resp(ResponseType::NotFound));
}

fn push_block(b: &mut Bench, num: u32, more: bool, chunk: &[u8]) -> Packet {
    let mut p = message::request(RequestType::Put, "/5/0/0");
    set_content_format(&mut p, 42);
    p.add_option(
        CoapOption::Block1,
        fota_coap::BlockOpt::new(num, more, 512).unwrap().encode(),
    );
    p.payload = chunk.to_vec();
    b.send(p)
}

#[test]
fn fu_t1_a_pushed_image_is_taken_block_by_block_then_pre_validated() {
    let mut b = Bench::registered();
    let image = build_image(ImageVersion::new(2, 0, 0), &[7; 2000]);
    let chunks: Vec<&[u8]> = image.chunks(512).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let last = i + 1 == chunks.len();
        let a = push_block(&mut b, i as u32, !last, chunk);
        let want = if last {
            ResponseType::Changed
        } else {
            ResponseType::Continue
        };
        assert_eq!(code(&a), resp(want), "block {i}");
        let ack =
            fota_coap::BlockOpt::decode(a.get_first_option(CoapOption::Block1).unwrap()).unwrap();
        assert_eq!((ack.num, ack.more), (i as u32, !last));
        if i == 0 {
            assert_eq!(
                b.device.fw_state(),
                FwState::Downloading,
                "FU-T1 on the first block"
            );
        }
    }
    assert_eq!(
        (b.device.fw_state(), b.device.fw_result()),
        (FwState::Downloaded, UpdateResult::Initial)
    );
    // FU-R4: new data while Downloaded is refused and changes nothing.
    assert_eq!(
        code(&push_block(&mut b, 0, true, chunks[0])),
        resp(ResponseType::BadRequest)
    );
    assert_eq!(b.device.fw_state(), FwState::Downloaded);
    // FU-T7: a single 0x00 byte deletes the image.
    let mut reset = message::request(RequestType::Put, "/5/0/0");
    reset.payload = vec![0];
    assert_eq!(code(&b.send(reset)), resp(ResponseType::Changed));
    assert_eq!(b.device.fw_state(), FwState::Idle);
}

#[test]
fn fu_d5_a_pushed_image_with_a_flipped_bit_ends_with_result_5() {
    let mut b = Bench::registered();
    let mut image = build_image(ImageVersion::new(2, 0, 0), &[7; 600]);
    image[100] ^= 0x01;
    let chunks: Vec<&[u8]> = image.chunks(512).collect();
    push_block(&mut b, 0, true, chunks[0]);
    push_block(&mut b, 1, false, chunks[1]);
    assert_eq!(
        (b.device.fw_state(), b.device.fw_result()),
        (FwState::Idle, UpdateResult::IntegrityFailure)
    );
}

#[test]
fn obj7_instances_and_multiple_resources_read_as_tlv() {
    use fota_lwm2m::tlv::{self, Body, Kind};
    let mut b = Bench::registered();
    let a = b.send(message::request(RequestType::Get, "/5/0"));
    assert_eq!(code(&a), resp(ResponseType::Content));
    assert_eq!(uint_option(&a, CoapOption::ContentFormat), Some(11542));
    let tlvs = tlv::decode(&a.payload).unwrap();
    let state = tlvs.iter().find(|t| t.id == 3).unwrap();
    assert_eq!(
        (state.kind, &state.body),
        (Kind::Resource, &Body::Value(vec![0]))
    );
    let protocols = tlvs.iter().find(|t| t.id == 8).unwrap();
    assert_eq!(
        protocols.kind,
        Kind::MultipleResource,
        "/5/0/8 lists protocols"
    );
    // The multiple resource alone: TLV by default, 4.06 as text/plain.
    let a = b.send(message::request(RequestType::Get, "/5/0/8"));
    assert_eq!(uint_option(&a, CoapOption::ContentFormat), Some(11542));
    let mut p = message::request(RequestType::Get, "/5/0/8");
    set_uint_option(&mut p, CoapOption::Accept, 0);
    assert_eq!(code(&b.send(p)), resp(ResponseType::NotAcceptable));
    // A single resource in TLV when asked for.
    let mut p = message::request(RequestType::Get, "/3/0/3");
    set_uint_option(&mut p, CoapOption::Accept, 11542);
    let a = b.send(p);
    assert_eq!(
        tlv::decode(&a.payload).unwrap(),
        vec![tlv::Tlv::resource(3, b"1.0.0".to_vec())]
    );
    // Executable resources cannot be read; /3 as an object holds instance 0.
    assert_eq!(
        code(&b.send(message::request(RequestType::Get, "/3/0/4"))),
        resp(ResponseType::MethodNotAllowed)
    );
    let a = b.send(message::request(RequestType::Get, "/3"));
    assert_eq!(
        tlv::decode(&a.payload).unwrap()[0].kind,
        Kind::ObjectInstance
    );
    assert_eq!(
        code(&b.send(message::request(RequestType::Get, "/3/1"))),
        resp(ResponseType::NotFound)
    );
}

/// The device's next request to the server, answered with `code` (and Location-Path /rd/9).
fn answer_next(b: &mut Bench, now: SimTime, code: ResponseType) -> Packet {
    let req = decode(&b.device.poll_transmit().expect("a request").bytes).unwrap();
    let mut a = message::response(code);
    a.header.set_type(MessageType::Acknowledgement);
    a.header.message_id = req.header.message_id;
    a.set_token(req.get_token().to_vec());
    if code == ResponseType::Created {
        a.add_option(CoapOption::LocationPath, b"rd".to_vec());
        a.add_option(CoapOption::LocationPath, b"9".to_vec());
    }
    b.device.handle_datagram(now, SERVER, &encode(&a).unwrap());
    req
}

#[test]
fn registration_update_at_half_the_lifetime_and_a_new_register_after_4_04() {
    let mut b = Bench::registered();
    // Registered with lt=300: the Update is due 150 s later.
    let due = b.device.poll_timeout().unwrap();
    assert_eq!(due, b.registered_at + 150_000);
    b.device.handle_timeout(due);
    let update = answer_next(&mut b, due + 20, ResponseType::NotFound);
    assert_eq!(
        (update.header.code, message::uri_path(&update)),
        (
            MessageClass::Request(RequestType::Post),
            "/rd/9".to_string()
        )
    );
    // The server forgot the device: it registers afresh.
    let register = answer_next(&mut b, due + 40, ResponseType::Created);
    assert_eq!(message::uri_path(&register), "/rd");
    assert!(b.device.is_registered());
    b.device.deregister(due + 80);
    let delete = answer_next(&mut b, due + 100, ResponseType::Deleted);
    assert_eq!(
        (delete.header.code, message::uri_path(&delete)),
        (
            MessageClass::Request(RequestType::Delete),
            "/rd/9".to_string()
        )
    );
    assert!(!b.device.is_registered());
}

/// Everything the device sent, each confirmable one acknowledged as the server would.
fn drain(b: &mut Bench) -> Vec<Packet> {
    let sent: Vec<Packet> = std::iter::from_fn(|| b.device.poll_transmit())
        .map(|d| decode(&d.bytes).unwrap())
        .collect();
    for p in sent
        .iter()
        .filter(|p| p.header.get_type() == MessageType::Confirmable)
    {
        let mut ack = Packet::new();
        ack.header.set_type(MessageType::Acknowledgement);
        ack.header.message_id = p.header.message_id;
        b.device
            .handle_datagram(b.now, SERVER, &encode(&ack).unwrap());
    }
    sent
}

fn write_attributes(b: &mut Bench, path: &str, queries: &[&str]) -> Packet {
    let mut p = message::request(RequestType::Put, path);
    for q in queries {
        p.add_option(CoapOption::UriQuery, q.as_bytes().to_vec());
    }
    b.send(p)
}

#[test]
fn pmin_holds_a_notification_back_and_pmax_sends_one_unasked() {
    let mut b = Bench::registered();
    assert_eq!(
        code(&write_attributes(&mut b, "/5/0", &["pmin=30", "pmax=100"])),
        resp(ResponseType::Changed)
    );
    let mut observe = message::request(RequestType::Get, "/5/0");
    observe.add_option(CoapOption::Observe, vec![]);
    let first = b.send(observe);
    assert_eq!(uint_option(&first, CoapOption::Observe), Some(0));
    let observed_at = b.now;
    // A change 10 ms later (a rejected URI sets Result 9): pmin holds the notification back.
    assert_eq!(
        code(&b.write_uri("ftp://x/y")),
        resp(ResponseType::BadRequest)
    );
    assert!(drain(&mut b).is_empty(), "nothing before pmin");
    let due = b.device.poll_timeout().unwrap();
    assert_eq!(due, observed_at + 30_000);
    b.now = due;
    b.device.handle_timeout(due);
    let sent = drain(&mut b);
    assert_eq!(sent.len(), 1);
    assert_eq!(uint_option(&sent[0], CoapOption::Observe), Some(1));
    let tlvs = fota_lwm2m::tlv::decode(&sent[0].payload).unwrap();
    assert!(tlvs
        .iter()
        .any(|t| t.id == 5 && t.body == fota_lwm2m::tlv::Body::Value(vec![9])));
    // Nothing changes any more; pmax still brings a notification 100 s after the last.
    let next = b.device.poll_timeout().unwrap();
    assert_eq!(next, due + 100_000);
    b.now = next;
    b.device.handle_timeout(next);
    let periodic = drain(&mut b);
    assert_eq!(uint_option(&periodic[0], CoapOption::Observe), Some(2));
    assert_eq!(
        periodic[0].header.get_type(),
        MessageType::NonConfirmable,
        "nothing new: NON"
    );
    assert_eq!(
        sent[0].header.get_type(),
        MessageType::Confirmable,
        "a change: CON"
    );
}

#[test]
fn discover_lists_links_with_their_attributes_and_bad_attributes_get_4_00() {
    let mut b = Bench::registered();
    write_attributes(&mut b, "/5/0", &["pmin=10"]);
    write_attributes(&mut b, "/5/0/3", &["pmax=60"]);
    assert_eq!(
        code(&write_attributes(&mut b, "/5/0/3", &["pmin=x"])),
        resp(ResponseType::BadRequest)
    );
    assert_eq!(
        code(&write_attributes(&mut b, "/9/0", &["pmin=1"])),
        resp(ResponseType::NotFound)
    );
    let mut discover = |path: &str| {
        let mut p = message::request(RequestType::Get, path);
        set_uint_option(&mut p, CoapOption::Accept, 40);
        let a = b.send(p);
        assert_eq!(uint_option(&a, CoapOption::ContentFormat), Some(40));
        String::from_utf8(a.payload).unwrap()
    };
    // On an object: the object's and its instances' attributes, every resource's link.
    let links = discover("/5");
    assert!(links.starts_with("</5>;ver=1.1,</5/0>;pmin=10,"), "{links}");
    assert!(
        links.contains(",</5/0/3>,") && links.contains("</5/0/2>"),
        "{links}"
    );
    assert!(!links.contains("</5/0/4>"), "{links}");
    // On an instance: the resources' own attributes too.
    let links = discover("/5/0");
    assert!(links.starts_with("</5/0>;pmin=10,"), "{links}");
    assert!(links.contains("</5/0/3>;pmax=60"), "{links}");
}

#[test]
fn obj7_senml_json_and_cbor_reads() {
    use fota_lwm2m::senml::{self, Record, Value};
    let mut b = Bench::registered();
    let mut read = |path: &str, accept: u32| {
        let mut p = message::request(RequestType::Get, path);
        set_uint_option(&mut p, CoapOption::Accept, accept);
        b.send(p)
    };
    let a = read("/5/0", 110);
    assert_eq!(uint_option(&a, CoapOption::ContentFormat), Some(110));
    let records = senml::decode_json(std::str::from_utf8(&a.payload).unwrap()).unwrap();
    assert!(records.contains(&Record {
        name: "/5/0/3".into(),
        value: Some(Value::Int(0))
    }));
    assert!(records.contains(&Record {
        name: "/5/0/8/0".into(),
        value: Some(Value::Int(0))
    }));
    let a = read("/3/0/3", 112);
    assert_eq!(uint_option(&a, CoapOption::ContentFormat), Some(112));
    assert_eq!(
        senml::decode_cbor(&a.payload).unwrap(),
        vec![Record {
            name: "/3/0/3".into(),
            value: Some(Value::Str("1.0.0".into()))
        }]
    );
}

#[test]
fn execute_with_malformed_arguments_is_4_00_and_changes_nothing() {
    let mut b = Bench::registered();
    let mut p = message::request(RequestType::Post, "/5/0/2");
    p.payload = b"0='unterminated".to_vec();
    assert_eq!(code(&b.send(p)), resp(ResponseType::BadRequest));
    let mut p = message::request(RequestType::Post, "/5/0/2");
    p.payload = b"0='a',1".to_vec();
    // Well-formed arguments reach the state machine: Update in Idle is FU-R1.
    assert_eq!(code(&b.send(p)), resp(ResponseType::MethodNotAllowed));
    assert_eq!(b.device.fw_state(), FwState::Idle);
}

#[test]
fn writing_the_firmware_instance_in_tlv_or_senml_sets_the_package_uri() {
    use fota_lwm2m::{senml, tlv};
    let mut b = Bench::registered();
    // TLV partial update (POST) with an unsupported scheme: FU-T3 as for /5/0/1 itself.
    let mut p = message::request(RequestType::Post, "/5/0");
    set_content_format(&mut p, 11542);
    p.payload = tlv::encode(&[tlv::Tlv::resource(1, b"https://x/fw".to_vec())]).unwrap();
    assert_eq!(code(&b.send(p)), resp(ResponseType::BadRequest));
    assert_eq!(b.device.fw_result(), UpdateResult::UnsupportedProtocol);
    // SenML JSON replace (PUT) with an empty URI: FU-T15.
    let mut p = message::request(RequestType::Put, "/5/0");
    set_content_format(&mut p, 110);
    p.payload = senml::encode_json(&[senml::Record {
        name: "/5/0/1".into(),
        value: Some(senml::Value::Str(String::new())),
    }])
    .into_bytes();
    assert_eq!(code(&b.send(p)), resp(ResponseType::Changed));
    assert_eq!(b.device.fw_result(), UpdateResult::Initial);
    // State is not writable: 4.05 and nothing changes; text/plain on an instance: 4.15.
    let mut p = message::request(RequestType::Post, "/5/0");
    set_content_format(&mut p, 11542);
    p.payload = tlv::encode(&[tlv::Tlv::resource(3, vec![2])]).unwrap();
    assert_eq!(code(&b.send(p)), resp(ResponseType::MethodNotAllowed));
    assert_eq!(b.device.fw_state(), FwState::Idle);
    let mut p = message::request(RequestType::Put, "/5/0");
    set_content_format(&mut p, 0);
    p.payload = b"coap://x/y".to_vec();
    assert_eq!(
        code(&b.send(p)),
        resp(ResponseType::UnsupportedContentFormat)
    );
}

#[test]
fn rfc7641_rst_to_a_notification_ends_the_observation() {
    let mut b = Bench::registered();
    let mut observe = message::request(RequestType::Get, "/5/0/5");
    observe.add_option(CoapOption::Observe, vec![]);
    b.send(observe);
    b.write_uri("ftp://x/y");
    let note = drain_without_ack(&mut b);
    assert_eq!(note.len(), 1, "Result 9 is notified");
    let mut rst = Packet::new();
    rst.header.set_type(MessageType::Reset);
    rst.header.message_id = note[0].header.message_id;
    b.device
        .handle_datagram(b.now, SERVER, &encode(&rst).unwrap());
    b.write_uri("");
    assert!(drain_without_ack(&mut b).is_empty(), "no observer left");
}

fn drain_without_ack(b: &mut Bench) -> Vec<Packet> {
    std::iter::from_fn(|| b.device.poll_transmit())
        .map(|d| decode(&d.bytes).unwrap())
        .filter(|p| p.header.get_type() == MessageType::Confirmable)
        .collect()
}

#[test]
fn srv12_a_1_2_device_registers_as_1_2_and_answers_senml_cbor_with_no_accept() {
    use fota_lwm2m::senml::{self, Record, Value};
    let (mut b, register) = Bench::registered_as(Lwm2mVersion::V1_2);
    assert!(message::uri_queries(&register).contains(&"lwm2m=1.2".to_string()));
    let format = |p: &Packet| uint_option(p, CoapOption::ContentFormat);
    // An instance, a single resource and a multiple resource, no Accept named: SenML CBOR.
    let a = b.send(message::request(RequestType::Get, "/5/0"));
    assert_eq!(format(&a), Some(112));
    let records = senml::decode_cbor(&a.payload).unwrap();
    assert!(records.contains(&Record {
        name: "/5/0/3".into(),
        value: Some(Value::Int(0))
    }));
    let a = b.send(message::request(RequestType::Get, "/3/0/3"));
    assert_eq!(format(&a), Some(112));
    assert_eq!(
        senml::decode_cbor(&a.payload).unwrap(),
        vec![Record {
            name: "/3/0/3".into(),
            value: Some(Value::Str("1.0.0".into()))
        }]
    );
    let a = b.send(message::request(RequestType::Get, "/5/0/8"));
    assert_eq!(format(&a), Some(112));
    // An Accept the device has is honoured; one it lacks gets 4.06 (OBJ-7).
    let mut read = |path: &str, accept: u32| {
        let mut p = message::request(RequestType::Get, path);
        set_uint_option(&mut p, CoapOption::Accept, accept);
        b.send(p)
    };
    let a = read("/5/0", 11542);
    assert_eq!(format(&a), Some(11542));
    let a = read("/3/0/3", 0);
    assert_eq!((format(&a), &a.payload[..]), (Some(0), &b"1.0.0"[..]));
    let a = read("/5/0", 11543);
    assert_eq!(code(&a), resp(ResponseType::NotAcceptable));
    let a = read("/5/0", 0);
    assert_eq!(code(&a), resp(ResponseType::NotAcceptable));
}

#[test]
fn srv12_notifications_come_in_the_format_the_observe_asked_for() {
    use fota_lwm2m::senml;
    let (mut b, _) = Bench::registered_as(Lwm2mVersion::V1_2);
    let format = |p: &Packet| uint_option(p, CoapOption::ContentFormat);
    let mut observe = message::request(RequestType::Get, "/5/0");
    observe.add_option(CoapOption::Observe, vec![]);
    assert_eq!(format(&b.send(observe)), Some(112));
    let mut observe = message::request(RequestType::Get, "/5/0/5");
    observe.add_option(CoapOption::Observe, vec![]);
    set_uint_option(&mut observe, CoapOption::Accept, 11542);
    assert_eq!(format(&b.send(observe)), Some(11542));
    b.write_uri("ftp://x/y");
    // One confirmable notification at a time (NSTART 1): each goes out once the last is ACKed.
    let mut notes = drain(&mut b);
    notes.extend(drain(&mut b));
    let instance = notes
        .iter()
        .find(|n| format(n) == Some(112))
        .expect("/5/0 notified in SenML CBOR");
    let records = senml::decode_cbor(&instance.payload).unwrap();
    assert!(
        records
            .iter()
            .any(|r| r.name == "/5/0/5" && r.value == Some(senml::Value::Int(9))),
        "{records:?}"
    );
    assert!(
        notes.iter().any(|n| format(n) == Some(11542)),
        "/5/0/5 notified in the TLV its Observe asked for"
    );
}
