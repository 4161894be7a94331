//! The summary of a run that the CLI prints and the tests compare: final values, the history
//! of /5 changes, counts, and whether the scenario's expectations hold.

use crate::trace::Fate;
use crate::world::World;
use fota_server::CampaignPhase;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FinalValues {
    pub state: u8,
    pub result: u8,
    pub firmware_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectationReport {
    pub met: bool,
    pub failed: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunReport {
    pub scenario: String,
    pub seed: u64,
    #[serde(rename = "final")]
    pub final_values: FinalValues,
    pub result_history: Vec<[u8; 2]>,
    pub campaign: String,
    /// The server's verdict in its own words: why it failed, or that it succeeded late.
    pub verdict: String,
    /// Why the device can never run an image for good again, when it cannot (SRV-8).
    pub bricked: Option<String>,
    pub datagrams: usize,
    pub dropped: usize,
    pub virtual_ms: u64,
    /// Payload bytes the repository sent (every block, retransmissions included).
    pub bytes_fetched: usize,
    /// The campaign's phases in order.
    pub phases: Vec<String>,
    /// SHA-256 over every datagram in order (each prefixed by its length as u32 LE): equal
    /// digests mean byte-identical runs.
    pub trace_sha256: String,
    pub expectations: ExpectationReport,
    /// What the run cost the device: energy by part, air time, battery, flash erases, and
    /// the same for each campaign phase.
    pub energy: crate::energy_report::EnergyReport,
}

/// Payload bytes of every datagram the repository sent.
pub fn bytes_fetched(world: &World) -> usize {
    world
        .trace()
        .iter()
        .filter(|e| e.from_node == Some(crate::NodeId::Repository))
        .filter_map(|e| fota_coap::message::decode(&e.bytes).ok())
        .map(|p| p.payload.len())
        .sum()
}

pub fn trace_digest(world: &World) -> String {
    let mut h = Sha256::new();
    for e in world.trace() {
        h.update((e.bytes.len() as u32).to_le_bytes());
        h.update(&e.bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl RunReport {
    /// How the run ended, in a sentence for a student: what the device reports, and whether
    /// that is what the scenario sets out to show.
    pub fn in_words(&self) -> String {
        let told = self.outcome_in_words();
        if self.expectations.met {
            format!("{told} That is what this scenario shows.")
        } else {
            format!(
                "{told} This scenario expected otherwise: {}.",
                self.expectations.failed.join("; ")
            )
        }
    }

    /// What the device reports at the end, in words, without the scenario's expectations (a
    /// challenge grades the run by its own goals).
    pub fn outcome_in_words(&self) -> String {
        use fota_lwm2m::{FwState, UpdateResult};
        let v = &self.final_values;
        let state = FwState::from_code(v.state).unwrap_or(FwState::Idle);
        let told = match UpdateResult::from_code(v.result) {
            Some(UpdateResult::Success) => format!(
                "The update succeeded: firmware {} runs, and the device reports Update Result 1.",
                v.firmware_version
            ),
            Some(UpdateResult::Initial) if state != FwState::Idle => format!(
                "The update did not finish: the device is still {} (State {}).",
                state.name(),
                v.state
            ),
            Some(r) => format!(
                "The update {} with Update Result {}: {}.",
                if r == UpdateResult::Initial {
                    "did not happen"
                } else {
                    "failed"
                },
                v.result,
                r.in_words()
            ),
            None => format!("The device reports Update Result {}.", v.result),
        };
        let told = match &self.bricked {
            Some(why) => format!("{told} The device is bricked: {why}."),
            None => told,
        };
        if self.campaign == "succeeded (late)" {
            format!(
                "{told} The server had said \"failed\" first; the device proved it wrong (SRV-9)."
            )
        } else {
            told
        }
    }

    pub fn of(world: &World) -> RunReport {
        let device = world.device();
        let final_values = FinalValues {
            state: device.fw_state().code(),
            result: device.fw_result().code(),
            firmware_version: device.firmware_version(),
        };
        let phase = world.server().phase();
        let campaign = match phase {
            CampaignPhase::Succeeded => "succeeded".to_string(),
            CampaignPhase::SucceededLate(_) => "succeeded (late)".to_string(),
            CampaignPhase::Failed(_) => "failed".to_string(),
            _ => "unfinished".to_string(),
        };
        let expect = &world.scenario().expect;
        let mut failed = Vec::new();
        let mut check = |what: &str, want: Option<String>, got: String| {
            if let Some(want) = want {
                if want != got {
                    failed.push(format!("{what}: expected {want}, got {got}"));
                }
            }
        };
        check(
            "/5/0/3 State",
            expect.state.map(|v| v.to_string()),
            final_values.state.to_string(),
        );
        check(
            "/5/0/5 Update Result",
            expect.result.map(|v| v.to_string()),
            final_values.result.to_string(),
        );
        check(
            "/3/0/3 Firmware Version",
            expect.firmware_version.clone(),
            final_values.firmware_version.clone(),
        );
        check("campaign", expect.campaign.clone(), campaign.clone());
        let bricked = device.bricked().map(str::to_string);
        check(
            "bricked",
            expect.bricked.map(|b| b.to_string()),
            bricked.is_some().to_string(),
        );
        let history: Vec<[u8; 2]> = world
            .firmware_changes()
            .iter()
            .map(|c| [c.state.code(), c.result.code()])
            .collect();
        let bytes_fetched = bytes_fetched(world);
        if let Some(max) = expect.max_bytes_fetched {
            if bytes_fetched > max {
                failed.push(format!(
                    "bytes fetched: expected at most {max}, got {bytes_fetched}"
                ));
            }
        }
        let phases: Vec<String> = world
            .campaign_phases()
            .iter()
            .map(|r| r.phase.name().to_string())
            .collect();
        for want in &expect.phases_include {
            if !phases.contains(want) {
                failed.push(format!("campaign phases: expected {want} among {phases:?}"));
            }
        }
        for want in &expect.history_includes {
            if !history.contains(want) {
                failed.push(format!(
                    "history: expected [{}, {}] among {history:?}",
                    want[0], want[1]
                ));
            }
        }
        RunReport {
            scenario: world.scenario().id.clone(),
            seed: world.seed(),
            result_history: history,
            campaign,
            verdict: phase.to_string(),
            bricked,
            datagrams: world.trace().len(),
            dropped: world
                .trace()
                .iter()
                .filter(|e| matches!(e.fate, Fate::Undeliverable | Fate::Dropped { .. }))
                .count(),
            virtual_ms: world.now().millis(),
            bytes_fetched,
            phases,
            trace_sha256: trace_digest(world),
            expectations: ExpectationReport {
                met: failed.is_empty(),
                failed,
            },
            final_values,
            energy: crate::energy_report::EnergyReport::of(world),
        }
    }
}
