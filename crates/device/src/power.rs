//! Power and boot: a reset or a power cut loses RAM and keeps flash (FU-P1); the bootloader
//! decides at each power-on; the running image then behaves as its signed manifest says
//! (BOOT-2): it registers and confirms itself, crashes, hangs or fails its health check.

use crate::events::{DeviceEvent, ResetCause};
use crate::registration::Registration;
use crate::{Device, Power};
use fota_bootloader::{Behaviour, BootOutcome, ImageVersion};
use fota_coap::{Messenger, SimTime};
use fota_lwm2m::transitions::{BootVerdict, Trigger};
use fota_lwm2m::FwState;

/// How long after boot a crashing image takes the device down (the watchdog's reset).
const CRASH_RESET_MS: u64 = 300;
/// The watchdog's timeout: a hung image is reset after this.
const WATCHDOG_MS: u64 = 8_000;
/// Time between the 2.04 to Execute Update and the reboot, so that the answer and the
/// State=3 notification leave the device first (FU-T9).
const REBOOT_DELAY_MS: u64 = 1_000;

impl Device {
    /// A reset the scenario asks for: RAM is lost, flash stays, the device boots at once.
    pub fn reset(&mut self, now: SimTime) {
        self.down_for(now, 0, ResetCause::Reset);
    }

    /// Power lost for `off_ms`: RAM is lost, flash stays; then the device boots.
    pub fn power_cut(&mut self, now: SimTime, off_ms: u64) {
        self.down_for(now, off_ms, ResetCause::PowerCut { off_ms });
    }

    fn down_for(&mut self, now: SimTime, off_ms: u64, cause: ResetCause) {
        self.clock = now;
        self.count_energy(now);
        self.cut_boot_work(now);
        self.reboot_at = None;
        self.power_off_and_on(now, cause);
        self.power = Power::Booting {
            until: now + off_ms + self.cfg.boot_ms,
        };
    }

    pub(crate) fn power_off_and_on(&mut self, now: SimTime, cause: ResetCause) {
        self.events.push_back(DeviceEvent::Reset { cause });
        if self.state == FwState::Updating && self.cfg.corrupt_secondary_before_boot {
            self.cfg.corrupt_secondary_before_boot = false;
            self.boot.disturb_secondary();
            self.log(
                "a bit of the secondary slot flipped after the download was checked",
                Some("FU-T13"),
            );
        }
        // RAM is lost: exchanges, observations and the registration go; flash and the
        // persisted /5 State and Result stay (FU-P1).
        self.messenger = Messenger::new(self.cfg.addr, self.rng.fork(2));
        self.observers.clear();
        self.attributes.clear();
        self.download = None;
        self.block_retries = 0;
        self.push.abort_all();
        self.registration = Registration::default();
        self.asleep = false;
        self.power = Power::Booting {
            until: now + self.cfg.boot_ms,
        };
    }

    /// Hands on what the bootloader did, as it did it.
    pub(crate) fn report_boot_events(&mut self) {
        let logged = self.boot.take_logged();
        self.hand_on(logged);
    }

    /// The running image misbehaves as its manifest says (BOOT-2).
    pub(crate) fn image_failed(&mut self, version: ImageVersion) {
        self.events.push_back(DeviceEvent::ImageFailed {
            version: version.to_string(),
            behaviour: self.behaviour,
        });
    }

    /// /3/0/3 becomes the version of the image the bootloader jumped to.
    fn start_image(&mut self, version: ImageVersion) {
        self.running = Some(version);
        self.events.push_back(DeviceEvent::FirmwareVersion {
            version: version.to_string(),
            sent_before: self.messenger.queued(),
        });
    }

    /// A power cut the scenario asks for, during the first upgrade's boot work.
    pub(crate) fn arm_boot_power_cut(&mut self) {
        if self.state == FwState::Updating {
            if let Some(n) = self.cfg.power_cut_at_flash_op.take() {
                let at = self.boot.flash().ops() + n;
                self.boot.flash_mut().cut_power_before(at);
            }
        }
    }

