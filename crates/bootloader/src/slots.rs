//! Two image slots and the boot decision. This is the plain "overwrite" strategy: on an
//! upgrade request the bootloader validates the secondary slot and copies it over the primary.

use crate::image::{validate, ImageVersion, Verdict};
use core::fmt;

const ERASED: u8 = 0xff;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotError {
    /// The write would end past the slot (SPEC FU-D2: not enough flash).
    OutOfSlot { end: usize, slot_size: usize },
}

impl fmt::Display for SlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlotError::OutOfSlot { end, slot_size } => {
                write!(
                    f,
                    "write up to byte {end} does not fit the {slot_size}-byte slot"
                )
            }
        }
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
}

#[derive(Clone, Debug)]
pub struct Bootloader {
    slot_size: usize,
    primary: Vec<u8>,
    secondary: Vec<u8>,
    upgrade_requested: bool,
    /// Anti-rollback counter in NV flash: only moves up, when an image is confirmed (BOOT-7).
    nv_security_counter: u32,
    log: Vec<String>,
}

impl Bootloader {
    /// A device freshly flashed with `factory_image` in the primary slot.
    pub fn new(slot_size: usize, factory_image: &[u8]) -> Bootloader {
        let mut primary = vec![ERASED; slot_size];
        let n = factory_image.len().min(slot_size);
        primary[..n].copy_from_slice(&factory_image[..n]);
        Bootloader {
            slot_size,
            primary,
            secondary: vec![ERASED; slot_size],
            upgrade_requested: false,
            nv_security_counter: 0,
            log: Vec::new(),
        }
    }

    pub fn slot_size(&self) -> usize {
        self.slot_size
    }

    pub fn erase_secondary(&mut self) {
        self.secondary.fill(ERASED);
    }

    pub fn write_secondary(&mut self, offset: usize, data: &[u8]) -> Result<(), SlotError> {
        let end = offset.saturating_add(data.len());
        if end > self.slot_size {
            return Err(SlotError::OutOfSlot {
                end,
                slot_size: self.slot_size,
            });
        }
        self.secondary[offset..end].copy_from_slice(data);
        Ok(())
    }

    pub fn secondary(&self) -> &[u8] {
        &self.secondary
    }

    pub fn primary(&self) -> &[u8] {
        &self.primary
    }

    /// Validates what is in the secondary slot, as the device does before Downloaded.
    pub fn check_secondary(&self) -> Verdict {
        validate(&self.secondary, self.nv_security_counter)
    }

    pub fn nv_security_counter(&self) -> u32 {
        self.nv_security_counter
    }

    /// The running image confirms itself: the security counter moves up to its own (BOOT-7).
    pub fn confirm(&mut self) {
        if let Some(info) = validate(&self.primary, self.nv_security_counter).info {
            if info.security_counter > self.nv_security_counter {
                self.log.push(format!(
                    "security counter {} -> {} in NV flash",
                    self.nv_security_counter, info.security_counter
                ));
                self.nv_security_counter = info.security_counter;
            }
        }
    }

    pub fn request_upgrade(&mut self) {
        self.upgrade_requested = true;
    }

    /// Lines the bootloader printed, oldest first; `take_log` drains them.
    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }

    /// One power-on: apply a requested upgrade if the new image is valid, then validate and
    /// run the primary.
    pub fn boot(&mut self) -> BootOutcome {
        let mut upgraded = false;
        if self.upgrade_requested {
            self.upgrade_requested = false;
            let verdict = validate(&self.secondary, self.nv_security_counter);
            match verdict.info {
                Some(info) => {
                    self.log.push(format!(
                        "upgrade: secondary holds {} ({} bytes), SHA-256 verified; copying to primary",
                        info.version, info.total_len
                    ));
                    self.primary.copy_from_slice(&self.secondary);
                    self.secondary.fill(ERASED);
                    upgraded = true;
                }
                None => {
                    let reason = verdict.to_string();
                    self.log.push(format!("upgrade refused: {reason}"));
                    let primary = validate(&self.primary, self.nv_security_counter);
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
        let primary = validate(&self.primary, self.nv_security_counter);
        match primary.info {
            Some(info) => {
                self.log
                    .push(format!("primary {} valid; jumping to it", info.version));
                BootOutcome::Booted {
                    version: info.version,
                    upgraded,
                }
            }
            None => {
                let reason = primary.to_string();
                self.log.push(format!("primary invalid: {reason}; halting"));
                BootOutcome::Bricked { reason }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::build_image;

    #[test]
    fn upgrade_copies_a_valid_image_and_refuses_a_corrupt_one() {
        let v1 = build_image(ImageVersion::new(1, 0, 0), &[1; 300]);
        let v2 = build_image(ImageVersion::new(2, 0, 0), &[2; 500]);
        let mut boot = Bootloader::new(4096, &v1);
        assert_eq!(
            boot.boot(),
            BootOutcome::Booted {
                version: ImageVersion::new(1, 0, 0),
                upgraded: false
            }
        );

        boot.write_secondary(0, &v2).unwrap();
        boot.request_upgrade();
        assert_eq!(
            boot.boot(),
            BootOutcome::Booted {
                version: ImageVersion::new(2, 0, 0),
                upgraded: true
            }
        );
        assert_eq!(
            &boot.primary()[..v2.len()],
            &v2[..],
            "primary holds the new image byte for byte"
        );

        let mut bad = v1.clone();
        bad[100] ^= 1;
        boot.write_secondary(0, &bad).unwrap();
        boot.request_upgrade();
        assert!(matches!(boot.boot(), BootOutcome::UpgradeRejected { .. }));
        assert_eq!(
            &boot.primary()[..v2.len()],
            &v2[..],
            "a refused upgrade leaves the primary alone"
        );
    }

    #[test]
    fn writes_past_the_slot_fail() {
        let mut boot = Bootloader::new(1024, &[]);
        assert!(boot.write_secondary(1000, &[0; 25]).is_err());
        assert!(boot.write_secondary(1000, &[0; 24]).is_ok());
    }
}
