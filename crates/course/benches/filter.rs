//! What a filter costs on a long run (about 20,000 datagrams), next to a floor: decoding every
//! datagram once with coap-lite, the least any filter over CoAP fields must do.
//!
//! `cargo bench -p fota-course --bench filter` prints one line per filter; no timing is asserted.

use fota_course::{evaluate, parse, Rows};
use fota_sim::{Scenario, World};
use std::hint::black_box;
use std::time::Instant;

/// About 20,000 datagrams: a 320 KiB image in 32-byte blocks (as the sim's run benchmark).
fn long_run() -> World {
    let mut s = Scenario::by_id("pull-success").expect("built-in scenario");
    s.image.size = 320 * 1024;
    s.device.slot_size = 512 * 1024;
    s.device.block_size = 32;
    s.time_limit_s = 86_400;
    let mut w = World::new(s, 1);
    w.run_to_end();
    w
}

/// Milliseconds per call of `f`, over `n` calls.
fn ms(n: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() * 1e3 / f64::from(n)
}

fn main() {
    let w = long_run();
    let rows = w.trace().len();
    println!("filter over {rows} datagrams (this machine, ms per evaluation)");
    let floor = ms(10, || {
        for e in w.trace() {
            black_box(fota_coap::message::decode(&e.bytes).ok());
        }
    });
    println!("{floor:>9.2}  floor: decode every datagram once");
    let decoded = ms(10, || {
        black_box(Rows::of(&w));
    });
    println!(
        "{decoded:>9.2}  Rows::of: every row's fields, decoded once (kept, later filters skip it)"
    );
    let cached = Rows::of(&w);
    for text in [
        "coap.code == 2.31",
        "uri contains \"/fw/\" && coap.opt.block_number >= 100 && from == repository",
        "lwm2m.state == Downloaded || fate == lost",
        "rule == \"SRV-6\"",
        "Block2 && !\"last block\"",
    ] {
        let f = parse(text).expect("the benchmark's filters are valid");
        let mut found = 0;
        let whole = ms(5, || found = evaluate(&f, &w).len());
        let reuse = ms(5, || {
            black_box(cached.matching(&f, &w));
        });
        println!(
            "{whole:>9.2}  evaluate   {text}  ({found} rows; {reuse:.2} ms over rows already decoded, {:.1}x the floor)",
            whole / floor
        );
    }
}