    /// The bootloader's work is over (`boot_work`): the device acts on what it decided.
    pub(crate) fn boot_done(&mut self, now: SimTime, outcome: BootOutcome) {
        // Only an image booted just now from an upgrade waits to confirm itself: after a
        // revert, a refusal or a crash the old one runs, and there is nothing to confirm.
        self.awaiting_confirm = false;
        match outcome {
            BootOutcome::Booted { version, upgraded } => {
                self.start_image(version);
                // An overwrite-only bootloader has no revert: the new image it copied runs
                // again after a reset that came before it confirmed itself, and must still
                // confirm (FU-T11) or the device stays Updating for ever.
                let installed = upgraded || self.installing == Some(version);
                self.awaiting_confirm = installed && self.state == FwState::Updating;
                self.power = Power::Running;
                self.behaviour = self
                    .boot
                    .primary_info()
                    .map_or(Behaviour::Healthy, |i| i.manifest.behaviour);
                // What the image does once running comes from its signed manifest (BOOT-2).
                match self.behaviour {
                    Behaviour::Healthy | Behaviour::FailHealthCheck => {
                        self.register(now);
                        self.resume_download(now);
                    }
                    Behaviour::CrashAtBoot => {
                        self.image_failed(version);
                        self.reboot_at = Some(now + CRASH_RESET_MS);
                        self.reboot_cause = self.watchdog();
                    }
                    Behaviour::Hang => {
                        self.image_failed(version);
                        self.reboot_at = Some(now + WATCHDOG_MS);
                        self.reboot_cause = self.watchdog();
                    }
                }
            }
            BootOutcome::UpgradeRejected { version, .. } => {
                self.start_image(version);
                self.apply(now, Trigger::Boot(BootVerdict::Rejected), None);
                self.power = Power::Running;
                self.register(now);
            }
            BootOutcome::Bricked { reason } => {
                self.log(format!("no bootable image: {reason}"), None);
                self.power = Power::Halted;
            }
            BootOutcome::Reverted { version } => {
                self.start_image(version);
                self.log(
                    "the new image never confirmed itself; the bootloader swapped the old one back",
                    Some("FU-T14"),
                );
                self.apply(now, Trigger::Boot(BootVerdict::Reverted), None);
                self.power = Power::Running;
                self.register(now);
            }
            BootOutcome::PowerLost => {
                self.log(
                    "power cut during the boot; the next power-on goes on from the flash",
                    Some("BOOT-I1"),
                );
                // The next power-on resumes from what the flash holds.
                self.power = Power::Booting {
                    until: now + self.cfg.boot_ms,
                };
            }
        }
    }

    /// FU-T9 (or FU-T10 once the defer period is over) has happened: write the TEST request, then reboot into the bootloader shortly, so
    /// the 2.04 and the State=3 notification leave first.
    pub(crate) fn start_update(&mut self, now: SimTime, rule: &'static str) {
        let requested = self.boot.request_upgrade();
        // The request is the running firmware's last word to the bootloader: it shows at the
        // moment it was written, not at the boot that reads it.
        self.report_boot_events();
        match requested {
            Ok(()) => {
                // Kept with State and Result (FU-P1): which image this update installs.
                self.installing = self.boot.check_secondary().info.map(|i| i.version);
                self.log(
                    "upgrade requested; State and Result persisted before the reboot",
                    Some("FU-P1"),
                );
                self.log("the device reboots into the bootloader", Some(rule));
                self.reboot_at = Some(now + REBOOT_DELAY_MS);
                self.reboot_cause = ResetCause::ForUpdate { rule };
            }
            Err(e) => {
                self.log(
                    format!("the upgrade request could not be written: {e}"),
                    Some("FU-T12"),
                );
                self.apply(now, Trigger::UpgradeRequestFailed, None);
            }
        }
    }
}
