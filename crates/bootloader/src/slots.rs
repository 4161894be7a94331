//! Two image slots on the flash model and the boot decision, with the overwrite-only strategy:
//! an upgrade request is a trailer magic in the secondary slot (written last, so it is the
//! commit record); at boot the bootloader validates the secondary, copies it over the primary
//! sector by sector, and only then erases the request. A power cut anywhere in that work is
//! finished by the next boot (BOOT-I1, BOOT-I2).

use crate::flash::{Flash, FlashError, Geometry};
use crate::image::ImageVersion;
use crate::swap_move::SwapType;
use crate::validate::{validate, Verdict};
use core::fmt;

pub const SECTOR_SIZE: usize = 4096;
/// MCUboot's trailer magic (`boot_img_magic`), the last 16 bytes of a slot.
pub const BOOT_MAGIC: [u8; 16] = [
    0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
];

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

/// What one power-on did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BootOutcome {
    /// The primary image runs; `upgraded` when it was copied from the secondary on this boot.
    Booted {
        version: ImageVersion,
        upgraded: bool,
    },
    /// The upgrade was refused (the primary, unchanged, runs).
    UpgradeRejected {
        reason: String,
        version: ImageVersion,
    },
    /// Nothing bootable in the primary slot.
    Bricked { reason: String },
    /// The new image never confirmed itself and was swapped back (BOOT-6): the old one runs.
    Reverted { version: ImageVersion },
    /// The power went during the boot; the next power-on goes on from what the flash holds.
    PowerLost,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Primary,
    Secondary,
}

/// How an upgrade reaches the primary slot (BOOT-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Swap the images sector by sector, so an unconfirmed image can be swapped back.
    SwapMove,
    /// Copy the new image over the old one: no way back.
    Overwrite,
}

impl Strategy {
    pub fn parse(text: &str) -> Option<Strategy> {
        match text {
            "swap-move" => Some(Strategy::SwapMove),
            "overwrite" | "overwrite-only" => Some(Strategy::Overwrite),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Strategy::SwapMove => "swap-move",
            Strategy::Overwrite => "overwrite",
        }
    }
}

/// Status records that fit a trailer sector (3 per swapped sector, 8 bytes each, after the
/// 48 bytes of magic and fields) bound the sectors a swap can move.
const MAX_SWAP_SECTORS: usize = (SECTOR_SIZE - 48) / (3 * 8);

