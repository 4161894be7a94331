//! What a student's view of the flash shows: each slot as a strip of sectors (erased, holding
//! data, or the trailer), the image in it, the trailer's flags, and the wear.

use crate::bootloader::Bootloader;
use crate::flash::Flash;
use crate::layout::{Slot, SlotLayout};
use crate::strategy::Strategy;
use crate::trailer::{self, Trailer};
use crate::validate::validate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectorKind {
    Erased,
    Data,
    Trailer,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectorView {
    /// The sector's number in the whole flash.
    pub index: usize,
    pub kind: SectorKind,
    pub erase_count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotView {
    pub name: &'static str,
    pub sectors: Vec<SectorView>,
    /// The image's version when the slot holds a valid one.
    pub image: Option<String>,
    /// Bytes the slot's image takes, when valid.
    pub image_len: usize,
    pub magic: bool,
    pub image_ok: bool,
    pub copy_done: bool,
    /// MCUboot's swap type in the trailer (`TEST`, `PERM`, `REVERT`), when set.
    pub swap_type: Option<&'static str>,
}

/// One slot as `flash` holds it: its sectors, the image in it (validated), and its trailer.
fn slot_view(
    flash: &Flash,
    layout: SlotLayout,
    strategy: Strategy,
    slot: Slot,
    name: &'static str,
) -> SlotView {
    let g = flash.geometry();
    let first = layout.first_sector(slot);
    let trailer_sector = layout.trailer_sector(slot);
    let counts = flash.erase_counts();
    let sectors = (first..=trailer_sector)
        .map(|index| {
            let erased = flash.sector_erased(index);
            SectorView {
                index,
                kind: match (index == trailer_sector, erased) {
                    (_, true) => SectorKind::Erased,
                    (true, false) => SectorKind::Trailer,
                    (false, false) => SectorKind::Data,
                },
                erase_count: counts.get(index).copied().unwrap_or(0),
            }
        })
        .collect();
    let bytes = flash.read(layout.slot_start(slot), strategy.capacity(layout, g.align));
    let info = validate(&bytes, 0).info;
    let Trailer {
        magic,
        image_ok,
        copy_done,
        swap_type,
        ..
    } = trailer::read(flash, layout, slot);
    SlotView {
        name,
        sectors,
        image: info.as_ref().map(|i| i.version.to_string()),
        image_len: info.map_or(0, |i| i.total_len),
        magic,
        image_ok,
        copy_done,
        swap_type: swap_type.map(|t| t.name()),
    }
}

/// The primary and secondary slots as `flash` holds them.
pub(crate) fn slots_view(flash: &Flash, layout: SlotLayout, strategy: Strategy) -> [SlotView; 2] {
    [
        slot_view(flash, layout, strategy, Slot::Primary, "primary"),
        slot_view(flash, layout, strategy, Slot::Secondary, "secondary"),
    ]
}

impl Bootloader {
    /// The primary and secondary slots as they are in flash now.
    pub fn slots_view(&self) -> [SlotView; 2] {
        slots_view(&self.flash, self.layout, self.strategy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{build_image, ImageVersion};

    #[test]
    fn a_fresh_device_shows_its_image_in_the_primary_and_an_empty_secondary() {
        let image = build_image(ImageVersion::new(1, 2, 3), &[7; 9000]);
        let b = Bootloader::new(64 * 1024, &image);
        let [p, s] = b.slots_view();
        assert_eq!(p.image.as_deref(), Some("1.2.3"));
        assert_eq!(p.sectors.len(), 16);
        let data = p
            .sectors
            .iter()
            .filter(|s| s.kind == SectorKind::Data)
            .count();
        assert_eq!(data, image.len().div_ceil(4096));
        assert!(s.image.is_none());
        assert!(s.sectors.iter().all(|s| s.kind == SectorKind::Erased));
        assert!(!s.magic && s.swap_type.is_none());
    }
}
