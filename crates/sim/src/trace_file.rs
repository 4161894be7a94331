//! The trace as a file: every datagram with its time, ends, fate, bytes and explanation, and
//! every node event, plus the scenario and seed that made them. It holds no wall-clock time,
//! so the same scenario and seed give a byte-identical file. Read back, it either replays to
//! the same run (and can be rewound and branched) or is shown as it is.

use crate::report::{trace_digest, RunReport};
use crate::scenario::Scenario;
use crate::trace::Fate;
use crate::world::World;
use fota_lwm2m::explain;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "fota-sandbox-trace";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceFile {
    /// Always `fota-sandbox-trace`.
    pub format: String,
    pub version: u32,
    pub scenario: Scenario,
    pub seed: u64,
    /// SHA-256 over every datagram, as in the run report.
    pub trace_sha256: String,
    pub datagrams: Vec<DatagramRecord>,
    pub events: Vec<EventRecord>,
    pub report: ReportRecord,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatagramRecord {
    pub row: usize,
    pub sent_ms: u64,
    pub from: String,
    pub to: String,
    /// `delivered`, `dropped`, `duplicated`, `corrupted` or `undeliverable`.
    pub fate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrived_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_arrived_ms: Option<u64>,
    /// For `corrupted`: the byte changed and the bits flipped in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrupt_byte: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrupt_mask: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The row of the request this datagram answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<usize>,
    /// The bytes as sent, in hex.
    pub hex: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The rules the datagram met, separated by spaces: those its receiver applied to it, or
    /// else the one its shape shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    pub at_ms: u64,
    pub node: String,
    /// `log`, `firmware` (/5 State and Update Result), `version` (/3/0/3) or `phase`.
    pub kind: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Rows on the ladder when it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_rows: Option<usize>,
}

/// The run report's outcome, as text fields, so the file reads without the code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRecord {
    pub state: u8,
    pub result: u8,
    pub firmware_version: String,
    pub campaign: String,
    pub virtual_ms: u64,
    pub expectations_met: bool,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn name(node: Option<crate::NodeId>) -> String {
    node.map_or("elsewhere".into(), |n| n.name().to_lowercase())
}

impl TraceFile {
    pub fn of(world: &World) -> TraceFile {
        let trace = world.trace();
        let datagrams = trace
            .iter()
            .map(|e| {
                let request = e.answers.map(|i| trace[i].bytes.as_slice());
                let x = explain(&e.bytes, request);
                let mut d = DatagramRecord {
                    row: e.id,
                    sent_ms: e.sent_at.millis(),
                    from: name(e.from_node),
                    to: name(e.to_node),
                    fate: e.fate.name().into(),
                    arrived_ms: None,
                    copy_arrived_ms: None,
                    corrupt_byte: None,
                    corrupt_mask: None,
                    reason: None,
                    answers: e.answers,
                    hex: hex(&e.bytes),
                    summary: x.summary,
                    operation: x.operation,
                    rule: Some(world.rules_met(e.id, || x.rule).join(" "))
                        .filter(|r| !r.is_empty()),
                };
                match &e.fate {
                    Fate::Delivered { at } => d.arrived_ms = Some(at.millis()),
                    Fate::Duplicated { at, copy_at } => {
                        d.arrived_ms = Some(at.millis());
                        d.copy_arrived_ms = Some(copy_at.millis());
                    }
                    Fate::Corrupted { at, byte, mask } => {
                        d.arrived_ms = Some(at.millis());
                        d.corrupt_byte = Some(*byte);
                        d.corrupt_mask = Some(*mask);
                    }
                    Fate::Dropped { reason } => d.reason = Some(reason.clone()),
                    Fate::Undeliverable => {}
                }
                d
            })
            .collect();
        let mut events: Vec<EventRecord> = world
            .log()
            .iter()
            .map(|l| EventRecord {
                at_ms: l.at.millis(),
                node: l.node.name().to_lowercase(),
                kind: "log".into(),
                text: l.text(),
                rule: l.rule.map(str::to_string),
                after_rows: None,
            })
            .collect();
        events.extend(world.firmware_changes().iter().map(|c| EventRecord {
            at_ms: c.at.millis(),
            node: "device".into(),
            kind: "firmware".into(),
            text: format!(
                "State {} {}, Update Result {} {}",
                c.state.code(),
                c.state.name(),
                c.result.code(),
                c.result.name()
            ),
            rule: Some(c.rule.to_string()),
            after_rows: Some(c.after_datagrams),
        }));
        events.extend(world.versions().iter().map(|v| {
            EventRecord {
                at_ms: trace
                    .get(v.rows)
                    .map_or(world.now().millis(), |e| e.sent_at.millis()),
                node: "device".into(),
                kind: "version".into(),
                text: format!("/3/0/3 = {}", v.version),
                rule: None,
                after_rows: Some(v.rows),
            }
        }));
        events.extend(world.campaign_phases().iter().map(|r| EventRecord {
            at_ms: r.at.millis(),
            node: "server".into(),
            kind: "phase".into(),
            text: r.phase.to_string(),
            rule: None,
            after_rows: Some(r.after_datagrams),
        }));
        // Stable: events of one time keep the order above.
        events.sort_by_key(|e| e.at_ms);
        let r = RunReport::of(world);
        TraceFile {
            format: FORMAT.into(),
            version: 1,
            scenario: world.scenario().clone(),
            seed: world.seed(),
            trace_sha256: trace_digest(world),
            datagrams,
            events,
            report: ReportRecord {
                state: r.final_values.state,
                result: r.final_values.result,
                firmware_version: r.final_values.firmware_version,
                campaign: r.campaign,
                virtual_ms: r.virtual_ms,
                expectations_met: r.expectations.met,
            },
        }
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a trace file; errors name the field, as scenario errors do.
    pub fn from_json(text: &str) -> Result<TraceFile, String> {
        let f: TraceFile = crate::json_read::read(text).map_err(|e| {
            if e.path.is_empty() {
                format!("trace file is not valid: {}", e.why)
            } else {
                format!("trace file is not valid at `{}`: {}", e.path, e.why)
            }
        })?;
        if f.format != FORMAT || f.version != 1 {
            return Err(format!(
                "not a trace file of this build: format \"{}\" version {} (expected \"{FORMAT}\" version 1)",
                f.format, f.version
            ));
        }
        for d in &f.datagrams {
            if unhex(&d.hex).is_none() {
                return Err(format!(
                    "trace file is not valid at `datagrams[{}].hex`: not hexadecimal bytes",
                    d.row
                ));
            }
        }
        Ok(f)
    }

    /// The bytes of row `row` as sent.
    pub fn bytes(&self, row: usize) -> Option<Vec<u8>> {
        self.datagrams.get(row).and_then(|d| unhex(&d.hex))
    }

    /// Runs the file's scenario and seed again: the world, when it gives the same datagrams
    /// (then it can be stepped, rewound and branched); else why not (the file was made by
    /// another build, or edited), and the file can still be shown as it is.
    pub fn replay(&self) -> Result<World, String> {
        let scenario = Scenario::from_json(&self.scenario.to_json()).map_err(|e| e.to_string())?;
        let mut world = World::new(scenario, self.seed);
        world.run_to_end();
        let digest = trace_digest(&world);
        if digest == self.trace_sha256 && world.trace().len() == self.datagrams.len() {
            Ok(world)
        } else {
            Err(format!(
                "replaying the scenario gives other datagrams ({} rows, digest {}…) than the file ({} rows, digest {}…)",
                world.trace().len(),
                &digest[..12],
                self.datagrams.len(),
                self.trace_sha256.get(..12).unwrap_or("")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: &str) -> TraceFile {
        let mut w = World::new(Scenario::by_id(id).unwrap(), 1);
        w.run_to_end();
        TraceFile::of(&w)
    }

    #[test]
    fn the_same_scenario_and_seed_give_a_byte_identical_file() {
        assert_eq!(file("lossy-link").to_json(), file("lossy-link").to_json());
    }

    #[test]
    fn a_file_reads_back_to_itself_and_replays_to_the_same_run() {
        let f = file("pull-success");
        let text = f.to_json();
        let back = TraceFile::from_json(&text).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.to_json(), text, "written again, byte for byte");
        let world = back.replay().unwrap();
        assert_eq!(world.trace().len(), f.datagrams.len());
        assert_eq!(back.bytes(0).unwrap(), world.trace()[0].bytes);
        assert!(f
            .events
            .iter()
            .any(|e| e.kind == "firmware" && e.rule.as_deref() == Some("FU-T11")));
    }

    #[test]
    fn an_edited_file_is_shown_but_does_not_replay() {
        let mut f = file("pull-success");
        f.trace_sha256 = "0".repeat(64);
        let e = f.replay().unwrap_err();
        assert!(e.contains("other datagrams"), "{e}");
        let e = TraceFile::from_json("{\"format\":\"x\"}").unwrap_err();
        assert!(e.contains("trace file is not valid"), "{e}");
        let mut f = file("pull-success");
        f.datagrams[3].hex = "zz".into();
        let e = TraceFile::from_json(&f.to_json()).unwrap_err();
        assert!(e.contains("datagrams[3].hex"), "{e}");
    }
}
