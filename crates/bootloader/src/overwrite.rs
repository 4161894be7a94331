//! MCUboot's overwrite-only strategy: an upgrade request is the trailer magic in the secondary
//! slot (written last, so it is the commit record); at boot the loader validates the
//! secondary, copies it over the primary sector by sector, and only then erases the request.
//! A power cut anywhere in that copy is finished by the next boot (BOOT-I1, BOOT-I2), because
//! the request is still there and the copy starts over. There is no way back.
//!
//! These are the flash steps only; the loader decides when to run them.

use crate::events::SectorCopy;
use crate::flash::{Flash, FlashError};
use crate::layout::{Slot, SlotLayout, SECTOR_SIZE};
use crate::swap_move::SectorStep;
use crate::trailer;

/// Bytes an image may take in a slot: all but the trailer sector, whatever the alignment (the
/// trailer holds only the magic).
pub(crate) fn capacity(layout: SlotLayout) -> usize {
    (layout.slot_sectors() - 1) * SECTOR_SIZE
}

/// Asks for an upgrade at the next boot: a fresh secondary trailer holding only the magic.
pub(crate) fn request(flash: &mut Flash, layout: SlotLayout) -> Result<(), FlashError> {
    flash.erase(layout.trailer_sector(Slot::Secondary))?;
    trailer::write_magic(flash, layout, Slot::Secondary)
}

pub(crate) fn requested(flash: &Flash, layout: SlotLayout) -> bool {
    trailer::has_magic(flash, layout, Slot::Secondary)
}

/// Withdraws the request, so that a refused or finished upgrade is not tried again.
pub(crate) fn withdraw(flash: &mut Flash, layout: SlotLayout) -> Result<(), FlashError> {
    flash.erase(layout.trailer_sector(Slot::Secondary))
}

/// Copies the secondary image over the primary, then withdraws the request. After each sector,
/// `done` hears of it with the flash as it is then.
pub(crate) fn copy(
    flash: &mut Flash,
    layout: SlotLayout,
    image_len: usize,
    done: &mut dyn FnMut(&mut Flash, SectorStep),
) -> Result<(), FlashError> {
    let sectors = image_len.div_ceil(SECTOR_SIZE);
    let (p, s) = (
        layout.first_sector(Slot::Primary),
        layout.first_sector(Slot::Secondary),
    );
    for i in 0..sectors {
        flash.erase(p + i)?;
        let data = flash.read((s + i) * SECTOR_SIZE, SECTOR_SIZE);
        flash.write((p + i) * SECTOR_SIZE, &data)?;
        done(
            flash,
            SectorStep {
                step: i + 1,
                of: sectors,
                copy: SectorCopy::Over,
                from: s + i,
                to: p + i,
            },
        );
    }
    withdraw(flash, layout)
}
