//! The /5 Firmware Update state machine of SPEC.md §2 as data: one row per rule, saying in
//! which states it applies, on which trigger, where it leads, what Update Result it sets, how
//! the device answers the request and what the device does besides. The device runs this
//! table (`step`) and the UI draws the state diagram from it (`edges`); each row's text is its
//! rule's meaning in the rule table. Nothing else in the project re-implements it.

use crate::firmware::{FwState, UpdateResult};
pub use crate::triggers::{
    BootVerdict, Effect, Outcome, ResultChange, Transition, Trigger, TriggerKind, UriKind,
};
use fota_coap::ResponseType;

use Effect as E;
use FwState::{Downloaded, Downloading, Idle, Updating};
use ResponseType::{BadRequest, Changed, MethodNotAllowed, ServiceUnavailable};
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
const EXECUTES: &[TriggerKind] = &[
    K::ExecuteUpdate,
    K::ExecuteUpdateDeferred,
    K::ExecuteUpdateOnLowBattery,
];

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
    // Not now, rather than a failure: the answer says when to ask again (Max-Age), and no
    // Update Result changes, since no download began.
    Transition {
        rule: "BAT-2",
        from: &[Idle],
        on: &[K::DownloadOnLowBattery],
        to: None,
        result: ResultChange::Keep,
        answer: Some(ServiceUnavailable),
        effects: &[E::RefuseForBattery],
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
    // The same rule goes on when the defer period ends: the update starts by itself.
    Transition {
        rule: "FU-T10",
        from: &[Downloaded],
        on: &[K::DeferEnded],
        to: Some(Updating),
        result: ResultChange::Set(R::Initial),
        answer: None,
        effects: &[E::StartUpdate],
    },
    // The battery decides like a user who defers, until it is charged enough again.
    Transition {
        rule: "BAT-1",
        from: &[Downloaded],
        on: &[K::ExecuteUpdateOnLowBattery],
        to: Some(Downloaded),
        result: ResultChange::Set(R::Deferred),
        answer: Some(Changed),
        effects: &[E::WaitForBattery],
    },
    Transition {
        rule: "BAT-1",
        from: &[Downloaded],
        on: &[K::BatteryRecovered],
        to: Some(Updating),
        result: ResultChange::Set(R::Initial),
        answer: None,
        effects: &[E::StartUpdate],
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
            (
                id.contains('-'),
                id.trim_start_matches(char::is_alphabetic)
                    .parse::<u32>()
                    .ok(),
            )
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

    const ALL_TRIGGERS: [Trigger; 19] = [
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
        Trigger::DeferEnded,
        Trigger::ExecuteUpdateOnLowBattery,
        Trigger::BatteryRecovered,
        Trigger::DownloadOnLowBattery,
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
            for &r in requests
                .iter()
                .chain(&ALL_TRIGGERS[8..11])
                .chain(&ALL_TRIGGERS[16..17])
            {
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
            (Downloaded, Updating, "T9 T10 BAT-1"),
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
