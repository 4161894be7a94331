//! Every phase's deadlines (SRV-4, SRV-8): when the server polls a device it has not heard
//! from, and when it stops waiting and what that means. No phase waits without one: the
//! phases without a give-up deadline are bounded by their requests' own attempts (SRV-4).

use crate::campaign::{CampaignConfig, CampaignPhase};
use crate::machine::Input;

/// How many polls' worth of time the campaign waits for a radio good enough for a PUSH
/// before it delivers by PULL instead (SRV-3).
pub(crate) const SIGNAL_WAIT_POLLS: u64 = 10;

/// Where a give-up deadline counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Since {
    /// The last news from the device: a device that keeps reporting is waited for.
    LastNews,
    /// Entering the phase: news does not extend it.
    PhaseStart,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GiveUp {
    pub after_s: u64,
    pub since: Since,
}

impl GiveUp {
    /// The input the campaign gets when it fires.
    pub fn input(self, phase: &CampaignPhase) -> Option<Input<'static>> {
        let after_s = self.after_s;
        match phase {
            CampaignPhase::Updating => Some(Input::UpdateTimedOut { after_s }),
            CampaignPhase::WaitingForSignal => Some(Input::SignalWaitOver { after_s }),
            CampaignPhase::Verifying => Some(Input::VerifyTimedOut { after_s }),
            CampaignPhase::Preparing => Some(Input::PrepareTimedOut { after_s }),
            _ => None,
        }
    }
}

/// A phase's deadlines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Deadlines {
    /// With no news for this long, poll the device with a Read (SRV-4).
    pub poll_after_s: Option<u64>,
    pub give_up: Option<GiveUp>,
}

pub(crate) fn of(phase: &CampaignPhase, campaign: &CampaignConfig) -> Deadlines {
    let poll = Some(campaign.phase_timeout_s);
    match phase {
        // Preparing waits on its requests, each bounded by its attempts, but a Register in the
        // middle empties the queue: the phase as a whole is bounded too.
        CampaignPhase::Preparing => Deadlines {
            poll_after_s: None,
            give_up: Some(GiveUp {
                after_s: campaign.update_timeout_s,
                since: Since::PhaseStart,
            }),
        },
        // Before the first Register and after the verdict there is nothing to wait for.
        CampaignPhase::WaitingForDevice
        | CampaignPhase::Succeeded
        | CampaignPhase::SucceededLate(_)
        | CampaignPhase::Failed(_) => Deadlines::default(),
        CampaignPhase::WaitingForSignal => Deadlines {
            poll_after_s: poll,
            give_up: Some(GiveUp {
                after_s: SIGNAL_WAIT_POLLS.saturating_mul(campaign.phase_timeout_s),
                since: Since::PhaseStart,
            }),
        },
        // A PUSH block and a poll each end in an answer or in giving up after their attempts;
        // the device's own download has deadlines of its own (FU-D4).
        CampaignPhase::Pushing | CampaignPhase::Downloading => Deadlines {
            poll_after_s: poll,
            give_up: None,
        },
        // A new image that registers but never confirms and keeps restarting (an
        // overwrite-only bootloader cannot revert it) answers every poll: the phase itself
        // must end.
        CampaignPhase::Verifying => Deadlines {
            poll_after_s: poll,
            give_up: Some(GiveUp {
                after_s: campaign.update_timeout_s,
                since: Since::PhaseStart,
            }),
        },
        // The device reboots: its polls may go unanswered, but it must register again
        // (SRV-8).
        CampaignPhase::Updating => Deadlines {
            poll_after_s: poll,
            give_up: Some(GiveUp {
                after_s: campaign.update_timeout_s,
                since: Since::LastNews,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srv8_every_waiting_phase_has_a_deadline_and_updating_gives_up() {
        let mut c = CampaignConfig::pull("coap://r/fw", "2.0.0");
        c.update_timeout_s = 300;
        let updating = of(&CampaignPhase::Updating, &c);
        assert_eq!(updating.give_up.map(|g| g.after_s), Some(300));
        assert_eq!(
            updating
                .give_up
                .and_then(|g| g.input(&CampaignPhase::Updating)),
            Some(Input::UpdateTimedOut { after_s: 300 })
        );
        for phase in [
            CampaignPhase::WaitingForSignal,
            CampaignPhase::Pushing,
            CampaignPhase::Downloading,
            CampaignPhase::Updating,
            CampaignPhase::Verifying,
        ] {
            assert_eq!(of(&phase, &c).poll_after_s, Some(60), "{phase}");
        }
        assert_eq!(of(&CampaignPhase::Succeeded, &c), Deadlines::default());
    }

    #[test]
    fn a_phase_timeout_of_u64_max_waits_for_ever_instead_of_overflowing() {
        // From the fuzz harness: `phase_timeout_s` of u64::MAX in a scenario file.
        let mut c = CampaignConfig::pull("coap://r/fw", "2.0.0");
        c.phase_timeout_s = u64::MAX;
        let waiting = of(&CampaignPhase::WaitingForSignal, &c);
        assert_eq!(waiting.give_up.map(|g| g.after_s), Some(u64::MAX));
    }
}
