//! The boot decision, MCUboot's loader (`boot_go`): at each power-on, finish an interrupted
//! swap or start the upgrade the trailers ask for, refuse an image that fails validation,
//! swap back a TEST image that never confirmed, and jump to the primary only once it validates
//! again. The decision depends on the flash alone (BOOT-I6); the flash work itself is in
//! `swap_move` and `overwrite`.

use crate::bootloader::{Bootloader, SlotError};
use crate::events::{BootEvent, PowerLostDuring};
use crate::flash::{Flash, FlashError};
use crate::image::ImageVersion;
use crate::layout::{Slot, SlotLayout};
use crate::strategy::Strategy;
use crate::swap_move::SectorStep;
use crate::trailer::SwapType;
use crate::validate::{validate, Verdict};
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
    /// security counter moves up to the image's own (BOOT-7). False when the power went
    /// before it was done: the device is off, and the flash holds what was written before.
    pub fn confirm(&mut self) -> bool {
        if self.strategy == Strategy::SwapMove
            && swap_move::mark_confirmed(&mut self.flash, self.layout).is_err()
        {
            self.note(BootEvent::PowerLost {
                during: PowerLostDuring::Confirm,
            });
            return false;
        }
        self.bump_security_counter()
    }

    /// False when the power went during the write.
    fn bump_security_counter(&mut self) -> bool {
        let current = self.nv_security_counter();
        let Some(info) = validate(&self.primary(), current).info else {
            return true;
        };
        if info.security_counter > current {
            match security_counter::write(&mut self.flash, self.layout, info.security_counter) {
                Ok(()) => self.note(BootEvent::SecurityCounterRaised {
                    from: current,
                    to: info.security_counter,
                }),
                Err(error) => {
                    let lost = error == FlashError::PowerLoss;
                    self.note(BootEvent::SecurityCounterNotRaised {
                        from: current,
                        to: info.security_counter,
                        error,
                    });
                    return !lost;
                }
            }
        }
        true
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
            let verdict = self.validated(Slot::Secondary);
            match verdict.info {
                Some(info) => {
                    self.note(BootEvent::OverwriteStarted {
                        version: info.version,
                        image_len: info.total_len,
                    });
                    let (flash, log, layout) = (&mut self.flash, &mut self.log, self.layout);
                    let mut done = |flash: &mut Flash, step: SectorStep| {
                        log.note(flash, layout, Strategy::Overwrite, copied(layout, step))
                    };
                    if overwrite::copy(flash, layout, info.total_len, &mut done).is_err() {
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
                        self.note(BootEvent::PowerLost {
                            during: PowerLostDuring::Upgrade,
                        });
                        return BootOutcome::PowerLost;
                    }
                    return match self.run_primary(false) {
                        BootOutcome::Booted { version, .. } => {
                            BootOutcome::UpgradeRejected { reason, version }
                        }
                        other => other,
                    };
                }
            }
        }
        self.run_primary(upgraded)
    }

    /// Validates a slot's image as the boot uses it, and says so in the log (BOOT-5), every
    /// check with what it found, in success as in failure.
    fn validated(&mut self, slot: Slot) -> Verdict {
        let bytes = match slot {
            Slot::Primary => self.primary(),
            Slot::Secondary => self.secondary(),
        };
        let verdict = validate(&bytes, self.nv_security_counter());
        self.charge_checks(&bytes, &verdict);
        self.note(BootEvent::Validated {
            slot,
            checks: verdict.checks.clone(),
        });
        verdict
    }

    /// The CPU time the checks took: the hash over what it covers, and the signature check,
    /// each when it ran.
    fn charge_checks(&mut self, bytes: &[u8], verdict: &Verdict) {
        let timing = self.flash.timing();
        let ran = |name: &str| verdict.checks.iter().any(|c| c.name == name);
        let mut us = 0;
        if ran("hash") {
            us += timing.hash_us(crate::validate::hashed_len(bytes));
        }
        if ran("signature") {
            us += timing.verify_signature_us;
        }
        self.flash.charge_cpu(us);
    }

    /// Re-validates the primary before jumping to it (BOOT-5).
    fn run_primary(&mut self, upgraded: bool) -> BootOutcome {
        let primary = self.validated(Slot::Primary);
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
                if self.run_swap(kind, sectors).is_err() {
                    return self.lost_power();
                }
                Some(kind)
            } else if let Some(kind) = swap_move::swap_type(&self.flash, self.layout) {
                // A revert puts back the image that ran before, validated when it came: MCUboot
                // checks the secondary only before an upgrade.
                let verdict = (kind != SwapType::Revert).then(|| self.validated(Slot::Secondary));
                if let Some(verdict) = verdict.filter(|v| !v.valid()) {
                    let reason = verdict.to_string();
                    self.note(BootEvent::UpgradeRefused {
                        kind: Some(kind),
                        failed: verdict.failed_check(),
                    });
                    let withdrawn = self
                        .flash
                        .erase(self.layout.trailer_sector(Slot::Secondary));
                    if withdrawn.is_err() {
                        return self.lost_power();
                    }
                    return match self.run_primary(false) {
                        BootOutcome::Booted { version, .. } => {
                            BootOutcome::UpgradeRejected { reason, version }
                        }
                        other => other,
                    };
                }
                self.note(BootEvent::SwapStarted { kind });
                let started = swap_move::start_swap(&mut self.flash, self.layout, kind);
                match started.and_then(|sectors| self.run_swap(kind, sectors)) {
                    Ok(()) => Some(kind),
                    Err(_) => return self.lost_power(),
                }
            } else {
                None
            };
        if kind == Some(SwapType::Perm) {
            self.bump_security_counter();
        }
        // The swap back is done before the old image is checked and started: the log says so
        // in that order, and the old version runs from the jump on.
        if kind == Some(SwapType::Revert) {
            self.note(BootEvent::Reverted);
        }
        match (
            self.run_primary(matches!(kind, Some(SwapType::Test | SwapType::Perm))),
            kind,
        ) {
            (BootOutcome::Booted { version, .. }, Some(SwapType::Revert)) => {
                BootOutcome::Reverted { version }
            }
            (outcome, _) => outcome,
        }
    }

    /// Runs the swap's sector steps, each one in the log with the flash right after it.
    fn run_swap(&mut self, kind: SwapType, sectors: usize) -> Result<(), FlashError> {
        let (flash, log, layout) = (&mut self.flash, &mut self.log, self.layout);
        let mut done = |flash: &mut Flash, step: SectorStep| {
            log.note(flash, layout, Strategy::SwapMove, copied(layout, step))
        };
        swap_move::run_swap(flash, layout, kind, sectors, &mut done)
    }

    /// The power went during the swap: the log says so, and the next power-on goes on.
    fn lost_power(&mut self) -> BootOutcome {
        self.note(BootEvent::PowerLost {
            during: PowerLostDuring::Swap,
        });
        BootOutcome::PowerLost
    }
}

/// A sector step as the log tells it, with what each sector is for.
fn copied(layout: SlotLayout, s: SectorStep) -> BootEvent {
    BootEvent::SectorCopied {
        step: s.step,
        of: s.of,
        copy: s.copy,
        from: s.from,
        from_role: layout.role(s.from),
        to: s.to,
        to_role: layout.role(s.to),
    }
}
