//! The slot layout (MCUboot's flash map): the primary slot, then the secondary slot, each a
//! run of 4 KiB sectors whose last one holds the trailer, then one sector of NV storage for
//! the security counter. Everything else asks this file where a slot starts and ends and what
//! a sector is for, so the arithmetic lives in one place.

use serde::Serialize;

pub const SECTOR_SIZE: usize = 4096;

/// One of the two image slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    Primary,
    Secondary,
}

impl Slot {
    pub fn name(self) -> &'static str {
        match self {
            Slot::Primary => "primary",
            Slot::Secondary => "secondary",
        }
    }
}

/// What a sector of the flash is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "part", rename_all = "kebab-case")]
pub enum SectorRole {
    /// Sector `index` of a slot's image area, counted from the slot's start.
    Image { slot: Slot, index: usize },
    /// The last sector of a slot: its trailer (magic, flags, swap status).
    Trailer { slot: Slot },
    /// The sector after both slots that holds the security counter.
    NvCounter,
}

impl core::fmt::Display for SectorRole {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SectorRole::Image { slot, index } => write!(f, "{} sector {index}", slot.name()),
            SectorRole::Trailer { slot } => write!(f, "{} trailer", slot.name()),
            SectorRole::NvCounter => f.write_str("NV counter"),
        }
    }
}

/// Where the slots sit: both hold `slot_sectors` sectors, at least three (the trailer, the
/// spare sector swap-move moves into, and room for an image).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SlotLayout {
    slot_sectors: usize,
}

impl SlotLayout {
    /// Slots of `slot_size` bytes, rounded up to whole sectors.
    pub fn for_slot_size(slot_size: usize) -> SlotLayout {
        SlotLayout {
            slot_sectors: slot_size.div_ceil(SECTOR_SIZE).max(3),
        }
    }

    /// The layout of a flash of `sectors` sectors: two equal slots and the NV sector.
    pub fn for_flash_sectors(sectors: usize) -> SlotLayout {
        SlotLayout {
            slot_sectors: (sectors.saturating_sub(1) / 2).max(3),
        }
    }

    pub fn slot_sectors(self) -> usize {
        self.slot_sectors
    }

    /// Sectors of the whole flash: both slots, then the NV sector.
    pub fn flash_sectors(self) -> usize {
        2 * self.slot_sectors + 1
    }

    pub fn slot_start(self, slot: Slot) -> usize {
        match slot {
            Slot::Primary => 0,
            Slot::Secondary => self.slot_sectors * SECTOR_SIZE,
        }
    }

    pub fn slot_end(self, slot: Slot) -> usize {
        self.slot_start(slot) + self.slot_sectors * SECTOR_SIZE
    }

    pub fn first_sector(self, slot: Slot) -> usize {
        self.slot_start(slot) / SECTOR_SIZE
    }

    pub fn trailer_sector(self, slot: Slot) -> usize {
        self.first_sector(slot) + self.slot_sectors - 1
    }

    pub fn nv_offset(self) -> usize {
        2 * self.slot_sectors * SECTOR_SIZE
    }

    pub fn nv_sector(self) -> usize {
        self.nv_offset() / SECTOR_SIZE
    }

    /// Which part of the flash sector `sector` belongs to (anything past the slots counts as
    /// the NV sector, as the log has always said).
    pub fn role(self, sector: usize) -> SectorRole {
        let n = self.slot_sectors;
        match sector {
            s if s == n - 1 => SectorRole::Trailer {
                slot: Slot::Primary,
            },
            s if s < n => SectorRole::Image {
                slot: Slot::Primary,
                index: s,
            },
            s if s == 2 * n - 1 => SectorRole::Trailer {
                slot: Slot::Secondary,
            },
            s if s < 2 * n => SectorRole::Image {
                slot: Slot::Secondary,
                index: s - n,
            },
            _ => SectorRole::NvCounter,
        }
    }
}