#[derive(Clone, Debug)]
pub struct Bootloader {
    strategy: Strategy,
    flash: Flash,
    slot_sectors: usize,
    log: Vec<String>,
    /// Flash operations in the log since it was last taken, for its closing count.
    erases: usize,
    writes: usize,
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
        let slot_sectors = slot_size.div_ceil(SECTOR_SIZE).max(3);
        let flash = Flash::new(Geometry {
            sector_size: SECTOR_SIZE,
            // Both slots, then one sector of NV storage for the security counter.
            sectors: 2 * slot_sectors + 1,
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
        let slot_sectors = (flash.geometry().sectors.saturating_sub(1) / 2).max(3);
        Bootloader {
            strategy,
            flash,
            slot_sectors,
            log: Vec::new(),
            erases: 0,
            writes: 0,
        }
    }

    /// Which part of the flash a sector belongs to, for the log.
    fn sector_role(&self, sector: usize) -> String {
        let n = self.slot_sectors;
        match sector {
            s if s == n - 1 => "primary trailer".into(),
            s if s < n => format!("primary sector {s}"),
            s if s == 2 * n - 1 => "secondary trailer".into(),
            s if s < 2 * n => format!("secondary sector {}", s - n),
            _ => "NV counter".into(),
        }
    }

    /// Bytes an image may take in a slot: all but the trailer sector, and for swap-move the
    /// spare sector the primary image moves into.
    pub fn capacity(&self) -> usize {
        match self.strategy {
            Strategy::Overwrite => (self.slot_sectors - 1) * SECTOR_SIZE,
            Strategy::SwapMove => (self.slot_sectors - 2).min(MAX_SWAP_SECTORS) * SECTOR_SIZE,
        }
    }

    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    pub(crate) fn slot_sectors(&self) -> usize {
        self.slot_sectors
    }

    pub fn flash(&self) -> &Flash {
        &self.flash
    }

    pub fn flash_mut(&mut self) -> &mut Flash {
        &mut self.flash
    }

    pub(crate) fn slot_start(&self, slot: Slot) -> usize {
        match slot {
            Slot::Primary => 0,
            Slot::Secondary => self.slot_sectors * SECTOR_SIZE,
        }
    }

    pub(crate) fn first_sector(&self, slot: Slot) -> usize {
        self.slot_start(slot) / SECTOR_SIZE
    }

    pub(crate) fn trailer_sector(&self, slot: Slot) -> usize {
        self.first_sector(slot) + self.slot_sectors - 1
    }

    fn magic_offset(&self, slot: Slot) -> usize {
        self.slot_start(slot) + self.slot_sectors * SECTOR_SIZE - BOOT_MAGIC.len()
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
        self.flash.write(self.slot_start(slot) + offset, &chunk)?;
        Ok(())
    }

    fn slot_bytes(&self, slot: Slot) -> Vec<u8> {
        self.flash.read(self.slot_start(slot), self.capacity())
    }

    pub fn primary(&self) -> Vec<u8> {
        self.slot_bytes(Slot::Primary)
    }

    pub fn secondary(&self) -> Vec<u8> {
        self.slot_bytes(Slot::Secondary)
    }

    /// Erases the secondary slot's image sectors and its trailer.
    pub fn erase_secondary(&mut self) -> Result<(), SlotError> {
        let first = self.first_sector(Slot::Secondary);
        let erased = (first..first + self.slot_sectors).try_for_each(|s| self.flash.erase(s));
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
        let at = self.slot_start(Slot::Secondary) + len / 2;
        self.flash.disturb(at, 0x04);
    }

    /// Validates what is in the secondary slot, as the device does before Downloaded.
    pub fn check_secondary(&self) -> Verdict {
        validate(&self.secondary(), self.nv_security_counter())
    }

    /// The anti-rollback counter (BOOT-7), kept in the NV sector as a run of 8-byte records
    /// (the value and its complement), each larger than the one before: the last one holds.
    /// What the primary slot's image says about itself, when it is valid.
    pub fn primary_info(&self) -> Option<crate::validate::ImageInfo> {
        validate(&self.primary(), self.nv_security_counter()).info
    }

    pub fn nv_security_counter(&self) -> u32 {
        let g = self.flash.geometry();
        let nv = self.flash.read(self.nv_offset(), g.sector_size);
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

    fn nv_offset(&self) -> usize {
        2 * self.slot_sectors * SECTOR_SIZE
    }

    /// Appends a larger counter value; a full NV sector is erased and starts again.
    fn write_security_counter(&mut self, value: u32) -> Result<(), FlashError> {
        let g = self.flash.geometry();
        let nv = self.flash.read(self.nv_offset(), g.sector_size);
        let used = nv
            .chunks(8)
            .take_while(|r| r.iter().any(|&b| b != g.erased))
            .count();
        let slot = if used * 8 + 8 > g.sector_size {
            self.flash.erase(self.nv_offset() / SECTOR_SIZE)?;
            0
        } else {
            used
        };
        let mut record = value.to_le_bytes().to_vec();
        record.extend_from_slice(&(!value).to_le_bytes());
        self.flash.write(self.nv_offset() + slot * 8, &record)
    }

    fn upgrade_requested(&self) -> bool {
        self.flash
            .read(self.magic_offset(Slot::Secondary), BOOT_MAGIC.len())
            == BOOT_MAGIC
    }

    /// Asks for a TEST upgrade at the next boot (BOOT-6): the request in the secondary's
    /// trailer, its magic first.
    pub fn request_upgrade(&mut self) -> Result<(), SlotError> {
        match self.strategy {
            Strategy::Overwrite => {
                self.flash.erase(self.trailer_sector(Slot::Secondary))?;
                self.flash
                    .write(self.magic_offset(Slot::Secondary), &BOOT_MAGIC)?;
            }
            Strategy::SwapMove => self.request_swap(false)?,
        }
        self.note("upgrade requested: TEST request written in the secondary trailer".into());
        Ok(())
    }

    /// The running image confirms itself: image_ok in the primary trailer (swap-move), and the
    /// security counter moves up to the image's own (BOOT-7).
    pub fn confirm(&mut self) {
        if self.strategy == Strategy::SwapMove && self.mark_confirmed().is_err() {
            self.note("power lost while confirming".into());
            return;
        }
        self.bump_security_counter();
    }

    fn bump_security_counter(&mut self) {
        let current = self.nv_security_counter();
        let Some(info) = validate(&self.primary(), current).info else {
            return;
        };
        if info.security_counter > current {
            match self.write_security_counter(info.security_counter) {
                Ok(()) => self.note(format!(
                    "security counter {current} -> {} in NV flash",
                    info.security_counter
                )),
                Err(e) => self.note(format!("security counter not raised: {e}")),
            }
        }
    }

    /// Moves the flash operations done so far into the log, so that each decision follows the
    /// operations that led to it.
    fn flush_journal(&mut self) {
        for op in self.flash.take_journal() {
            let line = match op {
                crate::flash::FlashOp::Erase { sector } => {
                    self.erases += 1;
                    format!(
                        "flash: erase sector {sector} ({})",
                        self.sector_role(sector)
                    )
                }
                crate::flash::FlashOp::Write { offset, len } => {
                    self.writes += 1;
                    format!(
                        "flash: write {len} bytes at 0x{offset:06x} ({})",
                        self.sector_role(offset / SECTOR_SIZE)
                    )
                }
            };
            self.log.push(line);
        }
    }

    /// A line of the boot log, after the flash operations that came before it.
    pub(crate) fn note(&mut self, line: String) {
        self.flush_journal();
        self.log.push(line);
    }

    /// The boot log, oldest first: every decision and every flash operation in the order they
    /// happened since the last call, and a count of the operations; `take_log` drains it.
    pub fn take_log(&mut self) -> Vec<String> {
        self.flush_journal();
        let (erases, writes) = (
            std::mem::take(&mut self.erases),
            std::mem::take(&mut self.writes),
        );
        if erases + writes > 0 {
            self.log.push(format!(
                "flash: {} operations ({erases} sector erases, {writes} writes)",
                erases + writes
            ));
        }
        std::mem::take(&mut self.log)
    }

    /// Copies the secondary image over the primary, then withdraws the request.
    fn overwrite(&mut self, image_len: usize) -> Result<(), FlashError> {
        let sectors = image_len.div_ceil(SECTOR_SIZE);
        let (p, s) = (
            self.first_sector(Slot::Primary),
            self.first_sector(Slot::Secondary),
        );
        for i in 0..sectors {
            self.flash.erase(p + i)?;
            let data = self.flash.read((s + i) * SECTOR_SIZE, SECTOR_SIZE);
            self.flash.write((p + i) * SECTOR_SIZE, &data)?;
        }
        self.flash.erase(self.trailer_sector(Slot::Secondary))?;
        Ok(())
    }

    /// One power-on: finish or start the upgrade the flash asks for, then validate and run the
    /// primary. The decision depends on the flash alone (BOOT-I6).
    pub fn boot(&mut self) -> BootOutcome {
        self.flash.power_on();
        if self.strategy == Strategy::SwapMove {
            return self.boot_swap_move();
        }
        let mut upgraded = false;
        if self.upgrade_requested() {
            let verdict = self.check_secondary();
            match verdict.info {
                Some(info) => {
                    self.note(format!(
                        "upgrade: secondary holds {} ({} bytes), every check passed; overwriting the primary",
                        info.version, info.total_len
                    ));
                    if self.overwrite(info.total_len).is_err() {
                        self.note("power lost during the upgrade".into());
                        return BootOutcome::PowerLost;
                    }
                    upgraded = true;
                }
                None => {
                    let reason = verdict.to_string();
                    self.note(format!("upgrade refused: {reason}"));
                    // Withdraw the request so the refused image is not tried at every boot.
                    if self
                        .flash
                        .erase(self.trailer_sector(Slot::Secondary))
                        .is_err()
                    {
                        return BootOutcome::PowerLost;
                    }
                    let primary = validate(&self.primary(), self.nv_security_counter());
                    return match primary.info {
                        Some(info) => BootOutcome::UpgradeRejected {
                            reason,
                            version: info.version,
                        },
                        None => BootOutcome::Bricked {
                            reason: primary.to_string(),
                        },
                    };
                }
            }
        }
        self.run_primary(upgraded)
    }

    /// Re-validates the primary before jumping to it (BOOT-5).
    fn run_primary(&mut self, upgraded: bool) -> BootOutcome {
        let primary = validate(&self.primary(), self.nv_security_counter());
        match primary.info {
            Some(info) => {
                self.note(format!("primary {} valid; jumping to it", info.version));
                BootOutcome::Booted {
                    version: info.version,
                    upgraded,
                }
            }
            None => {
                let reason = primary.to_string();
                self.note(format!("primary invalid: {reason}; halting"));
                BootOutcome::Bricked { reason }
            }
        }
    }

    fn boot_swap_move(&mut self) -> BootOutcome {
        let kind = if let Some((kind, sectors)) = self.interrupted_swap() {
            self.note(format!(
                "resuming an interrupted {} swap of {sectors} sectors",
                kind.name()
            ));
            if self.run_swap(kind, sectors).is_err() {
                return BootOutcome::PowerLost;
            }
            Some(kind)
        } else if let Some(kind) = self.swap_type() {
            let verdict = self.check_secondary();
            if kind != SwapType::Revert && !verdict.valid() {
                let reason = verdict.to_string();
                self.note(format!("{} upgrade refused: {reason}", kind.name()));
                if self
                    .flash
                    .erase(self.trailer_sector(Slot::Secondary))
                    .is_err()
                {
                    return BootOutcome::PowerLost;
                }
                return match self.run_primary(false) {
                    BootOutcome::Booted { version, .. } => {
                        BootOutcome::UpgradeRejected { reason, version }
                    }
                    other => other,
                };
            }
            self.note(format!("starting a {} swap", kind.name()));
            match self
                .start_swap(kind)
                .and_then(|sectors| self.run_swap(kind, sectors))
            {
                Ok(()) => Some(kind),
                Err(_) => return BootOutcome::PowerLost,
            }
        } else {
            None
        };
        if kind == Some(SwapType::Perm) {
            self.bump_security_counter();
        }
        match (
            self.run_primary(matches!(kind, Some(SwapType::Test | SwapType::Perm))),
            kind,
        ) {
            (BootOutcome::Booted { version, .. }, Some(SwapType::Revert)) => {
                self.note("the new image never confirmed itself: reverted".into());
                BootOutcome::Reverted { version }
            }
            (outcome, _) => outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::build_image;

    fn v(major: u8) -> ImageVersion {
        ImageVersion::new(major, 0, 0)
    }

    fn device_with_pending_upgrade(
        align: usize,
        erased: u8,
        body: usize,
    ) -> (Bootloader, Vec<u8>, Vec<u8>) {
        let v1 = build_image(v(1), &vec![1; body]);
        let v2 = build_image(v(2), &vec![2; body + 100]);
        let mut b =
            Bootloader::with_geometry(Strategy::Overwrite, 4 * SECTOR_SIZE, align, erased, &v1);
        b.erase_secondary().unwrap();
        b.write_secondary(0, &v2).unwrap();
        b.request_upgrade().unwrap();
        (b, v1, v2)
    }

    #[test]
    fn upgrade_copies_a_valid_image_and_refuses_a_corrupt_one() {
        let (mut b, v1, v2) = device_with_pending_upgrade(8, 0xff, 300);
        assert_eq!(
            b.boot(),
            BootOutcome::Booted {
                version: v(2),
                upgraded: true
            }
        );
        assert_eq!(
            &b.primary()[..v2.len()],
            &v2[..],
            "primary holds the new image byte for byte"
        );
        assert_eq!(
            b.boot(),
            BootOutcome::Booted {
                version: v(2),
                upgraded: false
            },
            "once only"
        );

        let mut bad = v1.clone();
        bad[100] ^= 1;
        b.erase_secondary().unwrap();
        b.write_secondary(0, &bad).unwrap();
        b.request_upgrade().unwrap();
        assert!(matches!(b.boot(), BootOutcome::UpgradeRejected { .. }));
        assert_eq!(
            &b.primary()[..v2.len()],
            &v2[..],
            "a refused upgrade leaves the primary alone"
        );
    }

    #[test]
    fn writes_past_the_slot_fail() {
        let mut b = Bootloader::with_geometry(Strategy::Overwrite, 2 * SECTOR_SIZE, 8, 0xff, &[]);
        assert_eq!(
            b.capacity(),
            2 * SECTOR_SIZE,
            "three sectors at least, one for the trailer"
        );
        let end = b.capacity();
        assert!(matches!(
            b.write_secondary(end - 8, &[0; 16]),
            Err(SlotError::OutOfSlot { .. })
        ));
        assert!(b.write_secondary(end - 16, &[0; 16]).is_ok());
        let swap = Bootloader::new(2 * SECTOR_SIZE, &[]);
        assert_eq!(
            swap.capacity(),
            SECTOR_SIZE,
            "swap-move keeps a spare sector too"
        );
    }

    /// BOOT-I3 for swap-move, BOOT-6 and BOOT-7: after a confirmed upgrade the primary holds the
    /// new image and the secondary the old one, byte for byte; the counter moves only on confirm.
    #[test]
    fn swap_move_test_confirm_and_counter() {
        let v1 = crate::builder::ImageBuilder::new(v(1))
            .security_counter(1)
            .body(&[1; 5000])
            .build();
        let v2 = crate::builder::ImageBuilder::new(v(2))
            .security_counter(2)
            .body(&[2; 9000])
            .build();
        let mut b = Bootloader::new(6 * SECTOR_SIZE, &v1);
        b.confirm();
        assert_eq!(b.nv_security_counter(), 1);
        b.erase_secondary().unwrap();
        b.write_secondary(0, &v2).unwrap();
        b.request_upgrade().unwrap();
        b.take_log();
        let ops_before = b.flash().ops();
        let outcome = b.boot();
        let log = b.take_log();
        let listed = log
            .iter()
            .filter(|l| l.starts_with("flash: erase") || l.starts_with("flash: write"))
            .count();
        assert_eq!(
            listed as u64,
            b.flash().ops() - ops_before,
            "the boot log lists every flash operation"
        );
        assert!(log.iter().any(|l| l == "starting a TEST swap"), "{log:?}");
        assert_eq!(
            outcome,
            BootOutcome::Booted {
                version: v(2),
                upgraded: true
            }
        );
        assert_eq!(
            b.nv_security_counter(),
            1,
            "a TEST image does not move the counter"
        );
        b.confirm();
        assert_eq!(b.nv_security_counter(), 2, "confirming it does");
        assert_eq!(&b.primary()[..v2.len()], &v2[..]);
        assert_eq!(
            &b.secondary()[..v1.len()],
            &v1[..],
            "the old image waits in the secondary"
        );
        let before = b.flash().ops();
        assert_eq!(
            b.boot(),
            BootOutcome::Booted {
                version: v(2),
                upgraded: false
            }
        );
        assert_eq!(b.flash().ops(), before, "confirmed: nothing more to do");
        // The old image, requested again, is now a downgrade.
        b.request_upgrade().unwrap();
        assert!(matches!(b.boot(), BootOutcome::UpgradeRejected { .. }));
    }

    /// BOOT-I6: two bootloaders over the same flash contents decide the same, at any point of
    /// an interrupted swap.
    #[test]
    fn boot_i6_the_decision_depends_on_the_flash_alone() {
        let v1 = build_image(v(1), &[1; 5000]);
        let v2 = build_image(v(2), &[2; 6000]);
        let mut b = Bootloader::new(6 * SECTOR_SIZE, &v1);
        b.erase_secondary().unwrap();
        b.write_secondary(0, &v2).unwrap();
        b.request_upgrade().unwrap();
        for cut in [0, 3, 11, 20] {
            let mut a = b.clone();
            let at = a.flash().ops() + cut;
            a.flash_mut().cut_power_before(at);
            a.boot();
            let mut twin = Bootloader::from_flash(Strategy::SwapMove, a.flash().clone());
            assert_eq!(a.boot(), twin.boot(), "cut {cut}");
            assert_eq!(a.primary(), twin.primary());
            assert_eq!(a.secondary(), twin.secondary());
        }
    }

    /// BOOT-I1 and BOOT-I2 for overwrite-only: a power cut before every flash operation of the
    /// upgrade, then clean boots. Geometries: alignments 1, 4 and 8; erased 0xFF and 0x00;
    /// images of under one sector and of the largest size that fits.
    #[test]
    fn boot_i1_i2_overwrite_survives_a_cut_before_every_flash_operation() {
        for (align, erased) in [(8, 0xff), (4, 0x00), (1, 0xff)] {
            for body in [200, 3 * SECTOR_SIZE - 400] {
                let (device, _, v2) = device_with_pending_upgrade(align, erased, body);
                let mut clean = device.clone();
                let start = clean.flash().ops();
                clean.boot();
                let ops = clean.flash().ops() - start;
                assert!(ops >= 3, "an upgrade takes erases and writes");
                for cut in 0..ops {
                    let mut d = device.clone();
                    d.flash_mut().cut_power_before(start + cut);
                    assert_eq!(d.boot(), BootOutcome::PowerLost, "cut {cut} of {ops}");
                    let second = d.boot();
                    assert!(
                        matches!(second, BootOutcome::Booted { version, .. } if version == v(2)),
                        "align {align} erased {erased:#x} body {body} cut {cut}: {second:?}"
                    );
                    assert_eq!(
                        &d.primary()[..v2.len()],
                        &v2[..],
                        "BOOT-I3: the new image byte for byte"
                    );
                    let before = d.flash().ops();
                    d.boot();
                    assert_eq!(
                        d.flash().ops(),
                        before,
                        "BOOT-I2: the next boot does no flash operation"
                    );
                }
            }
        }
    }
}
