//! The campaign as a state machine: one transition function from the campaign's phase, what
//! the server knows of the device, and one input (a Register, a /5 report, the answer to one
//! of the campaign's own requests, a deadline) to what the server does next (SRV-1, SRV-4,
//! SRV-5, SRV-8, SRV-9, SRV-13, FU-T2, FU-T9, FU-T12). Plain data in, plain data out: the
//! server carries out what it decides and tests check each row without a network.

use crate::campaign::{CampaignPhase, Delivery};
use fota_lwm2m::FwState;

/// How often the campaign executes Update before it stops asking (SRV-9: a device seen in
/// Downloaded again is told to update again, but not for ever).
pub(crate) const UPDATE_ATTEMPTS: u32 = 3;

/// How often the campaign starts the delivery again after the device lost it to a restart.
pub(crate) const DELIVERY_ATTEMPTS: u32 = 3;

/// How often the campaign reads /3/0/3 again before it believes a version that does not match
/// (a damaged answer would otherwise fail an update that worked).
pub(crate) const VERSION_CHECKS: u32 = 2;

/// How often a failed campaign asks a device that still waits for PUSH blocks to drop them.
pub(crate) const CLEAN_UP_ATTEMPTS: u32 = 3;

/// What the transition looks at besides its input.
pub(crate) struct Facts<'a> {
    pub phase: &'a CampaignPhase,
    /// Execute Update has gone out since the delivery began.
    pub update_sent: bool,
    /// Execute Update waits in the queue.
    pub execute_queued: bool,
    /// Times Execute Update went out in this campaign, sent again after a lost answer too.
    pub updates_sent: u32,
    /// Times the campaign decided to execute Update (a request sent again counts once).
    pub updates_asked: u32,
    /// Times the delivery was started.
    pub deliveries: u32,
    /// The device registered again since the delivery began: its next /5 report says how to
    /// go on.
    pub rejoined: bool,
    /// /3/0/3 as the device last reported it.
    pub reported_version: Option<&'a str>,
    /// The version that proves success, when one is known (SRV-13).
    pub target_version: Option<&'a str>,
    /// How the image is on its way, once a delivery began.
    pub delivering_by: Option<Delivery>,
    /// A PUSH is in progress: the server has blocks left to send.
    pub pushing: bool,
    /// Times the server asked the device to drop what it holds (SRV-10).
    pub clean_ups: u32,
    /// Times /3/0/3 was read again because it did not match after Update Result 1.
    pub version_checks: u32,
}

/// One input of the campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input<'a> {
    /// The device registered (again).
    Registered,
    /// State and Update Result, from a notification, an Observe answer or a Read of /5/0.
    Firmware {
        state: Option<FwState>,
        result: Option<i64>,
    },
    /// /5/0/5 read on its own.
    Result(i64),
    /// The answer to writing the Package URI: 2.04 or not; `again` when the write went out
    /// more than once in this delivery (an earlier one may have reached the device).
    UriWritten {
        changed: bool,
        again: bool,
        answer: &'a str,
        /// 5.03 Service Unavailable: not now, ask again after this many seconds (BAT-3).
        retry_after_s: Option<u64>,
    },
    /// The answer to Execute Update: 2.04 or not; `not_allowed` for 4.05, which says the
    /// device is not in Downloaded (FU-R1).
    UpdateExecuted {
        changed: bool,
        not_allowed: bool,
        answer: &'a str,
    },
    /// One of the campaign's requests got no answer in all its attempts (SRV-4).
    Unanswered,
    /// No Register came within `update_timeout_s` of the last news after Execute Update.
    UpdateTimedOut { after_s: u64 },
    /// The device's registration ran out and it has not registered again for `after_s`.
    RegistrationLost { after_s: u64 },
    /// The campaign did not get past reading the device within `update_timeout_s`.
    PrepareTimedOut { after_s: u64 },
    /// The new image registered but did not confirm itself within `update_timeout_s`.
    VerifyTimedOut { after_s: u64 },
    /// The radio stayed too weak for a PUSH for as long as the campaign waits.
    SignalWaitOver { after_s: u64 },
}

