//! What the device's work costs in energy, with stated figures: the radio per datagram and per
//! byte (from its airtime at a current), listening while awake, sleeping, the flash's busy time
//! and the CPU's hashing (from the bootloader's work meter). The defaults describe an LwM2M
//! device of the nRF9160 kind on LTE-M at 3.7 V; every figure says where it comes from, and a
//! scenario may give its own.

use serde::{Deserialize, Serialize};

/// Where the default figures come from, for the docs and the page.
pub const SOURCE: &str = "nRF9160 Product Specification, \"Modem current consumption\" (Cat-M1, band 13, typical, at 3.7 V): PSM floor 2.7 µA, uplink at 180 kbit/s and 23 dBm 100 mA, at 0 dBm 45 mA; the rest are our estimates, named as such";

/// The figures the energy model uses. Currents in µA, rates in bit/s, times in µs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct EnergyModel {
    /// Supply voltage in mV: 3,700, the voltage the nRF9160's figures are measured at.
    pub voltage_mv: u64,
    /// Current while transmitting: 100,000 µA (nRF9160 IRMC_23DBM, band 13).
    pub tx_ua: u64,
    /// Uplink rate: 180,000 bit/s (the rate that current is measured at).
    pub uplink_bps: u64,
    /// Current while receiving: 45,000 µA (nRF9160 IRMC_0DBM, whose transmitter is nearly
    /// idle; our stand-in for reception).
    pub rx_ua: u64,
    /// Downlink rate: 300,000 bit/s (our estimate for Cat-M1 in half duplex).
    pub downlink_bps: u64,
    /// Radio time per datagram beyond its bytes (scheduling request, grant, acknowledgement):
    /// 5,000 µs, our estimate.
    pub per_datagram_us: u64,
    /// Bytes each datagram carries on the air beyond the CoAP message: 28 (IPv4 and UDP
    /// headers, no header compression).
    pub header_bytes: u64,
    /// Average current while awake and reachable between datagrams (radio in idle mode with
    /// paging, CPU idle): 1,000 µA, our estimate.
    pub listen_ua: u64,
    /// Current while asleep with the radio off, and while off or booting: 2.7 µA, the
    /// nRF9160's PSM floor, rounded up to 3.
    pub sleep_ua: u64,
    /// Current while the flash erases or programs: 5,000 µA, our estimate.
    pub flash_ua: u64,
    /// Current while the CPU hashes an image or checks its signature: 3,000 µA, our estimate
    /// for a Cortex-M33 at 64 MHz.
    pub cpu_ua: u64,
}

impl Default for EnergyModel {
    fn default() -> Self {
        EnergyModel {
            voltage_mv: 3_700,
            tx_ua: 100_000,
            uplink_bps: 180_000,
            rx_ua: 45_000,
            downlink_bps: 300_000,
            per_datagram_us: 5_000,
            header_bytes: 28,
            listen_ua: 1_000,
            sleep_ua: 3,
            flash_ua: 5_000,
            cpu_ua: 3_000,
        }
    }
}

impl EnergyModel {
    /// Nanojoules drawn at `ua` for `us`: µA × mV × µs = 10⁻¹⁵ J, so divide by 10⁶.
    pub fn nj(&self, ua: u64, us: u64) -> u64 {
        let nj = ua as u128 * self.voltage_mv as u128 * us as u128 / 1_000_000;
        u64::try_from(nj).unwrap_or(u64::MAX)
    }

    /// Air time of a datagram of `len` bytes at `bps`, in µs.
    pub fn airtime_us(&self, len: usize, bps: u64) -> u64 {
        let bits = (len as u64)
            .saturating_add(self.header_bytes)
            .saturating_mul(8);
        self.per_datagram_us
            .saturating_add(bits.saturating_mul(1_000_000).div_ceil(bps.max(1)))
    }
}

/// The battery: its capacity and what charges it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct BatterySpec {
    /// Capacity in mAh at the model's voltage: 1,000 (a small Li-ion cell).
    pub capacity_mah: u64,
    /// Charging over time: `[{from_ms, until_ms, ua}]`, a current into the battery (a solar
    /// cell, a charger) between two moments; `until_ms` absent means for good.
    pub charging: Vec<Charging>,
    /// Below this level (%) the device defers Execute Update with Result 11 and updates by
    /// itself once the battery is back at it (BAT-1); 0 never.
    pub min_update_percent: u8,
    /// Below this level (%) the device refuses to start a download: 5.03 Service Unavailable
    /// with Max-Age, State Idle, Update Result unchanged (BAT-2); 0 never.
    pub min_download_percent: u8,
}

impl Default for BatterySpec {
    fn default() -> Self {
        BatterySpec {
            capacity_mah: 1_000,
            charging: Vec::new(),
            min_update_percent: 0,
            min_download_percent: 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Charging {
    pub from_ms: u64,
    #[serde(default)]
    pub until_ms: Option<u64>,
    pub ua: u64,
}

/// Energy spent so far, by part, in nanojoules; and the radio's air time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EnergySpent {
    pub radio_tx_nj: u64,
    pub radio_rx_nj: u64,
    pub flash_nj: u64,
    pub cpu_nj: u64,
    /// Awake and listening between datagrams.
    pub listen_nj: u64,
    /// Asleep, off or booting.
    pub sleep_nj: u64,
    pub airtime_us: u64,
}

impl EnergySpent {
    pub fn total_nj(&self) -> u64 {
        self.radio_tx_nj
            + self.radio_rx_nj
            + self.flash_nj
            + self.cpu_nj
            + self.listen_nj
            + self.sleep_nj
    }

    pub fn radio_nj(&self) -> u64 {
        self.radio_tx_nj.saturating_add(self.radio_rx_nj)
    }

    /// `self` less what had been spent at `earlier`: the cost of what came between.
    pub fn since(&self, earlier: &EnergySpent) -> EnergySpent {
        EnergySpent {
            radio_tx_nj: self.radio_tx_nj - earlier.radio_tx_nj,
            radio_rx_nj: self.radio_rx_nj - earlier.radio_rx_nj,
            flash_nj: self.flash_nj - earlier.flash_nj,
            cpu_nj: self.cpu_nj - earlier.cpu_nj,
            listen_nj: self.listen_nj - earlier.listen_nj,
            sleep_nj: self.sleep_nj - earlier.sleep_nj,
            airtime_us: self.airtime_us - earlier.airtime_us,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_give_the_energy_they_should() {
        let m = EnergyModel::default();
        // 100 mA at 3.7 V for one second: 0.37 J.
        assert_eq!(m.nj(100_000, 1_000_000), 370_000_000);
        // A 100-byte datagram up: 128 bytes at 180 kbit/s is 5,689 µs, plus 5 ms.
        assert_eq!(m.airtime_us(100, m.uplink_bps), 5_000 + 5_689);
    }
}
