//! SPEC.md §2 rule by rule: every transition and refusal of the /5 table, as the spec states it.

use fota_coap::ResponseType;
use fota_lwm2m::transitions::*;
use fota_lwm2m::{FwState, UpdateResult};
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
    (o.state, o.result, o.rule(), o.answer())
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
                    fota_lwm2m::rules::meaning(o.rule()).is_some(),
                    "{} has no meaning",
                    o.rule()
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

#[test]
fn fu_t10_the_update_starts_by_itself_when_the_defer_period_ends() {
    assert_eq!(
        go(Downloaded, DeferEnded),
        (Updating, Some(R::Initial), "FU-T10", None)
    );
    // Nothing else waits for a defer period.
    for s in [Idle, Downloading, Updating] {
        assert_eq!(step(s, DeferEnded), None);
    }
}
