//! The bootloader as the device holds it: the flash with its two slots and NV sector, the
//! running firmware's access to the secondary slot (download, request, confirm go through
//! here), and the boot log. The boot decision itself is in `loader`.

use crate::boot_log::{BootLog, Logged};
use crate::events::BootEvent;
use crate::flash::{Flash, FlashError, Geometry};
use crate::layout::{Slot, SlotLayout, SECTOR_SIZE};
use crate::security_counter;
use crate::strategy::Strategy;
use crate::validate::{validate, ImageInfo, Verdict};
use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotError {
    /// The write would end past the slot's room for an image (SPEC FU-D2: not enough flash).
    OutOfSlot {
        end: usize,
        capacity: usize,
    },
    Flash(FlashError),
}

impl fmt::Display for SlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlotError::OutOfSlot { end, capacity } => {
                write!(
                    f,
                    "write up to byte {end} does not fit the {capacity} bytes a slot holds"
                )
            }
            SlotError::Flash(e) => write!(f, "flash: {e}"),
        }
    }
}

impl From<FlashError> for SlotError {
    fn from(e: FlashError) -> Self {
        SlotError::Flash(e)
    }
}

#[derive(Clone, Debug)]
pub struct Bootloader {
    pub(crate) strategy: Strategy,
    pub(crate) flash: Flash,
    pub(crate) layout: SlotLayout,
    pub(crate) log: BootLog,
}

impl Bootloader {
    /// A device fresh from the factory with swap-move: `factory_image` in the primary slot of
    /// `slot_size` bytes (rounded up to whole 4 KiB sectors, at least three: the last holds the
    /// trailer, one is the spare the image moves into).
    pub fn new(slot_size: usize, factory_image: &[u8]) -> Bootloader {
        Bootloader::with_geometry(Strategy::SwapMove, slot_size, 8, 0xff, factory_image)
    }

    pub fn with_geometry(
        strategy: Strategy,
        slot_size: usize,
        align: usize,
        erased: u8,
        factory_image: &[u8],
    ) -> Bootloader {
        let flash = Flash::new(Geometry {
            sector_size: SECTOR_SIZE,
            sectors: SlotLayout::for_slot_size(slot_size).flash_sectors(),
            align,
            erased,
        });
        let mut b = Bootloader::from_flash(strategy, flash);
        let image = &factory_image[..factory_image.len().min(b.capacity())];
        // Factory programming writes whole aligned chunks onto erased flash: it cannot fail.
        let _ = b.write_slot(Slot::Primary, 0, image);
        b
    }

    /// A bootloader over flash as found: the same flash gives the same decisions (BOOT-I6).
    pub fn from_flash(strategy: Strategy, flash: Flash) -> Bootloader {
        Bootloader {
            strategy,
            layout: SlotLayout::for_flash_sectors(flash.geometry().sectors),
            flash,
            log: BootLog::default(),
        }
    }

    /// Bytes an image may take in a slot: all but the trailer sector, and for swap-move the
    /// spare sector the primary image moves into.
    pub fn capacity(&self) -> usize {
        self.strategy
            .capacity(self.layout, self.flash.geometry().align)
    }

    /// From now on flash work and image checks take the time `timing` gives (the factory's
    /// programming, done before, took none).
    pub fn set_timing(&mut self, timing: crate::FlashTiming) {
        self.flash.set_timing(timing);
    }

    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    pub fn flash(&self) -> &Flash {
        &self.flash
    }

    pub fn flash_mut(&mut self) -> &mut Flash {
        &mut self.flash
    }

    /// Writes `data` at `offset` in a slot, padding the tail with erased bytes to the alignment.
    fn write_slot(&mut self, slot: Slot, offset: usize, data: &[u8]) -> Result<(), SlotError> {
        let end = offset.saturating_add(data.len());
        if end > self.capacity() {
            return Err(SlotError::OutOfSlot {
                end,
                capacity: self.capacity(),
            });
        }
        let g = self.flash.geometry();
        let mut chunk = data.to_vec();
        chunk.resize(data.len().next_multiple_of(g.align), g.erased);
        self.flash
            .write(self.layout.slot_start(slot) + offset, &chunk)?;
        Ok(())
    }

