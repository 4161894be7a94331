//! The /5 Firmware Update state machine of SPEC.md §2: the one function that decides every
//! change of State and Update Result, and the CoAP answer to each request. The UI reads the
//! same table; nothing else in the project re-implements it.

use fota_coap::ResponseType;
use fota_lwm2m::{FwState, UpdateResult};

/// How the device classified a Package URI written to /5/0/1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriKind {
    Empty,
    Supported,
    UnsupportedScheme,
    Invalid,
}

/// What the bootloader and the new firmware made of an upgrade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootVerdict {
    /// The new image booted, registered and confirmed itself.
    Confirmed,
    /// The bootloader refused the new image.
    Rejected,
    /// The new image did not confirm and the bootloader went back to the old one.
    Reverted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    WriteUri(UriKind),
    /// Write /5/0/0 with the single byte 0x00.
    WritePackageReset,
    /// The first block of a PUSH image.
    WritePackageStart,
    DownloadComplete,
    DownloadFailed(UpdateResult),
    ExecuteUpdate {
        deferred: bool,
    },
    Cancel,
    /// The upgrade request could not be written to flash before the reboot.
    UpgradeRequestFailed,
    Boot(BootVerdict),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub state: FwState,
    /// `None` keeps the current Update Result.
    pub result: Option<UpdateResult>,
    pub rule: &'static str,
    /// The CoAP answer when the trigger is a request; `None` when the block layer answers or
    /// the trigger is internal.
    pub answer: Option<ResponseType>,
}

impl Outcome {
    fn go(
        state: FwState,
        result: Option<UpdateResult>,
        rule: &'static str,
        answer: Option<ResponseType>,
    ) -> Outcome {
        Outcome {
            state,
            result,
            rule,
            answer,
        }
    }
}

