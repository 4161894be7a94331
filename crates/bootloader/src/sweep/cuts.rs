//! Cutting the power during one piece of boot work, as MCUboot's simulator does: before each
//! flash operation of a clean run, and, after each such cut, again before each operation of
//! the boot that recovers from it. After the cuts come clean boots, and each run is judged by
//! the invariants: a correctly signed image boots, the old or the new one (BOOT-I1); one
//! clean boot finishes the work and the next does no flash operation (BOOT-I2); the slots and
//! trailers end as the clean run leaves them, byte for byte (BOOT-I3).

use crate::bootloader::Bootloader;
use crate::layout::Slot;
use crate::loader::BootOutcome;
use crate::trailer;
use serde::Serialize;

/// How the runs after one kind of cut ended.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Outcomes {
    pub booted_old: u64,
    pub booted_new: u64,
    /// No correctly signed image booted (BOOT-I1 broken).
    pub bricked: u64,
    /// The work done and confirmed, a boot still did flash work or booted another image
    /// (BOOT-I2 broken).
    pub unfinished: u64,
    /// The slots' images or the trailers' flags are not what the clean run leaves (BOOT-I3
    /// broken).
    pub misplaced: u64,
}

impl Outcomes {
    /// Runs that broke an invariant.
    pub fn broken(&self) -> u64 {
        self.bricked + self.unfinished + self.misplaced
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CutCounts {
    /// Flash operations of one clean run of the work.
    pub operations: u64,
    /// Runs with one cut, one before each operation of the clean run.
    pub cut_points: u64,
    #[serde(flatten)]
    pub outcomes: Outcomes,
    /// Runs with a second cut, during the boot that recovers from the first.
    pub second_cuts: u64,
    pub after_second_cut: Outcomes,
}

impl CutCounts {
    /// Runs, with one cut or two, that broke an invariant.
    pub fn broken(&self) -> u64 {
        self.outcomes.broken() + self.after_second_cut.broken()
    }
}

/// Which second cuts to try after the first ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondCuts {
    /// After every first cut, before every operation of the recovering boot.
    Every,
    /// After every `after`-th first cut (and the last), before every `every`-th operation of
    /// the recovering boot (and its last): a sample for a sweep that must stay short.
    Sample { after: u64, every: u64 },
}

impl SecondCuts {
    /// Whether the recovery from first cut `first` of `of` is cut in its turn.
    fn after(self, first: u64, of: u64) -> bool {
        match self {
            SecondCuts::Every => true,
            SecondCuts::Sample { after, .. } => first % after.max(1) == 0 || first + 1 == of,
        }
    }

