//! Flash work takes the time the datasheet gives (BOOT-3): the swap of the PULL scenario takes
//! seconds, each sector step as long as an erase and a sector's words, and a power cut placed
//! by time during the boot lands at the flash operation under way then: the steps done before
//! it are in the log and in the flash, none after it, and the next boot goes on from there.

use fota_bootloader::{BootEvent, FlashTiming};
use fota_coap::SimTime;
use fota_sim::scenario::Fault;
use fota_sim::{BootRecord, Scenario, World};

fn pull() -> Scenario {
    Scenario::by_id("pull-success").expect("built-in")
}

fn boot_records(w: &World) -> Vec<BootRecord> {
    w.boot_events().iter().cloned().collect()
}

/// The times of the sector steps of the first swap.
fn sector_steps(records: &[BootRecord]) -> Vec<(SimTime, usize, usize)> {
    records
        .iter()
        .filter_map(|r| match r.event {
            BootEvent::SectorCopied { step, of, .. } => Some((r.at, step, of)),
            _ => None,
        })
        .collect()
}

#[test]
fn boot3_a_swap_takes_the_time_its_erases_and_writes_take() {
    let mut w = World::new(pull(), 1);
    w.run_to_end();
    let steps = sector_steps(&boot_records(&w));
    assert!(steps.len() > 8, "a swap of many sector steps: {steps:?}");
    let t = FlashTiming::default();
    // A sector step of swap-move erases a sector and writes it whole, then its status record.
    let floor_ms = (t.erase_us() + t.program_us(4096)) / 1000;
    for pair in steps.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(
            gap >= floor_ms,
            "step {} came {gap} ms after step {}, less than an erase and a sector's words ({floor_ms} ms)",
            pair[1].1,
            pair[0].1
        );
    }
    let (first, last) = (steps[0].0, steps[steps.len() - 1].0);
    assert!(
        last - first >= 1000,
        "the swap takes seconds: {first:?} to {last:?}"
    );
}

#[test]
fn boot3_instant_flash_does_the_whole_swap_at_one_moment() {
    let mut s = pull();
    s.device.flash_timing = FlashTiming::INSTANT;
    let mut w = World::new(s, 1);
    w.run_to_end();
    let steps = sector_steps(&boot_records(&w));
    assert!(steps.windows(2).all(|p| p[0].0 == p[1].0), "{steps:?}");
}

#[test]
fn boot_i1_a_power_cut_placed_by_time_lands_inside_the_swap_at_the_operation_under_way() {
    // Where the swap's steps fall without a cut.
    let mut w = World::new(pull(), 1);
    w.run_to_end();
    let steps = sector_steps(&boot_records(&w));
    let (at, step, of) = steps[steps.len() / 2];
    assert!(step < of);
    // A cut 10 ms after that step: the next step is under way and must not have happened.
    let mut s = pull();
    s.faults.push(Fault::PowerCut {
        at_ms: at.millis() + 10,
        off_ms: 500,
    });
    let mut cut = World::new(s, 1);
    cut.run_to_end();
    let records = boot_records(&cut);
    let cut_at = SimTime(at.millis() + 10);
    let before: Vec<_> = sector_steps(&records)
        .into_iter()
        .filter(|(t, ..)| *t <= cut_at)
        .collect();
    assert_eq!(
        before.last().map(|s| s.1),
        Some(step),
        "the steps before the cut end with step {step}: {before:?}"
    );
    // The next boot goes on where the swap stopped, and the update succeeds.
    let resumed = records
        .iter()
        .find(|r| r.at > cut_at && matches!(r.event, BootEvent::SwapResumed { .. }));
    assert!(resumed.is_some(), "the swap resumed after the cut");
    let steps_after: Vec<_> = sector_steps(&records)
        .into_iter()
        .filter(|(t, ..)| *t > cut_at)
        .collect();
    assert_eq!(
        steps_after.first().map(|s| s.1),
        Some(step + 1),
        "the resumed swap starts at the step the cut stopped: {steps_after:?}"
    );
    assert_eq!(cut.device().fw_result().code(), 1);
    assert_eq!(cut.device().firmware_version(), "2.0.0");
}
