//! The checks a scenario passes before a world is built from it, each naming the field it
//! is about. The CLI's `validate`, `run --file` and the browser's file picker all come here.

use crate::link::{LinkSettings, Unknown};
use crate::scenario::{Fault, ImageSpec, Scenario};
use crate::scenario_error::ScenarioError;
use fota_bootloader::ImageVersion;
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

/// Link settings with their chances in range, and no field beside them that nothing reads
/// (`others` names the section's own fields, for the message).
fn link(
    path: &str,
    settings: &LinkSettings,
    unknown: &Unknown,
    others: &[&str],
) -> Result<(), ScenarioError> {
    if let Some(field) = unknown.keys().next() {
        let mut known: Vec<&str> = others.to_vec();
        known.extend(LinkSettings::FIELDS);
        let at = if path.is_empty() {
            field.clone()
        } else {
            format!("{path}.{field}")
        };
        return invalid(
            at,
            format!(
                "unknown field `{field}`, expected one of {}",
                known.join(", ")
            ),
        );
    }
    for (field, v) in settings.percents() {
        let at = if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        percent(&at, v.unwrap_or(0))?;
    }
    if settings.latency_ms.is_some_and(|l| l > 60_000) {
        return invalid(format!("{path}.latency_ms"), "above 60000 (a minute)");
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
    crate::validate_cost::check(d)?;
    let n = &s.network;
    link("network", &n.all, &n.unknown, &["links", "outages"])?;
    for (i, l) in n.links.iter().enumerate() {
        link(
            &format!("network.links[{i}]"),
            &l.settings,
            &l.unknown,
            &["from", "to"],
        )?;
    }
    block_size("server.push_block_size", s.server.push_block_size)?;
    // A deadline of 0 s would fire before the device could answer anything.
    for (field, secs) in [
        ("server.phase_timeout_s", s.server.phase_timeout_s),
        ("server.update_timeout_s", s.server.update_timeout_s),
    ] {
        if secs == 0 {
            invalid(field, "must be at least 1 second")?;
        }
    }
    for (i, o) in s.operations.iter().enumerate() {
        if let Some(field) = o.unknown.keys().next() {
            return invalid(
                format!("operations[{i}].{field}"),
                format!(
                    "unknown field `{field}`, expected one of at_ms, {}",
                    fota_server::OperatorRequest::FIELDS.join(", ")
                ),
            );
        }
    }
    for (i, f) in s.faults.iter().enumerate() {
        if let Fault::SetNetwork {
            settings, unknown, ..
        } = f
        {
            link(
                &format!("faults[{i}]"),
                settings,
                unknown,
                &["kind", "at_ms"],
            )?;
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
