//! Names of the objects and resources the sandbox's devices expose (SPEC OBJ-3 to OBJ-6).

use crate::path::Path;

pub fn object_name(object: u16) -> Option<&'static str> {
    Some(match object {
        0 => "Security",
        1 => "Server",
        3 => "Device",
        4 => "Connectivity Monitoring",
        5 => "Firmware Update",
        _ => return None,
    })
}

pub fn resource_name(object: u16, resource: u16) -> Option<&'static str> {
    Some(match (object, resource) {
        (3, 0) => "Manufacturer",
        (3, 1) => "Model Number",
        (3, 2) => "Serial Number",
        (3, 3) => "Firmware Version",
        (3, 4) => "Reboot",
        (3, 9) => "Battery Level",
        (3, 10) => "Memory Free",
        (3, 11) => "Error Code",
        (3, 13) => "Current Time",
        (3, 16) => "Supported Binding and Modes",
        (3, 21) => "Memory Total",
        (5, 0) => "Package",
        (5, 1) => "Package URI",
        (5, 2) => "Update",
        (5, 3) => "State",
        (5, 5) => "Update Result",
        (5, 6) => "PkgName",
        (5, 7) => "PkgVersion",
        (5, 8) => "Firmware Update Protocol Support",
        (5, 9) => "Firmware Update Delivery Method",
        (5, 10) => "Cancel",
        (5, 11) => "Severity",
        (5, 12) => "Last State Change Time",
        (5, 13) => "Maximum Defer Period",
        _ => return None,
    })
}

/// `/5/0/3 State`, `/3/0 Device`, or the bare path when the name is unknown.
pub fn describe(path: &Path) -> String {
    let name = match (path.instance, path.resource) {
        (Some(_), Some(r)) => resource_name(path.object, r),
        _ => object_name(path.object),
    };
    match name {
        Some(n) => format!("{path} {n}"),
        None => path.to_string(),
    }
}
