//! What the device reports besides datagrams, as typed facts: the UI, the trace and the tests
//! read these; the text of the log is made from them for people.

use core::fmt;
use fota_bootloader::{Behaviour, Snapshot};
use fota_lwm2m::{FwState, UpdateResult};
use serde::{Serialize, Serializer};

/// Why the device went down and came back up into its bootloader (RAM lost, flash kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "cause", rename_all = "kebab-case")]
pub enum ResetCause {
    /// The reboot an Execute of /5/0/2 asked for, once the answer had left, by `rule`.
    ForUpdate { rule: &'static str },
    /// The watchdog: the running image crashed, hung or failed its health check. `reverts`
    /// when the bootloader will swap the old image back (swap-move), not when it only
    /// overwrites.
    Watchdog { reverts: bool },
    /// A reset the scenario or the student asked for.
    Reset,
    /// The power went for `off_ms`, then came back.
    PowerCut { off_ms: u64 },
}

impl ResetCause {
    /// The rule that makes the reset happen or says what it keeps.
    pub fn rule(self) -> &'static str {
        match self {
            ResetCause::ForUpdate { rule } => rule,
            // A reset without confirming reverts the TEST image...
            ResetCause::Watchdog { reverts: true } => "BOOT-6",
            // ... unless the bootloader only overwrites and has nothing to go back to.
            ResetCause::Watchdog { reverts: false } => "BOOT-4",
            ResetCause::Reset | ResetCause::PowerCut { .. } => "FU-P1",
        }
    }
}

/// The flash right after a boot step, for a view that steps through the boot; it is not part
/// of a trace written out.
fn no_snapshot<S: Serializer>(_: &Option<Snapshot>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_none()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum DeviceEvent {
    /// /5/0/3 and /5/0/5 changed (always together, in one transition). `sent_before` counts
    /// the datagrams this same input emitted before the change, so the trace can place it
    /// exactly between two messages.
    Firmware {
        state: FwState,
        result: UpdateResult,
        rule: &'static str,
        sent_before: usize,
    },
    /// The device applied this rule of the /5 table to the input in hand, a refusal included:
    /// the rule the message that caused it really met.
    RuleApplied { rule: &'static str },
    /// /3/0/3 changed: a new image is running.
    FirmwareVersion { version: String, sent_before: usize },
    /// What the bootloader did, in the order it did it; for a decision or a sector step, the
    /// flash right after it.
    Boot {
        event: fota_bootloader::BootEvent,
        #[serde(serialize_with = "no_snapshot")]
        flash: Option<Snapshot>,
    },
    /// The device went down and came back up into its bootloader.
    Reset { cause: ResetCause },
    /// The running image `version` misbehaved as its signed manifest says (BOOT-2): it
    /// crashed, hung or failed its health check, so it will not confirm itself.
    ImageFailed {
        version: String,
        behaviour: Behaviour,
    },
    /// The device checked the complete download before Downloaded (BOOT-5): each check in
    /// MCUboot's order with what it found; the last one failed when the image was refused.
    Prevalidated { checks: Vec<fota_bootloader::Check> },
    /// The server accepted a Register: the device is known at `location`.
    Registered { location: String },
    /// The battery reached the level an update waits for (BAT-1): the update starts now.
    BatteryRecovered { percent: i64 },
    /// In queue mode the device fell asleep with its radio off (`asleep`), or woke to send
    ///
    Radio { asleep: bool },
    /// A line for the log, with the rule it follows.
    Log {
        text: String,
        rule: Option<&'static str>,
    },
}

impl fota_lwm2m::Fact for DeviceEvent {
    fn rule(&self) -> Option<&'static str> {
        match self {
            DeviceEvent::Firmware { rule, .. } | DeviceEvent::RuleApplied { rule } => Some(rule),
            DeviceEvent::Registered { .. } => Some("OBJ-1"),
            DeviceEvent::Radio { .. } => Some("Q-2"),
            DeviceEvent::BatteryRecovered { .. } => Some("BAT-1"),
            DeviceEvent::Prevalidated { .. } => Some("BOOT-5"),
            DeviceEvent::Log { rule, .. } => *rule,
            DeviceEvent::FirmwareVersion { .. } => None,
            DeviceEvent::Boot { event, .. } => event.rule(),
            DeviceEvent::Reset { cause } => Some(cause.rule()),
            DeviceEvent::ImageFailed { behaviour, .. } => Some(match behaviour {
                Behaviour::FailHealthCheck => "BOOT-6",
                _ => "BOOT-2",
            }),
        }
    }

    /// A rule applied shows in the /5 change or on the message it came with.
    fn is_quiet(&self) -> bool {
        // The log says what came of the checks in a line of its own.
        matches!(
            self,
            DeviceEvent::RuleApplied { .. } | DeviceEvent::Prevalidated { .. }
        )
    }
}

impl fmt::Display for DeviceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceEvent::Firmware { state, result, .. } => write!(
                f,
                "/5 State {} {} · Result {} {}",
                state.code(),
                state.name(),
                result.code(),
                result.name()
            ),
            DeviceEvent::RuleApplied { rule } => write!(f, "applies {rule}"),
            DeviceEvent::FirmwareVersion { version, .. } => write!(f, "running firmware {version}"),
            DeviceEvent::Boot { event, .. } => write!(f, "bootloader: {event}"),
            DeviceEvent::Reset { cause } => match cause {
                ResetCause::ForUpdate { .. } => f.write_str("reset: into the bootloader for the update"),
                ResetCause::Watchdog { .. } => f.write_str("watchdog reset: into the bootloader"),
                ResetCause::Reset => f.write_str("reset: into the bootloader"),
                ResetCause::PowerCut { off_ms } => write!(f, "power lost for {off_ms} ms; back on, into the bootloader"),
            },
            DeviceEvent::ImageFailed { version, behaviour } => match behaviour {
                Behaviour::CrashAtBoot => write!(f, "firmware {version} crashed at boot; the watchdog resets the device"),
                Behaviour::Hang => write!(f, "firmware {version} hangs; the watchdog will reset the device"),
                Behaviour::FailHealthCheck => write!(f, "firmware {version} fails its health check: it does not confirm, and the watchdog resets it"),
                Behaviour::Healthy => write!(f, "firmware {version} is healthy"),
            },
            DeviceEvent::Registered { location } => write!(f, "registered at {location}"),
            DeviceEvent::BatteryRecovered { percent } => write!(
                f,
                "the battery is back at {percent} %: the update starts"
            ),
            DeviceEvent::Radio { asleep: true } => {
                f.write_str("sleeps with its radio off (queue mode)")
            }
            DeviceEvent::Radio { asleep: false } => {
                f.write_str("wakes to send: its radio is on again (queue mode)")
            }
            DeviceEvent::Prevalidated { checks } => {
                let said: Vec<String> = checks
                    .iter()
                    .map(|c| format!("{} {}", c.name, if c.ok { "ok" } else { "failed" }))
                    .collect();
                write!(f, "checked the download: {}", said.join(", "))
            }
            DeviceEvent::Log { text, .. } => f.write_str(text),
        }
    }
}
