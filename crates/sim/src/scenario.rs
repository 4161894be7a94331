//! Scenarios are data: a JSON document that says how the world is built and what must hold at
//! the end. Built-in scenarios live in `crates/sim/scenarios/`.

use core::fmt;
use fota_bootloader::{Behaviour, ImageVersion, KeyChoice};
pub use fota_device::config::RadioSample;
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
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default)]
    pub device: DeviceSpec,
    pub image: ImageSpec,
    #[serde(default)]
    pub network: NetworkSpec,
    #[serde(default)]
    pub server: ServerSpec,
    /// Things that happen to the device at given times: a reset or a power cut.
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
    /// /4 values over time: `[{at_ms, signal_dbm, link_quality}]`.
    pub radio: Vec<RadioSample>,
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
            radio: Vec::new(),
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

/// Something that happens to a node at a given time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    pub at_ms: u64,
    /// `reboot`: the device resets (RAM lost, flash kept) and boots again.
    /// `replace-image`: the repository publishes another build of the image (a new ETag).
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[serde(deny_unknown_fields, default)]
pub struct NetworkSpec {
    /// One-way delay of every link.
    pub latency_ms: u64,
    /// Chance in percent that a datagram is lost, each way, drawn from the run's seed.
    pub loss_percent: u8,
    /// Times when a node's link is down: what it sends or is sent is lost.
    pub outages: Vec<Outage>,
}

/// One operator request on the timeline: `read`, `write` (with `value`), `execute`, `observe`
/// or `write-attributes` (with `value` such as `pmin=5&gt=-80`) of a path, or `push` (the
/// campaign's image to /5/0/0 now; its path is ignored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
            loss_percent: 0,
            outages: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

fn default_time_limit() -> u64 {
    600
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    Unknown(String),
    Parse(String),
    Invalid(String),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Unknown(id) => write!(
                f,
                "no scenario named \"{id}\" (known: {})",
                Scenario::builtin_ids().join(", ")
            ),
            ScenarioError::Parse(why) => write!(f, "scenario file is not valid: {why}"),
            ScenarioError::Invalid(why) => write!(f, "scenario is not usable: {why}"),
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

    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let s: Scenario =
            serde_json::from_str(text).map_err(|e| ScenarioError::Parse(e.to_string()))?;
        s.validate()?;
        Ok(s)
    }

    /// The builder for the scenario's new image (its body size aside).
    pub fn image_builder(&self) -> fota_bootloader::ImageBuilder {
        let version = ImageVersion::parse(&self.image.version).unwrap_or_default();
        // Names were checked when the scenario was loaded; the fallbacks cannot be reached.
        fota_bootloader::ImageBuilder::new(version)
            .behaviour(Behaviour::parse(&self.image.behaviour).unwrap_or(Behaviour::Healthy))
            .key(KeyChoice::parse(&self.image.key).unwrap_or(KeyChoice::Sandbox))
            .security_counter(self.image.security_counter)
    }

    fn validate(&self) -> Result<(), ScenarioError> {
        let bad = |why: String| Err(ScenarioError::Invalid(why));
        if ImageVersion::parse(&self.image.version).is_none() {
            return bad(format!(
                "image version \"{}\" is not major.minor.revision",
                self.image.version
            ));
        }
        if ImageVersion::parse(&self.device.running_version).is_none() {
            return bad(format!(
                "running version \"{}\" is not major.minor.revision",
                self.device.running_version
            ));
        }
        let overhead = self.image_builder().overhead();
        if self.image.size < overhead || self.image.size > 4 << 20 {
            return bad(format!(
                "image size {} is outside {overhead}..=4194304 (header, manifest and signature take {overhead})",
                self.image.size
            ));
        }
        if !(1024..=4 << 20).contains(&self.device.slot_size) {
            return bad(format!(
                "slot size {} is outside 1024..=4194304",
                self.device.slot_size
            ));
        }
        if fota_coap::BlockOpt::szx_for(self.device.block_size).is_none() {
            return bad(format!(
                "block size {} is not one of 16, 32, 64, 128, 256, 512, 1024",
                self.device.block_size
            ));
        }
        if Behaviour::parse(&self.image.behaviour).is_none() {
            return bad(format!(
                "image behaviour \"{}\" is not healthy, crash-at-boot, hang or fail-health-check",
                self.image.behaviour
            ));
        }
        if KeyChoice::parse(&self.image.key).is_none() {
            return bad(format!(
                "image key \"{}\" is not sandbox or unknown",
                self.image.key
            ));
        }
        if !self.image.path.starts_with('/') {
            return bad(format!(
                "image path \"{}\" must start with /",
                self.image.path
            ));
        }
        if let Some(o) = self
            .network
            .outages
            .iter()
            .find(|o| crate::NodeId::parse(&o.node).is_none())
        {
            return bad(format!(
                "outage of \"{}\": the nodes are server, repository and device",
                o.node
            ));
        }
        if let Some(o) = self.operations.iter().find(|o| o.request().is_none()) {
            return bad(format!(
                "operation \"{}\" on \"{}\": op must be read, write, execute, observe, write-attributes or push, and the path /o/i/r",
                o.op, o.path
            ));
        }
        if self.network.latency_ms > 60_000 {
            return bad("latency above 60 s".into());
        }
        if self.network.loss_percent > 100 {
            return bad(format!(
                "loss_percent {} is above 100",
                self.network.loss_percent
            ));
        }
        if fota_server::Delivery::parse(&self.server.method).is_none() {
            return bad(format!(
                "server method \"{}\" is not pull or push",
                self.server.method
            ));
        }
        for (what, size) in [
            ("server push_block_size", self.server.push_block_size),
            ("device download_buffer", self.device.download_buffer),
        ] {
            if fota_coap::BlockOpt::szx_for(size).is_none() {
                return bad(format!(
                    "{what} {size} is not one of 16, 32, 64, 128, 256, 512, 1024"
                ));
            }
        }
        if self.device.delivery_code().is_none() {
            return bad(format!(
                "device delivery \"{}\" is not pull, push or both",
                self.device.delivery
            ));
        }
        if let Some(f) = self
            .faults
            .iter()
            .find(|f| !["reboot", "replace-image"].contains(&f.kind.as_str()))
        {
            return bad(format!(
                "fault kind \"{}\" is not reboot or replace-image",
                f.kind
            ));
        }
        Ok(())
    }
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
        let text = serde_json::to_string(&s).unwrap();
        assert!(Scenario::from_json(&text)
            .unwrap_err()
            .to_string()
            .contains("block size 500"));
        let unknown = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":100,"path":"/a"},"colour":1}"#;
        assert!(Scenario::from_json(unknown)
            .unwrap_err()
            .to_string()
            .contains("colour"));
    }
}
