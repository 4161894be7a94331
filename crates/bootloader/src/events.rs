//! The boot log as typed events: each flash operation with the sector it touched and what that
//! sector is for, and each decision of the loader, in the order they happened. Tools that
//! animate the slots or write a trace read the fields; `Display` gives the line a person reads
//! in the log, worded as the log has always been.

use crate::flash::FlashError;
use crate::image::ImageVersion;
use crate::layout::{SectorRole, Slot};
use crate::trailer::SwapType;
use crate::validate::Check;
use core::fmt;
use serde::Serialize;

/// One erase or write the bootloader did on the flash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum FlashEvent {
    /// Sector `sector` (counted over the whole flash) was erased.
    Erase { sector: usize, role: SectorRole },
    /// `len` bytes were written at `offset`; `sector` is the sector the write starts in.
    Write {
        offset: usize,
        len: usize,
        sector: usize,
        role: SectorRole,
    },
}

/// What the power cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PowerLostDuring {
    /// The overwrite-only copy of the new image.
    Upgrade,
    /// The running image marking itself confirmed.
    Confirm,
    /// A swap-move swap (or the withdrawal of a refused request) at boot.
    Swap,
}

/// What one sector step of an upgrade or a revert copied (reference/mcuboot.md §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectorCopy {
    /// Swap-move's first pass: a sector of the primary's image moves up one, to make room.
    MoveUp,
    /// A sector of the secondary's image comes down into the primary.
    Down,
    /// A sector of the image that was in the primary (moved up) goes up into the secondary.
    Up,
    /// Overwrite-only: a sector of the secondary's image is copied over the primary's.
    Over,
}

impl SectorCopy {
    fn verb(self) -> &'static str {
        match self {
            SectorCopy::MoveUp => "moved up to",
            SectorCopy::Down => "copied down into",
            SectorCopy::Up => "copied up into",
            SectorCopy::Over => "copied over",
        }
    }
}

/// One line of the boot log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum BootEvent {
    Flash(FlashEvent),
    /// The running firmware asked for a TEST upgrade at the next boot.
    UpgradeRequested,
    /// The bootloader ran `validate` on a slot's image: before an upgrade on the secondary,
    /// before every jump on the primary (BOOT-5). Every check it ran, in order; the last one
    /// failed when the image is invalid.
    Validated {
        slot: Slot,
        checks: Vec<Check>,
    },
    /// Step `step` (from 1) of the `of` sector steps of a swap or a copy is done: sector
    /// `from` was copied to sector `to` (counted over the whole flash), and for swap-move its
    /// status record written, so a power cut after it resumes from the next step.
    SectorCopied {
        step: usize,
        of: usize,
        copy: SectorCopy,
        from: usize,
        from_role: SectorRole,
        to: usize,
        to_role: SectorRole,
    },
    /// Overwrite-only: the secondary's image passed every check and is being copied over the
    /// primary.
    OverwriteStarted {
        version: ImageVersion,
        image_len: usize,
    },
    /// The secondary's image failed `failed`, so the upgrade (of swap type `kind` with
    /// swap-move, none with overwrite-only) was withdrawn.
    UpgradeRefused {
        kind: Option<SwapType>,
        failed: Check,
    },
    SwapStarted {
        kind: SwapType,
    },
    /// A swap a power cut interrupted goes on where it stopped.
    SwapResumed {
        kind: SwapType,
        sectors: usize,
    },
    /// The primary validated; the bootloader jumps to it.
    JumpToPrimary {
        version: ImageVersion,
    },
    /// The primary failed `failed`: nothing to run, the bootloader halts.
    Bricked {
        failed: Check,
    },
    /// The TEST image never confirmed itself and was swapped back.
    Reverted,
    PowerLost {
        during: PowerLostDuring,
    },
    /// The NV security counter moved up to the confirmed image's.
    SecurityCounterRaised {
        from: u32,
        to: u32,
    },
    /// The NV security counter should have moved from `from` to `to`, but the write failed.
    SecurityCounterNotRaised {
        from: u32,
        to: u32,
        error: FlashError,
    },
    /// The closing count of the flash operations listed since the log was last taken.
    FlashCount {
        erases: usize,
        writes: usize,
    },
}

/// A refusal as `Verdict`'s Display words it.
struct Failed<'a>(&'a Check);

