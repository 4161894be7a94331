//! The /5 Firmware Update state machine of SPEC.md §2 as data: one row per rule, saying in
//! which states it applies, on which trigger, where it leads, what Update Result it sets, how
//! the device answers the request and what the device does besides. The device runs this
//! table (`step`), the UI draws the state diagram from it (`edges`), and the explainer and the
//! glossary read its rule texts. Nothing else in the project re-implements it.

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
        self.rule.split_once('-').map_or(self.rule, |(_, id)| id)
    }

    pub fn is_refusal(&self) -> bool {
        self.to.is_none()
    }
}

use Effect as E;
use FwState::{Downloaded, Downloading, Idle, Updating};
use ResponseType::{BadRequest, Changed, MethodNotAllowed};
use TriggerKind as K;
use UpdateResult as R;

const URI_WRITES: &[TriggerKind] = &[
    K::WriteEmptyUri,
    K::WriteSupportedUri,
    K::WriteUnsupportedUri,
    K::WriteInvalidUri,
    K::WritePackageReset,
    K::WritePackageStart,
];
const RESET_WRITES: &[TriggerKind] = &[K::WriteEmptyUri, K::WritePackageReset];
const EXECUTES: &[TriggerKind] = &[K::ExecuteUpdate, K::ExecuteUpdateDeferred];

/// The table, refusals first: the first row that matches decides.
pub const TABLE: &[Transition] = &[
    Transition {
        rule: "FU-R3",
        from: &[Updating],
        on: URI_WRITES,
        to: None,
        result: ResultChange::Keep,
        answer: Some(MethodNotAllowed),
        effects: &[],
    },
    Transition {
        rule: "FU-R1",
        from: &[Idle, Downloading, Updating],
        on: EXECUTES,
        to: None,
        result: ResultChange::Keep,
        answer: Some(MethodNotAllowed),
        effects: &[],
    },
    Transition {
        rule: "FU-R2",
        from: &[Idle, Updating],
        on: &[K::Cancel],
        to: None,
        result: ResultChange::Keep,
        answer: Some(MethodNotAllowed),
        effects: &[],
    },
    Transition {
        rule: "FU-T15",
        from: &[Idle],
        on: RESET_WRITES,
        to: Some(Idle),
        result: ResultChange::Set(R::Initial),
        answer: Some(Changed),
        effects: &[E::ClearUri],
    },
    Transition {
        rule: "FU-T7",
        from: &[Downloading, Downloaded],
        on: RESET_WRITES,
        to: Some(Idle),
        result: ResultChange::Set(R::Initial),
        answer: Some(Changed),
        effects: &[E::StopDownload, E::ClearUri],
    },
    Transition {
        rule: "FU-R4",
        from: &[Downloading, Downloaded],
        on: &[
            K::WriteSupportedUri,
            K::WriteUnsupportedUri,
            K::WriteInvalidUri,
            K::WritePackageStart,
        ],
        to: None,
        result: ResultChange::Keep,
        answer: Some(BadRequest),
        effects: &[],
    },
    Transition {
        rule: "FU-T1",
        from: &[Idle],
        on: &[K::WritePackageStart],
        to: Some(Downloading),
        result: ResultChange::Set(R::Initial),
        answer: None,
        effects: &[E::TakePush],
    },
    Transition {
        rule: "FU-T2",
        from: &[Idle],
        on: &[K::WriteSupportedUri],
        to: Some(Downloading),
        result: ResultChange::Set(R::Initial),
        answer: Some(Changed),
        effects: &[E::KeepUri, E::StartFetch],
    },
    Transition {
        rule: "FU-T3",
        from: &[Idle],
        on: &[K::WriteUnsupportedUri],
        to: Some(Idle),
        result: ResultChange::Set(R::UnsupportedProtocol),
        answer: Some(BadRequest),
        effects: &[],
    },
    Transition {
        rule: "FU-T4",
        from: &[Idle],
        on: &[K::WriteInvalidUri],
        to: Some(Idle),
        result: ResultChange::Set(R::InvalidUri),
        answer: Some(BadRequest),
        effects: &[],
    },
    Transition {
        rule: "FU-T5",
        from: &[Downloading],
        on: &[K::DownloadComplete],
        to: Some(Downloaded),
        result: ResultChange::Keep,
        answer: None,
        effects: &[],
    },
    Transition {
        rule: "FU-T6",
        from: &[Downloading],
        on: &[K::DownloadFailed],
        to: Some(Idle),
        result: ResultChange::OfFailure,
        answer: None,
        effects: &[E::StopDownload],
    },
    Transition {
        rule: "FU-T8",
        from: &[Downloading, Downloaded],
        on: &[K::Cancel],
        to: Some(Idle),
        result: ResultChange::Set(R::Cancelled),
        answer: Some(Changed),
        effects: &[E::StopDownload],
    },
    Transition {
        rule: "FU-T9",
        from: &[Downloaded],
        on: &[K::ExecuteUpdate],
        to: Some(Updating),
        result: ResultChange::Set(R::Initial),
        answer: Some(Changed),
        effects: &[E::StartUpdate],
    },
    Transition {
        rule: "FU-T10",
        from: &[Downloaded],
        on: &[K::ExecuteUpdateDeferred],
        to: Some(Downloaded),
        result: ResultChange::Set(R::Deferred),
        answer: Some(Changed),
        effects: &[E::Defer],
    },
    Transition {
        rule: "FU-T12",
        from: &[Updating],
        on: &[K::UpgradeRequestFailed],
        to: Some(Downloaded),
        result: ResultChange::Set(R::UpdateFailed),
        answer: None,
        effects: &[],
    },
    Transition {
        rule: "FU-T11",
        from: &[Updating],
        on: &[K::BootConfirmed],
        to: Some(Idle),
        result: ResultChange::Set(R::Success),
        answer: None,
        effects: &[],
    },
    Transition {
        rule: "FU-T13",
        from: &[Updating],
        on: &[K::BootRejected],
        to: Some(Idle),
        result: ResultChange::Set(R::IntegrityFailure),
        answer: None,
        effects: &[],
    },
    Transition {
        rule: "FU-T14",
        from: &[Updating],
        on: &[K::BootReverted],
        to: Some(Idle),
        result: ResultChange::Set(R::UpdateFailed),
        answer: None,
        effects: &[],
    },
];

