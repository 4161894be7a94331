//! The boot decision, MCUboot's loader (`boot_go`): at each power-on, finish an interrupted
//! swap or start the upgrade the trailers ask for, refuse an image that fails validation,
//! swap back a TEST image that never confirmed, and jump to the primary only once it validates
//! again. The decision depends on the flash alone (BOOT-I6); the flash work itself is in
//! `swap_move` and `overwrite`.

use crate::bootloader::{Bootloader, SlotError};
use crate::events::{BootEvent, PowerLostDuring};
use crate::image::ImageVersion;
use crate::layout::Slot;
use crate::strategy::Strategy;
use crate::trailer::SwapType;
use crate::validate::validate;
use crate::{overwrite, security_counter, swap_move};

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

impl Bootloader {
    /// Asks for a TEST upgrade at the next boot (BOOT-6): the request in the secondary's
    /// trailer, its magic first.
    pub fn request_upgrade(&mut self) -> Result<(), SlotError> {
        match self.strategy {
            Strategy::Overwrite => overwrite::request(&mut self.flash, self.layout)?,
            Strategy::SwapMove => swap_move::request_swap(&mut self.flash, self.layout, false)?,
        }
        self.note(BootEvent::UpgradeRequested);
        Ok(())
    }

    /// The running image confirms itself: image_ok in the primary trailer (swap-move), and the
    /// security counter moves up to the image's own (BOOT-7).
    pub fn confirm(&mut self) {
        if self.strategy == Strategy::SwapMove
            && swap_move::mark_confirmed(&mut self.flash, self.layout).is_err()
        {
            self.note(BootEvent::PowerLost {
                during: PowerLostDuring::Confirm,
            });
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
            match security_counter::write(&mut self.flash, self.layout, info.security_counter) {
                Ok(()) => self.note(BootEvent::SecurityCounterRaised {
                    from: current,
                    to: info.security_counter,
                }),
                Err(error) => self.note(BootEvent::SecurityCounterNotRaised {
                    from: current,
                    to: info.security_counter,
                    error,
                }),
            }
        }
    }

    /// One power-on: finish or start the upgrade the flash asks for, then validate and run the
    /// primary. The decision depends on the flash alone (BOOT-I6).
    pub fn boot(&mut self) -> BootOutcome {
        self.flash.power_on();
        if self.strategy == Strategy::SwapMove {
            return self.boot_swap_move();
        }
        let mut upgraded = false;
        if overwrite::requested(&self.flash, self.layout) {
            let verdict = self.check_secondary();
            match verdict.info {
                Some(info) => {
                    self.note(BootEvent::OverwriteStarted {
                        version: info.version,
                        image_len: info.total_len,
                    });
                    if overwrite::copy(&mut self.flash, self.layout, info.total_len).is_err() {
                        self.note(BootEvent::PowerLost {
                            during: PowerLostDuring::Upgrade,
                        });
                        return BootOutcome::PowerLost;
                    }
                    upgraded = true;
                }
                None => {
                    let reason = verdict.to_string();
                    self.note(BootEvent::UpgradeRefused {
                        kind: None,
                        failed: verdict.failed_check(),
                    });
                    // Withdraw the request so the refused image is not tried at every boot.
                    if overwrite::withdraw(&mut self.flash, self.layout).is_err() {
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
                self.note(BootEvent::JumpToPrimary {
                    version: info.version,
                });
                BootOutcome::Booted {
                    version: info.version,
                    upgraded,
                }
            }
            None => {
                let reason = primary.to_string();
                self.note(BootEvent::Bricked {
                    failed: primary.failed_check(),
                });
                BootOutcome::Bricked { reason }
            }
        }
    }

    fn boot_swap_move(&mut self) -> BootOutcome {
        let kind =
            if let Some((kind, sectors)) = swap_move::interrupted_swap(&self.flash, self.layout) {
                self.note(BootEvent::SwapResumed { kind, sectors });
                if swap_move::run_swap(&mut self.flash, self.layout, kind, sectors).is_err() {
                    return BootOutcome::PowerLost;
                }
                Some(kind)
            } else if let Some(kind) = swap_move::swap_type(&self.flash, self.layout) {
                let verdict = self.check_secondary();
                if kind != SwapType::Revert && !verdict.valid() {
                    let reason = verdict.to_string();
                    self.note(BootEvent::UpgradeRefused {
                        kind: Some(kind),
                        failed: verdict.failed_check(),
                    });
                    let withdrawn = self
                        .flash
                        .erase(self.layout.trailer_sector(Slot::Secondary));
                    if withdrawn.is_err() {
                        return BootOutcome::PowerLost;
                    }
                    return match self.run_primary(false) {
                        BootOutcome::Booted { version, .. } => {
                            BootOutcome::UpgradeRejected { reason, version }
                        }
                        other => other,
                    };
                }
                self.note(BootEvent::SwapStarted { kind });
                let (flash, layout) = (&mut self.flash, self.layout);
                match swap_move::start_swap(flash, layout, kind)
                    .and_then(|sectors| swap_move::run_swap(flash, layout, kind, sectors))
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
                self.note(BootEvent::Reverted);
                BootOutcome::Reverted { version }
            }
            (outcome, _) => outcome,
        }
    }
}
