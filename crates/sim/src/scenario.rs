//! Scenarios are data: a JSON document that says how the world is built and what must hold at
//! the end. Built-in scenarios live in `crates/sim/scenarios/`.

use crate::link::{LinkParams, LinkSettings, Unknown};
pub use crate::scenario_error::ScenarioError;
use crate::topology::NodeId;
use fota_bootloader::{Behaviour, ImageVersion, KeyChoice, Strategy};
use fota_lwm2m::firmware::DeliveryMethod;
use fota_lwm2m::register::Lwm2mVersion;
use fota_server::{Delivery, OperatorRequest};
use serde::{Deserialize, Serialize};

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
    /// `push`, `boot`, `network`, `operator`, `energy`.
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
    /// The endpoint name it registers with (`ep=`).
    pub endpoint: String,
    /// Seconds its registration lasts before a registration Update renews it (`lt=`).
    pub lifetime_s: u32,
    /// The firmware version it runs at the start (/3/0/3).
    pub running_version: String,
    /// Bytes of each flash slot (primary and secondary); an image needs two sectors fewer.
    pub slot_size: usize,
    /// The Block2 size a PULL download asks for, in bytes: 16, 32, 64, 128, 256, 512 or 1024
    /// (RFC 7959's SZX 0 to 6).
    pub block_size: usize,
    /// Milliseconds from power-on to the bootloader's work (which then takes the time
    /// `flash_timing` gives it).
    pub boot_ms: u64,
    /// How long the flash takes to erase a sector and program a word, and the CPU to hash
    /// and check an image: `{erase_sector_us, program_word_us, word_bytes, hash_bytes_per_ms,
    /// verify_signature_us}`. By default the nRF52840's datasheet figures (its maximum page
    /// erase and word write times) and our estimates for hashing and signature checks; all
    /// zero makes flash work take no time.
    pub flash_timing: fota_bootloader::FlashTiming,
    /// LwM2M queue mode: the device registers with `Q`, sleeps with its radio off once
    /// `queue_awake_ms` pass without a datagram, and the server holds its requests until it
    /// next speaks.
    pub queue_mode: bool,
    /// How long a queue-mode device stays awake after its last datagram, as both the device
    /// and the server count it: 93,000 ms, CoAP's MAX_TRANSMIT_WAIT, by default.
    pub queue_awake_ms: u64,
    /// What the radio, the flash and the CPU draw: `{voltage_mv, tx_ua, uplink_bps, rx_ua,
    /// downlink_bps, per_datagram_us, header_bytes, listen_ua, sleep_ua, flash_ua, cpu_ua}`.
    /// By default an nRF9160 on LTE-M, from its product specification where it gives a
    /// figure and our estimates where it does not (docs/energy.md).
    pub energy: fota_device::energy::EnergyModel,
    /// The battery: `{capacity_mah, charging: [{from_ms, until_ms, ua}], min_update_percent,
    /// min_download_percent}`; its level at the start is the first `values` sample's
    /// `battery_level` (100 by default).
    pub battery: fota_device::energy::BatterySpec,
    /// The security counter of the running image (already confirmed, so in NV flash).
    pub security_counter: u32,
    /// The device's user defers the first update this many seconds (FU-T10); 0 never.
    pub defer_s: u32,
    /// Cut the power after this many flash operations of the first upgrade's boot (0: before
    /// the first); past the boot's own work, the cut comes at the new firmware's confirm write.
    pub power_cut_at_flash_op: Option<u64>,
    /// Times a PULL download asks again for a block that got no answer (FU-D4).
    pub download_retries: u32,
    /// The largest Block1 block the download buffer holds (FU-D3).
    pub download_buffer: usize,
    /// A bit of the secondary slot flips during the reboot into the new image (FU-T13).
    pub corrupt_secondary_before_boot: bool,
    /// What /5/0/9 offers: `pull`, `push` or `both`.
    pub delivery: DeliveryMethod,
    /// How the bootloader upgrades: `swap-move` (with revert) or `overwrite` (no way back).
    pub boot_strategy: Strategy,
    /// Flash writes start on and cover multiples of this many bytes (sectors are 4 KiB).
    pub flash_align: usize,
    /// What an erased flash byte reads as: 255 (NOR) or 0.
    pub flash_erased: u8,
    /// The LwM2M version the device registers with: `1.1`, or `1.2`, whose client answers a
    /// Read or Observe that names no Accept in SenML CBOR, as Anjay does (SRV-12).
    pub lwm2m_version: Lwm2mVersion,
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
            flash_timing: fota_bootloader::FlashTiming::default(),
            queue_mode: false,
            queue_awake_ms: fota_device::config::default_queue_awake_ms(),
            energy: Default::default(),
            battery: Default::default(),
            security_counter: 0,
            defer_s: 0,
            power_cut_at_flash_op: None,
            download_retries: 3,
            download_buffer: 1024,
            corrupt_secondary_before_boot: false,
            delivery: DeliveryMethod::Both,
            boot_strategy: Strategy::SwapMove,
            flash_align: 8,
            flash_erased: 0xff,
            lwm2m_version: Lwm2mVersion::default(),
            values: Vec::new(),
        }
    }
}

