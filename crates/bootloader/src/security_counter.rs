//! The anti-rollback counter (BOOT-7), MCUboot's hardware security counter, kept in the NV
//! sector after both slots as a run of 8-byte records (the value and its complement), each
//! larger than the one before: the largest intact record holds. Appending instead of
//! rewriting means a power cut leaves either the old value or the new one, never neither.

use crate::flash::{Flash, FlashError};
use crate::layout::SlotLayout;

/// The counter as the NV sector says: the largest intact record, 0 when there is none.
pub(crate) fn read(flash: &Flash, layout: SlotLayout) -> u32 {
    let g = flash.geometry();
    let nv = flash.read(layout.nv_offset(), g.sector_size);
    nv.chunks(8)
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
    let nv = flash.read(layout.nv_offset(), g.sector_size);
    let used = nv
        .chunks(8)
        .take_while(|r| r.iter().any(|&b| b != g.erased))
        .count();
    let slot = if used * 8 + 8 > g.sector_size {
        flash.erase(layout.nv_sector())?;
        0
    } else {
        used
    };
    let mut record = value.to_le_bytes().to_vec();
    record.extend_from_slice(&(!value).to_le_bytes());
    flash.write(layout.nv_offset() + slot * 8, &record)
}
