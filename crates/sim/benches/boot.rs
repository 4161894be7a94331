//! What a boot costs natively: the swap-move boot of the rollback scenario (a TEST swap of a
//! 32 KiB image in 64 KiB slots), the bootloader alone, as the device runs it when its work
//! begins (its steps are then handed on at their virtual times); and what drawing one of its steps' slot strips costs, which a view does only for the
//! step it shows.
//!
//! `cargo bench -p fota-sim --bench boot`.

use criterion::{criterion_group, BatchSize, Criterion};
use fota_bootloader::Bootloader;
use fota_lwm2m::FwState;
use fota_sim::{Scenario, World};

/// The rollback scenario's bootloader with the TEST request written, before the boot that
/// swaps.
fn before_the_swap() -> Bootloader {
    let mut w = World::new(Scenario::by_id("rollback").expect("built-in scenario"), 1);
    while w.device().fw_state() != FwState::Updating {
        assert!(w.step_event(), "the rollback scenario reaches Updating");
    }
    w.device().bootloader().clone()
}

fn boot(c: &mut Criterion) {
    let start = before_the_swap();
    c.bench_function("swap-move boot of the rollback scenario", |b| {
        b.iter_batched(
            || start.clone(),
            |mut boot| {
                boot.boot();
                boot.take_events()
            },
            BatchSize::SmallInput,
        )
    });
    // Each step of that boot carries the flash as it was; the strips are made from it only
    // for the step shown.
    let mut after = start.clone();
    after.boot();
    let steps = after.take_logged();
    let middle = steps
        .iter()
        .filter_map(|l| l.snapshot.clone())
        .nth(12)
        .expect("a boot of many steps");
    c.bench_function("slot strips of one boot step", |b| {
        b.iter(|| middle.slots_view())
    });
}

criterion_group!(benches, boot);
criterion::criterion_main!(benches);