/// What the server does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Act {
    Stay,
    Enter(CampaignPhase, &'static str),
    /// The campaign has failed: the server says why and leaves the device Idle (SRV-10).
    Fail(String),
    /// Update Result 1 with the right version (SRV-5, SRV-13); late when a failure was said
    /// before (SRV-9).
    Succeed(&'static str),
    /// Queue Execute Update (FU-T9).
    ExecuteUpdate(&'static str),
    /// Back from the update: read Update Result (SRV-5).
    Verify,
    /// Watch the radio again on the new registration (SRV-3).
    WatchRadio,
    /// The device restarted during the PUSH: the PUSH in progress is over on both sides
    /// (FU-P2); its /5 report says what is left.
    PushCut,
    /// The device came back Idle with nothing downloaded: deliver again.
    DeliverAgain,
    /// Give up on PUSH and deliver by PULL, which needs no radio threshold (SRV-3).
    FallBackToPull,
    /// Deliver again after this many seconds: the device asked for it (5.03, BAT-3).
    DeliverLater(u64),
    /// Note that the device rejoined: its next /5 report decides.
    Rejoined,
    /// Read /5/0: the device's state decides.
    ReadFirmware,
    /// Ask the device to drop what it holds (SRV-10).
    CleanUp,
    /// Read /3/0/3 and Update Result again before judging (SRV-5).
    CheckVersion,
}

impl Facts<'_> {
    /// The one transition function of the campaign.
    pub fn next(&self, input: Input) -> Act {
        use CampaignPhase as P;
        let phase = self.phase;
        match input {
            Input::Registered => match phase {
                P::WaitingForDevice => Act::Enter(P::Preparing, "SRV-1"),
                P::WaitingForSignal => Act::WatchRadio,
                // The answer to Execute Update may have been lost before the reboot.
                P::Updating => Act::Verify,
                p if p.is_delivering() && self.update_sent => Act::Verify,
                P::Pushing => Act::PushCut,
                P::Downloading | P::Preparing | P::Failed(_) => Act::Rejoined,
                _ => Act::Stay,
            },
            Input::Firmware { state, result } => self.on_firmware(state, result),
            Input::Result(r) => match phase {
                P::Verifying => self.verify(r),
                P::Failed(_) if self.update_sent && r == 1 => self.verify(r),
                _ => Act::Stay,
            },
            Input::UriWritten { changed: true, .. } => Act::Enter(P::Downloading, "FU-T2"),
            // The device cannot take a download now (its battery, BAT-2): deliver again later.
            Input::UriWritten {
                retry_after_s: Some(s),
                ..
            } => Act::DeliverLater(s),
            // Sent again after a lost answer: the first one may have started the download,
            // and the device then refuses the second (FU-R4); where it is decides.
            Input::UriWritten { again: true, .. } => Act::ReadFirmware,
            Input::UriWritten { answer, .. } => {
                Act::Fail(format!("writing the Package URI answered {answer}"))
            }
            Input::UpdateExecuted { changed: true, .. } => Act::Enter(P::Updating, "FU-T9"),
            // A retransmission that reached the device after it rebooted into the update (its
            // duplicate cache is gone): it said Updating already, and that stands.
            Input::UpdateExecuted {
                not_allowed: true, ..
            } if *phase == P::Updating => Act::Stay,
            // An Execute sent again after a lost answer finds the device updating already:
            // where it is decides, not the refusal.
            Input::UpdateExecuted {
                not_allowed: true, ..
            } if self.updates_sent > 1 => Act::ReadFirmware,
            Input::UpdateExecuted { answer, .. } => {
                Act::Fail(format!("executing Update answered {answer}"))
            }
            // While the device reboots its silence is expected: the update deadline ends it.
            Input::Unanswered if *phase == P::Updating => Act::Stay,
            Input::Unanswered => Act::Fail("the device stopped answering".into()),
            Input::UpdateTimedOut { after_s } if *phase == P::Updating => Act::Fail(format!(
                "the device did not come back within {after_s} s of starting its update"
            )),
            Input::VerifyTimedOut { after_s } if *phase == P::Verifying => Act::Fail(format!(
                "the new firmware did not confirm itself within {after_s} s"
            )),
            Input::PrepareTimedOut { after_s } if *phase == P::Preparing => Act::Fail(format!(
                "the campaign could not start the delivery within {after_s} s"
            )),
            Input::SignalWaitOver { .. } if *phase == P::WaitingForSignal => Act::FallBackToPull,
            // Updating has its own deadline, which says more.
            Input::RegistrationLost { .. } if *phase == P::Updating => Act::Stay,
            Input::RegistrationLost { after_s } => Act::Fail(format!(
                "the device's registration ran out and it did not register again within {after_s} s"
            )),
            Input::UpdateTimedOut { .. }
            | Input::PrepareTimedOut { .. }
            | Input::VerifyTimedOut { .. }
            | Input::SignalWaitOver { .. } => Act::Stay,
        }
    }

    /// State and Update Result as the device reports them. The verdict follows the device
    /// in every phase, a failed one too (SRV-9).
    fn on_firmware(&self, state: Option<FwState>, result: Option<i64>) -> Act {
        use CampaignPhase as P;
        let phase = self.phase;
        let failed = matches!(phase, P::Failed(_));
        match state {
            Some(FwState::Downloaded) => {
                if self.execute_queued {
                    return Act::Stay;
                }
                match (phase, result) {
                    // FU-T12: the device could not write its upgrade request.
                    (P::Updating, Some(8)) => Act::Fail(
                        "the device could not start the update: Update Result 8 (FU-T12)".into(),
                    ),
                    // Deferred by the device's user (FU-T10), or a stale report: wait.
                    (P::Updating, _) => Act::Stay,
                    _ if !(phase.is_delivering()
                        || failed
                        || *phase == P::Verifying
                        || (*phase == P::Preparing && self.deliveries > 0)) =>
                    {
                        Act::Stay
                    }
                    _ if self.updates_asked >= UPDATE_ATTEMPTS => Act::Fail(format!(
                        "the device stays Downloaded after {UPDATE_ATTEMPTS} Execute Updates"
                    )),
                    _ if failed => Act::ExecuteUpdate("SRV-9"),
                    _ => Act::ExecuteUpdate("FU-T9"),
                }
            }
            // After a failure the campaign waits for what the device ends with (its Downloaded
            // or its Update Result 1) rather than going back into a phase it gave up on:
            // a device in a reset loop would otherwise take it round for ever.
            Some(FwState::Downloading) => match phase {
                // Half a PUSH that nobody will finish: the device must drop it. A PULL goes
                // on by itself.
                P::Failed(_)
                    if self.delivering_by == Some(Delivery::Push)
                        && self.clean_ups < CLEAN_UP_ATTEMPTS =>
                {
                    Act::CleanUp
                }
                // The Package URI's answer was lost, and the download runs (FU-T2).
                P::Preparing if self.deliveries > 0 => Act::Enter(P::Downloading, "FU-T2"),
                // The device registered again without restarting (REG-1) and still holds half
                // the PUSH, which the server dropped: push it again from block 0 (BW-4).
                P::Pushing if self.rejoined && !self.pushing => self.deliver_again(),
                _ => Act::Stay,
            },
            Some(FwState::Updating) => match phase {
                p if p.is_delivering() && self.update_sent => Act::Enter(P::Updating, "FU-T9"),
                _ => Act::Stay,
            },
            Some(FwState::Idle) => {
                let result = result.unwrap_or(0);
                match phase {
                    // Back and done updating: judge (SRV-5).
                    P::Verifying => self.verify(result),
                    // Back from an update whose Execute answer was lost: judge it.
                    p if p.is_delivering() && self.update_sent && result != 0 => {
                        self.verify(result)
                    }
                    // Execute went out, yet the device never left Idle and holds nothing.
                    p if p.is_delivering() && self.update_sent => {
                        Act::Fail("the device is Idle with no image to update".into())
                    }
                    P::Failed(_) if self.update_sent && result == 1 => self.verify(result),
                    // Idle with nothing after a restart: the delivery was lost with it.
                    // (In Preparing too: a Register that came while the Package URI was still
                    // being sent dropped it from the queue.)
                    p if (p.is_delivering() || (*p == P::Preparing && self.deliveries > 0))
                        && result == 0
                        && self.rejoined =>
                    {
                        self.deliver_again()
                    }
                    p if p.is_delivering() && result != 0 => {
                        Act::Fail(format!("the download ended with Update Result {result}"))
                    }
                    _ => Act::Stay,
                }
            }
            None => Act::Stay,
        }
    }

    /// The delivery again, unless it has had all its attempts.
    fn deliver_again(&self) -> Act {
        if self.deliveries >= DELIVERY_ATTEMPTS {
            Act::Fail(format!(
                "the device lost the download {DELIVERY_ATTEMPTS} times"
            ))
        } else {
            Act::DeliverAgain
        }
    }

    /// SRV-5: success is Update Result 1 with the new version running; with no version to
    /// expect, Result 1 after the new Register is enough (SRV-13). Result 0 means the device
    /// is still updating (the new image has registered but not yet confirmed): wait.
    pub fn verify(&self, result: i64) -> Act {
        let version = self.reported_version.unwrap_or_default();
        match (result, self.target_version) {
            (0, _) => Act::Stay,
            (1, Some(target)) if version == target => Act::Succeed("SRV-5"),
            (1, None) => Act::Succeed("SRV-13"),
            (1, Some(_)) if self.version_checks < VERSION_CHECKS => Act::CheckVersion,
            _ => Act::Fail(format!(
                "after the update: Update Result {result}, version {version}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CampaignPhase as P;

    fn facts(phase: &CampaignPhase) -> Facts<'_> {
        Facts {
            phase,
            update_sent: false,
            execute_queued: false,
            updates_sent: 0,
            updates_asked: 0,
            deliveries: 1,
            rejoined: false,
            reported_version: Some("2.0.0"),
            target_version: Some("2.0.0"),
            delivering_by: Some(Delivery::Pull),
            pushing: false,
            clean_ups: 0,
            version_checks: VERSION_CHECKS,
        }
    }

    fn report(state: FwState, result: i64) -> Input<'static> {
        Input::Firmware {
            state: Some(state),
            result: Some(result),
        }
    }

    #[test]
    fn srv5_success_needs_result_1_and_the_target_version() {
        let f = facts(&P::Verifying);
        assert_eq!(f.verify(1), Act::Succeed("SRV-5"));
        assert_eq!(f.verify(0), Act::Stay, "still updating");
        let mut old = facts(&P::Verifying);
        old.reported_version = Some("1.0.0");
        old.version_checks = 0;
        assert_eq!(old.verify(1), Act::CheckVersion, "read it again first");
        old.version_checks = VERSION_CHECKS;
        assert_eq!(
            old.verify(1),
            Act::Fail("after the update: Update Result 1, version 1.0.0".into())
        );
    }

    #[test]
    fn srv13_with_no_version_to_expect_result_1_is_enough() {
        let mut f = facts(&P::Verifying);
        f.target_version = None;
        f.reported_version = Some("whatever the client says");
        assert_eq!(f.verify(1), Act::Succeed("SRV-13"));
        assert!(matches!(f.verify(8), Act::Fail(_)));
    }

    #[test]
    fn downloaded_executes_update_once() {
        let mut f = facts(&P::Downloading);
        assert_eq!(
            f.next(report(FwState::Downloaded, 0)),
            Act::ExecuteUpdate("FU-T9")
        );
        f.execute_queued = true;
        assert_eq!(f.next(report(FwState::Downloaded, 0)), Act::Stay);
    }

    #[test]
    fn srv9_a_device_back_in_downloaded_after_a_push_cut_is_told_to_update() {
        let pushing = P::Pushing;
        assert_eq!(facts(&pushing).next(Input::Registered), Act::PushCut);
        // After the cut the server notes the rejoin; the phase stays until the report.
        let mut f = facts(&pushing);
        f.rejoined = true;
        assert_eq!(
            f.next(report(FwState::Downloaded, 0)),
            Act::ExecuteUpdate("FU-T9")
        );
        assert_eq!(
            f.next(report(FwState::Idle, 4)),
            Act::Fail("the download ended with Update Result 4".into())
        );
    }

    #[test]
    fn a_push_dropped_on_a_register_without_a_restart_starts_again() {
        let mut f = facts(&P::Pushing);
        f.delivering_by = Some(Delivery::Push);
        f.rejoined = true;
        assert_eq!(f.next(report(FwState::Downloading, 0)), Act::DeliverAgain);
        f.pushing = true;
        assert_eq!(f.next(report(FwState::Downloading, 0)), Act::Stay);
    }

    #[test]
    fn a_device_back_idle_with_nothing_gets_the_delivery_again_a_few_times() {
        let downloading = P::Downloading;
        let mut f = facts(&downloading);
        f.rejoined = true;
        assert_eq!(f.next(report(FwState::Idle, 0)), Act::DeliverAgain);
        f.deliveries = DELIVERY_ATTEMPTS;
        assert!(matches!(f.next(report(FwState::Idle, 0)), Act::Fail(_)));
        // Without a restart an Idle report with Result 0 is no news.
        let quiet = facts(&downloading);
        assert_eq!(quiet.next(report(FwState::Idle, 0)), Act::Stay);
    }

    #[test]
    fn srv9_the_verdict_follows_the_device_after_a_failure() {
        let failed = P::Failed("the device stopped answering".into());
        let mut f = facts(&failed);
        f.update_sent = true;
        assert_eq!(f.next(report(FwState::Idle, 1)), Act::Succeed("SRV-5"));
        assert_eq!(f.next(Input::Result(1)), Act::Succeed("SRV-5"));
        assert_eq!(
            f.next(report(FwState::Updating, 0)),
            Act::Stay,
            "a failed campaign waits for the end, it does not go back to Updating"
        );
        let mut not_yet = facts(&failed);
        assert_eq!(
            not_yet.next(report(FwState::Downloaded, 0)),
            Act::ExecuteUpdate("SRV-9")
        );
        assert_eq!(
            not_yet.next(report(FwState::Downloading, 0)),
            Act::Stay,
            "a PULL goes on by itself"
        );
        not_yet.delivering_by = Some(Delivery::Push);
        assert_eq!(
            not_yet.next(report(FwState::Downloading, 0)),
            Act::CleanUp,
            "srv10: half a PUSH nobody finishes is dropped"
        );
        let mut tired = facts(&failed);
        tired.updates_asked = UPDATE_ATTEMPTS;
        assert!(matches!(
            tired.next(report(FwState::Downloaded, 0)),
            Act::Fail(_)
        ));
    }

    #[test]
    fn srv8_updating_ends_when_the_device_does_not_come_back() {
        let updating = P::Updating;
        let f = facts(&updating);
        assert_eq!(
            f.next(Input::UpdateTimedOut { after_s: 300 }),
            Act::Fail("the device did not come back within 300 s of starting its update".into())
        );
        assert_eq!(f.next(Input::Unanswered), Act::Stay, "rebooting");
        assert_eq!(f.next(Input::Registered), Act::Verify);
        // FU-T12: the upgrade request could not be written; a deferral is waited out.
        assert!(matches!(
            f.next(report(FwState::Downloaded, 8)),
            Act::Fail(_)
        ));
        assert_eq!(f.next(report(FwState::Downloaded, 11)), Act::Stay);
    }

    #[test]
    fn a_refused_execute_sent_again_reads_where_the_device_is() {
        let mut f = facts(&P::Downloading);
        f.update_sent = true;
        f.updates_sent = 2;
        let refused = Input::UpdateExecuted {
            changed: false,
            not_allowed: true,
            answer: "4.05 Method Not Allowed",
        };
        assert_eq!(f.next(refused), Act::ReadFirmware);
        let updating = P::Updating;
        let mut rebooted = facts(&updating);
        rebooted.updates_sent = 1;
        assert_eq!(
            rebooted.next(refused),
            Act::Stay,
            "it said Updating already"
        );
        assert_eq!(
            f.next(report(FwState::Updating, 0)),
            Act::Enter(P::Updating, "FU-T9")
        );
        assert!(matches!(f.next(report(FwState::Idle, 0)), Act::Fail(_)));
        f.updates_sent = 1;
        assert!(matches!(f.next(refused), Act::Fail(_)), "the first Execute");
    }

    #[test]
    fn a_package_uri_written_again_and_refused_reads_where_the_device_is() {
        let mut f = facts(&P::Preparing);
        let again = Input::UriWritten {
            changed: false,
            again: true,
            answer: "4.00 Bad Request",
            retry_after_s: None,
        };
        assert_eq!(f.next(again), Act::ReadFirmware);
        assert_eq!(
            f.next(report(FwState::Downloading, 0)),
            Act::Enter(P::Downloading, "FU-T2")
        );
        assert_eq!(
            f.next(report(FwState::Downloaded, 0)),
            Act::ExecuteUpdate("FU-T9")
        );
        f.deliveries = 0;
        assert_eq!(f.next(report(FwState::Downloaded, 0)), Act::Stay);
    }

    #[test]
    fn a_register_that_dropped_the_package_uri_from_the_queue_delivers_again() {
        let mut f = facts(&P::Preparing);
        f.rejoined = true;
        assert_eq!(f.next(report(FwState::Idle, 0)), Act::DeliverAgain);
        f.deliveries = 0;
        assert_eq!(f.next(report(FwState::Idle, 0)), Act::Stay, "not begun yet");
    }

    #[test]
    fn srv8_a_registration_that_ran_out_ends_the_campaign_unless_updating() {
        let lost = Input::RegistrationLost { after_s: 300 };
        assert!(matches!(facts(&P::Downloading).next(lost), Act::Fail(_)));
        assert_eq!(facts(&P::Updating).next(lost), Act::Stay);
    }

    #[test]
    fn an_operator_read_of_result_0_while_downloading_ends_nothing() {
        let f = facts(&P::Downloading);
        assert_eq!(f.next(Input::Result(0)), Act::Stay);
        assert_eq!(f.next(Input::Result(4)), Act::Stay);
    }

    #[test]
    fn a_lost_execute_answer_is_judged_by_what_the_device_says() {
        let downloading = P::Downloading;
        let mut f = facts(&downloading);
        assert_eq!(f.next(Input::Registered), Act::Rejoined);
        f.update_sent = true;
        assert_eq!(f.next(Input::Registered), Act::Verify);
        assert_eq!(f.next(report(FwState::Idle, 1)), Act::Succeed("SRV-5"));
    }
}
