//! What the nodes reported, recorded as they reported it: the /5 changes, /3/0/3 over time, the
//! campaign's phases, the rules the device applied to the datagrams it received, the
//! bootloader's events, the device's moments, and the log for people made from all of them.
//! Each fact keeps the trace length it happened at, so the UI can show it between the ladder's
//! rows, and the number of moments before it, so that stepping through the moments of one
//! event (a boot) shows each fact from the moment it happened.

use crate::cow::CowVec;
use crate::moments::Moment;
use crate::topology::NodeId;
use fota_bootloader::BootEvent;
use fota_coap::SimTime;
use fota_device::energy::EnergySpent;
use fota_device::DeviceEvent;
use fota_lwm2m::{Fact, FwState, UpdateResult};
use fota_server::{CampaignPhase, ServerEvent};
use serde::Serialize;

/// A line of a node's log, stamped with the virtual time it was written. It keeps the fact
/// it says and makes its text when asked: a run writes thousands of lines (a swap logs each
/// sector), and a page shows a few of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub at: SimTime,
    pub node: NodeId,
    #[serde(rename = "text", serialize_with = "said_text")]
    pub said: Said,
    pub rule: Option<&'static str>,
}

/// What a log line says: a node's fact, or a line the world writes (a fault).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Said {
    /// A fact of the device; a boot step's flash is left to the moments.
    Device(DeviceEvent),
    Server(ServerEvent),
    Repository(fota_lwm2m::NodeEvent),
    Text(String),
}

impl core::fmt::Display for Said {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Said::Device(ev) => ev.fmt(f),
            Said::Server(ev) => ev.fmt(f),
            Said::Repository(ev) => ev.fmt(f),
            Said::Text(text) => f.write_str(text),
        }
    }
}

fn said_text<S: serde::Serializer>(said: &Said, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(said)
}

impl LogEntry {
    /// The line as people read it.
    pub fn text(&self) -> String {
        self.said.to_string()
    }
}

/// One change of /5/0/3 and /5/0/5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FirmwareChange {
    pub at: SimTime,
    pub state: FwState,
    pub result: UpdateResult,
    pub rule: &'static str,
    /// Trace length when it happened: the UI places it between ladder rows.
    pub after_datagrams: usize,
    /// The device's moments before it, over the whole run.
    pub moments_before: usize,
}

/// /3/0/3 changed: a new image runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VersionChange {
    /// Trace length when it changed.
    pub rows: usize,
    /// The device's moments before it, over the whole run.
    pub moments_before: usize,
    pub version: String,
}

/// The campaign entering a phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PhaseRecord {
    pub at: SimTime,
    /// Trace length when it began.
    pub after_datagrams: usize,
    pub phase: CampaignPhase,
    /// What the device had spent when it began.
    pub energy: EnergySpent,
}

/// The device's energy and battery at a moment, for the chart of the run's cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EnergyPoint {
    pub at: SimTime,
    pub spent: EnergySpent,
    /// The battery level in hundredths of a percent.
    pub battery_centi: u64,
}

/// Points closer than this to the one before are not kept: the chart needs no more, and a
/// long run keeps a few thousand.
const ENERGY_POINT_MS: u64 = 250;

