use fota_coap::Addr;
use fota_lwm2m::register::Lwm2mVersion;
use serde::{Deserialize, Serialize};

/// Everything a device is built from; the scenario fills it in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceConfig {
    pub addr: Addr,
    /// The LwM2M server to register with; `None` for a device that only answers requests.
    pub server: Option<Addr>,
    pub endpoint: String,
    pub lifetime_s: u32,
    /// Size of each image slot in bytes.
    pub slot_size: usize,
    /// How the bootloader upgrades, and the flash's write alignment and erased value.
    pub strategy: fota_bootloader::Strategy,
    pub flash_align: usize,
    pub flash_erased: u8,
    /// The image in the primary slot when the run starts.
    pub factory_image: Vec<u8>,
    /// Block size the PULL downloader asks for (16 to 1024).
    pub block_size: usize,
    /// How long a power-on takes before the bootloader's work begins (that work then takes
    /// the time `flash_timing` gives it).
    pub boot_ms: u64,
    /// How long flash operations and image checks take.
    #[serde(default)]
    pub flash_timing: fota_bootloader::FlashTiming,
    /// The device runs in LwM2M queue mode: it says so when it registers, and sleeps with its
    /// radio off once `queue_awake_ms` pass without a datagram.
    #[serde(default)]
    pub queue_mode: bool,
    #[serde(default = "default_queue_awake_ms")]
    pub queue_awake_ms: u64,
    /// What the radio, the flash and the CPU draw.
    #[serde(default)]
    pub energy: crate::energy::EnergyModel,
    /// The battery they draw it from.
    #[serde(default)]
    pub battery: crate::energy::BatterySpec,
    /// The device's user defers the first update this many seconds (/5/0/13); 0 never.
    #[serde(default)]
    pub defer_s: u32,
    /// Cut the power before this flash operation of the first upgrade's boot (0 = the first).
    #[serde(default)]
    pub power_cut_at_flash_op: Option<u64>,
    /// How many times a PULL download asks again for a block whose exchange timed out, before
    /// it gives up with Result 4 (FU-D4). Counted per block.
    #[serde(default = "default_download_retries")]
    pub download_retries: u32,
    /// The largest Block1 block the download buffer holds (16 to 1024): a PUSH in larger
    /// blocks must follow the device's size (BW-5) or fail with Result 3 (FU-D3).
    #[serde(default = "default_download_buffer")]
    pub download_buffer: usize,
    /// One bit of the secondary slot flips while the device reboots into the bootloader, after
    /// the download was checked: the bootloader then rejects the image (FU-T13).
    #[serde(default)]
    pub corrupt_secondary_before_boot: bool,
    /// /5/0/9: 0 PULL only, 1 PUSH only, 2 both. A delivery the device lacks is refused
    /// with 4.05.
    #[serde(default = "default_delivery")]
    pub delivery: u8,
    /// /3 and /4 values over time: the first sample holds from the start.
    #[serde(default)]
    pub samples: Vec<Sample>,
    /// The LwM2M version the device registers with, which decides the format it answers a
    /// Read or Observe that names no Accept: 1.1 text/plain and TLV, 1.2 SenML CBOR (SRV-12).
    #[serde(default)]
    pub lwm2m_version: Lwm2mVersion,
    /// Host names the device can resolve in a Package URI.
    pub hosts: Vec<(String, Addr)>,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
}

impl DeviceConfig {
    /// A device at `addr` running `factory_image`, with the defaults of a small board: no
    /// server, 64 KiB slots, 512-byte blocks.
    pub fn new(addr: Addr, endpoint: &str, factory_image: Vec<u8>) -> DeviceConfig {
        DeviceConfig {
            addr,
            server: None,
            endpoint: endpoint.to_string(),
            lifetime_s: 300,
            slot_size: 65536,
            strategy: fota_bootloader::Strategy::SwapMove,
            flash_align: 8,
            flash_erased: 0xff,
            factory_image,
            block_size: 512,
            boot_ms: 0,
            flash_timing: fota_bootloader::FlashTiming::default(),
            queue_mode: false,
            queue_awake_ms: default_queue_awake_ms(),
            energy: crate::energy::EnergyModel::default(),
            battery: crate::energy::BatterySpec::default(),
            defer_s: 0,
            power_cut_at_flash_op: None,
            download_retries: default_download_retries(),
            download_buffer: default_download_buffer(),
            corrupt_secondary_before_boot: false,
            delivery: default_delivery(),
            samples: Vec::new(),
            lwm2m_version: Lwm2mVersion::default(),
            hosts: Vec::new(),
            manufacturer: "FOTA Sandbox".into(),
            model: "sbx-board".into(),
            serial: format!("SBX-{endpoint}"),
        }
    }
}

/// The device's changing values from `at_ms` on: /4/0/2 Radio Signal Strength (dBm), /4/0/3
/// Link Quality, /4/0/6 Link Utilization (%), /3/0/9 Battery Level (%) and /3/0/10 Memory Free
/// (KiB; `None` is the free slot space).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    pub at_ms: u64,
    pub signal_dbm: i64,
    pub link_quality: i64,
    pub link_utilization: i64,
    pub battery_level: i64,
    pub memory_free_kib: Option<i64>,
}

impl Default for Sample {
    fn default() -> Self {
        Sample {
            at_ms: 0,
            signal_dbm: -70,
            link_quality: 80,
            link_utilization: 0,
            battery_level: 100,
            memory_free_kib: None,
        }
    }
}

/// CoAP's MAX_TRANSMIT_WAIT (RFC 7252 §4.8.2, 93 s with the default parameters): how long
/// LwM2M 1.1 asks a queue-mode client to stay awake after its last message.
pub fn default_queue_awake_ms() -> u64 {
    fota_coap::params::MAX_TRANSMIT_WAIT_MS
}

fn default_delivery() -> u8 {
    fota_lwm2m::firmware::DELIVERY_BOTH
}

fn default_download_retries() -> u32 {
    3
}

fn default_download_buffer() -> usize {
    1024
}
