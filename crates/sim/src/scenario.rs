//! Scenarios are data: a JSON document that says how the world is built and what must hold at
//! the end. Built-in scenarios live in `crates/sim/scenarios/`.

use crate::link::LinkParams;
use crate::topology::NodeId;
use core::fmt;
use fota_bootloader::{Behaviour, ImageVersion, KeyChoice};
use serde::{Deserialize, Serialize};

const BUILTIN: &[&str] = &[
    include_str!("../scenarios/pull-success.json"),
    include_str!("../scenarios/flash-full.json"),
    include_str!("../scenarios/connection-lost.json"),
    include_str!("../scenarios/bad-signature.json"),
    include_str!("../scenarios/corrupt-image.json"),
    include_str!("../scenarios/wrong-package.json"),
    include_str!("../scenarios/downgrade-rejected.json"),
    include_str!("../scenarios/invalid-uri.json"),
    include_str!("../scenarios/rollback.json"),
    include_str!("../scenarios/rollback-health-check.json"),
    include_str!("../scenarios/unsupported-protocol.json"),
    include_str!("../scenarios/cancelled.json"),
    include_str!("../scenarios/deferred.json"),
    include_str!("../scenarios/powercut-during-swap.json"),
    include_str!("../scenarios/push-success.json"),
    include_str!("../scenarios/push-waits-for-signal.json"),
    include_str!("../scenarios/out-of-ram.json"),
    include_str!("../scenarios/resume-after-reboot.json"),
    include_str!("../scenarios/lossy-link.json"),
    include_str!("../scenarios/rejected-at-boot.json"),
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The format's version: 1.
    #[serde(default = "format_version")]
    pub version: u32,
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// What the scenario teaches, to group scenarios in a picker: `basics`, `download`,
    /// `push`, `boot`, `network`, `operator`.
    #[serde(default = "default_topic")]
    pub topic: String,
    /// Texts the UI shows as the run reaches their time.
    #[serde(default)]
    pub narration: Vec<Narration>,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
    pub device: DeviceSpec,
    pub image: ImageSpec,
    /// More files the repository serves beside `image`.
    #[serde(default)]
    pub repository: Vec<ImageSpec>,
    #[serde(default)]
    pub network: NetworkSpec,
    #[serde(default)]
    pub server: ServerSpec,
    /// Things that go wrong: at a moment (a reboot, a power cut, a link down, another image
    /// in the repository) or to one datagram of the trace (dropped, corrupted, delayed,
    /// duplicated).
    #[serde(default)]
    pub faults: Vec<Fault>,
    /// Requests an operator makes at given times, through the server.
    #[serde(default)]
    pub operations: Vec<Operation>,
    /// The URI the server writes to /5/0/1; by default the repository's path for the image.
    #[serde(default)]
    pub package_uri: Option<String>,
    #[serde(default)]
    pub expect: Expectations,
    /// The run stops at this virtual time if it has not settled before.
    #[serde(default = "default_time_limit")]
    pub time_limit_s: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct DeviceSpec {
    pub endpoint: String,
    pub lifetime_s: u32,
    pub running_version: String,
    pub slot_size: usize,
    pub block_size: usize,
    pub boot_ms: u64,
    /// The security counter of the running image (already confirmed, so in NV flash).
    pub security_counter: u32,
    /// The device's user defers the first update this many seconds (FU-T10); 0 never.
    pub defer_s: u32,
    /// Cut the power before this flash operation of the first upgrade's boot.
    pub power_cut_at_flash_op: Option<u64>,
    /// Times a PULL download asks again for a block that got no answer (FU-D4).
    pub download_retries: u32,
    /// The largest Block1 block the download buffer holds (FU-D3).
    pub download_buffer: usize,
    /// A bit of the secondary slot flips during the reboot into the new image (FU-T13).
    pub corrupt_secondary_before_boot: bool,
    /// What /5/0/9 offers: `pull`, `push` or `both`.
    pub delivery: String,
    /// How the bootloader upgrades: `swap-move` (with revert) or `overwrite` (no way back).
    pub boot_strategy: String,
    /// Flash writes start on and cover multiples of this many bytes (sectors are 4 KiB).
    pub flash_align: usize,
    /// What an erased flash byte reads as: 255 (NOR) or 0.
    pub flash_erased: u8,
    /// /3 and /4 values over time: `[{at_ms, signal_dbm, link_quality, link_utilization,
    /// battery_level, memory_free_kib}]`; a field a sample leaves out keeps its value.
    pub values: Vec<ValuesSpec>,
}

impl Default for DeviceSpec {
    fn default() -> Self {
        DeviceSpec {
            endpoint: "sbx-001".into(),
            lifetime_s: 300,
            running_version: "1.0.0".into(),
            slot_size: 65536,
            block_size: 512,
            boot_ms: 1500,
            security_counter: 0,
            defer_s: 0,
            power_cut_at_flash_op: None,
            download_retries: 3,
            download_buffer: 1024,
            corrupt_secondary_before_boot: false,
            delivery: "both".into(),
            boot_strategy: "swap-move".into(),
            flash_align: 8,
            flash_erased: 0xff,
            values: Vec::new(),
        }
    }
}

impl DeviceSpec {
    /// The /5/0/9 value for `delivery`.
    pub fn delivery_code(&self) -> Option<u8> {
        use fota_lwm2m::firmware::{DELIVERY_BOTH, DELIVERY_PULL, DELIVERY_PUSH};
        match self.delivery.as_str() {
            "pull" => Some(DELIVERY_PULL),
            "push" => Some(DELIVERY_PUSH),
            "both" => Some(DELIVERY_BOTH),
            _ => None,
        }
    }
}

/// How the server runs the campaign (SPEC §5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct ServerSpec {
    /// `pull` or `push`.
    pub method: String,
    pub push_block_size: usize,
    /// Ignore the device's request for smaller blocks (FU-D3).
    pub push_insists_on_block_size: bool,
    pub push_min_signal_dbm: Option<i64>,
    pub push_min_link_quality: Option<i64>,
    /// Seconds without news from the device before the server polls it (SRV-4).
    pub phase_timeout_s: u64,
}

