//! The anti-rollback counter (BOOT-7), MCUboot's hardware security counter, kept in the NV
//! sector after both slots as a run of records (the value and its complement, 8 bytes, padded
//! with erased bytes to a whole write as the trailer's fields are, BOOT-8), each larger than
//! the one before: the largest intact record holds. Appending instead of rewriting means a
//! power cut leaves either the old value or the new one, never neither.

use crate::flash::{Flash, FlashError};
use crate::layout::SlotLayout;
use crate::trailer::max_align;

/// Bytes of one record: the value and its complement, padded to a whole write.
fn record_size(flash: &Flash) -> usize {
    max_align(flash.geometry().align)
}

/// The counter as the NV sector says: the largest intact record, 0 when there is none.
pub(crate) fn read(flash: &Flash, layout: SlotLayout) -> u32 {
    let g = flash.geometry();
    let nv = flash.read(layout.nv_offset(), g.sector_size);
    nv.chunks_exact(record_size(flash))
        .take_while(|r| r.iter().any(|&b| b != g.erased))
        .filter_map(|r| {
            let value = u32::from_le_bytes([r[0], r[1], r[2], r[3]]);
            let check = u32::from_le_bytes([r[4], r[5], r[6], r[7]]);
            (check == !value).then_some(value)
        })
        .max()
        .unwrap_or(0)
}

/// Appends a larger counter value; a full NV sector is erased and starts again.
pub(crate) fn write(flash: &mut Flash, layout: SlotLayout, value: u32) -> Result<(), FlashError> {
    let g = flash.geometry();
    let size = record_size(flash);
    let nv = flash.read(layout.nv_offset(), g.sector_size);
    let used = nv
        .chunks_exact(size)
        .take_while(|r| r.iter().any(|&b| b != g.erased))
        .count();
    let slot = if (used + 1) * size > g.sector_size {
        flash.erase(layout.nv_sector())?;
        0
    } else {
        used
    };
    let mut record = value.to_le_bytes().to_vec();
    record.extend_from_slice(&(!value).to_le_bytes());
    record.resize(size, g.erased);
    flash.write(layout.nv_offset() + slot * size, &record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flash::Geometry;
    use crate::layout::SECTOR_SIZE;

    /// BOOT-7 with BOOT-8: the counter moves up, record after record, on every alignment and
    /// both erased values, and a full sector starts again without losing the value.
    #[test]
    fn boot8_the_counter_moves_up_on_every_geometry() {
        for align in [1, 2, 4, 8, 16] {
            for erased in [0x00, 0xff] {
                let layout = SlotLayout::for_slot_size(3 * SECTOR_SIZE);
                let mut f = Flash::new(Geometry {
                    sector_size: SECTOR_SIZE,
                    sectors: layout.flash_sectors(),
                    align,
                    erased,
                });
                let what = format!("align {align} erased {erased:#04x}");
                assert_eq!(read(&f, layout), 0, "{what}");
                let records = SECTOR_SIZE / max_align(align);
                for value in 1..=records as u32 + 2 {
                    write(&mut f, layout, value).expect(&what);
                    assert_eq!(read(&f, layout), value, "{what}");
                }
            }
        }
    }
}
