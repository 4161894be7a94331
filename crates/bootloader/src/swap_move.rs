//! MCUboot's swap-move strategy (reference/mcuboot.md §2.3): the primary image moves up one
//! sector, then sector by sector the new image comes down into the primary and the old one
//! goes up into the secondary. Three status records per sector in the primary trailer let a
//! boot after a power cut go on where the last one stopped. A TEST swap that is never confirmed
//! is swapped back at the next boot (REVERT, BOOT-6).

use crate::flash::FlashError;
use crate::slots::{Bootloader, Slot, BOOT_MAGIC, SECTOR_SIZE};
use crate::validate::validate;

/// Every trailer field takes BOOT_MAX_ALIGN bytes so each can be written on its own.
const FIELD: usize = 8;
const SET: u8 = 0x01;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Move primary sector idx-1 up to idx.
    Move(usize),
    /// Copy secondary sector idx-1 down into primary sector idx-1.
    Down(usize),
    /// Copy the moved old primary sector idx up into secondary sector idx-1.
    Up(usize),
}

fn steps(sectors: usize) -> Vec<Step> {
    let mut out: Vec<Step> = (1..=sectors).rev().map(Step::Move).collect();
    for idx in 1..=sectors {
        out.push(Step::Down(idx));
        out.push(Step::Up(idx));
    }
    out
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

impl Bootloader {
    fn slot_end(&self, slot: Slot) -> usize {
        self.slot_start(slot) + self.slot_sectors() * SECTOR_SIZE
    }

    /// Offset of a trailer field, counted back from the magic: 1 image_ok, 2 copy_done,
    /// 3 swap_info, 4 swap_size, 5.. status records.
    fn field(&self, slot: Slot, n: usize) -> usize {
        self.slot_end(slot) - BOOT_MAGIC.len() - n * FIELD
    }

    fn write_field(&mut self, slot: Slot, n: usize, value: &[u8]) -> Result<(), FlashError> {
        let erased = self.flash().geometry().erased;
        let mut bytes = value.to_vec();
        bytes.resize(FIELD, erased);
        let at = self.field(slot, n);
        self.flash_mut().write(at, &bytes)
    }

    fn flag(&self, slot: Slot, n: usize) -> bool {
        self.flash().read(self.field(slot, n), 1) == [SET]
    }

    pub(crate) fn trailer(&self, slot: Slot) -> Trailer {
        let magic = self
            .flash()
            .read(self.slot_end(slot) - BOOT_MAGIC.len(), BOOT_MAGIC.len())
            == BOOT_MAGIC;
        let info = self.flash().read(self.field(slot, 3), 1)[0];
        let size = self.flash().read(self.field(slot, 4), 4);
        let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
        let max = self.slot_sectors() - 2;
        Trailer {
            magic,
            image_ok: self.flag(slot, 1),
            copy_done: self.flag(slot, 2),
            swap_type: SwapType::from_info(info),
            swap_sectors: size.div_ceil(SECTOR_SIZE).min(max),
        }
    }

    fn record_done(&self, i: usize) -> bool {
        self.flag(Slot::Primary, 5 + i)
    }

    /// Writes a swap request in the secondary trailer: magic first, then image_ok for a
    /// permanent one, then the swap type (MCUboot's `boot_set_pending`).
    pub(crate) fn request_swap(&mut self, permanent: bool) -> Result<(), FlashError> {
        let sector = self.trailer_sector(Slot::Secondary);
        self.flash_mut().erase(sector)?;
        let at = self.slot_end(Slot::Secondary) - BOOT_MAGIC.len();
        self.flash_mut().write(at, &BOOT_MAGIC)?;
        if permanent {
            self.write_field(Slot::Secondary, 1, &[SET])?;
        }
        let kind = if permanent {
            SwapType::Perm
        } else {
            SwapType::Test
        };
        self.write_field(Slot::Secondary, 3, &[kind as u8])
    }

    /// MCUboot's swap-type table, secondary first (reference/mcuboot.md §2.1).
    pub(crate) fn swap_type(&self) -> Option<SwapType> {
        let (p, s) = (self.trailer(Slot::Primary), self.trailer(Slot::Secondary));
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
    pub(crate) fn interrupted_swap(&self) -> Option<(SwapType, usize)> {
        let p = self.trailer(Slot::Primary);
        (p.magic && !p.copy_done).then(|| (p.swap_type.unwrap_or(SwapType::Test), p.swap_sectors))
    }

    fn image_sectors(&self, slot: Slot) -> usize {
        let bytes = self.flash().read(self.slot_start(slot), self.capacity());
        validate(&bytes, 0)
            .info
            .map_or(0, |i| i.total_len.div_ceil(SECTOR_SIZE))
    }

    /// Starts a swap: the primary trailer is set up with the magic last (the commit record),
    /// then the secondary's request is withdrawn.
    pub(crate) fn start_swap(&mut self, kind: SwapType) -> Result<usize, FlashError> {
        if kind == SwapType::Revert {
            // Should the power go between erasing the primary trailer and committing it, this
            // permanent request makes the next boot swap back all the same (MCUboot's
            // fixup_revert). Its magic goes last, so a request cut short is no request.
            let sector = self.trailer_sector(Slot::Secondary);
            self.flash_mut().erase(sector)?;
            self.write_field(Slot::Secondary, 1, &[SET])?;
            self.write_field(Slot::Secondary, 3, &[SwapType::Perm as u8])?;
            let at = self.slot_end(Slot::Secondary) - BOOT_MAGIC.len();
            self.flash_mut().write(at, &BOOT_MAGIC)?;
        }
        let sectors = self
            .image_sectors(Slot::Primary)
            .max(self.image_sectors(Slot::Secondary))
            .clamp(1, self.slot_sectors() - 2);
        let sector = self.trailer_sector(Slot::Primary);
        self.flash_mut().erase(sector)?;
        self.write_field(Slot::Primary, 3, &[kind as u8])?;
        self.write_field(
            Slot::Primary,
            4,
            &((sectors * SECTOR_SIZE) as u32).to_le_bytes(),
        )?;
        let at = self.slot_end(Slot::Primary) - BOOT_MAGIC.len();
        self.flash_mut().write(at, &BOOT_MAGIC)?;
        let sector = self.trailer_sector(Slot::Secondary);
        self.flash_mut().erase(sector)?;
        Ok(sectors)
    }

    fn copy_sector(&mut self, from: usize, to: usize) -> Result<(), FlashError> {
        self.flash_mut().erase(to)?;
        let data = self.flash().read(from * SECTOR_SIZE, SECTOR_SIZE);
        self.flash_mut().write(to * SECTOR_SIZE, &data)
    }

    /// Runs the move and swap steps not yet recorded, then marks the swap done.
    pub(crate) fn run_swap(&mut self, kind: SwapType, sectors: usize) -> Result<(), FlashError> {
        // A request left in the secondary trailer (the power went before start_swap withdrew
        // it) would start the swap all over again at the next boot.
        if self.trailer(Slot::Secondary).magic {
            let sector = self.trailer_sector(Slot::Secondary);
            self.flash_mut().erase(sector)?;
        }
        let (p, s) = (
            self.first_sector(Slot::Primary),
            self.first_sector(Slot::Secondary),
        );
        for (i, step) in steps(sectors).into_iter().enumerate() {
            if self.record_done(i) {
                continue;
            }
            match step {
                Step::Move(idx) => self.copy_sector(p + idx - 1, p + idx)?,
                Step::Down(idx) => self.copy_sector(s + idx - 1, p + idx - 1)?,
                Step::Up(idx) => self.copy_sector(p + idx, s + idx - 1)?,
            }
            self.write_field(Slot::Primary, 5 + i, &[SET])?;
        }
        if kind != SwapType::Test && !self.flag(Slot::Primary, 1) {
            self.write_field(Slot::Primary, 1, &[SET])?;
        }
        self.write_field(Slot::Primary, 2, &[SET])
    }

    /// `boot_set_confirmed`: image_ok in the primary trailer, once.
    pub(crate) fn mark_confirmed(&mut self) -> Result<(), FlashError> {
        let p = self.trailer(Slot::Primary);
        if p.magic && !p.image_ok {
            self.write_field(Slot::Primary, 1, &[SET])?;
        }
        Ok(())
    }
}