impl Default for ServerSpec {
    fn default() -> Self {
        let c = fota_server::CampaignConfig::pull("", "");
        ServerSpec {
            method: "pull".into(),
            push_block_size: c.push_block_size,
            push_insists_on_block_size: c.push_insists_on_block_size,
            push_min_signal_dbm: None,
            push_min_link_quality: None,
            phase_timeout_s: c.phase_timeout_s,
        }
    }
}

/// Something that goes wrong, at a moment of virtual time or to one datagram (`row`, its
/// place in the trace, from 0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Fault {
    /// The device resets: RAM is lost, flash is kept, it boots again at once.
    Reboot { at_ms: u64 },
    /// The device loses power for `off_ms`, then boots.
    PowerCut {
        at_ms: u64,
        #[serde(default)]
        off_ms: u64,
    },
    /// A node's link goes down, and up again at `up_at_ms` (never, when absent).
    LinkDown {
        at_ms: u64,
        node: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        up_at_ms: Option<u64>,
    },
    /// The repository publishes another build of the image at the same path: a new ETag.
    ReplaceImage { at_ms: u64 },
    /// From `at_ms` on, every link takes the settings given (the others stay).
    SetNetwork {
        at_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        loss_percent: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duplicate_percent: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        corrupt_percent: Option<u8>,
    },
    /// This datagram is lost.
    Drop { row: usize },
    /// This datagram arrives with one byte changed (its bits inverted).
    Corrupt { row: usize, byte: usize },
    /// This datagram arrives `delay_ms` later than the link would bring it.
    Delay { row: usize, delay_ms: u64 },
    /// This datagram arrives twice.
    Duplicate { row: usize },
}

