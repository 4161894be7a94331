//! MCUboot's signed image format, byte for byte (reference/mcuboot.md §1.1, SPEC BOOT-1): a
//! 32-byte little-endian header, the payload (starting with our manifest), a protected TLV block
//! (0x6908: SEC_CNT) covered by the hash, and an unprotected block (0x6907: SHA256, KEYHASH,
//! ED25519 over the SHA-256 digest). This file holds the format's constants and the image
//! version; `builder` writes images and `validate` judges them.

use core::fmt;
use serde::{Deserialize, Serialize};

pub const IMAGE_MAGIC: u32 = 0x96f3_b83d;
pub const HEADER_SIZE: usize = 32;
pub const TLV_INFO_MAGIC: u16 = 0x6907;
pub const TLV_PROT_INFO_MAGIC: u16 = 0x6908;
pub const TLV_KEYHASH: u16 = 0x01;
pub const TLV_SHA256: u16 = 0x10;
pub const TLV_ED25519: u16 = 0x24;
pub const TLV_SEC_CNT: u16 = 0x50;

/// Protected block: info header + SEC_CNT record.
pub(crate) const PROTECTED_SIZE: usize = 4 + 4 + 4;
/// Unprotected block: info header + SHA256, KEYHASH and ED25519 records.
pub(crate) const UNPROTECTED_SIZE: usize = 4 + (4 + 32) + (4 + 32) + (4 + 64);

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct ImageVersion {
    pub major: u8,
    pub minor: u8,
    pub revision: u16,
    pub build: u32,
}

impl ImageVersion {
    pub const fn new(major: u8, minor: u8, revision: u16) -> ImageVersion {
        ImageVersion {
            major,
            minor,
            revision,
            build: 0,
        }
    }

    /// Parses `1.2.3` or `1.2.3+4`.
    pub fn parse(text: &str) -> Option<ImageVersion> {
        let (core, build) = match text.split_once('+') {
            Some((c, b)) => (c, b.parse().ok()?),
            None => (text, 0),
        };
        let mut it = core.split('.');
        let v = ImageVersion {
            major: it.next()?.parse().ok()?,
            minor: it.next()?.parse().ok()?,
            revision: it.next()?.parse().ok()?,
            build,
        };
        it.next().is_none().then_some(v)
    }
}

impl fmt::Display for ImageVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.revision)?;
        if self.build != 0 {
            write!(f, "+{}", self.build)?;
        }
        Ok(())
    }
}

/// The little-endian `u16` at `at`; the caller has checked that `b` holds it.
pub(crate) fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

/// The little-endian `u32` at `at`; the caller has checked that `b` holds it.
pub(crate) fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