impl fmt::Display for Failed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} check failed: {}", self.0.name, self.0.detail)
    }
}

impl fmt::Display for FlashEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlashEvent::Erase { sector, role } => {
                write!(f, "flash: erase sector {sector} ({role})")
            }
            FlashEvent::Write {
                offset, len, role, ..
            } => write!(f, "flash: write {len} bytes at 0x{offset:06x} ({role})"),
        }
    }
}

impl BootEvent {
    /// The SPEC rule the bootloader follows in this step, for the log and the UI.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            BootEvent::Flash(_) | BootEvent::FlashCount { .. } => None,
            BootEvent::OverwriteStarted { .. } | BootEvent::SectorCopied { .. } => Some("BOOT-4"),
            BootEvent::Validated { .. }
            | BootEvent::UpgradeRefused { .. }
            | BootEvent::JumpToPrimary { .. }
            | BootEvent::Bricked { .. } => Some("BOOT-5"),
            BootEvent::UpgradeRequested | BootEvent::SwapStarted { .. } | BootEvent::Reverted => {
                Some("BOOT-6")
            }
            BootEvent::SwapResumed { .. } | BootEvent::PowerLost { .. } => Some("BOOT-I1"),
            BootEvent::SecurityCounterRaised { .. }
            | BootEvent::SecurityCounterNotRaised { .. } => Some("BOOT-7"),
        }
    }
}

impl fmt::Display for BootEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BootEvent::Flash(op) => op.fmt(f),
            BootEvent::UpgradeRequested => {
                f.write_str("upgrade requested: TEST request written in the secondary trailer")
            }
            BootEvent::Validated { slot, checks } => {
                let slot = slot.name();
                match checks.iter().find(|c| !c.ok) {
                    Some(c) => write!(f, "validated the {slot}: {}", Failed(c)),
                    None => write!(
                        f,
                        "validated the {slot}: all {} checks passed",
                        checks.len()
                    ),
                }
            }
            BootEvent::SectorCopied {
                step,
                of,
                copy,
                from_role,
                to_role,
                ..
            } => write!(
                f,
                "sector step {step} of {of}: {from_role} {} {to_role}",
                copy.verb()
            ),
            BootEvent::OverwriteStarted { version, image_len } => write!(
                f,
                "upgrade: secondary holds {version} ({image_len} bytes), every check passed; overwriting the primary"
            ),
            BootEvent::UpgradeRefused { kind: None, failed } => {
                write!(f, "upgrade refused: {}", Failed(failed))
            }
            BootEvent::UpgradeRefused {
                kind: Some(kind),
                failed,
            } => write!(f, "{kind} upgrade refused: {}", Failed(failed)),
            BootEvent::SwapStarted { kind } => write!(f, "starting a {kind} swap"),
            BootEvent::SwapResumed { kind, sectors } => {
                write!(f, "resuming an interrupted {kind} swap of {sectors} sectors")
            }
            BootEvent::JumpToPrimary { version } => {
                write!(f, "primary {version} valid; jumping to it")
            }
            BootEvent::Bricked { failed } => {
                write!(f, "primary invalid: {}; halting", Failed(failed))
            }
            BootEvent::Reverted => f.write_str("the new image never confirmed itself: reverted"),
            BootEvent::PowerLost {
                during: PowerLostDuring::Upgrade,
            } => f.write_str("power lost during the upgrade"),
            BootEvent::PowerLost {
                during: PowerLostDuring::Confirm,
            } => f.write_str("power lost while confirming"),
            BootEvent::PowerLost {
                during: PowerLostDuring::Swap,
            } => f.write_str("power lost during the swap"),
            BootEvent::SecurityCounterRaised { from, to } => {
                write!(f, "security counter {from} -> {to} in NV flash")
            }
            BootEvent::SecurityCounterNotRaised { error, .. } => {
                write!(f, "security counter not raised: {error}")
            }
            BootEvent::FlashCount { erases, writes } => {
                let n = |count: usize, one: &str, many: &str| {
                    format!("{count} {}", if count == 1 { one } else { many })
                };
                write!(
                    f,
                    "flash: {} ({}, {})",
                    n(erases + writes, "operation", "operations"),
                    n(*erases, "sector erase", "sector erases"),
                    n(*writes, "write", "writes")
                )
            }
        }
    }
}
