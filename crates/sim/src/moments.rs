//! The device's moments between datagrams, which a student steps through like the datagrams
//! themselves: a reset, each decision and sector step of the bootloader (with the flash right
//! after it), the image crashing, hanging or failing its health check, and a queue-mode
//! device falling asleep or waking. A boot's steps happen at the times its flash work takes,
//! each in an event of the world of its own, except those done at one instant, which share one.

use fota_bootloader::{BootEvent, Check, Slot, Snapshot};
use fota_coap::SimTime;
use fota_device::DeviceEvent;
use fota_lwm2m::Fact;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moment {
    pub at: SimTime,
    /// Datagrams on the ladder when it happened: it shows after row `rows - 1`.
    pub rows: usize,
    /// The world's event it happened in: `World::steps()` once that event is handled.
    pub step: u64,
    pub event: DeviceEvent,
}

impl Moment {
    /// Whether a device event is a moment of its own: not a flash operation (the sector steps
    /// group those), not a count, not a fact that shows elsewhere.
    pub fn is_one(event: &DeviceEvent) -> bool {
        match event {
            DeviceEvent::Boot { event, .. } => Moment::is_boot_step(event),
            DeviceEvent::Reset { .. }
            | DeviceEvent::ImageFailed { .. }
            | DeviceEvent::Radio { .. }
            | DeviceEvent::BatteryRecovered { .. } => true,
            _ => false,
        }
    }

    /// Whether the bootloader's event is a step of the boot (a decision or a sector step), not
    /// one of the flash operations inside a step or their count.
    pub fn is_boot_step(event: &BootEvent) -> bool {
        !matches!(event, BootEvent::Flash(_) | BootEvent::FlashCount { .. })
    }

    pub fn rule(&self) -> Option<&'static str> {
        self.event.rule()
    }

    /// The bootloader's event, when the moment is one.
    pub fn boot_event(&self) -> Option<&BootEvent> {
        match &self.event {
            DeviceEvent::Boot { event, .. } => Some(event),
            _ => None,
        }
    }

    /// The flash right after the moment, when the bootloader took one: the slot strips show
    /// it at this moment.
    pub fn flash(&self) -> Option<&Snapshot> {
        match &self.event {
            DeviceEvent::Boot { flash, .. } => flash.as_ref(),
            _ => None,
        }
    }

    /// The checks of a validation by the bootloader, and the slot it validated.
    pub fn checks(&self) -> Option<(Slot, &[Check])> {
        match self.boot_event()? {
            BootEvent::Validated { slot, checks } => Some((*slot, checks)),
            _ => None,
        }
    }

    /// The flash sector the moment wrote, for a sector step.
    pub fn sector(&self) -> Option<usize> {
        match self.boot_event()? {
            BootEvent::SectorCopied { to, .. } => Some(*to),
            _ => None,
        }
    }
}