/// The transition for `trigger` in `state`, or `None` when the trigger means nothing there
/// (an internal event that cannot happen in that state).
pub fn step(state: FwState, trigger: Trigger) -> Option<Outcome> {
    use FwState::*;
    use ResponseType::{BadRequest, Changed, MethodNotAllowed};
    use Trigger::*;
    use UpdateResult as R;
    let refuse = |rule, code| Some(Outcome::go(state, None, rule, Some(code)));
    let reset_write = matches!(trigger, WriteUri(UriKind::Empty) | WritePackageReset);
    Some(match (state, trigger) {
        (Updating, WriteUri(_) | WritePackageReset | WritePackageStart) => {
            return refuse("FU-R3", MethodNotAllowed)
        }
        (Idle | Downloading | Updating, ExecuteUpdate { .. }) => {
            return refuse("FU-R1", MethodNotAllowed)
        }
        (Idle | Updating, Cancel) => return refuse("FU-R2", MethodNotAllowed),
        (Idle, _) if reset_write => Outcome::go(Idle, Some(R::Initial), "FU-T15", Some(Changed)),
        (Downloading | Downloaded, _) if reset_write => {
            Outcome::go(Idle, Some(R::Initial), "FU-T7", Some(Changed))
        }
        (Downloading | Downloaded, WriteUri(_) | WritePackageStart) => {
            return refuse("FU-R4", BadRequest)
        }
        (Idle, WritePackageStart) => Outcome::go(Downloading, Some(R::Initial), "FU-T1", None),
        (Idle, WriteUri(UriKind::Supported)) => {
            Outcome::go(Downloading, Some(R::Initial), "FU-T2", Some(Changed))
        }
        (Idle, WriteUri(UriKind::UnsupportedScheme)) => Outcome::go(
            Idle,
            Some(R::UnsupportedProtocol),
            "FU-T3",
            Some(BadRequest),
        ),
        (Idle, WriteUri(UriKind::Invalid)) => {
            Outcome::go(Idle, Some(R::InvalidUri), "FU-T4", Some(BadRequest))
        }
        (Downloading, DownloadComplete) => Outcome::go(Downloaded, None, "FU-T5", None),
        (Downloading, DownloadFailed(r)) => Outcome::go(Idle, Some(r), "FU-T6", None),
        (Downloading | Downloaded, Cancel) => {
            Outcome::go(Idle, Some(R::Cancelled), "FU-T8", Some(Changed))
        }
        (Downloaded, ExecuteUpdate { deferred: false }) => {
            Outcome::go(Updating, Some(R::Initial), "FU-T9", Some(Changed))
        }
        (Downloaded, ExecuteUpdate { deferred: true }) => {
            Outcome::go(Downloaded, Some(R::Deferred), "FU-T10", Some(Changed))
        }
        (Updating, UpgradeRequestFailed) => {
            Outcome::go(Downloaded, Some(R::UpdateFailed), "FU-T12", None)
        }
        (Updating, Boot(BootVerdict::Confirmed)) => {
            Outcome::go(Idle, Some(R::Success), "FU-T11", None)
        }
        (Updating, Boot(BootVerdict::Rejected)) => {
            Outcome::go(Idle, Some(R::IntegrityFailure), "FU-T13", None)
        }
        (Updating, Boot(BootVerdict::Reverted)) => {
            Outcome::go(Idle, Some(R::UpdateFailed), "FU-T14", None)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use FwState::*;
    use ResponseType::*;
    use Trigger::*;
    use UpdateResult as R;

    fn go(
        s: FwState,
        t: Trigger,
    ) -> (
        FwState,
        Option<UpdateResult>,
        &'static str,
        Option<ResponseType>,
    ) {
        let o = step(s, t).expect("defined transition");
        (o.state, o.result, o.rule, o.answer)
    }

    #[test]
    fn spec_transition_table() {
        assert_eq!(
            go(Idle, WritePackageStart),
            (Downloading, Some(R::Initial), "FU-T1", None)
        );
        assert_eq!(
            go(Idle, WriteUri(UriKind::Supported)),
            (Downloading, Some(R::Initial), "FU-T2", Some(Changed))
        );
        assert_eq!(
            go(Idle, WriteUri(UriKind::UnsupportedScheme)),
            (
                Idle,
                Some(R::UnsupportedProtocol),
                "FU-T3",
                Some(BadRequest)
            )
        );
        assert_eq!(
            go(Idle, WriteUri(UriKind::Invalid)),
            (Idle, Some(R::InvalidUri), "FU-T4", Some(BadRequest))
        );
        assert_eq!(
            go(Downloading, DownloadComplete),
            (Downloaded, None, "FU-T5", None)
        );
        for r in [
            R::NotEnoughFlash,
            R::OutOfRam,
            R::ConnectionLost,
            R::IntegrityFailure,
            R::UnsupportedPackage,
            R::InvalidUri,
        ] {
            assert_eq!(
                go(Downloading, DownloadFailed(r)),
                (Idle, Some(r), "FU-T6", None)
            );
        }
        for s in [Downloading, Downloaded] {
            assert_eq!(
                go(s, WriteUri(UriKind::Empty)),
                (Idle, Some(R::Initial), "FU-T7", Some(Changed))
            );
            assert_eq!(
                go(s, WritePackageReset),
                (Idle, Some(R::Initial), "FU-T7", Some(Changed))
            );
            assert_eq!(
                go(s, Cancel),
                (Idle, Some(R::Cancelled), "FU-T8", Some(Changed))
            );
        }
        assert_eq!(
            go(Downloaded, ExecuteUpdate { deferred: false }),
            (Updating, Some(R::Initial), "FU-T9", Some(Changed))
        );
        assert_eq!(
            go(Downloaded, ExecuteUpdate { deferred: true }),
            (Downloaded, Some(R::Deferred), "FU-T10", Some(Changed))
        );
        assert_eq!(
            go(Updating, Boot(BootVerdict::Confirmed)),
            (Idle, Some(R::Success), "FU-T11", None)
        );
        assert_eq!(
            go(Updating, UpgradeRequestFailed),
            (Downloaded, Some(R::UpdateFailed), "FU-T12", None)
        );
        assert_eq!(
            go(Updating, Boot(BootVerdict::Rejected)),
            (Idle, Some(R::IntegrityFailure), "FU-T13", None)
        );
        assert_eq!(
            go(Updating, Boot(BootVerdict::Reverted)),
            (Idle, Some(R::UpdateFailed), "FU-T14", None)
        );
        assert_eq!(
            go(Idle, WriteUri(UriKind::Empty)),
            (Idle, Some(R::Initial), "FU-T15", Some(Changed))
        );
        assert_eq!(
            go(Idle, WritePackageReset),
            (Idle, Some(R::Initial), "FU-T15", Some(Changed))
        );
    }

    #[test]
    fn spec_refusals_change_nothing() {
        for s in [Idle, Downloading, Updating] {
            assert_eq!(
                go(s, ExecuteUpdate { deferred: false }),
                (s, None, "FU-R1", Some(MethodNotAllowed))
            );
        }
        for s in [Idle, Updating] {
            assert_eq!(go(s, Cancel), (s, None, "FU-R2", Some(MethodNotAllowed)));
        }
        for t in [
            WriteUri(UriKind::Supported),
            WriteUri(UriKind::Empty),
            WritePackageReset,
            WritePackageStart,
        ] {
            assert_eq!(
                go(Updating, t),
                (Updating, None, "FU-R3", Some(MethodNotAllowed))
            );
        }
        for s in [Downloading, Downloaded] {
            assert_eq!(
                go(s, WriteUri(UriKind::Supported)),
                (s, None, "FU-R4", Some(BadRequest))
            );
            assert_eq!(
                go(s, WritePackageStart),
                (s, None, "FU-R4", Some(BadRequest))
            );
        }
    }

    #[test]
    fn every_rule_the_table_cites_has_a_meaning_for_the_ui() {
        let triggers = [
            WriteUri(UriKind::Empty),
            WriteUri(UriKind::Supported),
            WriteUri(UriKind::UnsupportedScheme),
            WriteUri(UriKind::Invalid),
            WritePackageReset,
            WritePackageStart,
            DownloadComplete,
            DownloadFailed(R::ConnectionLost),
            ExecuteUpdate { deferred: false },
            ExecuteUpdate { deferred: true },
            Cancel,
            UpgradeRequestFailed,
            Boot(BootVerdict::Confirmed),
            Boot(BootVerdict::Rejected),
            Boot(BootVerdict::Reverted),
        ];
        for s in FwState::ALL {
            for t in triggers {
                if let Some(o) = step(s, t) {
                    assert!(
                        fota_lwm2m::rules::meaning(o.rule).is_some(),
                        "{} has no meaning",
                        o.rule
                    );
                }
            }
        }
    }

    #[test]
    fn internal_events_outside_their_state_are_ignored() {
        assert_eq!(step(Idle, DownloadComplete), None);
        assert_eq!(step(Downloaded, Boot(BootVerdict::Confirmed)), None);
    }
}
