//! Short names for paths, read from the object definitions.

use crate::definitions;
use crate::path::Path;

pub fn object_name(object: u16) -> Option<&'static str> {
    definitions::object(object).map(|d| d.name)
}

pub fn resource_name(object: u16, resource: u16) -> Option<&'static str> {
    definitions::resource(object, resource).map(|d| d.name)
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