impl Fault {
    /// When a fault of the timeline happens; `None` for a fault on a datagram.
    pub fn at_ms(&self) -> Option<u64> {
        match self {
            Fault::Reboot { at_ms }
            | Fault::PowerCut { at_ms, .. }
            | Fault::LinkDown { at_ms, .. }
            | Fault::ReplaceImage { at_ms }
            | Fault::SetNetwork { at_ms, .. } => Some(*at_ms),
            _ => None,
        }
    }

    /// The trace row a datagram fault acts on.
    pub fn row(&self) -> Option<usize> {
        match self {
            Fault::Drop { row }
            | Fault::Corrupt { row, .. }
            | Fault::Delay { row, .. }
            | Fault::Duplicate { row } => Some(*row),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    pub version: String,
    /// Size of the whole signed image in bytes (header, payload and TLVs).
    pub size: usize,
    pub path: String,
    /// How the firmware behaves once booted: healthy, crash-at-boot, hang, fail-health-check.
    #[serde(default = "default_behaviour")]
    pub behaviour: String,
    /// Which key signs it: sandbox (trusted) or unknown.
    #[serde(default = "default_key")]
    pub key: String,
    #[serde(default)]
    pub security_counter: u32,
    /// Flip one payload bit after signing, as a damaged transfer or store would.
    #[serde(default)]
    pub corrupt: bool,
    /// Serve bytes of the same size that are no firmware image at all.
    #[serde(default)]
    pub not_an_image: bool,
}

fn default_behaviour() -> String {
    "healthy".into()
}

fn default_key() -> String {
    "sandbox".into()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct NetworkSpec {
    /// One-way delay of every link.
    pub latency_ms: u64,
    /// Extra delay drawn evenly from 0 to this, per datagram.
    pub jitter_ms: u64,
    /// Chance in percent that a datagram is lost, each way, drawn from the run's seed.
    pub loss_percent: u8,
    pub duplicate_percent: u8,
    /// Chance that a datagram is held back long enough for later ones to overtake it.
    pub reorder_percent: u8,
    /// Chance that one bit of a datagram flips on the way.
    pub corrupt_percent: u8,
    /// Bits per second on every link, headers included; 0 means no limit.
    pub bandwidth_bps: u64,
    /// Settings for one direction between two nodes, over the ones above.
    pub links: Vec<LinkSpec>,
    /// Times when a node's link is down: what it sends or is sent is lost.
    pub outages: Vec<Outage>,
}

/// One direction of a link (`from` and `to` are `server`, `repository` or `device`); the
/// settings it names replace the network's for that direction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrupt_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_bps: Option<u64>,
}

impl NetworkSpec {
    /// The settings of the direction `from` -> `to`.
    pub fn params(&self, from: NodeId, to: NodeId) -> LinkParams {
        let mut p = LinkParams {
            latency_ms: self.latency_ms,
            jitter_ms: self.jitter_ms,
            loss_percent: self.loss_percent,
            duplicate_percent: self.duplicate_percent,
            reorder_percent: self.reorder_percent,
            corrupt_percent: self.corrupt_percent,
            bandwidth_bps: self.bandwidth_bps,
        };
        let this = |l: &&LinkSpec| {
            NodeId::parse(&l.from) == Some(from) && NodeId::parse(&l.to) == Some(to)
        };
        for l in self.links.iter().filter(this) {
            p.latency_ms = l.latency_ms.unwrap_or(p.latency_ms);
            p.jitter_ms = l.jitter_ms.unwrap_or(p.jitter_ms);
            p.loss_percent = l.loss_percent.unwrap_or(p.loss_percent);
            p.duplicate_percent = l.duplicate_percent.unwrap_or(p.duplicate_percent);
            p.reorder_percent = l.reorder_percent.unwrap_or(p.reorder_percent);
            p.corrupt_percent = l.corrupt_percent.unwrap_or(p.corrupt_percent);
            p.bandwidth_bps = l.bandwidth_bps.unwrap_or(p.bandwidth_bps);
        }
        p
    }
}

/// One operator request on the timeline: `read`, `write` (with `value`), `execute`, `observe`
/// or `write-attributes` (with `value` such as `pmin=5&gt=-80`) of a path, or `push` (the
/// campaign's image to /5/0/0 now; its path is ignored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub at_ms: u64,
    pub op: String,
    pub path: String,
    #[serde(default)]
    pub value: String,
}

impl Operation {
    pub fn request(&self) -> Option<fota_server::OperatorRequest> {
        use fota_server::OperatorRequest as R;
        let path = fota_lwm2m::Path::parse(&self.path)?;
        match self.op.as_str() {
            "read" => Some(R::Read(path)),
            "write" => Some(R::Write(path, self.value.clone())),
            "execute" => Some(R::Execute(path)),
            "observe" => Some(R::Observe(path)),
            "write-attributes" => Some(R::WriteAttributes(
                path,
                self.value.split('&').map(str::to_string).collect(),
            )),
            "push" => Some(R::Push),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// `server`, `repository` or `device`.
    pub node: String,
    pub from_ms: u64,
    /// Absent: down until the end of the run.
    #[serde(default)]
    pub to_ms: Option<u64>,
}

impl Default for NetworkSpec {
    fn default() -> Self {
        NetworkSpec {
            latency_ms: 20,
            jitter_ms: 0,
            loss_percent: 0,
            duplicate_percent: 0,
            reorder_percent: 0,
            corrupt_percent: 0,
            bandwidth_bps: 0,
            links: Vec::new(),
            outages: Vec::new(),
        }
    }
}

/// A text the UI shows from `at_ms` on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Narration {
    pub at_ms: u64,
    pub text: String,
}

/// The device's values from `at_ms` on: /4/0/2 Radio Signal Strength (dBm), /4/0/3 Link
/// Quality, /4/0/6 Link Utilization (%), /3/0/9 Battery Level (%), /3/0/10 Memory Free (KiB).
/// What a sample leaves out keeps the value it had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValuesSpec {
    pub at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal_dbm: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_quality: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_utilization: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_level: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_free_kib: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Expectations {
    pub state: Option<u8>,
    pub result: Option<u8>,
    pub firmware_version: Option<String>,
    /// `succeeded` or `failed`.
    pub campaign: Option<String>,
    /// `[state, result]` pairs that must appear in the history of /5 changes.
    pub history_includes: Vec<[u8; 2]>,
    /// At most this many image bytes may have come from the repository (all blocks served).
    pub max_bytes_fetched: Option<usize>,
    /// Campaign phases the server must have passed through, by name (`waiting-for-signal`,
    /// `pushing`, `downloading`, ...).
    pub phases_include: Vec<String>,
}

fn default_seed() -> u64 {
    1
}

fn format_version() -> u32 {
    1
}

fn default_topic() -> String {
    "basics".into()
}

fn default_time_limit() -> u64 {
    600
}

/// Why a scenario cannot be used. `path` names the field, as in `device.block_size` or
/// `faults[2].row`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    Unknown(String),
    /// The text is not a scenario of this format.
    Parse {
        path: String,
        why: String,
    },
    /// It reads as a scenario but a value cannot be used.
    Invalid {
        path: String,
        why: String,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |path: &str| {
            if path.is_empty() || path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            }
        };
        match self {
            ScenarioError::Unknown(id) => write!(
                f,
                "no scenario named \"{id}\" (known: {})",
                Scenario::builtin_ids().join(", ")
            ),
            ScenarioError::Parse { path, why } => {
                write!(f, "scenario file is not valid{}: {why}", at(path))
            }
            ScenarioError::Invalid { path, why } => {
                write!(f, "scenario is not usable{}: {why}", at(path))
            }
        }
    }
}

