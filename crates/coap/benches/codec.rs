//! Cost of encoding and decoding the messages a FOTA run is made of.

use criterion::{criterion_group, criterion_main, Criterion};
use fota_coap::message::{decode, encode, request, response, set_content_format, set_uint_option};
use fota_coap::{BlockOpt, CoapOption, MessageType, RequestType, ResponseType};
use std::hint::black_box;

fn block2_response() -> fota_coap::Packet {
    let mut p = response(ResponseType::Content);
    p.header.set_type(MessageType::Acknowledgement);
    p.header.message_id = 0x1234;
    p.set_token(vec![1, 2, 3, 4]);
    p.add_option(
        CoapOption::ETag,
        vec![0xb7, 0xee, 0x10, 0x66, 0x13, 0x3d, 0x16, 0x0d],
    );
    set_content_format(&mut p, 42);
    p.add_option(
        CoapOption::Block2,
        BlockOpt::new(17, true, 512).unwrap().encode(),
    );
    set_uint_option(&mut p, CoapOption::Size2, 32768);
    p.payload = vec![0xa5; 512];
    p
}

fn register() -> fota_coap::Packet {
    let mut p = request(RequestType::Post, "/rd");
    p.header.set_type(MessageType::Confirmable);
    p.set_token(vec![9, 9, 9, 9]);
    for q in ["ep=sbx-001", "lt=300", "lwm2m=1.1", "b=U"] {
        p.add_option(CoapOption::UriQuery, q.as_bytes().to_vec());
    }
    set_content_format(&mut p, 40);
    p.payload = b"</1/0>,</3/0>,</5>;ver=1.1,</5/0>".to_vec();
    p
}

fn bench(c: &mut Criterion) {
    for (name, packet) in [
        ("block2 512 B response", block2_response()),
        ("register", register()),
    ] {
        let bytes = encode(&packet).unwrap();
        c.bench_function(&format!("encode {name}"), |b| {
            b.iter(|| encode(black_box(&packet)).unwrap())
        });
        c.bench_function(&format!("decode {name}"), |b| {
            b.iter(|| decode(black_box(&bytes)).unwrap())
        });
        c.bench_function(&format!("encode+decode {name}"), |b| {
            b.iter(|| decode(&encode(black_box(&packet)).unwrap()).unwrap())
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
