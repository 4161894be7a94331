//! The checks on a scenario's cost figures (flash timing, energy model, battery), each naming
//! its field: every figure within what a real part could have, so that no sum of them
//! overflows and no rate divides by zero.

use crate::scenario::DeviceSpec;
use crate::scenario_error::ScenarioError;

fn within(
    path: &str,
    value: u64,
    range: core::ops::RangeInclusive<u64>,
    unit: &str,
) -> Result<(), ScenarioError> {
    if range.contains(&value) {
        return Ok(());
    }
    Err(ScenarioError::Invalid {
        path: path.to_string(),
        why: format!(
            "{value} {unit} is outside {}..={} {unit}",
            range.start(),
            range.end()
        ),
    })
}

pub(crate) fn check(d: &DeviceSpec) -> Result<(), ScenarioError> {
    let t = &d.flash_timing;
    within(
        "device.flash_timing.erase_sector_us",
        t.erase_sector_us,
        0..=10_000_000,
        "µs",
    )?;
    within(
        "device.flash_timing.program_word_us",
        t.program_word_us,
        0..=100_000,
        "µs",
    )?;
    within(
        "device.flash_timing.word_bytes",
        t.word_bytes,
        1..=256,
        "bytes",
    )?;
    within(
        "device.flash_timing.hash_bytes_per_ms",
        t.hash_bytes_per_ms,
        0..=1_000_000_000,
        "bytes/ms",
    )?;
    within(
        "device.flash_timing.verify_signature_us",
        t.verify_signature_us,
        0..=10_000_000,
        "µs",
    )?;
    within(
        "device.queue_awake_ms",
        d.queue_awake_ms,
        1_000..=86_400_000,
        "ms",
    )?;
    let e = &d.energy;
    within("device.energy.voltage_mv", e.voltage_mv, 1..=48_000, "mV")?;
    for (field, ua) in [
        ("tx_ua", e.tx_ua),
        ("rx_ua", e.rx_ua),
        ("listen_ua", e.listen_ua),
        ("sleep_ua", e.sleep_ua),
        ("flash_ua", e.flash_ua),
        ("cpu_ua", e.cpu_ua),
    ] {
        within(&format!("device.energy.{field}"), ua, 0..=10_000_000, "µA")?;
    }
    within(
        "device.energy.uplink_bps",
        e.uplink_bps,
        1..=1_000_000_000,
        "bit/s",
    )?;
    within(
        "device.energy.downlink_bps",
        e.downlink_bps,
        1..=1_000_000_000,
        "bit/s",
    )?;
    within(
        "device.energy.per_datagram_us",
        e.per_datagram_us,
        0..=10_000_000,
        "µs",
    )?;
    within(
        "device.energy.header_bytes",
        e.header_bytes,
        0..=1_000,
        "bytes",
    )?;
    let b = &d.battery;
    within(
        "device.battery.capacity_mah",
        b.capacity_mah,
        1..=1_000_000,
        "mAh",
    )?;
    within(
        "device.battery.min_update_percent",
        b.min_update_percent.into(),
        0..=100,
        "%",
    )?;
    within(
        "device.battery.min_download_percent",
        b.min_download_percent.into(),
        0..=100,
        "%",
    )?;
    for (i, c) in b.charging.iter().enumerate() {
        within(
            &format!("device.battery.charging[{i}].ua"),
            c.ua,
            0..=10_000_000,
            "µA",
        )?;
        if c.until_ms.is_some_and(|u| u < c.from_ms) {
            return Err(ScenarioError::Invalid {
                path: format!("device.battery.charging[{i}].until_ms"),
                why: "ends before from_ms".to_string(),
            });
        }
    }
    Ok(())
}
