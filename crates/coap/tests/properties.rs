//! Properties of the codec and the message layer over arbitrary input (proptest).

use fota_coap::block1::Block1Receiver;
use fota_coap::message::{decode, encode};
use fota_coap::{
    Addr, BlockOpt, CoapOption, MessageClass, MessageType, Messenger, Packet, SimRng, SimTime,
};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// A fixed seed and case count keep the suite repeatable; `PROPTEST_RNG_SEED` and
/// `PROPTEST_CASES` open a longer, different search (an opt-in fuzz run).
fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x5eed);
    }
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 512;
    }
    c.failure_persistence = None;
    c
}

const PEER: Addr = Addr::new([192, 0, 2, 1], 5683);

fn message_type() -> impl Strategy<Value = MessageType> {
    prop_oneof![
        Just(MessageType::Confirmable),
        Just(MessageType::NonConfirmable),
        Just(MessageType::Acknowledgement),
        Just(MessageType::Reset),
    ]
}

prop_compose! {
    fn packet()(
        kind in message_type(),
        code in any::<u8>(),
        mid in any::<u16>(),
        token in proptest::collection::vec(any::<u8>(), 0..=8),
        options in proptest::collection::vec((1u16..2000, proptest::collection::vec(any::<u8>(), 0..40)), 0..8),
        payload in proptest::collection::vec(any::<u8>(), 0..600),
    ) -> Packet {
        let mut p = Packet::new();
        p.header.set_type(kind);
        p.header.code = MessageClass::from(code);
        p.header.message_id = mid;
        p.set_token(token);
        for (number, value) in options {
            p.add_option(CoapOption::from(number), value);
        }
        p.payload = payload;
        if code == 0 {
            // An Empty message is the header alone (RFC 7252 §4.1).
            p.set_token(Vec::new());
            p.clear_all_options();
            p.payload.clear();
        }
        p
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn encode_then_decode_gives_the_same_packet(p in packet()) {
        let bytes = encode(&p).unwrap();
        let back = decode(&bytes).unwrap();
        prop_assert_eq!(&back, &p);
        prop_assert_eq!(encode(&back).unwrap(), bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(p) = decode(&bytes) {
            // Whatever decodes encodes again and decodes to the same packet.
            let again = decode(&encode(&p).unwrap()).unwrap();
            prop_assert_eq!(again, p);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_messenger(
        datagrams in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..120), 1..20)
    ) {
        let mut m = Messenger::new(Addr::new([192, 0, 2, 2], 5683), SimRng::new(1));
        for (i, d) in datagrams.iter().enumerate() {
            m.handle_datagram(SimTime(i as u64 * 100), PEER, d);
            m.handle_timeout(SimTime(i as u64 * 100));
            while m.poll_transmit().is_some() {}
            while m.poll_event().is_some() {}
        }
    }

    #[test]
    fn block_option_round_trips(num in 0u32..=BlockOpt::MAX_NUM, more in any::<bool>(), szx in 0u8..=6) {
        let b = BlockOpt { num, more, szx };
        let bytes = b.encode();
        prop_assert!(bytes.len() <= 3);
        prop_assert_eq!(BlockOpt::decode(&bytes).unwrap(), b);
    }

    #[test]
    fn block1_receiver_takes_any_request_without_panicking(p in packet(), block in any::<[u8; 3]>()) {
        let mut r = Block1Receiver::new(4096, 256);
        let mut p = p;
        p.add_option(CoapOption::Block1, block.to_vec());
        let _ = r.on_request(PEER, &p);
    }
}

/// One response a Block1 receiver might send: its code, and a Block1 option that is either
/// near the block in flight (`Near`) or anything at all (`Raw`), or absent.
#[derive(Clone, Debug)]
enum Ack {
    Near { szx: u8, ahead: u32, more: bool },
    Raw(Vec<u8>),
    Missing,
}

fn block1_answer() -> impl Strategy<Value = (u8, Ack)> {
    let code = prop_oneof![
        4 => Just(0x5f_u8), // 2.31 Continue
        1 => Just(0x44),    // 2.04 Changed
        1 => Just(0x8d),    // 4.13 Request Entity Too Large
        1 => Just(0x80),    // 4.00 Bad Request
    ];
    let ack = prop_oneof![
        6 => (0u8..=6, 0u32..4, any::<bool>()).prop_map(|(szx, ahead, more)| Ack::Near { szx, ahead, more }),
        1 => proptest::collection::vec(any::<u8>(), 0..=4).prop_map(Ack::Raw),
        1 => Just(Ack::Missing),
    ];
    (code, ack)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn block1_sender_builds_a_request_after_any_response(
        len in 0usize..3000,
        szx in 0u8..=6,
        insist in any::<bool>(),
        answers in proptest::collection::vec(block1_answer(), 1..40),
    ) {
        use fota_coap::block1_sender::Block1Sender;
        let template = fota_coap::message::request(fota_coap::RequestType::Put, "/5/0/0");
        let mut sender = Block1Sender::new(template, vec![0xa5; len], 16 << szx);
        if insist {
            sender = sender.insisting();
        }
        for (code, ack) in answers {
            let mut resp = Packet::new();
            resp.header.code = MessageClass::from(code);
            match ack {
                Ack::Near { szx, ahead, more } => {
                    let num = (sender.sent() / (16 << szx)) as u32 + ahead;
                    resp.add_option(CoapOption::Block1, BlockOpt { num, more, szx }.encode());
                }
                Ack::Raw(bytes) => resp.add_option(CoapOption::Block1, bytes),
                Ack::Missing => {}
            }
            let _ = sender.on_response(&resp);
            prop_assert!(sender.sent() <= sender.total());
            let req = sender.request();
            prop_assert!(req.payload.len() <= sender.block_size());
        }
    }
}

/// Bytes that often decode: a version-1 header, a token, a few random bytes where options go,
/// and a payload whose length runs past the datagram limit; or bytes at random.
fn datagram() -> impl Strategy<Value = Vec<u8>> {
    let shaped = (
        0u8..4,
        0usize..=8,
        1u8..=255,
        any::<[u8; 2]>(),
        proptest::collection::vec(any::<u8>(), 0..6),
        0usize..1600,
    )
        .prop_map(|(kind, tkl, code, mid, options, payload)| {
            let mut b = vec![0x40 | kind << 4 | tkl as u8, code, mid[0], mid[1]];
            b.extend((0..tkl).map(|i| i as u8));
            if options.len() >= 2 && options[0] == 0 {
                b.extend_from_slice(&options[1..]);
            }
            if payload > 0 {
                b.push(0xff);
                b.extend((0..payload).map(|i| (i * 7) as u8));
            }
            b
        });
    prop_oneof![
        3 => shaped,
        1 => proptest::collection::vec(any::<u8>(), 0..1600),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn whatever_decodes_encodes_again(bytes in datagram()) {
        if let Ok(p) = decode(&bytes) {
            let again = encode(&p);
            prop_assert!(again.is_ok(), "{} bytes decode but do not encode: {:?}", bytes.len(), again);
        }
    }
}