impl Scenario {
    pub fn builtin() -> Vec<Scenario> {
        BUILTIN
            .iter()
            .filter_map(|text| Scenario::from_json(text).ok())
            .collect()
    }

    pub fn builtin_ids() -> Vec<String> {
        Scenario::builtin().into_iter().map(|s| s.id).collect()
    }

    pub fn by_id(id: &str) -> Result<Scenario, ScenarioError> {
        Scenario::builtin()
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| ScenarioError::Unknown(id.to_string()))
    }

    /// Reads and checks a scenario file: what the CLI's `validate` and the browser's file
    /// picker both call.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let s: Scenario =
            serde_path_to_error::deserialize(de).map_err(|e| ScenarioError::Parse {
                path: e.path().to_string(),
                why: e.inner().to_string(),
            })?;
        crate::validate::check(&s)?;
        Ok(s)
    }

    /// The scenario as the JSON of its format, pretty-printed.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The builder for the scenario's new image (its body size aside).
    pub fn image_builder(&self) -> fota_bootloader::ImageBuilder {
        self.image.builder()
    }
}

impl ImageSpec {
    /// The builder for this image (its body size aside).
    pub fn builder(&self) -> fota_bootloader::ImageBuilder {
        let version = ImageVersion::parse(&self.version).unwrap_or_default();
        // Names were checked when the scenario was loaded; the fallbacks cannot be reached.
        fota_bootloader::ImageBuilder::new(version)
            .behaviour(Behaviour::parse(&self.behaviour).unwrap_or(Behaviour::Healthy))
            .key(KeyChoice::parse(&self.key).unwrap_or(KeyChoice::Sandbox))
            .security_counter(self.security_counter)
    }
}

