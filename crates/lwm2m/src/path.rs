use core::fmt;
use serde::{Deserialize, Serialize};

/// An LwM2M path: `/5`, `/5/0` or `/5/0/3` (resource instances are not used by the sandbox).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Path {
    pub object: u16,
    pub instance: Option<u16>,
    pub resource: Option<u16>,
}

impl Path {
    pub const fn resource(object: u16, instance: u16, resource: u16) -> Path {
        Path {
            object,
            instance: Some(instance),
            resource: Some(resource),
        }
    }

    pub const fn instance(object: u16, instance: u16) -> Path {
        Path {
            object,
            instance: Some(instance),
            resource: None,
        }
    }

    /// Parses `/o`, `/o/i`, `/o/i/r`; ids are 0..=65534 (65535 is reserved).
    pub fn parse(text: &str) -> Option<Path> {
        let rest = text.strip_prefix('/')?;
        let ids: Vec<u16> = rest
            .split('/')
            .map(|s| s.parse::<u16>().ok().filter(|&v| v != u16::MAX))
            .collect::<Option<_>>()?;
        match ids[..] {
            [o] => Some(Path {
                object: o,
                instance: None,
                resource: None,
            }),
            [o, i] => Some(Path::instance(o, i)),
            [o, i, r] => Some(Path::resource(o, i, r)),
            _ => None,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.object)?;
        if let Some(i) = self.instance {
            write!(f, "/{i}")?;
        }
        if let Some(r) = self.resource {
            write!(f, "/{r}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for p in ["/5", "/5/0", "/5/0/3", "/3/0/3"] {
            assert_eq!(Path::parse(p).unwrap().to_string(), p);
        }
        for bad in ["", "5/0", "/5/", "/a", "/5/0/3/0", "/65535", "/70000"] {
            assert_eq!(Path::parse(bad), None, "{bad}");
        }
    }
}

/// A path as the text `/o/i/r`, for formats that people write (`#[serde(with = "text")]`).
pub mod text {
    use super::Path;
    use serde::{
        de::{Error, Visitor},
        Deserializer, Serializer,
    };

    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(path)
    }

    /// Checked as the string is read (a visitor), so that a reader's error is placed at
    /// this value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Path, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Path;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a path /o, /o/i or /o/i/r")
            }
            fn visit_str<E: Error>(self, text: &str) -> Result<Path, E> {
                Path::parse(text).ok_or_else(|| {
                    E::custom(format!("\"{text}\" is not a path /o, /o/i or /o/i/r"))
                })
            }
        }
        d.deserialize_str(Text)
    }
}
