//! What a run costs natively (the browser runs the same code in wasm), against a floor: the
//! least any implementation must do for the same datagrams (decode and encode each with
//! coap-lite, hash and verify the image once). And what rewinding costs on a 20,000-datagram
//! trace: the time to jump to an event and the memory the checkpoints hold.
//!
//! `cargo bench -p fota-sim --bench run`; the summary lines at the end give the ratios
//! (`-- --summary`: those alone).

use criterion::{criterion_group, Criterion, Throughput};
use fota_sim::{Scenario, Timeline, World};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts the bytes allocated and not yet freed, for the memory figures.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(new_size, Ordering::Relaxed);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A PULL of a 256 KiB image in 1 KiB blocks, with `loss` percent lost each way.
fn big_pull(loss: u8) -> Scenario {
    let mut s = Scenario::by_id("pull-success").expect("built-in scenario");
    s.image.size = 256 * 1024;
    s.device.slot_size = 320 * 1024;
    s.device.block_size = 1024;
    s.network.all.loss_percent = Some(loss);
    s.time_limit_s = 86_400;
    s
}

/// About 20,000 datagrams: a 320 KiB image in 32-byte blocks.
fn long_run() -> Scenario {
    let mut s = big_pull(0);
    s.image.size = 320 * 1024;
    s.device.slot_size = 512 * 1024;
    s.device.block_size = 32;
    s
}

/// One run, from cold: what the bootloader remembers of earlier runs is forgotten first, so a
/// run reuses only its own verdicts.
fn run(s: &Scenario) -> World {
    fota_bootloader::forget_verdicts();
    let mut w = World::new(s.clone(), 1);
    w.run_to_end();
    w
}

/// The floor for a finished run: each datagram decoded and encoded again, the image hashed
/// and its signature verified once.
fn floor(datagrams: &[Vec<u8>], image: &[u8]) -> usize {
    let mut n = 0;
    for d in datagrams {
        if let Ok(p) = fota_coap::message::decode(d) {
            n += fota_coap::message::encode(&p).map_or(0, |b| b.len());
        }
    }
    n + usize::from(fota_bootloader::validate_afresh(image, 0).info.is_some())
}

fn inputs(w: &World) -> (Vec<Vec<u8>>, Vec<u8>) {
    let datagrams = w.trace().iter().map(|e| e.bytes.clone()).collect();
    (datagrams, w.device().bootloader().primary())
}

fn bench_runs(c: &mut Criterion) {
    for loss in [0, 30] {
        let s = big_pull(loss);
        let done = run(&s);
        let rows = done.trace().len() as u64;
        let mut g = c.benchmark_group(format!("pull 256 KiB, 1 KiB blocks, {loss} % loss"));
        g.throughput(Throughput::Elements(rows));
        g.sample_size(10);
        g.bench_function("simulated run", |b| b.iter(|| run(black_box(&s))));
        let (datagrams, image) = inputs(&done);
        g.bench_function("floor: coap-lite decode+encode, hash+verify", |b| {
            b.iter(|| floor(black_box(&datagrams), black_box(&image)))
        });
        g.finish();
    }
}

fn bench_rewind(c: &mut Criterion) {
    let mut t = Timeline::new(World::new(long_run(), 1));
    t.run_to_end();
    let end = t.world().steps();
    let mut target = 0x9e37_79b9u64;
    c.bench_function(
        "rewind: jump to an arbitrary event of a 20,000-datagram run",
        |b| {
            b.iter(|| {
                target = target
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                t.seek(target % end);
                t.world().trace().len()
            })
        },
    );
}

/// Times `a` and `b` in seconds per run, in turns (a batch of `n_a` runs of one, then `n_b` of
/// the other, seven times over), each the best of its batches: both sides of a ratio meet the
/// same moments of a busy machine, and a batch slowed by it counts for neither.
fn time_both(n_a: u32, mut a: impl FnMut(), n_b: u32, mut b: impl FnMut()) -> (f64, f64) {
    let batch = |n: u32, f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed().as_secs_f64() / f64::from(n)
    };
    (0..7).fold((f64::INFINITY, f64::INFINITY), |(ta, tb), _| {
        (ta.min(batch(n_a, &mut a)), tb.min(batch(n_b, &mut b)))
    })
}

fn summary() {
    println!("\n== summary (this machine) ==");
    for loss in [0, 30] {
        let s = big_pull(loss);
        let done = run(&s);
        let rows = done.trace().len();
        let (datagrams, image) = inputs(&done);
        let (sim, fl) = time_both(
            5,
            || {
                black_box(run(&s));
            },
            20,
            || {
                black_box(floor(&datagrams, &image));
            },
        );
        println!(
            "pull 256 KiB / 1 KiB blocks, {loss:>2} % loss: {rows} datagrams, {:.0} datagrams/s simulated, floor {:.0} datagrams/s, ratio {:.1}",
            rows as f64 / sim,
            rows as f64 / fl,
            sim / fl
        );
    }
    let before = HELD.load(Ordering::Relaxed);
    let mut t = Timeline::new(World::new(long_run(), 1));
    t.run_to_end();
    let with_checkpoints = HELD.load(Ordering::Relaxed) - before;
    let rows = t.world().trace().len();
    let before = HELD.load(Ordering::Relaxed);
    let alone = run(&long_run());
    let world_only = HELD.load(Ordering::Relaxed) - before;
    let end = t.world().steps();
    let mut worst: f64 = 0.0;
    let mut total = 0.0;
    let jumps: u32 = 200;
    for i in 0..jumps {
        let target = (u64::from(i) * 7919 * 104_729) % end;
        let start = Instant::now();
        t.seek(target);
        let took = start.elapsed().as_secs_f64();
        worst = worst.max(took);
        total += took;
    }
    println!(
        "rewind on {rows} datagrams ({end} events, {} checkpoints): mean jump {:.2} ms, worst {:.2} ms; memory {:.1} MiB with checkpoints, {:.1} MiB for the finished world alone",
        t.checkpoints(),
        total / f64::from(jumps) * 1e3,
        worst * 1e3,
        with_checkpoints as f64 / (1 << 20) as f64,
        world_only as f64 / (1 << 20) as f64
    );
    drop(alone);
}

criterion_group!(benches, bench_runs, bench_rewind);

/// `-- --summary` prints the summary alone (what tests/e2e/measure.mjs reads); otherwise
/// criterion's benchmarks run first.
fn main() {
    if !std::env::args().any(|a| a == "--summary") {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    summary();
}