/// The JSON Schema of the scenario format, made from the types above.
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Scenario);
    // A schema is plain JSON: serialising it cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse() {
        assert!(Scenario::builtin_ids().contains(&"pull-success".to_string()));
        assert_eq!(
            Scenario::builtin().len(),
            BUILTIN.len(),
            "every built-in scenario is valid"
        );
    }

    #[test]
    fn bad_input_gets_a_clear_message() {
        let e = Scenario::by_id("nope").unwrap_err().to_string();
        assert!(
            e.contains("no scenario named \"nope\"") && e.contains("pull-success"),
            "{e}"
        );
        let e = Scenario::from_json("{").unwrap_err().to_string();
        assert!(e.starts_with("scenario file is not valid"), "{e}");
        let mut s = Scenario::by_id("pull-success").unwrap();
        s.device.block_size = 500;
        let e = Scenario::from_json(&s.to_json()).unwrap_err().to_string();
        assert_eq!(
            e,
            "scenario is not usable at `device.block_size`: 500 is not one of 16, 32, 64, 128, 256, 512, 1024"
        );
        let unknown = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":100,"path":"/a"},"colour":1}"#;
        let e = Scenario::from_json(unknown).unwrap_err().to_string();
        assert!(e.contains("unknown field `colour`"), "{e}");
    }

    #[test]
    fn parse_errors_name_the_field_and_what_was_expected() {
        let text = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":"big","path":"/a"}}"#;
        let e = Scenario::from_json(text).unwrap_err().to_string();
        assert!(e.contains("at `image.size`"), "{e}");
        assert!(e.contains("expected usize"), "{e}");
        let text = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":9000,"path":"/a"},
            "faults":[{"kind":"reboot","at_ms":5},{"kind":"explode","at_ms":6}]}"#;
        let e = Scenario::from_json(text).unwrap_err().to_string();
        assert!(e.contains("at `faults[1].kind`"), "{e}");
        assert!(e.contains("unknown variant `explode`"), "{e}");
        let mut s = Scenario::by_id("pull-success").unwrap();
        s.network.links.push(LinkSpec {
            from: "device".into(),
            to: "moon".into(),
            ..LinkSpec::default()
        });
        let e = Scenario::from_json(&s.to_json()).unwrap_err().to_string();
        assert!(
            e.contains("at `network.links[0].to`") && e.contains("\"moon\""),
            "{e}"
        );
    }

    #[test]
    fn a_scenario_survives_writing_and_reading_unchanged() {
        for s in Scenario::builtin() {
            assert_eq!(Scenario::from_json(&s.to_json()), Ok(s));
        }
    }
}
