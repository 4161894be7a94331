//! A slot's trailer, MCUboot's `boot_img_trailer` (reference/mcuboot.md §2.1), in the last
//! sector of the slot: the 16-byte magic at the very end, and counted back from it image_ok,
//! copy_done, swap_info, swap_size and the swap-move status records. Every field takes
//! BOOT_MAX_ALIGN bytes so that each can be written on its own, and the magic is what makes
//! the rest count: a trailer whose magic is erased says nothing.

use crate::flash::{Flash, FlashError};
use crate::layout::{Slot, SlotLayout, SECTOR_SIZE};
use serde::Serialize;

/// MCUboot's trailer magic (`boot_img_magic`), the last 16 bytes of a slot.
pub const BOOT_MAGIC: [u8; 16] = [
    0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
];

/// Every trailer field takes BOOT_MAX_ALIGN bytes so each can be written on its own.
const FIELD: usize = 8;
/// What a set flag reads as (MCUboot's BOOT_FLAG_SET).
pub(crate) const SET: u8 = 0x01;

/// Field numbers, counted back from the magic.
pub(crate) const IMAGE_OK: usize = 1;
pub(crate) const COPY_DONE: usize = 2;
pub(crate) const SWAP_INFO: usize = 3;
pub(crate) const SWAP_SIZE: usize = 4;
/// The first swap-move status record; record `i` is field `STATUS + i`.
pub(crate) const STATUS: usize = 5;

/// Status records that fit a trailer sector (3 per swapped sector, 8 bytes each, after the
/// 48 bytes of magic and fields) bound the sectors a swap can move.
pub(crate) const MAX_SWAP_SECTORS: usize = (SECTOR_SIZE - 48) / (3 * 8);

/// The swap a trailer asks for or records (MCUboot's BOOT_SWAP_TYPE_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SwapType {
    Test = 2,
    Perm = 3,
    Revert = 4,
}

impl SwapType {
    fn from_info(info: u8) -> Option<SwapType> {
        match info & 0x0f {
            2 => Some(SwapType::Test),
            3 => Some(SwapType::Perm),
            4 => Some(SwapType::Revert),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SwapType::Test => "TEST",
            SwapType::Perm => "PERM",
            SwapType::Revert => "REVERT",
        }
    }
}

impl core::fmt::Display for SwapType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the trailer of a slot says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Trailer {
    pub magic: bool,
    pub image_ok: bool,
    pub copy_done: bool,
    pub swap_type: Option<SwapType>,
    pub swap_sectors: usize,
}

pub(crate) fn magic_offset(layout: SlotLayout, slot: Slot) -> usize {
    layout.slot_end(slot) - BOOT_MAGIC.len()
}

/// Offset of a trailer field, counted back from the magic.
fn field(layout: SlotLayout, slot: Slot, n: usize) -> usize {
    magic_offset(layout, slot) - n * FIELD
}

pub(crate) fn write_field(
    flash: &mut Flash,
    layout: SlotLayout,
    slot: Slot,
    n: usize,
    value: &[u8],
) -> Result<(), FlashError> {
    let mut bytes = value.to_vec();
    bytes.resize(FIELD, flash.geometry().erased);
    flash.write(field(layout, slot, n), &bytes)
}

pub(crate) fn flag(flash: &Flash, layout: SlotLayout, slot: Slot, n: usize) -> bool {
    flash.read(field(layout, slot, n), 1) == [SET]
}

pub(crate) fn has_magic(flash: &Flash, layout: SlotLayout, slot: Slot) -> bool {
    flash.read(magic_offset(layout, slot), BOOT_MAGIC.len()) == BOOT_MAGIC
}

/// Writes the magic, the commit record of whatever was written in the trailer before it.
pub(crate) fn write_magic(
    flash: &mut Flash,
    layout: SlotLayout,
    slot: Slot,
) -> Result<(), FlashError> {
    flash.write(magic_offset(layout, slot), &BOOT_MAGIC)
}

pub(crate) fn read(flash: &Flash, layout: SlotLayout, slot: Slot) -> Trailer {
    let info = flash.read(field(layout, slot, SWAP_INFO), 1)[0];
    let size = flash.read(field(layout, slot, SWAP_SIZE), 4);
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
    let max = layout.slot_sectors() - 2;
    Trailer {
        magic: has_magic(flash, layout, slot),
        image_ok: flag(flash, layout, slot, IMAGE_OK),
        copy_done: flag(flash, layout, slot, COPY_DONE),
        swap_type: SwapType::from_info(info),
        swap_sectors: size.div_ceil(SECTOR_SIZE).min(max),
    }
}
