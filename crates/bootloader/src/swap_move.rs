//! MCUboot's swap-move strategy (reference/mcuboot.md §2.3): the primary image moves up one
//! sector, then sector by sector the new image comes down into the primary and the old one
//! goes up into the secondary. Three status records per sector in the primary trailer let a
//! boot after a power cut go on where the last one stopped. A TEST swap that is never confirmed
//! is swapped back at the next boot (REVERT, BOOT-6).
//!
//! These are the flash steps only; the loader decides when to run them.

use crate::events::SectorCopy;
use crate::flash::{Flash, FlashError};
use crate::layout::{Slot, SlotLayout, SECTOR_SIZE};
use crate::trailer::{self, SwapType, COPY_DONE, IMAGE_OK, SET, SWAP_INFO, SWAP_SIZE};
use crate::validate::validate;

/// Bytes an image may take in a slot: all but the trailer sector and the spare sector the
/// primary image moves into, and no more sectors than the trailer has status records for at
/// the flash's write alignment `align`.
pub(crate) fn capacity(layout: SlotLayout, align: usize) -> usize {
    (layout.slot_sectors() - 2).min(trailer::max_swap_sectors(align)) * SECTOR_SIZE
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Move primary sector idx-1 up to idx.
    Move(usize),
    /// Copy secondary sector idx-1 down into primary sector idx-1.
    Down(usize),
    /// Copy the moved old primary sector idx up into secondary sector idx-1.
    Up(usize),
}

/// One sector step done: the `step`-th (from 1) of `of`, a `copy` from flash sector `from` to
/// flash sector `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SectorStep {
    pub step: usize,
    pub of: usize,
    pub copy: SectorCopy,
    pub from: usize,
    pub to: usize,
}

fn steps(sectors: usize) -> Vec<Step> {
    let mut out: Vec<Step> = (1..=sectors).rev().map(Step::Move).collect();
    for idx in 1..=sectors {
        out.push(Step::Down(idx));
        out.push(Step::Up(idx));
    }
    out
}

/// Writes a swap request in the secondary trailer: magic first, then image_ok for a
/// permanent one, then the swap type (MCUboot's `boot_set_pending`).
pub(crate) fn request_swap(
    flash: &mut Flash,
    layout: SlotLayout,
    permanent: bool,
) -> Result<(), FlashError> {
    flash.erase(layout.trailer_sector(Slot::Secondary))?;
    trailer::write_magic(flash, layout, Slot::Secondary)?;
    if permanent {
        trailer::write_field(flash, layout, Slot::Secondary, IMAGE_OK, &[SET])?;
    }
    let kind = if permanent {
        SwapType::Perm
    } else {
        SwapType::Test
    };
    trailer::write_field(flash, layout, Slot::Secondary, SWAP_INFO, &[kind as u8])
}

/// MCUboot's swap-type table, secondary first (reference/mcuboot.md §2.1).
pub(crate) fn swap_type(flash: &Flash, layout: SlotLayout) -> Option<SwapType> {
    let p = trailer::read(flash, layout, Slot::Primary);
    let s = trailer::read(flash, layout, Slot::Secondary);
    if s.magic {
        return Some(if s.image_ok {
            SwapType::Perm
        } else {
            SwapType::Test
        });
    }
    (p.magic && !p.image_ok && p.copy_done).then_some(SwapType::Revert)
}

/// A swap whose primary trailer is committed but whose copy_done is not set: resume it.
pub(crate) fn interrupted_swap(flash: &Flash, layout: SlotLayout) -> Option<(SwapType, usize)> {
    let p = trailer::read(flash, layout, Slot::Primary);
    (p.magic && !p.copy_done).then(|| (p.swap_type.unwrap_or(SwapType::Test), p.swap_sectors))
}

fn image_sectors(flash: &Flash, layout: SlotLayout, slot: Slot) -> usize {
    let bytes = flash.read(
        layout.slot_start(slot),
        capacity(layout, flash.geometry().align),
    );
    validate(&bytes, 0)
        .info
        .map_or(0, |i| i.total_len.div_ceil(SECTOR_SIZE))
}