/// The row of the table that `trigger` takes in `state`.
pub fn row(state: FwState, trigger: TriggerKind) -> Option<&'static Transition> {
    TABLE
        .iter()
        .find(|t| t.from.contains(&state) && t.on.contains(&trigger))
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

/// The transition for `trigger` in `state`, or `None` when the trigger means nothing there
/// (an internal event that cannot happen in that state).
pub fn step(state: FwState, trigger: Trigger) -> Option<Outcome> {
    let t = row(state, trigger.kind())?;
    let result = match (t.result, trigger) {
        (ResultChange::Keep, _) => None,
        (ResultChange::Set(r), _) => Some(r),
        (ResultChange::OfFailure, Trigger::DownloadFailed(r)) => Some(r),
        (ResultChange::OfFailure, _) => None,
    };
    Some(Outcome {
        transition: t,
        state: t.to.unwrap_or(state),
        result,
    })
}

/// One arrow of the state diagram: a change of State and the rules that make it.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: FwState,
    pub to: FwState,
    pub rules: Vec<&'static Transition>,
}

impl Edge {
    /// The edge's label: its rules' short ids in table order ("T6 T7 T8").
    pub fn label(&self) -> String {
        let mut ids: Vec<&str> = self.rules.iter().map(|t| t.short()).collect();
        ids.sort_by_key(|id| {
            id.trim_start_matches(char::is_alphabetic)
                .parse::<u32>()
                .ok()
        });
        ids.join(" ")
    }
}

/// Every change of State the table allows, each with its rules, in the order the table first
/// names them. Rules that keep the State (refusals, T3, T4, T10, T15) make no edge.
pub fn edges() -> Vec<Edge> {
    let mut out: Vec<Edge> = Vec::new();
    for t in TABLE {
        let Some(to) = t.to else { continue };
        for &from in t.from.iter().filter(|&&f| f != to) {
            match out.iter_mut().find(|e| e.from == from && e.to == to) {
                Some(e) => e.rules.push(t),
                None => out.push(Edge {
                    from,
                    to,
                    rules: vec![t],
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_TRIGGERS: [Trigger; 15] = [
        Trigger::WriteUri(UriKind::Empty),
        Trigger::WriteUri(UriKind::Supported),
        Trigger::WriteUri(UriKind::UnsupportedScheme),
        Trigger::WriteUri(UriKind::Invalid),
        Trigger::WritePackageReset,
        Trigger::WritePackageStart,
        Trigger::DownloadComplete,
        Trigger::DownloadFailed(R::ConnectionLost),
        Trigger::ExecuteUpdate { deferred: false },
        Trigger::ExecuteUpdate { deferred: true },
        Trigger::Cancel,
        Trigger::UpgradeRequestFailed,
        Trigger::Boot(BootVerdict::Confirmed),
        Trigger::Boot(BootVerdict::Rejected),
        Trigger::Boot(BootVerdict::Reverted),
    ];

    #[test]
    fn every_rule_of_the_table_has_a_meaning_and_matches_one_row_per_state() {
        for t in TABLE {
            assert!(!t.meaning().is_empty(), "{} has no meaning", t.rule);
        }
        // No two rows claim the same (state, trigger): the order of the table decides nothing.
        for s in FwState::ALL {
            for trig in ALL_TRIGGERS {
                let rows = TABLE
                    .iter()
                    .filter(|t| t.from.contains(&s) && t.on.contains(&trig.kind()))
                    .count();
                assert!(rows <= 1, "{s:?} {trig:?} matches {rows} rows");
            }
        }
    }

    #[test]
    fn every_request_gets_an_answer_in_every_state() {
        // A request from the server is always answered by the table, or by the block layer
        // (the first PUSH block): never left to chance.
        let requests = &ALL_TRIGGERS[..6];
        for s in FwState::ALL {
            for &r in requests.iter().chain(&ALL_TRIGGERS[8..11]) {
                let o = step(s, r).unwrap_or_else(|| panic!("{s:?} {r:?}"));
                assert!(
                    o.answer().is_some() || r == Trigger::WritePackageStart,
                    "{s:?} {r:?}"
                );
            }
        }
    }

    #[test]
    fn the_diagram_has_the_seven_changes_of_state_of_spec_section_2() {
        let labels: Vec<(FwState, FwState, String)> =
            edges().iter().map(|e| (e.from, e.to, e.label())).collect();
        let want = [
            (Downloading, Idle, "T6 T7 T8"),
            (Downloaded, Idle, "T7 T8"),
            (Idle, Downloading, "T1 T2"),
            (Downloading, Downloaded, "T5"),
            (Downloaded, Updating, "T9"),
            (Updating, Downloaded, "T12"),
            (Updating, Idle, "T11 T13 T14"),
        ];
        assert_eq!(labels.len(), want.len(), "{labels:?}");
        for (f, t, l) in want {
            assert!(
                labels.contains(&(f, t, l.to_string())),
                "{f:?}->{t:?} {l}: {labels:?}"
            );
        }
    }
}