    /// The second cuts in a recovery of `ops` operations.
    fn points(self, ops: u64) -> Vec<u64> {
        let every = match self {
            SecondCuts::Every => 1,
            SecondCuts::Sample { every, .. } => every.max(1),
        };
        (0..ops)
            .filter(|&c| c % every == 0 || c + 1 == ops)
            .collect()
    }
}

/// What the clean run leaves: the runs with cuts must leave the same.
struct Settled {
    version: Option<u8>,
    primary: Vec<u8>,
    secondary: Vec<u8>,
    flags: [(bool, bool, bool); 2],
}

impl Settled {
    fn of(device: &Bootloader, version: Option<u8>) -> Settled {
        let flags = [Slot::Primary, Slot::Secondary].map(|slot| {
            let t = trailer::read(&device.flash, device.layout, slot);
            (t.magic, t.image_ok, t.copy_done)
        });
        Settled {
            version,
            primary: device.primary(),
            secondary: device.secondary(),
            flags,
        }
    }
}

pub(crate) fn version_of(outcome: &BootOutcome) -> Option<u8> {
    match outcome {
        BootOutcome::Booted { version, .. }
        | BootOutcome::UpgradeRejected { version, .. }
        | BootOutcome::Reverted { version } => Some(version.major),
        _ => None,
    }
}

/// The work `device.boot()` would do, cut as `second` says; `settle` runs after the first
/// clean boot (the new firmware confirming itself) and before the boot that must do no flash
/// work. The new image is version 2, the old one version 1.
pub(crate) fn cut_sweep(
    device: &Bootloader,
    settle: &dyn Fn(&mut Bootloader),
    second: SecondCuts,
) -> CutCounts {
    let start = device.flash().ops();
    let mut clean = device.clone();
    clean.boot();
    let mut c = CutCounts {
        operations: clean.flash().ops() - start,
        ..CutCounts::default()
    };
    settle(&mut clean);
    let last = version_of(&clean.boot());
    let settled = Settled::of(&clean, last);
    for cut in 0..c.operations {
        let mut d = device.clone();
        d.flash_mut().cut_power_before(start + cut);
        d.boot();
        c.cut_points += 1;
        if second.after(cut, c.operations) {
            second_cuts(&d, settle, second, &settled, &mut c);
        }
        judge(d, settle, &settled, &mut c.outcomes);
    }
    c
}

/// The boot that recovers from a first cut, cut in its turn before the operations `second`
/// picks of those it would do.
fn second_cuts(
    d: &Bootloader,
    settle: &dyn Fn(&mut Bootloader),
    second: SecondCuts,
    settled: &Settled,
    c: &mut CutCounts,
) {
    let from = d.flash().ops();
    let mut recovering = d.clone();
    recovering.boot();
    for again in second.points(recovering.flash().ops() - from) {
        let mut twice = d.clone();
        twice.flash_mut().cut_power_before(from + again);
        twice.boot();
        c.second_cuts += 1;
        judge(twice, settle, settled, &mut c.after_second_cut);
    }
}

/// Clean boots from here on: counts what boots and whether the invariants hold.
fn judge(
    mut d: Bootloader,
    settle: &dyn Fn(&mut Bootloader),
    settled: &Settled,
    out: &mut Outcomes,
) {
    let booted = version_of(&d.boot());
    match booted {
        Some(2) => out.booted_new += 1,
        Some(_) => out.booted_old += 1,
        None => out.bricked += 1,
    }
    settle(&mut d);
    let before = d.flash().ops();
    let again = version_of(&d.boot());
    if d.flash().ops() != before || again != booted {
        out.unfinished += 1;
    }
    let now = Settled::of(&d, again);
    if (now.version, &now.primary, &now.secondary, now.flags)
        != (
            settled.version,
            &settled.primary,
            &settled.secondary,
            settled.flags,
        )
    {
        out.misplaced += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::build_image;
    use crate::image::ImageVersion;
    use crate::layout::SECTOR_SIZE;
    use crate::strategy::Strategy;

    /// A device that ran the clean work (an overwrite to version 2), and what it left.
    fn settled() -> (Bootloader, Settled) {
        let old = build_image(ImageVersion::new(1, 0, 0), &[1; 3000]);
        let new = build_image(ImageVersion::new(2, 0, 0), &[2; 5000]);
        let mut d = Bootloader::with_geometry(Strategy::Overwrite, 4 * SECTOR_SIZE, 8, 0xff, &old);
        d.erase_secondary().unwrap();
        d.write_secondary(0, &new).unwrap();
        d.request_upgrade().unwrap();
        let mut clean = d.clone();
        clean.boot();
        let last = version_of(&clean.boot());
        let s = Settled::of(&clean, last);
        (clean, s)
    }

    fn judged(d: Bootloader, s: &Settled) -> Outcomes {
        let mut out = Outcomes::default();
        judge(d, &|_| {}, s, &mut out);
        out
    }

    /// The judge sees each broken invariant: a run that cannot fail would prove nothing.
    #[test]
    fn the_judge_counts_each_broken_invariant() {
        let (clean, s) = settled();
        let fine = judged(clean.clone(), &s);
        assert_eq!((fine.booted_new, fine.broken()), (1, 0), "{fine:?}");

        let mut bricked = clean.clone();
        bricked.flash_mut().erase(0).unwrap();
        let out = judged(bricked, &s);
        assert_eq!((out.bricked, out.misplaced), (1, 1), "BOOT-I1: {out:?}");

        // Work that is still there after the first clean boot: a request left behind.
        let mut out = Outcomes::default();
        let leave_a_request = |d: &mut Bootloader| {
            let _ = d.request_upgrade();
        };
        judge(clean.clone(), &leave_a_request, &s, &mut out);
        assert_eq!(
            out.unfinished, 1,
            "BOOT-I2: the next boot copies again: {out:?}"
        );

        let mut flipped = clean.clone();
        let at = 4 * SECTOR_SIZE + 100;
        flipped.flash_mut().disturb(at, 0x01);
        let out = judged(flipped, &s);
        assert_eq!(
            (out.booted_new, out.unfinished, out.misplaced),
            (1, 0, 1),
            "BOOT-I3: the secondary is not as the clean run left it: {out:?}"
        );
    }
}
