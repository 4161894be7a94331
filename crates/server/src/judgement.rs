//! The campaign's judgement: from what the device reported, the next phase and the verdict
//! (SRV-1, SRV-5, FU-T2, FU-T9). Plain functions of plain data, so that the server only
//! carries out what they decide.

use crate::campaign::CampaignPhase;
use fota_lwm2m::{FwState, Path};

/// What the judgement looks at.
pub(crate) struct Facts<'a> {
    pub phase: &'a CampaignPhase,
    /// Execute Update has gone out.
    pub update_sent: bool,
    /// /3/0/3 as the device last reported it.
    pub reported_version: Option<&'a str>,
    pub target_version: &'a str,
}

/// A step of the campaign.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Stay,
    Enter(CampaignPhase, &'static str),
    Fail(String),
}

/// What a new Register means for the campaign.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OnRegister {
    /// The device is here: read it (SRV-1).
    Prepare,
    /// Watch the radio again on the new registration.
    WatchRadio,
    /// A reboot cut the PUSH (the device reports Result 4, FU-P2).
    PushCut,
    /// Back from the update: read Update Result (SRV-5).
    Verify,
    Nothing,
}

/// What a State and Update Result report asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OnFirmware {
    ExecuteUpdate,
    Judge(Step),
}

impl Facts<'_> {
    pub fn on_register(&self) -> OnRegister {
        match self.phase {
            CampaignPhase::WaitingForDevice => OnRegister::Prepare,
            CampaignPhase::WaitingForSignal => OnRegister::WatchRadio,
            CampaignPhase::Pushing => OnRegister::PushCut,
            // The answer to Execute Update may have been lost before the reboot.
            p if *p == CampaignPhase::Updating || (p.is_delivering() && self.update_sent) => {
                OnRegister::Verify
            }
            _ => OnRegister::Nothing,
        }
    }

    /// The device's State and Update Result; `execute_queued` when Execute Update already
    /// waits in the queue.
    pub fn on_firmware(
        &self,
        state: Option<FwState>,
        result: Option<i64>,
        execute_queued: bool,
    ) -> OnFirmware {
        let judge = |result: Option<i64>| match result {
            Some(r) => self.verify(&r.to_string()),
            None => Step::Stay,
        };
        OnFirmware::Judge(match (self.phase, state) {
            (phase, Some(FwState::Downloaded)) if phase.is_delivering() && !execute_queued => {
                return OnFirmware::ExecuteUpdate
            }
            // The device is back and done updating: judge (SRV-5).
            (CampaignPhase::Verifying, Some(FwState::Idle)) => judge(result),
            // Back from an update whose Execute answer was lost: judge it (SRV-5).
            (phase, Some(FwState::Idle)) if phase.is_delivering() && self.update_sent => {
                judge(result)
            }
            (phase, Some(FwState::Idle)) if phase.is_delivering() => match result {
                Some(r) if r != 0 => {
                    Step::Fail(format!("the download ended with Update Result {r}"))
                }
                _ => Step::Stay,
            },
            _ => Step::Stay,
        })
    }

    /// Update Result read as a single resource.
    pub fn on_result(&self, value: &str) -> Step {
        match self.phase {
            CampaignPhase::Downloading | CampaignPhase::Pushing => {
                Step::Fail(format!("the download ended with Update Result {value}"))
            }
            CampaignPhase::Verifying => self.verify(value),
            _ => Step::Stay,
        }
    }

    /// SRV-5: success is Update Result 1 with the new version running. Result 0 means the
    /// device is still updating (the new image has registered but not yet confirmed): wait
    /// for the State notification.
    pub fn verify(&self, result: &str) -> Step {
        let version = self.reported_version.unwrap_or_default();
        match result {
            "0" => Step::Stay,
            "1" if version == self.target_version => Step::Enter(CampaignPhase::Succeeded, "SRV-5"),
            _ => Step::Fail(format!(
                "after the update: Update Result {result}, version {version}"
            )),
        }
    }
}

/// The answer to writing the Package URI (FU-T2): the device downloads, or the campaign fails.
pub(crate) fn package_uri_written(changed: bool, path: Path, answer: &str) -> Step {
    if changed {
        Step::Enter(CampaignPhase::Downloading, "FU-T2")
    } else {
        Step::Fail(format!("writing {path} answered {answer}"))
    }
}

/// The answer to Execute Update (FU-T9): the device updates, or the campaign fails.
pub(crate) fn update_executed(changed: bool, path: Path, answer: &str) -> Step {
    if changed {
        Step::Enter(CampaignPhase::Updating, "FU-T9")
    } else {
        Step::Fail(format!("executing {path} answered {answer}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(phase: &'a CampaignPhase, version: Option<&'a str>) -> Facts<'a> {
        Facts {
            phase,
            update_sent: false,
            reported_version: version,
            target_version: "2.0.0",
        }
    }

    #[test]
    fn srv5_success_needs_result_1_and_the_target_version() {
        let verifying = CampaignPhase::Verifying;
        let f = facts(&verifying, Some("2.0.0"));
        assert_eq!(
            f.verify("1"),
            Step::Enter(CampaignPhase::Succeeded, "SRV-5")
        );
        assert_eq!(f.verify("0"), Step::Stay, "still updating");
        let old = facts(&verifying, Some("1.0.0"));
        assert_eq!(
            old.verify("1"),
            Step::Fail("after the update: Update Result 1, version 1.0.0".into())
        );
    }

    #[test]
    fn downloaded_executes_update_once() {
        let downloading = CampaignPhase::Downloading;
        let f = facts(&downloading, None);
        let downloaded = Some(FwState::Downloaded);
        assert_eq!(
            f.on_firmware(downloaded, None, false),
            OnFirmware::ExecuteUpdate
        );
        assert_eq!(
            f.on_firmware(downloaded, None, true),
            OnFirmware::Judge(Step::Stay)
        );
    }

    #[test]
    fn a_register_during_the_push_cuts_it_and_after_the_update_verifies() {
        let (pushing, updating) = (CampaignPhase::Pushing, CampaignPhase::Updating);
        assert_eq!(facts(&pushing, None).on_register(), OnRegister::PushCut);
        assert_eq!(facts(&updating, None).on_register(), OnRegister::Verify);
        let downloading = CampaignPhase::Downloading;
        let mut lost_answer = facts(&downloading, None);
        assert_eq!(lost_answer.on_register(), OnRegister::Nothing);
        lost_answer.update_sent = true;
        assert_eq!(lost_answer.on_register(), OnRegister::Verify);
    }
}