/// Starts a swap: the primary trailer is set up with the magic last (the commit record),
/// then the secondary's request is withdrawn. Returns the sectors the swap moves.
pub(crate) fn start_swap(
    flash: &mut Flash,
    layout: SlotLayout,
    kind: SwapType,
) -> Result<usize, FlashError> {
    if kind == SwapType::Revert {
        // Should the power go between erasing the primary trailer and committing it, this
        // permanent request makes the next boot swap back all the same (MCUboot's
        // fixup_revert). Its magic goes last, so a request cut short is no request.
        flash.erase(layout.trailer_sector(Slot::Secondary))?;
        trailer::write_field(flash, layout, Slot::Secondary, IMAGE_OK, &[SET])?;
        trailer::write_field(
            flash,
            layout,
            Slot::Secondary,
            SWAP_INFO,
            &[SwapType::Perm as u8],
        )?;
        trailer::write_magic(flash, layout, Slot::Secondary)?;
    }
    let sectors = image_sectors(flash, layout, Slot::Primary)
        .max(image_sectors(flash, layout, Slot::Secondary))
        .clamp(1, layout.slot_sectors() - 2);
    flash.erase(layout.trailer_sector(Slot::Primary))?;
    trailer::write_field(flash, layout, Slot::Primary, SWAP_INFO, &[kind as u8])?;
    trailer::write_field(
        flash,
        layout,
        Slot::Primary,
        SWAP_SIZE,
        &((sectors * SECTOR_SIZE) as u32).to_le_bytes(),
    )?;
    trailer::write_magic(flash, layout, Slot::Primary)?;
    flash.erase(layout.trailer_sector(Slot::Secondary))?;
    Ok(sectors)
}

fn copy_sector(flash: &mut Flash, from: usize, to: usize) -> Result<(), FlashError> {
    flash.erase(to)?;
    let data = flash.read(from * SECTOR_SIZE, SECTOR_SIZE);
    flash.write(to * SECTOR_SIZE, &data)
}

/// Runs the move and swap steps not yet recorded, then marks the swap done. After each step
/// and its status record, `done` hears of it with the flash as it is then.
pub(crate) fn run_swap(
    flash: &mut Flash,
    layout: SlotLayout,
    kind: SwapType,
    sectors: usize,
    done: &mut dyn FnMut(&mut Flash, SectorStep),
) -> Result<(), FlashError> {
    // A request left in the secondary trailer (the power went before start_swap withdrew
    // it) would start the swap all over again at the next boot.
    if trailer::has_magic(flash, layout, Slot::Secondary) {
        flash.erase(layout.trailer_sector(Slot::Secondary))?;
    }
    let (p, s) = (
        layout.first_sector(Slot::Primary),
        layout.first_sector(Slot::Secondary),
    );
    let all = steps(sectors);
    for (i, step) in all.iter().enumerate() {
        if trailer::status_done(flash, layout, i) {
            continue;
        }
        let (copy, from, to) = match *step {
            Step::Move(idx) => (SectorCopy::MoveUp, p + idx - 1, p + idx),
            Step::Down(idx) => (SectorCopy::Down, s + idx - 1, p + idx - 1),
            Step::Up(idx) => (SectorCopy::Up, p + idx, s + idx - 1),
        };
        copy_sector(flash, from, to)?;
        trailer::write_status(flash, layout, i)?;
        done(
            flash,
            SectorStep {
                step: i + 1,
                of: all.len(),
                copy,
                from,
                to,
            },
        );
    }
    if kind != SwapType::Test && !trailer::flag(flash, layout, Slot::Primary, IMAGE_OK) {
        trailer::write_field(flash, layout, Slot::Primary, IMAGE_OK, &[SET])?;
    }
    trailer::write_field(flash, layout, Slot::Primary, COPY_DONE, &[SET])
}

/// `boot_set_confirmed`: image_ok in the primary trailer, once.
pub(crate) fn mark_confirmed(flash: &mut Flash, layout: SlotLayout) -> Result<(), FlashError> {
    let p = trailer::read(flash, layout, Slot::Primary);
    if p.magic && !p.image_ok {
        trailer::write_field(flash, layout, Slot::Primary, IMAGE_OK, &[SET])?;
    }
    Ok(())
}
