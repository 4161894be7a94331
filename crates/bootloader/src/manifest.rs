//! The small manifest at the start of every payload (BOOT-2): it says how the simulated
//! firmware behaves once booted, so that a perfectly signed image can still be a broken one.
//!
//! Layout: magic `SBXF`, format 1, behaviour (0..=3), version string length, version string.

use core::fmt;

pub const MANIFEST_MAGIC: [u8; 4] = *b"SBXF";

/// How the firmware behaves once booted: `healthy`, `crash-at-boot`, `hang` or
/// `fail-health-check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Behaviour {
    /// Boots, registers, then confirms itself.
    Healthy,
    /// Crashes right after boot; the watchdog resets the device.
    CrashAtBoot,
    /// Hangs after boot and never registers.
    Hang,
    /// Boots and registers but fails its health check, so never confirms.
    FailHealthCheck,
}

impl Behaviour {
    pub const ALL: [Behaviour; 4] = [
        Behaviour::Healthy,
        Behaviour::CrashAtBoot,
        Behaviour::Hang,
        Behaviour::FailHealthCheck,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Behaviour::Healthy => "healthy",
            Behaviour::CrashAtBoot => "crash-at-boot",
            Behaviour::Hang => "hang",
            Behaviour::FailHealthCheck => "fail-health-check",
        }
    }

    pub fn parse(text: &str) -> Option<Behaviour> {
        Behaviour::ALL.into_iter().find(|b| b.name() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub version: String,
    pub behaviour: Behaviour,
}

impl Manifest {
    pub fn encode(&self) -> Vec<u8> {
        let version = &self.version.as_bytes()[..self.version.len().min(255)];
        let mut out = MANIFEST_MAGIC.to_vec();
        out.push(1);
        out.push(
            Behaviour::ALL
                .iter()
                .position(|&b| b == self.behaviour)
                .unwrap_or(0) as u8,
        );
        out.push(version.len() as u8);
        out.extend_from_slice(version);
        out
    }

    pub fn decode(payload: &[u8]) -> Result<Manifest, ManifestError> {
        if payload.get(..4) != Some(&MANIFEST_MAGIC[..]) {
            return Err(ManifestError(
                "the payload does not start with the SBXF manifest".into(),
            ));
        }
        let [format, behaviour, len] = payload
            .get(4..7)
            .and_then(|b| <[u8; 3]>::try_from(b).ok())
            .ok_or(ManifestError("manifest cut short".into()))?;
        if format != 1 {
            return Err(ManifestError(format!(
                "manifest format {format} (only 1 exists)"
            )));
        }
        let behaviour = *Behaviour::ALL
            .get(usize::from(behaviour))
            .ok_or_else(|| ManifestError(format!("behaviour {behaviour} is not one of 0..=3")))?;
        let version = payload
            .get(7..7 + usize::from(len))
            .and_then(|v| std::str::from_utf8(v).ok())
            .ok_or(ManifestError(
                "manifest version cut short or not UTF-8".into(),
            ))?;
        Ok(Manifest {
            version: version.to_string(),
            behaviour,
        })
    }

    pub fn len(&self) -> usize {
        7 + self.version.len().min(255)
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError(pub String);

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        for b in Behaviour::ALL {
            let m = Manifest {
                version: "2.0.0".into(),
                behaviour: b,
            };
            let bytes = m.encode();
            assert_eq!(bytes.len(), m.len());
            assert_eq!(Manifest::decode(&bytes).unwrap(), m);
            assert_eq!(Behaviour::parse(b.name()), Some(b));
        }
        assert!(Manifest::decode(b"ELF.....").is_err());
        assert!(Manifest::decode(b"SBXF\x01\x09\x00").is_err());
        assert!(Manifest::decode(b"SBXF\x01\x00\x09ab").is_err());
    }
}
