//! MCUboot's signed image format (reference/mcuboot.md §1.1): a 32-byte little-endian header,
//! the payload, then TLV blocks. This layer builds and checks the header and the SHA-256 TLV.

use core::fmt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const IMAGE_MAGIC: u32 = 0x96f3_b83d;
pub const HEADER_SIZE: usize = 32;
pub const TLV_INFO_MAGIC: u16 = 0x6907;
pub const TLV_PROT_INFO_MAGIC: u16 = 0x6908;
pub const TLV_SHA256: u16 = 0x10;

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

/// What a valid image says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub version: ImageVersion,
    pub payload_len: usize,
    /// Header + payload + TLVs: the bytes that belong to the image in its slot.
    pub total_len: usize,
    pub sha256: [u8; 32],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageError {
    TooShort(usize),
    BadMagic(u32),
    BadHeaderSize(u16),
    Truncated { needed: usize, have: usize },
    BadTlvInfo(u16),
    MissingHash,
    HashMismatch,
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::TooShort(n) => write!(f, "{n} bytes is shorter than an image header"),
            ImageError::BadMagic(m) => {
                write!(f, "header magic 0x{m:08x}, expected 0x{IMAGE_MAGIC:08x}")
            }
            ImageError::BadHeaderSize(s) => write!(f, "header size {s} is below {HEADER_SIZE}"),
            ImageError::Truncated { needed, have } => {
                write!(f, "image needs {needed} bytes, only {have} present")
            }
            ImageError::BadTlvInfo(m) => write!(
                f,
                "TLV info magic 0x{m:04x}, expected 0x{TLV_INFO_MAGIC:04x}"
            ),
            ImageError::MissingHash => write!(f, "no SHA-256 TLV"),
            ImageError::HashMismatch => {
                write!(f, "SHA-256 of header and payload does not match its TLV")
            }
        }
    }
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Builds an image as imgtool would (header size 32, no protected TLVs, a SHA-256 TLV).
pub fn build_image(version: ImageVersion, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_SIZE + payload.len() + 40);
    out.extend_from_slice(&IMAGE_MAGIC.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // load address
    out.extend_from_slice(&(HEADER_SIZE as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // protected TLV size
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // flags
    out.push(version.major);
    out.push(version.minor);
    out.extend_from_slice(&version.revision.to_le_bytes());
    out.extend_from_slice(&version.build.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // pad
    out.extend_from_slice(payload);
    let digest: [u8; 32] = Sha256::digest(&out).into();
    out.extend_from_slice(&TLV_INFO_MAGIC.to_le_bytes());
    out.extend_from_slice(&(4u16 + 4 + 32).to_le_bytes());
    out.extend_from_slice(&TLV_SHA256.to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(&digest);
    out
}

/// Checks header, bounds and the SHA-256 TLV of the image at the start of `bytes` (trailing
/// bytes, such as erased flash, are ignored).
pub fn parse_image(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    if bytes.len() < HEADER_SIZE {
        return Err(ImageError::TooShort(bytes.len()));
    }
    let magic = le32(bytes, 0);
    if magic != IMAGE_MAGIC {
        return Err(ImageError::BadMagic(magic));
    }
    let hdr_size = le16(bytes, 8);
    if usize::from(hdr_size) < HEADER_SIZE {
        return Err(ImageError::BadHeaderSize(hdr_size));
    }
    let protect_size = usize::from(le16(bytes, 10));
    let img_size = le32(bytes, 12) as usize;
    let version = ImageVersion {
        major: bytes[20],
        minor: bytes[21],
        revision: le16(bytes, 22),
        build: le32(bytes, 24),
    };
    let hashed_end = usize::from(hdr_size)
        .saturating_add(img_size)
        .saturating_add(protect_size);
    let need = |n: usize| {
        if bytes.len() < n {
            Err(ImageError::Truncated {
                needed: n,
                have: bytes.len(),
            })
        } else {
            Ok(())
        }
    };
    need(hashed_end.saturating_add(4))?;
    let info_magic = le16(bytes, hashed_end);
    if info_magic != TLV_INFO_MAGIC {
        return Err(ImageError::BadTlvInfo(info_magic));
    }
    let tlv_end = hashed_end + usize::from(le16(bytes, hashed_end + 2));
    need(tlv_end)?;
    let mut at = hashed_end + 4;
    let mut expected = None;
    while at + 4 <= tlv_end {
        let (kind, len) = (le16(bytes, at), usize::from(le16(bytes, at + 2)));
        let value = bytes
            .get(at + 4..at + 4 + len)
            .ok_or(ImageError::Truncated {
                needed: at + 4 + len,
                have: bytes.len(),
            })?;
        if kind == TLV_SHA256 && len == 32 {
            expected = Some(value);
        }
        at += 4 + len;
    }
    let expected = expected.ok_or(ImageError::MissingHash)?;
    let digest: [u8; 32] = Sha256::digest(&bytes[..hashed_end]).into();
    if digest[..] != expected[..] {
        return Err(ImageError::HashMismatch);
    }
    Ok(ImageInfo {
        version,
        payload_len: img_size,
        total_len: tlv_end,
        sha256: digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_mcuboot_header_byte_for_byte() {
        let img = build_image(ImageVersion::new(2, 1, 3), b"hello");
        assert_eq!(
            &img[0..4],
            &[0x3d, 0xb8, 0xf3, 0x96],
            "magic 0x96f3b83d little-endian"
        );
        assert_eq!(&img[8..10], &[32, 0], "ih_hdr_size");
        assert_eq!(&img[12..16], &[5, 0, 0, 0], "ih_img_size");
        assert_eq!(&img[20..24], &[2, 1, 3, 0], "ih_ver major, minor, revision");
        assert_eq!(
            &img[37..41],
            &[0x07, 0x69, 40, 0],
            "TLV info 0x6907, total 40"
        );
        assert_eq!(&img[41..45], &[0x10, 0, 32, 0], "SHA256 TLV header");
        assert_eq!(img.len(), 32 + 5 + 40);
        let info = parse_image(&img).unwrap();
        assert_eq!(info.version.to_string(), "2.1.3");
        assert_eq!(info.total_len, img.len());
    }

    #[test]
    fn every_payload_or_header_bit_flip_is_caught() {
        let img = build_image(ImageVersion::new(1, 0, 0), &[0xa5; 64]);
        for byte in 0..32 + 64 {
            for bit in 0..8 {
                let mut bad = img.clone();
                bad[byte] ^= 1 << bit;
                assert!(
                    parse_image(&bad).is_err(),
                    "flip at byte {byte} bit {bit} accepted"
                );
            }
        }
    }

    #[test]
    fn truncated_and_foreign_bytes_are_refused() {
        let img = build_image(ImageVersion::new(1, 0, 0), &[1; 100]);
        assert!(matches!(
            parse_image(&img[..img.len() - 1]),
            Err(ImageError::Truncated { .. })
        ));
        assert!(matches!(
            parse_image(&[0u8; 64]),
            Err(ImageError::BadMagic(0))
        ));
        assert_eq!(parse_image(&[1, 2]), Err(ImageError::TooShort(2)));
        assert_eq!(
            ImageVersion::parse("2.0.0"),
            Some(ImageVersion::new(2, 0, 0))
        );
        assert_eq!(ImageVersion::parse("2.0"), None);
    }
}
