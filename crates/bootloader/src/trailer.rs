//! A slot's trailer, MCUboot's `boot_img_trailer` (reference/mcuboot.md §2.1), in the last
//! sector of the slot: the 16-byte magic at the very end, and counted back from it image_ok,
//! copy_done, swap_info, swap_size and the swap-move status records. The magic is what makes
//! the rest count: a trailer whose magic is erased says nothing.
//!
//! The sizes follow the flash's write alignment as MCUboot's do (BOOT-8): image_ok, copy_done,
//! swap_info and swap_size each take BOOT_MAX_ALIGN bytes so that each can be written on its
//! own, the magic's area is padded in front to a multiple of it, and a status record takes one
//! write of the alignment (MCUboot's `BOOT_WRITE_SZ`). A field is written as its value padded
//! with erased bytes to the alignment, as `boot_write_trailer` does.

use crate::flash::{Flash, FlashError};
use crate::layout::{Slot, SlotLayout, SECTOR_SIZE};
use serde::Serialize;

/// MCUboot's trailer magic (`boot_img_magic`), the last 16 bytes of a slot.
pub const BOOT_MAGIC: [u8; 16] = [
    0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
];

/// What a set flag reads as (MCUboot's BOOT_FLAG_SET).
pub(crate) const SET: u8 = 0x01;

/// Field numbers, counted back from the magic.
pub(crate) const IMAGE_OK: usize = 1;
pub(crate) const COPY_DONE: usize = 2;
pub(crate) const SWAP_INFO: usize = 3;
pub(crate) const SWAP_SIZE: usize = 4;

/// Status records per swapped sector: the move up, the copy down and the copy up.
const RECORDS_PER_SECTOR: usize = 3;

/// MCUboot's BOOT_MAX_ALIGN for flash that writes `align` bytes at a time: 8, MCUboot's
/// default and the least its swap strategies allow, or the alignment itself when a write
/// takes more (a build for such flash sets MCUBOOT_BOOT_MAX_ALIGN to it). A multiple of the
/// alignment, so every field starts on a write boundary.
pub(crate) fn max_align(align: usize) -> usize {
    8usize.next_multiple_of(align.max(1))
}

/// BOOT_MAGIC_ALIGN_SIZE: the magic's area, padded in front to a multiple of BOOT_MAX_ALIGN.
fn magic_area(align: usize) -> usize {
    BOOT_MAGIC.len().next_multiple_of(max_align(align))
}

/// Bytes of the trailer before the status records: the magic's area and the four fields.
fn info_size(align: usize) -> usize {
    magic_area(align).saturating_add(SWAP_SIZE.saturating_mul(max_align(align)))
}

/// Sectors a swap can move: as many as the trailer sector has status records for.
pub(crate) fn max_swap_sectors(align: usize) -> usize {
    SECTOR_SIZE.saturating_sub(info_size(align)) / (RECORDS_PER_SECTOR * align.max(1))
}

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

fn magic_offset(layout: SlotLayout, slot: Slot) -> usize {
    layout.slot_end(slot) - BOOT_MAGIC.len()
}

/// Offset of a trailer field, counted back from the magic's area.
fn field(flash: &Flash, layout: SlotLayout, slot: Slot, n: usize) -> usize {
    let align = flash.geometry().align;
    // Saturating: an alignment larger than the sector gives writes the flash refuses, not
    // an overflow.
    layout
        .slot_end(slot)
        .saturating_sub(magic_area(align) + n * max_align(align))
}

/// Offset of swap-move status record `i`, counted back from swap_size.
fn status(flash: &Flash, layout: SlotLayout, slot: Slot, i: usize) -> usize {
    let align = flash.geometry().align.max(1);
    field(flash, layout, slot, SWAP_SIZE).saturating_sub((i + 1) * align)
}

/// Writes `value` at `offset`, padded with erased bytes to a whole write.
fn write_padded(flash: &mut Flash, offset: usize, value: &[u8]) -> Result<(), FlashError> {
    let g = flash.geometry();
    let mut bytes = value.to_vec();
    bytes.resize(value.len().next_multiple_of(g.align.max(1)), g.erased);
    flash.write(offset, &bytes)
}

pub(crate) fn write_field(
    flash: &mut Flash,
    layout: SlotLayout,
    slot: Slot,
    n: usize,
    value: &[u8],
) -> Result<(), FlashError> {
    let at = field(flash, layout, slot, n);
    write_padded(flash, at, value)
}

pub(crate) fn flag(flash: &Flash, layout: SlotLayout, slot: Slot, n: usize) -> bool {
    flash.read(field(flash, layout, slot, n), 1) == [SET]
}

/// Records that swap-move step `i` is done, in the primary trailer.
pub(crate) fn write_status(
    flash: &mut Flash,
    layout: SlotLayout,
    i: usize,
) -> Result<(), FlashError> {
    let at = status(flash, layout, Slot::Primary, i);
    write_padded(flash, at, &[SET])
}

/// Whether swap-move step `i` is recorded as done.
pub(crate) fn status_done(flash: &Flash, layout: SlotLayout, i: usize) -> bool {
    flash.read(status(flash, layout, Slot::Primary, i), 1) == [SET]
}

pub(crate) fn has_magic(flash: &Flash, layout: SlotLayout, slot: Slot) -> bool {
    flash.read(magic_offset(layout, slot), BOOT_MAGIC.len()) == BOOT_MAGIC
}

