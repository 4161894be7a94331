//! The power-cut sweep, as MCUboot's simulator runs it: count the flash operations of a clean
//! upgrade, then for every one of them cut the power just before it, cut again during the boot
//! that recovers, power on again, and see what boots (BOOT-I1, BOOT-I2, BOOT-I3). For
//! swap-move the same is done for the revert of a TEST image that never confirmed (BOOT-I4).
//!
//! A geometry is a strategy, a write alignment, an erased value and an image size; every one
//! the scenario format accepts is swept by `every_geometry` (BOOT-8). The cutting and the
//! judging of each run are in `cuts`.

mod cuts;

use crate::bootloader::Bootloader;
use crate::builder::ImageBuilder;
use crate::image::ImageVersion;
use crate::layout::SECTOR_SIZE;
use crate::strategy::Strategy;
pub use cuts::{CutCounts, Outcomes, SecondCuts};
use serde::Serialize;

/// The write alignments and erased values the scenario format accepts (BOOT-8).
pub const ALIGNMENTS: [usize; 5] = [1, 2, 4, 8, 16];
pub const ERASED_VALUES: [u8; 2] = [0x00, 0xff];

/// How far a sweep goes: the slots' size (which sets how many sectors the images span, and so
/// how many operations there are to cut) and the second cuts tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Depth {
    pub slot_size: usize,
    pub second: SecondCuts,
}

impl Depth {
    /// Every second cut, slots of 8 sectors: the largest swap-move image spans 6.
    pub const FULL: Depth = Depth {
        slot_size: 8 * SECTOR_SIZE,
        second: SecondCuts::Every,
    };
    /// Short enough for the test suite: slots of 5 sectors, every first cut, and a sample
    /// of second cuts.
    pub const BOUNDED: Depth = Depth {
        slot_size: 5 * SECTOR_SIZE,
        second: SecondCuts::Sample { after: 4, every: 8 },
    };
}

/// How much of a slot the new image takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageSize {
    /// Exactly one sector.
    OneSector,
    /// Half the slot.
    HalfSlot,
    /// The largest the strategy fits beside the trailer (and swap-move's spare sector).
    Largest,
}

impl ImageSize {
    pub const ALL: [ImageSize; 3] = [
        ImageSize::OneSector,
        ImageSize::HalfSlot,
        ImageSize::Largest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ImageSize::OneSector => "one sector",
            ImageSize::HalfSlot => "half the slot",
            ImageSize::Largest => "largest",
        }
    }

    /// The new image's length in a slot of `slot_size` bytes that holds `capacity` bytes.
    fn bytes(self, slot_size: usize, capacity: usize) -> usize {
        match self {
            ImageSize::OneSector => SECTOR_SIZE,
            ImageSize::HalfSlot => slot_size / 2,
            ImageSize::Largest => capacity,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SweepGeometry {
    pub strategy: Strategy,
    pub align: usize,
    pub erased: u8,
    pub image: ImageSize,
}

impl SweepGeometry {
    /// The default geometry: alignment 8, erased 0xFF, the largest image.
    pub fn default_for(strategy: Strategy) -> SweepGeometry {
        SweepGeometry {
            strategy,
            align: 8,
            erased: 0xff,
            image: ImageSize::Largest,
        }
    }
}

impl core::fmt::Display for SweepGeometry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{} align {} erased 0x{:02x} image {}",
            self.strategy.name(),
            self.align,
            self.erased,
            self.image.name()
        )
    }
}

