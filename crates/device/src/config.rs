use fota_coap::Addr;
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
    /// The image in the primary slot when the run starts.
    pub factory_image: Vec<u8>,
    /// Block size the PULL downloader asks for (16 to 1024).
    pub block_size: usize,
    /// How long a power-on takes before the firmware sends its first datagram.
    pub boot_ms: u64,
    /// The device's user defers the first update this many seconds (/5/0/13); 0 never.
    #[serde(default)]
    pub defer_s: u32,
    /// Cut the power before this flash operation of the first upgrade's boot (0 = the first).
    #[serde(default)]
    pub power_cut_at_flash_op: Option<u64>,
    /// Host names the device can resolve in a Package URI.
    pub hosts: Vec<(String, Addr)>,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
}