    pub(crate) fn slot_bytes(&self, slot: Slot) -> Vec<u8> {
        self.flash
            .read(self.layout.slot_start(slot), self.capacity())
    }

    pub fn primary(&self) -> Vec<u8> {
        self.slot_bytes(Slot::Primary)
    }

    pub fn secondary(&self) -> Vec<u8> {
        self.slot_bytes(Slot::Secondary)
    }

    /// Erases the secondary slot's image sectors and its trailer.
    pub fn erase_secondary(&mut self) -> Result<(), SlotError> {
        let first = self.layout.first_sector(Slot::Secondary);
        let last = self.layout.trailer_sector(Slot::Secondary);
        let erased = (first..=last).try_for_each(|s| self.flash.erase(s));
        self.forget_firmware_ops();
        Ok(erased?)
    }

    pub fn write_secondary(&mut self, offset: usize, data: &[u8]) -> Result<(), SlotError> {
        let written = self.write_slot(Slot::Secondary, offset, data);
        self.forget_firmware_ops();
        written
    }

    /// The running firmware's own flash work (a download) is not part of the boot log; left
    /// in the journal it would grow with every block.
    fn forget_firmware_ops(&mut self) {
        self.flash.take_journal();
    }

    /// Flips one bit in the middle of the secondary slot's image (a disturbed cell), so that
    /// its hash no longer matches.
    pub fn disturb_secondary(&mut self) {
        let len = validate(&self.secondary(), 0)
            .info
            .map_or(self.capacity(), |i| i.total_len);
        let at = self.layout.slot_start(Slot::Secondary) + len / 2;
        self.flash.disturb(at, 0x04);
    }

    /// Validates what is in the secondary slot, as the device does before Downloaded.
    pub fn check_secondary(&self) -> Verdict {
        validate(&self.secondary(), self.nv_security_counter())
    }

    /// What the primary slot's image says about itself, when it is valid.
    pub fn primary_info(&self) -> Option<ImageInfo> {
        validate(&self.primary(), self.nv_security_counter()).info
    }

    /// Erases so far of the primary slot's sectors (its trailer included), of the
    /// secondary's, and of the NV counter sector, in that order.
    pub fn erases_by_slot(&self) -> [u64; 3] {
        use crate::layout::SectorRole;
        let mut out = [0u64; 3];
        for (sector, &n) in self.flash.erase_counts().iter().enumerate() {
            let i = match self.layout.role(sector) {
                SectorRole::Image { slot, .. } | SectorRole::Trailer { slot } => match slot {
                    Slot::Primary => 0,
                    Slot::Secondary => 1,
                },
                SectorRole::NvCounter => 2,
            };
            out[i] += u64::from(n);
        }
        out
    }

    /// The anti-rollback counter (BOOT-7) as the NV sector holds it.
    pub fn nv_security_counter(&self) -> u32 {
        security_counter::read(&self.flash, self.layout)
    }

    /// A decision for the boot log, after the flash operations that came before it.
    pub(crate) fn note(&mut self, event: BootEvent) {
        self.log
            .note(&mut self.flash, self.layout, self.strategy, event);
    }

    /// The boot log, oldest first: every decision and every flash operation in the order they
    /// happened since the last call, closed by a count of the operations when there were any.
    /// The log is drained.
    pub fn take_events(&mut self) -> Vec<BootEvent> {
        self.take_logged().into_iter().map(|l| l.event).collect()
    }

    /// `take_events` with, for each decision, a snapshot of the flash right after it: what a
    /// view stepping through the boot shows of the slots at that step.
    pub fn take_logged(&mut self) -> Vec<Logged> {
        self.log.flash_ops(self.flash.take_journal(), self.layout);
        self.log.take()
    }

    /// `take_events` as the lines a person reads.
    pub fn take_log(&mut self) -> Vec<String> {
        self.take_events().iter().map(|e| e.to_string()).collect()
    }
}