/// Every geometry the scenario format accepts: both strategies, every alignment, both erased
/// values, the three image sizes.
pub fn geometries() -> Vec<SweepGeometry> {
    let mut out = Vec::new();
    for strategy in [Strategy::SwapMove, Strategy::Overwrite] {
        for align in ALIGNMENTS {
            for erased in ERASED_VALUES {
                for image in ImageSize::ALL {
                    out.push(SweepGeometry {
                        strategy,
                        align,
                        erased,
                        image,
                    });
                }
            }
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub strategy: Strategy,
    pub align: usize,
    pub erased: u8,
    pub image: ImageSize,
    pub slot_size: usize,
    /// The new image's length in bytes.
    pub image_len: usize,
    #[serde(flatten)]
    pub upgrade: CutCounts,
    /// The revert of an unconfirmed TEST image (swap-move only).
    pub revert: Option<CutCounts>,
}

impl SweepReport {
    /// Runs, of the upgrade and the revert, that broke an invariant.
    pub fn broken(&self) -> u64 {
        self.upgrade.broken() + self.revert.as_ref().map_or(0, CutCounts::broken)
    }
}

/// The full sweep of the default geometry.
pub fn default_sweep(strategy: Strategy) -> SweepReport {
    sweep(SweepGeometry::default_for(strategy), Depth::FULL)
}

/// The sweep of every geometry the format accepts (BOOT-8), in the order of `geometries`.
pub fn every_geometry(depth: Depth) -> Vec<SweepReport> {
    geometries().into_iter().map(|g| sweep(g, depth)).collect()
}

/// An image of exactly `len` bytes (or the smallest there is, when `len` is less).
fn image_of(major: u8, security_counter: u32, len: usize) -> Vec<u8> {
    let builder =
        ImageBuilder::new(ImageVersion::new(major, 0, 0)).security_counter(security_counter);
    let overhead = builder.clone().build().len();
    builder
        .body(&vec![0x11 * major; len.saturating_sub(overhead)])
        .build()
}

/// The old image (version 1, security counter 1, confirmed at the factory) and the new one
/// (version 2, counter 2) of `len` bytes; the old one is half as long, so that the two images
/// span different numbers of sectors.
fn old_and_new(len: usize) -> (Vec<u8>, Vec<u8>) {
    (image_of(1, 1, len / 2), image_of(2, 2, len))
}

/// Runs the sweeps for one geometry.
pub fn sweep(g: SweepGeometry, depth: Depth) -> SweepReport {
    let on = |image: &[u8]| {
        Bootloader::with_geometry(g.strategy, depth.slot_size, g.align, g.erased, image)
    };
    let capacity = on(&[]).capacity();
    let (old, new) = old_and_new(g.image.bytes(depth.slot_size, capacity));
    let second = depth.second;
    let mut device = on(&old);
    device.confirm();
    // The download and the request happen before the reboot; a failure here would be a setup
    // bug that the counts make visible (nothing would be upgraded).
    let _ = device.erase_secondary();
    let _ = device.write_secondary(0, &new);
    let _ = device.request_upgrade();
    let upgrade = cuts::cut_sweep(
        &device,
        &|d| {
            let _ = d.confirm();
        },
        second,
    );
    let revert = (g.strategy == Strategy::SwapMove).then(|| {
        let mut tested = device.clone();
        tested.boot();
        // The new image boots but never confirms: the next boot swaps back.
        cuts::cut_sweep(&tested, &|_| {}, second)
    });
    SweepReport {
        strategy: g.strategy,
        align: g.align,
        erased: g.erased,
        image: g.image,
        slot_size: depth.slot_size,
        image_len: new.len(),
        upgrade,
        revert,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Slot;
    use crate::trailer;

    fn assert_sound(r: &SweepReport) {
        let what = format!(
            "{}",
            SweepGeometry {
                strategy: r.strategy,
                align: r.align,
                erased: r.erased,
                image: r.image
            }
        );
        let u = &r.upgrade;
        assert!(u.operations >= 3 && u.second_cuts > 0, "{what}: {u:?}");
        assert_eq!(r.broken(), 0, "{what}: {r:?}");
        assert_eq!(
            (u.outcomes.booted_new, u.after_second_cut.booted_new),
            (u.cut_points, u.second_cuts),
            "{what}: a started upgrade is always finished: {u:?}"
        );
        if let Some(rev) = &r.revert {
            assert_eq!(
                (rev.outcomes.booted_old, rev.after_second_cut.booted_old),
                (rev.cut_points, rev.second_cuts),
                "{what}: BOOT-I4: the unconfirmed image goes: {rev:?}"
            );
        }
    }

    #[test]
    fn sweep_images_have_the_size_they_name() {
        for depth in [Depth::BOUNDED, Depth::FULL] {
            let slot = depth.slot_size;
            for strategy in [Strategy::SwapMove, Strategy::Overwrite] {
                let capacity = Bootloader::with_geometry(strategy, slot, 8, 0xff, &[]).capacity();
                for (size, want) in [
                    (ImageSize::OneSector, SECTOR_SIZE),
                    (ImageSize::HalfSlot, slot / 2),
                    (ImageSize::Largest, capacity),
                ] {
                    let len = old_and_new(size.bytes(slot, capacity)).1.len();
                    assert_eq!(len, want, "{size:?} in {slot}");
                }
            }
        }
    }

    /// BOOT-I3 as MCUboot leaves the trailers after a clean, confirmed swap-move upgrade:
    /// the primary's magic, image_ok and copy_done, an erased secondary trailer, the new
    /// image in the primary and the old one in the secondary, on every alignment.
    #[test]
    fn boot8_a_clean_upgrade_leaves_the_trailers_as_mcuboot_does() {
        for align in ALIGNMENTS {
            for erased in ERASED_VALUES {
                let (old, new) = old_and_new(3 * SECTOR_SIZE);
                let mut d = Bootloader::with_geometry(
                    Strategy::SwapMove,
                    5 * SECTOR_SIZE,
                    align,
                    erased,
                    &old,
                );
                d.confirm();
                d.erase_secondary().unwrap();
                d.write_secondary(0, &new).unwrap();
                d.request_upgrade().unwrap();
                d.boot();
                d.confirm();
                let [p, s] = [Slot::Primary, Slot::Secondary]
                    .map(|slot| trailer::read(&d.flash, d.layout, slot));
                let what = format!("align {align} erased {erased:#04x}");
                assert!(p.magic && p.image_ok && p.copy_done, "{what}: {p:?}");
                assert!(!s.magic && !s.image_ok && !s.copy_done, "{what}: {s:?}");
                assert_eq!(&d.primary()[..new.len()], &new[..], "{what}");
                assert_eq!(&d.secondary()[..old.len()], &old[..], "{what}");
                assert_eq!(d.nv_security_counter(), 2, "{what}: BOOT-7");
            }
        }
    }

    /// BOOT-8 with BOOT-I1, BOOT-I2, BOOT-I3 and BOOT-I4, bounded for the test suite: every
    /// geometry the format accepts, a cut before every flash operation of the upgrade (and of
    /// swap-move's revert), and a sample of second cuts during each recovery. The full sweep,
    /// every second cut, is `fota-sandbox powercut --all` and the ignored test below.
    #[test]
    fn boot8_boot_i1_i2_i3_every_geometry_survives_cuts_and_second_cuts() {
        for r in every_geometry(Depth::BOUNDED) {
            assert_sound(&r);
        }
    }

    /// The full sweep: every second cut of every geometry (`cargo test -p fota-bootloader
    /// --release -- --ignored`).
    #[test]
    #[ignore = "the full sweep takes minutes in a debug build; run with --ignored"]
    fn boot8_full_sweep_every_geometry_every_second_cut() {
        for r in every_geometry(Depth::FULL) {
            assert_sound(&r);
        }
    }
}
