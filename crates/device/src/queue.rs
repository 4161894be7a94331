//! LwM2M queue mode on the device (OMA LwM2M 1.1 Core, Queue Mode): it registers
//! with `Q`, stays awake for `queue_awake_ms` (CoAP's MAX_TRANSMIT_WAIT by default) after
//! the last datagram it sent or received, then sleeps with its radio off, drawing the sleep
//! floor and hearing nothing. Whatever it has to send wakes it: a registration Update
//! before the lifetime runs out, a notification. A download in progress, an exchange not yet
//! answered or a reboot on its way keep it awake.

use crate::events::DeviceEvent;
use crate::{Device, Power};
use fota_coap::SimTime;

impl Device {
    /// Whether the device may sleep now: queue mode, running, and nothing under way.
    fn may_sleep(&self) -> bool {
        self.cfg.queue_mode
            && matches!(self.power, Power::Running)
            && self.download.is_none()
            && !self.messenger.is_busy()
            && self.reboot_at.is_none()
            && !self.registration.in_progress()
            && self.registration.location().is_some()
            && !self.push.any_in_progress()
    }

    /// When the device falls asleep if nothing happens before.
    pub(crate) fn sleep_timer(&self) -> Option<SimTime> {
        (!self.asleep && self.may_sleep()).then(|| self.last_traffic + self.cfg.queue_awake_ms)
    }

    pub(crate) fn on_sleep_timer(&mut self, now: SimTime) {
        if self.sleep_timer().is_some_and(|t| t <= now) {
            self.asleep = true;
            self.events.push_back(DeviceEvent::Radio { asleep: true });
        }
    }

    /// A datagram goes out or comes in: the device is awake, and stays so for a while.
    pub(crate) fn traffic(&mut self, now: SimTime) {
        if !self.cfg.queue_mode {
            return;
        }
        self.last_traffic = now;
        if self.asleep {
            self.asleep = false;
            self.events.push_back(DeviceEvent::Radio { asleep: false });
        }
    }

    /// Whether the radio is off because the device sleeps (queue mode).
    pub fn is_asleep(&self) -> bool {
        self.asleep
    }
}
