//! Leaving the device Idle when the campaign gives up (SRV-10): Cancel (FU-T8) when it may
//! hold part or all of an image, and when Cancel is refused (an LwM2M 1.0 client has no
//! /5/0/10) the reset write of FU-T7. Each step says in the log what it did and why.

use crate::campaign::CampaignPhase;
use crate::paths::{CANCEL, PACKAGE_URI};
use crate::requests::Op;
use crate::server::Server;
use fota_coap::ResponseType;
use fota_lwm2m::FwState;

impl Server {
    /// The campaign gave up in `phase`: leave the device Idle if it may be holding an image.
    pub(crate) fn clean_up(&mut self, phase: &CampaignPhase) {
        // What the device last said decides; with no word since it registered, the phase.
        let holds_image = match self.device_state {
            Some(state) => matches!(state, FwState::Downloading | FwState::Downloaded),
            None => phase.is_delivering(),
        };
        if !holds_image {
            return;
        }
        if self.directory_is_empty() {
            self.log(
                "giving up, but the device is not registered: it cannot be told to cancel until it registers again",
                Some("SRV-10"),
            );
            return;
        }
        if let Some(sender) = self.push.take() {
            self.log(
                format!("PUSH abandoned after {} bytes", sender.sent()),
                Some("SRV-10"),
            );
        }
        self.clean_ups += 1;
        self.log(
            "giving up: cancelling the update so that the device is left Idle",
            Some("SRV-10"),
        );
        self.requests.push_back_for("SRV-10", Op::Execute(CANCEL));
    }

    /// Whether `op` is one of the clean-up's requests.
    pub(crate) fn is_clean_up(op: &Op) -> bool {
        match op {
            Op::Execute(path) => *path == CANCEL,
            Op::Write(path, value) => *path == PACKAGE_URI && value.is_empty(),
            _ => false,
        }
    }

    /// The answer to a clean-up request.
    pub(crate) fn on_clean_up_answer(&mut self, op: &Op, code: ResponseType, answer: &str) {
        let changed = code == ResponseType::Changed;
        match (op, changed) {
            (Op::Execute(_), true) => {
                self.log("the device cancelled the update: it is Idle", Some("FU-T8"))
            }
            // Cancel is refused in Idle and Updating (FU-R2): nothing to clean up, and a reset
            // write would wipe the Update Result that says what happened.
            (Op::Execute(_), false) if code == ResponseType::MethodNotAllowed => self.log(
                format!("Cancel answered {answer}: the device is Idle or updating already"),
                Some("SRV-10"),
            ),
            // No /5/0/10 (an LwM2M 1.0 client): the reset write does the same.
            (Op::Execute(_), false) => {
                self.log(
                    format!("Cancel answered {answer}: resetting with an empty Package URI"),
                    Some("SRV-10"),
                );
                self.requests
                    .push_back_for("SRV-10", Op::Write(PACKAGE_URI, String::new()));
            }
            (_, true) => self.log(
                "the device reset its firmware update: it is Idle",
                Some("FU-T7"),
            ),
            (_, false) => self.log(
                format!("the reset write answered {answer}: the device may not be Idle"),
                Some("SRV-10"),
            ),
        }
    }
}
