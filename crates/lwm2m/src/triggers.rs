//! The vocabulary of the /5 transition table: the triggers a row matches (requests from the
//! server and events inside the device), what a row does to Update Result, the effects the
//! device carries out, the row itself, and what applying a trigger decides.

use crate::firmware::{FwState, UpdateResult};
use fota_coap::ResponseType;
use serde::Serialize;

/// How the device classified a Package URI written to /5/0/1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UriKind {
    Empty,
    Supported,
    UnsupportedScheme,
    Invalid,
}

/// What the bootloader and the new firmware made of an upgrade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BootVerdict {
    /// The new image booted, registered and confirmed itself.
    Confirmed,
    /// The bootloader refused the new image.
    Rejected,
    /// The new image did not confirm and the bootloader went back to the old one.
    Reverted,
}

/// Something that happens to the /5 object: a request from the server or an event inside the
/// device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Trigger {
    WriteUri(UriKind),
    /// Write /5/0/0 with the single byte 0x00.
    WritePackageReset,
    /// The first block of a PUSH image.
    WritePackageStart,
    DownloadComplete,
    /// The download failed with this Result (2 to 7).
    DownloadFailed(UpdateResult),
    ExecuteUpdate {
        deferred: bool,
    },
    /// The defer period the user asked for is over.
    DeferEnded,
    /// Execute /5/0/2 Update while the battery is below the level an update needs (BAT-1).
    ExecuteUpdateOnLowBattery,
    /// The battery is back at the level an update needs (BAT-1).
    BatteryRecovered,
    /// A Package URI or the first PUSH block while the battery is below the level a download
    /// needs (BAT-2).
    DownloadOnLowBattery,
    Cancel,
    /// The upgrade request could not be written to flash before the reboot.
    UpgradeRequestFailed,
    Boot(BootVerdict),
}

/// A trigger without its data: what a table row matches on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TriggerKind {
    WriteEmptyUri,
    WriteSupportedUri,
    WriteUnsupportedUri,
    WriteInvalidUri,
    WritePackageReset,
    WritePackageStart,
    DownloadComplete,
    DownloadFailed,
    ExecuteUpdate,
    ExecuteUpdateDeferred,
    DeferEnded,
    ExecuteUpdateOnLowBattery,
    BatteryRecovered,
    DownloadOnLowBattery,
    Cancel,
    UpgradeRequestFailed,
    BootConfirmed,
    BootRejected,
    BootReverted,
}

impl TriggerKind {
    /// The trigger in a few words, for the state diagram's tooltips and the glossary.
    pub fn describe(self) -> &'static str {
        use TriggerKind::*;
        match self {
            WriteEmptyUri => "an empty Package URI written to /5/0/1",
            WriteSupportedUri => "a Package URI with a supported scheme written to /5/0/1",
            WriteUnsupportedUri => "a Package URI with an unsupported scheme written to /5/0/1",
            WriteInvalidUri => "a Package URI that does not parse written to /5/0/1",
            WritePackageReset => "the single byte 0x00 written to /5/0/0",
            WritePackageStart => "the first block of an image written to /5/0/0 (PUSH)",
            DownloadComplete => "the whole image arrived and passed pre-validation",
            DownloadFailed => "the download failed",
            ExecuteUpdate => "Execute /5/0/2 Update",
            ExecuteUpdateDeferred => "Execute /5/0/2 Update while the user defers it",
            DeferEnded => "the defer period the user asked for ends",
            ExecuteUpdateOnLowBattery => {
                "Execute /5/0/2 Update while the battery is below the level an update needs"
            }
            BatteryRecovered => "the battery is back at the level an update needs",
            DownloadOnLowBattery => {
                "a download asked for while the battery is below the level a download needs"
            }
            Cancel => "Execute /5/0/10 Cancel",
            UpgradeRequestFailed => "the upgrade request could not be written to flash",
            BootConfirmed => "the new image booted and confirmed itself",
            BootRejected => "the bootloader refused the new image",
            BootReverted => "the new image did not confirm; the bootloader reverted",
        }
    }
}