/// How the server runs the campaign (SPEC §5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct ServerSpec {
    /// How the server delivers the image: `pull` (it writes the Package URI, /5/0/1, and the
    /// device fetches the image itself) or `push` (it writes the image to /5/0/0 in blocks).
    pub method: Delivery,
    /// The Block1 size a PUSH starts with, in bytes: 16 to 1024; the device may ask for smaller
    /// (BW-5).
    pub push_block_size: usize,
    /// Ignore the device's request for smaller blocks (FU-D3).
    pub push_insists_on_block_size: bool,
    /// Before a PUSH, the server waits for /4/0/2 Radio Signal Strength above this many dBm
    /// (SRV-3); unset, it does not wait for it.
    pub push_min_signal_dbm: Option<i64>,
    /// Before a PUSH, the server waits for /4/0/3 Link Quality at least this (SRV-3).
    pub push_min_link_quality: Option<i64>,
    /// Seconds without news from the device before the server polls it (SRV-4).
    pub phase_timeout_s: u64,
    /// Seconds after Execute Update (or the device's last news since) within which the device
    /// must register again, or the campaign fails (SRV-8).
    pub update_timeout_s: u64,
}

impl Default for ServerSpec {
    fn default() -> Self {
        let c = fota_server::CampaignConfig::pull("", "");
        ServerSpec {
            method: Delivery::Pull,
            push_block_size: c.push_block_size,
            push_insists_on_block_size: c.push_insists_on_block_size,
            push_min_signal_dbm: None,
            push_min_link_quality: None,
            phase_timeout_s: c.phase_timeout_s,
            update_timeout_s: c.update_timeout_s,
        }
    }
}