/// Writes the magic, the commit record of whatever was written in the trailer before it: the
/// whole magic area in one write, erased bytes in front of the magic (`boot_write_magic`).
pub(crate) fn write_magic(
    flash: &mut Flash,
    layout: SlotLayout,
    slot: Slot,
) -> Result<(), FlashError> {
    let area = magic_area(flash.geometry().align);
    let mut bytes = vec![flash.geometry().erased; area - BOOT_MAGIC.len()];
    bytes.extend_from_slice(&BOOT_MAGIC);
    flash.write(layout.slot_end(slot).saturating_sub(area), &bytes)
}

pub(crate) fn read(flash: &Flash, layout: SlotLayout, slot: Slot) -> Trailer {
    // A flash too small for its slots reads short: what is missing counts as erased.
    let bytes = |n: usize, len: usize| {
        let mut b = flash.read(field(flash, layout, slot, n), len);
        b.resize(len, flash.geometry().erased);
        b
    };
    let info = bytes(SWAP_INFO, 1)[0];
    let size = bytes(SWAP_SIZE, 4);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flash::{FlashOp, Geometry};

    fn flash(align: usize, erased: u8) -> (Flash, SlotLayout) {
        let layout = SlotLayout::for_slot_size(4 * SECTOR_SIZE);
        let flash = Flash::new(Geometry {
            sector_size: SECTOR_SIZE,
            sectors: layout.flash_sectors(),
            align,
            erased,
        });
        (flash, layout)
    }

    /// BOOT-8: MCUboot's offsets, counted back from the slot's end: the magic in the last 16
    /// bytes, then image_ok, copy_done, swap_info and swap_size, BOOT_MAX_ALIGN bytes each,
    /// then the status records, one write each. The default geometry (alignment 8) keeps the
    /// layout it has always had.
    #[test]
    fn boot8_fields_sit_where_mcuboot_puts_them_for_every_alignment() {
        // (alignment, image_ok, copy_done, swap_info, swap_size, first status record), bytes
        // back from the slot's end.
        let cases = [
            (1, 24, 32, 40, 48, 49),
            (2, 24, 32, 40, 48, 50),
            (4, 24, 32, 40, 48, 52),
            (8, 24, 32, 40, 48, 56),
            (16, 32, 48, 64, 80, 96),
        ];
        for (align, ok, done, info, size, first) in cases {
            let (f, l) = flash(align, 0xff);
            let end = l.slot_end(Slot::Primary);
            let back = |at: usize| end - at;
            assert_eq!(
                [IMAGE_OK, COPY_DONE, SWAP_INFO, SWAP_SIZE].map(|n| back(field(
                    &f,
                    l,
                    Slot::Primary,
                    n
                ))),
                [ok, done, info, size],
                "align {align}"
            );
            assert_eq!(
                back(status(&f, l, Slot::Primary, 0)),
                first,
                "align {align}"
            );
            assert_eq!(back(magic_offset(l, Slot::Primary)), 16);
        }
    }

    /// BOOT-8: every trailer write starts on and covers whole writes, padded with the erased
    /// value, and reads back as written, for both erased values.
    /// Alignments no scenario may have make trailer writes fail as the flash refuses them
    /// (3: off every write boundary), or at least never panic (larger than a sector).
    #[test]
    fn odd_alignments_never_panic() {
        let (mut f, l) = flash(3, 0xff);
        assert!(write_magic(&mut f, l, Slot::Primary).is_err());
        assert!(write_status(&mut f, l, 0).is_err());
        for align in [8192, usize::MAX / 4] {
            let (mut f, l) = flash(align, 0xff);
            let _ = write_magic(&mut f, l, Slot::Primary);
            let _ = write_status(&mut f, l, 0);
            let _ = (read(&f, l, Slot::Primary), max_swap_sectors(align));
        }
    }

    #[test]
    fn boot8_every_trailer_write_is_whole_and_reads_back() {
        for align in [1, 2, 4, 8, 16] {
            for erased in [0x00, 0xff] {
                let (mut f, l) = flash(align, erased);
                let what = format!("align {align} erased {erased:#04x}");
                write_field(&mut f, l, Slot::Primary, SWAP_INFO, &[SwapType::Perm as u8])
                    .expect(&what);
                write_field(&mut f, l, Slot::Primary, SWAP_SIZE, &8192u32.to_le_bytes())
                    .expect(&what);
                for i in 0..3 * max_swap_sectors(align) {
                    write_status(&mut f, l, i).expect(&what);
                }
                write_field(&mut f, l, Slot::Primary, COPY_DONE, &[SET]).expect(&what);
                write_magic(&mut f, l, Slot::Primary).expect(&what);
                for op in f.take_journal() {
                    if let (FlashOp::Write { offset, len }, _) = op {
                        assert_eq!((offset % align, len % align), (0, 0), "{what}");
                        assert!(len <= max_align(align).max(BOOT_MAGIC.len()), "{what}");
                    }
                }
                let t = read(&f, l, Slot::Primary);
                assert!(t.magic && t.copy_done && !t.image_ok, "{what}: {t:?}");
                assert_eq!(
                    (t.swap_type, t.swap_sectors),
                    (Some(SwapType::Perm), 2),
                    "{what}"
                );
                assert!(
                    status_done(&f, l, 3 * max_swap_sectors(align) - 1),
                    "{what}"
                );
                // The last status record ends where the trailer sector begins, or after it.
                let last = status(&f, l, Slot::Primary, 3 * max_swap_sectors(align) - 1);
                assert!(
                    last >= l.trailer_sector(Slot::Primary) * SECTOR_SIZE,
                    "{what}"
                );
                // Padding is the erased value: the byte after swap_info's value is erased.
                let info_at = field(&f, l, Slot::Primary, SWAP_INFO);
                if align > 1 {
                    assert_eq!(f.read(info_at + 1, 1), [erased], "{what}");
                }
            }
        }
    }
}
