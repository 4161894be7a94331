//! The power-cut sweep, as MCUboot's simulator runs it: count the flash operations of a clean
//! upgrade, then for every one of them cut the power just before it, power on again, and see
//! what boots (BOOT-I1, BOOT-I2). For swap-move the same is done for the revert of a TEST
//! image that never confirmed (BOOT-I4).

use crate::bootloader::Bootloader;
use crate::builder::build_image;
use crate::image::ImageVersion;
use crate::layout::SECTOR_SIZE;
use crate::loader::BootOutcome;
use crate::strategy::Strategy;
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CutCounts {
    /// Flash operations of one clean run of the work.
    pub operations: u64,
    pub cut_points: u64,
    pub booted_old: u64,
    pub booted_new: u64,
    pub bricked: u64,
    /// Cut points after which, the work done and confirmed, a boot still did flash work or
    /// booted another image.
    pub unfinished: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub strategy: Strategy,
    #[serde(flatten)]
    pub upgrade: CutCounts,
    /// The revert of an unconfirmed TEST image (swap-move only).
    pub revert: Option<CutCounts>,
}

/// The default geometry: 4 KiB sectors, alignment 8, erased 0xFF, slots of 8 sectors, and the
/// largest image the strategy fits.
pub fn default_sweep(strategy: Strategy) -> SweepReport {
    sweep(strategy, 8 * SECTOR_SIZE, 8, 0xff, None)
}

fn old_and_new(capacity: usize, body: Option<usize>) -> (Vec<u8>, Vec<u8>) {
    let overhead = build_image(ImageVersion::new(2, 0, 0), &[]).len();
    let body = body.unwrap_or(capacity - overhead);
    (
        build_image(ImageVersion::new(1, 0, 0), &vec![0x11; body / 2]),
        build_image(ImageVersion::new(2, 0, 0), &vec![0x22; body]),
    )
}

fn version_of(outcome: &BootOutcome) -> Option<u8> {
    match outcome {
        BootOutcome::Booted { version, .. }
        | BootOutcome::UpgradeRejected { version, .. }
        | BootOutcome::Reverted { version } => Some(version.major),
        _ => None,
    }
}

/// Cuts the power before each operation `device.boot()` would do, boots clean, and counts.
/// `settle` runs after the clean boot (the new firmware confirming itself) and before the
/// boot that must do no flash work.
fn cut_sweep(device: &Bootloader, settle: impl Fn(&mut Bootloader)) -> CutCounts {
    let start = device.flash().ops();
    let mut clean = device.clone();
    clean.boot();
    let mut c = CutCounts {
        operations: clean.flash().ops() - start,
        ..CutCounts::default()
    };
    for cut in 0..c.operations {
        let mut d = device.clone();
        d.flash_mut().cut_power_before(start + cut);
        d.boot();
        c.cut_points += 1;
        let booted = version_of(&d.boot());
        match booted {
            Some(2) => c.booted_new += 1,
            Some(_) => c.booted_old += 1,
            None => c.bricked += 1,
        }
        settle(&mut d);
        let before = d.flash().ops();
        let again = version_of(&d.boot());
        if d.flash().ops() != before || again != booted {
            c.unfinished += 1;
        }
    }
    c
}

/// Runs the sweeps for one geometry; `body` is the new image's body size (default: the
/// largest that fits).
pub fn sweep(
    strategy: Strategy,
    slot_size: usize,
    align: usize,
    erased: u8,
    body: Option<usize>,
) -> SweepReport {
    let probe = Bootloader::with_geometry(strategy, slot_size, align, erased, &[]);
    let (old, new) = old_and_new(probe.capacity(), body);
    let mut device = Bootloader::with_geometry(strategy, slot_size, align, erased, &old);
    // The download and the request happen before the reboot; a failure here would be a setup
    // bug that the counts make visible (nothing would be upgraded).
    let _ = device.erase_secondary();
    let _ = device.write_secondary(0, &new);
    let _ = device.request_upgrade();
    let upgrade = cut_sweep(&device, |d| d.confirm());
    let revert = (strategy == Strategy::SwapMove).then(|| {
        let mut tested = device.clone();
        tested.boot();
        // The new image boots but never confirms: the next boot swaps back.
        cut_sweep(&tested, |_| {})
    });
    SweepReport {
        strategy,
        upgrade,
        revert,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_never_bricks(c: &CutCounts, what: &str) {
        assert!(c.operations > 10, "{what}: {c:?}");
        assert_eq!((c.bricked, c.unfinished), (0, 0), "{what}: {c:?}");
    }

    #[test]
    fn boot_i1_i2_default_geometry_sweeps_never_brick() {
        let r = default_sweep(Strategy::Overwrite);
        assert_never_bricks(&r.upgrade, "overwrite upgrade");
        assert_eq!(
            r.upgrade.booted_new, r.upgrade.cut_points,
            "overwrite always finishes the copy"
        );
        let r = default_sweep(Strategy::SwapMove);
        assert_never_bricks(&r.upgrade, "swap-move upgrade");
        assert_eq!(
            r.upgrade.booted_new, r.upgrade.cut_points,
            "a started swap is finished"
        );
        let revert = r.revert.expect("swap-move reverts");
        assert_never_bricks(&revert, "swap-move revert");
        assert_eq!(
            revert.booted_old, revert.cut_points,
            "BOOT-I4: the unconfirmed image goes"
        );
    }

    #[test]
    fn boot_i1_sweeps_across_alignments_erased_values_and_sizes() {
        for strategy in [Strategy::SwapMove, Strategy::Overwrite] {
            for (align, erased) in [(1, 0xff), (4, 0x00), (8, 0x00)] {
                for body in [Some(500), None] {
                    let r = sweep(strategy, 5 * SECTOR_SIZE, align, erased, body);
                    let what =
                        format!("{strategy:?} align {align} erased {erased:#x} body {body:?}");
                    assert_eq!(
                        (r.upgrade.bricked, r.upgrade.unfinished),
                        (0, 0),
                        "{what}: {r:?}"
                    );
                    if let Some(rev) = r.revert {
                        assert_eq!(
                            (rev.bricked, rev.unfinished, rev.booted_new),
                            (0, 0, 0),
                            "{what}: {rev:?}"
                        );
                    }
                }
            }
        }
    }
}
