//! What the device reports besides datagrams, as typed facts: the UI, the trace and the tests
//! read these; the text of the log is made from them for people.

use core::fmt;
use fota_lwm2m::{FwState, UpdateResult};
use serde::Serialize;

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
    /// What the bootloader did, in the order it did it.
    Boot(fota_bootloader::BootEvent),
    /// The device checked the complete download before Downloaded (BOOT-5): each check in
    /// MCUboot's order with what it found; the last one failed when the image was refused.
    Prevalidated { checks: Vec<fota_bootloader::Check> },
    /// The server accepted a Register: the device is known at `location`.
    Registered { location: String },
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
            DeviceEvent::Prevalidated { .. } => Some("BOOT-5"),
            DeviceEvent::Log { rule, .. } => *rule,
            DeviceEvent::FirmwareVersion { .. } => None,
            DeviceEvent::Boot(e) => e.rule(),
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
            DeviceEvent::Boot(e) => write!(f, "bootloader: {e}"),
            DeviceEvent::Registered { location } => write!(f, "registered at {location}"),
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
