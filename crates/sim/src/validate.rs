//! The checks a scenario passes before a world is built from it, each naming the field it
//! is about. The CLI's `validate`, `run --file` and the browser's file picker all come here.

use crate::scenario::{Fault, ImageSpec, Scenario, ScenarioError};
use crate::topology::NodeId;
use fota_bootloader::{Behaviour, ImageVersion, KeyChoice, Strategy};
use fota_coap::BlockOpt;

/// The largest image or slot a scenario may ask for.
const MAX_BYTES: usize = 4 << 20;

fn invalid(path: impl Into<String>, why: impl Into<String>) -> Result<(), ScenarioError> {
    Err(ScenarioError::Invalid {
        path: path.into(),
        why: why.into(),
    })
}

fn block_size(path: &str, size: usize) -> Result<(), ScenarioError> {
    if BlockOpt::szx_for(size).is_none() {
        return invalid(
            path,
            format!("{size} is not one of 16, 32, 64, 128, 256, 512, 1024"),
        );
    }
    Ok(())
}

fn percent(path: &str, value: u8) -> Result<(), ScenarioError> {
    if value > 100 {
        return invalid(path, format!("{value} is above 100"));
    }
    Ok(())
}

fn node(path: &str, name: &str) -> Result<(), ScenarioError> {
    if NodeId::parse(name).is_none() {
        return invalid(
            path,
            format!("\"{name}\" is not server, repository or device"),
        );
    }
    Ok(())
}

fn image(path: &str, i: &ImageSpec) -> Result<(), ScenarioError> {
    if ImageVersion::parse(&i.version).is_none() {
        return invalid(
            format!("{path}.version"),
            format!("\"{}\" is not major.minor.revision", i.version),
        );
    }
    if Behaviour::parse(&i.behaviour).is_none() {
        return invalid(
            format!("{path}.behaviour"),
            format!(
                "\"{}\" is not healthy, crash-at-boot, hang or fail-health-check",
                i.behaviour
            ),
        );
    }
    if KeyChoice::parse(&i.key).is_none() {
        return invalid(
            format!("{path}.key"),
            format!("\"{}\" is not sandbox or unknown", i.key),
        );
    }
    let overhead = i.builder().overhead();
    if i.size < overhead || i.size > MAX_BYTES {
        return invalid(
            format!("{path}.size"),
            format!(
                "{} is outside {overhead}..={MAX_BYTES} (header, manifest and signature take {overhead})",
                i.size
            ),
        );
    }
    if !i.path.starts_with('/') {
        return invalid(
            format!("{path}.path"),
            format!("\"{}\" must start with /", i.path),
        );
    }
    Ok(())
}

pub fn check(s: &Scenario) -> Result<(), ScenarioError> {
    if s.version != 1 {
        return invalid(
            "version",
            format!("{} is not a version this build reads (1)", s.version),
        );
    }
    if s.id.is_empty() || !s.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return invalid("id", "use letters, digits and dashes only");
    }
    image("image", &s.image)?;
    for (i, extra) in s.repository.iter().enumerate() {
        image(&format!("repository[{i}]"), extra)?;
        if extra.path == s.image.path {
            return invalid(
                format!("repository[{i}].path"),
                format!("{} is already the campaign's image", extra.path),
            );
        }
    }
    let d = &s.device;
    if ImageVersion::parse(&d.running_version).is_none() {
        return invalid(
            "device.running_version",
            format!("\"{}\" is not major.minor.revision", d.running_version),
        );
    }
    if !(1024..=MAX_BYTES).contains(&d.slot_size) {
        return invalid(
            "device.slot_size",
            format!("{} is outside 1024..={MAX_BYTES}", d.slot_size),
        );
    }
    block_size("device.block_size", d.block_size)?;
    block_size("device.download_buffer", d.download_buffer)?;
    if d.delivery_code().is_none() {
        return invalid(
            "device.delivery",
            format!("\"{}\" is not pull, push or both", d.delivery),
        );
    }
    if Strategy::parse(&d.boot_strategy).is_none() {
        return invalid(
            "device.boot_strategy",
            format!("\"{}\" is not swap-move or overwrite", d.boot_strategy),
        );
    }
    if ![1, 2, 4, 8, 16].contains(&d.flash_align) {
        return invalid(
            "device.flash_align",
            format!("{} is not 1, 2, 4, 8 or 16", d.flash_align),
        );
    }
    if d.flash_erased != 0 && d.flash_erased != 0xff {
        return invalid(
            "device.flash_erased",
            format!("{} is not 0 or 255", d.flash_erased),
        );
    }
    let n = &s.network;
    if n.latency_ms > 60_000 {
        return invalid("network.latency_ms", "above 60000 (a minute)");
    }
    for (field, v) in [
        ("loss_percent", n.loss_percent),
        ("duplicate_percent", n.duplicate_percent),
        ("reorder_percent", n.reorder_percent),
        ("corrupt_percent", n.corrupt_percent),
    ] {
        percent(&format!("network.{field}"), v)?;
    }
    for (i, l) in n.links.iter().enumerate() {
        node(&format!("network.links[{i}].from"), &l.from)?;
        node(&format!("network.links[{i}].to"), &l.to)?;
        for (field, v) in [
            ("loss_percent", l.loss_percent),
            ("duplicate_percent", l.duplicate_percent),
            ("reorder_percent", l.reorder_percent),
            ("corrupt_percent", l.corrupt_percent),
        ] {
            percent(&format!("network.links[{i}].{field}"), v.unwrap_or(0))?;
        }
    }
    for (i, o) in n.outages.iter().enumerate() {
        node(&format!("network.outages[{i}].node"), &o.node)?;
    }
    if fota_server::Delivery::parse(&s.server.method).is_none() {
        return invalid(
            "server.method",
            format!("\"{}\" is not pull or push", s.server.method),
        );
    }
    block_size("server.push_block_size", s.server.push_block_size)?;
    for (i, o) in s.operations.iter().enumerate() {
        if o.request().is_none() {
            return invalid(
                format!("operations[{i}]"),
                format!(
                    "op \"{}\" on \"{}\": op must be read, write, execute, observe, write-attributes or push, and the path /o, /o/i or /o/i/r",
                    o.op, o.path
                ),
            );
        }
    }
    for (i, f) in s.faults.iter().enumerate() {
        if let Fault::SetNetwork {
            loss_percent,
            duplicate_percent,
            corrupt_percent,
            ..
        } = f
        {
            for (field, v) in [
                ("loss_percent", loss_percent),
                ("duplicate_percent", duplicate_percent),
                ("corrupt_percent", corrupt_percent),
            ] {
                percent(&format!("faults[{i}].{field}"), v.unwrap_or(0))?;
            }
        }
        if let Fault::LinkDown { node: n, .. } = f {
            node(&format!("faults[{i}].node"), n)?;
        }
        if let Fault::LinkDown {
            at_ms,
            up_at_ms: Some(up),
            ..
        } = f
        {
            if up <= at_ms {
                return invalid(
                    format!("faults[{i}].up_at_ms"),
                    format!("{up} is not after at_ms {at_ms}"),
                );
            }
        }
    }
    if s.time_limit_s == 0 || s.time_limit_s > 86_400 {
        return invalid("time_limit_s", "must be 1 to 86400 (a day)");
    }
    Ok(())
}