/// Something that goes wrong, at a moment of virtual time or to one datagram (`row`, its
/// place in the trace, from 0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
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
        node: NodeId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        up_at_ms: Option<u64>,
    },
    /// The repository publishes another build of the image at the same path: a new ETag.
    ReplaceImage { at_ms: u64 },
    /// From `at_ms` on, every link takes the settings given (the others stay).
    SetNetwork {
        at_ms: u64,
        #[serde(flatten)]
        settings: LinkSettings,
        #[serde(flatten)]
        #[cfg_attr(feature = "schema", schemars(skip))]
        unknown: Unknown,
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

    /// The same fault of the timeline at another moment (a datagram fault stays as it is).
    pub fn moved_to(mut self, at: u64) -> Fault {
        match &mut self {
            Fault::Reboot { at_ms }
            | Fault::PowerCut { at_ms, .. }
            | Fault::LinkDown { at_ms, .. }
            | Fault::ReplaceImage { at_ms }
            | Fault::SetNetwork { at_ms, .. } => *at_ms = at,
            _ => {}
        }
        self
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
    /// The image's version, in its header: what /3/0/3 reads once it runs.
    pub version: String,
    /// Size of the whole signed image in bytes (header, payload and TLVs).
    pub size: usize,
    /// Where the repository serves it.
    pub path: String,
    /// How the firmware behaves once booted: healthy, crash-at-boot, hang, fail-health-check.
    #[serde(default = "default_behaviour")]
    pub behaviour: Behaviour,
    /// Which key signs it: sandbox (trusted) or unknown.
    #[serde(default = "default_key")]
    pub key: KeyChoice,
    /// The image's security counter; the device refuses one below its own (BOOT-7).
    #[serde(default)]
    pub security_counter: u32,
    /// Flip one payload bit after signing, as a damaged transfer or store would.
    #[serde(default)]
    pub corrupt: bool,
    /// Serve bytes of the same size that are no firmware image at all.
    #[serde(default)]
    pub not_an_image: bool,
}

fn default_behaviour() -> Behaviour {
    Behaviour::Healthy
}

fn default_key() -> KeyChoice {
    KeyChoice::Sandbox
}

/// The network: settings every link starts from, settings for one direction, and outages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct NetworkSpec {
    /// Every link's settings; what is left out is the default (20 ms latency, nothing else).
    #[serde(flatten)]
    pub all: LinkSettings,
    /// Settings for one direction between two nodes, over the ones above.
    pub links: Vec<LinkSpec>,
    /// Times when a node's link is down: what it sends or is sent is lost.
    pub outages: Vec<Outage>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub unknown: Unknown,
}

/// One direction of a link (`from` and `to` are `server`, `repository` or `device`); the
/// settings it names replace the network's for that direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkSpec {
    pub from: NodeId,
    pub to: NodeId,
    #[serde(flatten)]
    pub settings: LinkSettings,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub unknown: Unknown,
}

impl NetworkSpec {
    /// The settings of the direction `from` -> `to`.
    pub fn params(&self, from: NodeId, to: NodeId) -> LinkParams {
        let mut p = LinkParams::base();
        self.all.apply(&mut p);
        for l in self.links.iter().filter(|l| (l.from, l.to) == (from, to)) {
            l.settings.apply(&mut p);
        }
        p
    }
}

/// One operator request on the timeline: at `at_ms`, `op` (`read`, `write` with `value`,
/// `execute`, `observe`, `write-attributes` with `value` such as `pmin=5&gt=-80`, or `push`:
/// the campaign's image to /5/0/0 now) on `path`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Operation {
    pub at_ms: u64,
    #[serde(flatten)]
    pub request: OperatorRequest,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub unknown: Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// `server`, `repository` or `device`.
    pub node: NodeId,
    pub from_ms: u64,
    /// Absent: down until the end of the run.
    #[serde(default)]
    pub to_ms: Option<u64>,
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
    /// `succeeded`, `succeeded (late)` or `failed`.
    pub campaign: Option<String>,
    /// Whether the device ends bricked: no image it holds can ever run for good (SRV-8).
    pub bricked: Option<bool>,
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

impl Scenario {
    /// The builder for the scenario's new image (its body size aside).
    pub fn image_builder(&self) -> fota_bootloader::ImageBuilder {
        self.image.builder()
    }
}

impl ImageSpec {
    /// The builder for this image (its body size aside).
    pub fn builder(&self) -> fota_bootloader::ImageBuilder {
        // The version was checked when the scenario was loaded.
        let version = ImageVersion::parse(&self.version).unwrap_or_default();
        fota_bootloader::ImageBuilder::new(version)
            .behaviour(self.behaviour)
            .key(self.key)
            .security_counter(self.security_counter)
    }
}
