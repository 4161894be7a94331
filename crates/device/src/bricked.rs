//! Whether the device can never report again (SRV-8): the report and the UI say "bricked"
//! rather than "stuck" when no image it holds can run.

use crate::{Device, Power};
use fota_bootloader::{Behaviour, Strategy};

impl Device {
    /// Why the device can never come back for good, when it cannot: nothing bootable, or an
    /// image that fails at every boot with no other image to go back to (an overwrite-only
    /// bootloader keeps no copy of the old one).
    pub fn bricked(&self) -> Option<&'static str> {
        if matches!(self.power, Power::Halted) {
            return Some("no image it can run");
        }
        // An image that fails its health check registers each time, but resets before it
        // can confirm itself: a loop too, and the server can never finish with it.
        let fails_at_boot = matches!(
            self.behaviour,
            Behaviour::CrashAtBoot | Behaviour::Hang | Behaviour::FailHealthCheck
        );
        if fails_at_boot && self.boot.strategy() == Strategy::Overwrite {
            return Some(
                "its only image fails at every boot (a reset loop), and an overwrite-only bootloader kept no other",
            );
        }
        None
    }

    /// The watchdog reset of an image that failed, and whether the bootloader will revert it.
    pub(crate) fn watchdog(&self) -> crate::events::ResetCause {
        crate::events::ResetCause::Watchdog {
            reverts: self.boot.strategy() == Strategy::SwapMove,
        }
    }
}
