//! The power-cut sweep, as MCUboot's simulator runs it: count the flash operations of a clean
//! upgrade, then for every one of them cut the power just before it, power on again, and see
//! what boots (BOOT-I1, BOOT-I2).

use crate::flash::Geometry;
use crate::image::{build_image, ImageVersion};
use crate::slots::{BootOutcome, Bootloader, SECTOR_SIZE};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    Overwrite,
}

impl Strategy {
    pub fn parse(text: &str) -> Option<Strategy> {
        match text {
            "overwrite" | "overwrite-only" => Some(Strategy::Overwrite),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub strategy: Strategy,
    /// Flash operations of one clean upgrade.
    pub operations: u64,
    pub cut_points: u64,
    pub booted_old: u64,
    pub booted_new: u64,
    pub bricked: u64,
    /// Cut points after which a second clean boot still did flash work (BOOT-I2 broken).
    pub unfinished: u64,
}

/// The default geometry: 4 KiB sectors, alignment 8, erased 0xFF, slots of 8 sectors, and an
/// image that fills all but the trailer sector.
pub fn default_sweep(strategy: Strategy) -> SweepReport {
    let g = Geometry {
        sector_size: SECTOR_SIZE,
        sectors: 16,
        align: 8,
        erased: 0xff,
    };
    sweep(strategy, g, 7 * SECTOR_SIZE - 512)
}

/// Runs the single-cut sweep for one geometry; `body` is the new image's body size.
pub fn sweep(strategy: Strategy, g: Geometry, body: usize) -> SweepReport {
    let Strategy::Overwrite = strategy;
    let slot = g.sectors / 2 * g.sector_size;
    let old = build_image(ImageVersion::new(1, 0, 0), &vec![0x11; body / 2]);
    let new = build_image(ImageVersion::new(2, 0, 0), &vec![0x22; body]);
    let mut device = Bootloader::with_geometry(slot, g.align, g.erased, &old);
    // The download and the request happen before the reboot; a failure here is a setup bug
    // that the counts below make visible (nothing would be upgraded).
    let _ = device.erase_secondary();
    let _ = device.write_secondary(0, &new);
    let _ = device.request_upgrade();
    let start = device.flash().ops();
    let mut clean = device.clone();
    clean.boot();
    let operations = clean.flash().ops() - start;
    let mut report = SweepReport {
        strategy,
        operations,
        cut_points: 0,
        booted_old: 0,
        booted_new: 0,
        bricked: 0,
        unfinished: 0,
    };
    for cut in 0..operations {
        let mut d = device.clone();
        d.flash_mut().cut_power_before(start + cut);
        d.boot();
        report.cut_points += 1;
        match d.boot() {
            BootOutcome::Booted { version, .. } | BootOutcome::UpgradeRejected { version, .. } => {
                if version.major == 2 {
                    report.booted_new += 1;
                } else {
                    report.booted_old += 1;
                }
            }
            BootOutcome::Bricked { .. } | BootOutcome::PowerLost => report.bricked += 1,
        }
        let before = d.flash().ops();
        d.boot();
        if d.flash().ops() != before {
            report.unfinished += 1;
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boot_i1_default_geometry_sweep_never_bricks() {
        let r = default_sweep(Strategy::Overwrite);
        assert!(r.operations > 10);
        assert_eq!(r.cut_points, r.operations);
        assert_eq!((r.bricked, r.unfinished), (0, 0));
        assert_eq!(r.booted_old + r.booted_new, r.cut_points);
    }
}