impl Trigger {
    pub fn kind(self) -> TriggerKind {
        use TriggerKind as K;
        match self {
            Trigger::WriteUri(UriKind::Empty) => K::WriteEmptyUri,
            Trigger::WriteUri(UriKind::Supported) => K::WriteSupportedUri,
            Trigger::WriteUri(UriKind::UnsupportedScheme) => K::WriteUnsupportedUri,
            Trigger::WriteUri(UriKind::Invalid) => K::WriteInvalidUri,
            Trigger::WritePackageReset => K::WritePackageReset,
            Trigger::WritePackageStart => K::WritePackageStart,
            Trigger::DownloadComplete => K::DownloadComplete,
            Trigger::DownloadFailed(_) => K::DownloadFailed,
            Trigger::ExecuteUpdate { deferred: false } => K::ExecuteUpdate,
            Trigger::ExecuteUpdate { deferred: true } => K::ExecuteUpdateDeferred,
            Trigger::DeferEnded => K::DeferEnded,
            Trigger::ExecuteUpdateOnLowBattery => K::ExecuteUpdateOnLowBattery,
            Trigger::BatteryRecovered => K::BatteryRecovered,
            Trigger::DownloadOnLowBattery => K::DownloadOnLowBattery,
            Trigger::Cancel => K::Cancel,
            Trigger::UpgradeRequestFailed => K::UpgradeRequestFailed,
            Trigger::Boot(BootVerdict::Confirmed) => K::BootConfirmed,
            Trigger::Boot(BootVerdict::Rejected) => K::BootRejected,
            Trigger::Boot(BootVerdict::Reverted) => K::BootReverted,
        }
    }
}

/// What a row does to /5/0/5 Update Result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ResultChange {
    Keep,
    Set(UpdateResult),
    /// The Result the failed download carries (FU-T6).
    OfFailure,
}

/// What the device does besides changing State and Result. Effects that come `before_change`
/// happen before the new State is notified (so the notification carries their values); the
/// others after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// /5/0/1 holds the URI just written.
    KeepUri,
    /// /5/0/1 becomes empty.
    ClearUri,
    /// The download in progress stops and the partial image is deleted.
    StopDownload,
    /// The PULL download from the Package URI starts.
    StartFetch,
    /// The secondary slot is erased to take a PUSH image.
    TakePush,
    /// The upgrade request goes to flash and the device reboots into the bootloader.
    StartUpdate,
    /// The update waits for the defer period, then starts by itself.
    Defer,
    /// Wait for the battery to reach the update threshold, then update (BAT-1).
    WaitForBattery,
    /// Say why a download was refused, and when to ask again (BAT-2).
    RefuseForBattery,
}

impl Effect {
    pub fn before_change(self) -> bool {
        matches!(
            self,
            Effect::KeepUri | Effect::ClearUri | Effect::StopDownload
        )
    }
}

/// One rule of the state machine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    pub rule: &'static str,
    pub from: &'static [FwState],
    pub on: &'static [TriggerKind],
    /// The new State; `None` for a refusal, which changes nothing.
    pub to: Option<FwState>,
    pub result: ResultChange,
    /// The CoAP answer when the trigger is a request the device answers itself; `None` when
    /// the block layer answers or the trigger is internal.
    pub answer: Option<ResponseType>,
    pub effects: &'static [Effect],
}

impl Transition {
    /// The rule's meaning, from the project's rule table.
    pub fn meaning(&self) -> &'static str {
        crate::rules::meaning(self.rule).unwrap_or_default()
    }

    /// The rule id without its family: "T9" for "FU-T9", as the diagram labels edges.
    pub fn short(&self) -> &'static str {
        // Rules of /5 itself are shown without their family; others (BAT-1) keep it.
        match self.rule.split_once('-') {
            Some(("FU", id)) => id,
            _ => self.rule,
        }
    }

    pub fn is_refusal(&self) -> bool {
        self.to.is_none()
    }
}

/// What applying a trigger decides.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub transition: &'static Transition,
    pub state: FwState,
    /// `None` keeps the current Update Result.
    pub result: Option<UpdateResult>,
}

impl Outcome {
    pub fn rule(&self) -> &'static str {
        self.transition.rule
    }

    pub fn answer(&self) -> Option<ResponseType> {
        self.transition.answer
    }

    pub fn effects(&self) -> &'static [Effect] {
        self.transition.effects
    }
}