/// One thing the bootloader did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BootRecord {
    pub at: SimTime,
    /// Trace length when it happened.
    pub after_datagrams: usize,
    /// The device's moments before it, over the whole run (a decision is one itself).
    pub moments_before: usize,
    pub event: BootEvent,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    pub(crate) log: CowVec<LogEntry>,
    pub(crate) changes: CowVec<FirmwareChange>,
    /// /3/0/3 over time.
    pub(crate) versions: CowVec<VersionChange>,
    /// The campaign's phases, from the first.
    pub(crate) phases: CowVec<PhaseRecord>,
    /// The device's energy over the run, a point at most every `ENERGY_POINT_MS`.
    pub(crate) energy: CowVec<EnergyPoint>,
    /// (trace row, rule): the rule of the /5 table the device applied to that datagram.
    pub(crate) rules: CowVec<(usize, &'static str)>,
    /// (trace row, rule): the rule the server followed in sending that request.
    pub(crate) sent_for: CowVec<(usize, &'static str)>,
    pub(crate) boot: CowVec<BootRecord>,
    /// The device's checks of each complete download: (trace length when it checked, checks).
    pub(crate) prevalidations: CowVec<(usize, Vec<fota_bootloader::Check>)>,
    /// The device's moments: resets, boot steps, an image failing.
    pub(crate) moments: CowVec<Moment>,
}

impl History {
    pub(crate) fn new() -> History {
        let mut h = History::default();
        h.phases.push(PhaseRecord {
            at: SimTime::ZERO,
            after_datagrams: 0,
            phase: CampaignPhase::WaitingForDevice,
            energy: EnergySpent::default(),
        });
        h
    }

    /// The device's energy and battery at `at`, when the last point is far enough behind.
    pub(crate) fn energy_point(&mut self, at: SimTime, (spent, battery_centi): (EnergySpent, u64)) {
        if self
            .energy
            .last()
            .is_some_and(|p| at - p.at < ENERGY_POINT_MS)
        {
            return;
        }
        self.energy.push(EnergyPoint {
            at,
            spent,
            battery_centi,
        });
    }

    /// Records a line for people from `node`.
    pub(crate) fn note<F: Fact>(
        &mut self,
        at: SimTime,
        node: NodeId,
        fact: F,
        said: fn(F) -> Said,
    ) {
        if !fact.is_quiet() {
            let rule = fact.rule();
            self.log.push(LogEntry {
                at,
                node,
                said: said(fact),
                rule,
            });
        }
    }

    /// Records what the device reported at `at` while handling one input, the world's event
    /// `step`: `before_input` is the trace length before that input's datagrams, `row` the
    /// datagram it received, if the input was one.
    pub(crate) fn device(
        &mut self,
        at: SimTime,
        step: u64,
        before_input: usize,
        row: Option<usize>,
        ev: DeviceEvent,
    ) {
        let moments_before = self.moments.len();
        if Moment::is_one(&ev) {
            self.moments.push(Moment {
                at,
                rows: before_input,
                step,
                event: ev.clone(),
            });
        }
        match &ev {
            DeviceEvent::Firmware {
                state,
                result,
                rule,
                sent_before,
            } => {
                self.changes.push(FirmwareChange {
                    at,
                    state: *state,
                    result: *result,
                    rule,
                    after_datagrams: before_input + sent_before,
                    moments_before,
                });
                return;
            }
            DeviceEvent::FirmwareVersion {
                version,
                sent_before,
            } => self.versions.push(VersionChange {
                rows: before_input + sent_before,
                moments_before,
                version: version.clone(),
            }),
            DeviceEvent::RuleApplied { rule } => {
                if let Some(row) = row {
                    self.rules.push((row, rule));
                }
            }
            DeviceEvent::Boot { event, .. } => self.boot.push(BootRecord {
                at,
                after_datagrams: before_input,
                moments_before,
                event: event.clone(),
            }),
            DeviceEvent::Prevalidated { checks } => {
                self.prevalidations.push((before_input, checks.clone()))
            }
            DeviceEvent::Registered { .. }
            | DeviceEvent::Radio { .. }
            | DeviceEvent::BatteryRecovered { .. }
            | DeviceEvent::Log { .. }
            | DeviceEvent::Reset { .. }
            | DeviceEvent::ImageFailed { .. } => {}
        }
        let ev = match ev {
            DeviceEvent::Boot { event, .. } => DeviceEvent::Boot { event, flash: None },
            other => other,
        };
        self.note(at, NodeId::Device, ev, Said::Device);
    }

    /// Records what the server reported at `at` while handling one input (`before_input` as
    /// for the device).
    pub(crate) fn server(
        &mut self,
        at: SimTime,
        before_input: usize,
        ev: ServerEvent,
        energy: EnergySpent,
    ) {
        match &ev {
            ServerEvent::Phase {
                phase, sent_before, ..
            } => self.phases.push(PhaseRecord {
                at,
                after_datagrams: before_input + sent_before,
                phase: phase.clone(),
                energy,
            }),
            ServerEvent::Sent { rule, sent_before } => {
                self.sent_for.push((before_input + sent_before, *rule))
            }
            ServerEvent::Log { .. } => {}
        }
        self.note(at, NodeId::Server, ev, Said::Server);
    }

    /// The rule the server followed in sending the request of `row`, when it said one.
    pub fn sent_for(&self, row: usize) -> Option<&'static str> {
        self.sent_for
            .iter()
            .find(|(r, _)| *r == row)
            .map(|(_, rule)| *rule)
    }

    /// The rules the device applied to the datagram of `row`, in the order it applied them.
    pub fn rules_applied(&self, row: usize) -> Vec<&'static str> {
        self.rules
            .iter()
            .filter(|(r, _)| *r == row)
            .map(|(_, rule)| *rule)
            .collect()
    }
}
