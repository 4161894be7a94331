//! MCUboot's signed image format, byte for byte (reference/mcuboot.md §1.1, SPEC BOOT-1): a
//! 32-byte little-endian header, the payload (starting with our manifest), a protected TLV block
//! (0x6908: SEC_CNT) covered by the hash, and an unprotected block (0x6907: SHA256, KEYHASH,
//! ED25519 over the SHA-256 digest). `validate` runs MCUboot's checks in order and reports
//! each one.

use crate::keys::{key_hash, trusted_keys, KeyChoice};
use crate::manifest::{Behaviour, Manifest};
use core::fmt;
use ed25519_dalek::{Signature, Signer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const IMAGE_MAGIC: u32 = 0x96f3_b83d;
pub const HEADER_SIZE: usize = 32;
pub const TLV_INFO_MAGIC: u16 = 0x6907;
pub const TLV_PROT_INFO_MAGIC: u16 = 0x6908;
pub const TLV_KEYHASH: u16 = 0x01;
pub const TLV_SHA256: u16 = 0x10;
pub const TLV_ED25519: u16 = 0x24;
pub const TLV_SEC_CNT: u16 = 0x50;

/// Protected block: info header + SEC_CNT record.
const PROTECTED_SIZE: usize = 4 + 4 + 4;
/// Unprotected block: info header + SHA256, KEYHASH and ED25519 records.
const UNPROTECTED_SIZE: usize = 4 + (4 + 32) + (4 + 32) + (4 + 64);

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

/// Builds signed images as imgtool would (`--header-size 32 --security-counter N`).
#[derive(Clone, Debug)]
pub struct ImageBuilder {
    version: ImageVersion,
    security_counter: u32,
    behaviour: Behaviour,
    key: KeyChoice,
    body: Vec<u8>,
}

impl ImageBuilder {
    pub fn new(version: ImageVersion) -> ImageBuilder {
        ImageBuilder {
            version,
            security_counter: 0,
            behaviour: Behaviour::Healthy,
            key: KeyChoice::Sandbox,
            body: Vec::new(),
        }
    }

    pub fn security_counter(mut self, n: u32) -> Self {
        self.security_counter = n;
        self
    }

    pub fn behaviour(mut self, b: Behaviour) -> Self {
        self.behaviour = b;
        self
    }

    pub fn key(mut self, k: KeyChoice) -> Self {
        self.key = k;
        self
    }

    /// The firmware itself, after the manifest.
    pub fn body(mut self, body: &[u8]) -> Self {
        self.body = body.to_vec();
        self
    }

    fn manifest(&self) -> Manifest {
        Manifest {
            version: self.version.to_string(),
            behaviour: self.behaviour,
        }
    }

    /// Bytes of the image that are not body: header, manifest and both TLV blocks. An image of
    /// `n` bytes in all has a body of `n - overhead()`.
    pub fn overhead(&self) -> usize {
        HEADER_SIZE + self.manifest().len() + PROTECTED_SIZE + UNPROTECTED_SIZE
    }

    pub fn build(&self) -> Vec<u8> {
        let mut payload = self.manifest().encode();
        payload.extend_from_slice(&self.body);
        let mut out =
            Vec::with_capacity(payload.len() + HEADER_SIZE + PROTECTED_SIZE + UNPROTECTED_SIZE);
        out.extend_from_slice(&IMAGE_MAGIC.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes()); // load address
        out.extend_from_slice(&(HEADER_SIZE as u16).to_le_bytes());
        out.extend_from_slice(&(PROTECTED_SIZE as u16).to_le_bytes());
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes()); // flags
        out.push(self.version.major);
        out.push(self.version.minor);
        out.extend_from_slice(&self.version.revision.to_le_bytes());
        out.extend_from_slice(&self.version.build.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes()); // pad
        out.extend_from_slice(&payload);
        out.extend_from_slice(&TLV_PROT_INFO_MAGIC.to_le_bytes());
        out.extend_from_slice(&(PROTECTED_SIZE as u16).to_le_bytes());
        tlv(&mut out, TLV_SEC_CNT, &self.security_counter.to_le_bytes());
        let digest: [u8; 32] = Sha256::digest(&out).into();
        let key = self.key.signing_key();
        let signature = key.sign(&digest);
        out.extend_from_slice(&TLV_INFO_MAGIC.to_le_bytes());
        out.extend_from_slice(&(UNPROTECTED_SIZE as u16).to_le_bytes());
        tlv(&mut out, TLV_SHA256, &digest);
        tlv(&mut out, TLV_KEYHASH, &key_hash(&key.verifying_key()));
        tlv(&mut out, TLV_ED25519, &signature.to_bytes());
        out
    }
}

fn tlv(out: &mut Vec<u8>, kind: u16, value: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    out.extend_from_slice(value);
}

/// A signed image of `version` whose body is `body` (sandbox key, healthy, counter 0).
pub fn build_image(version: ImageVersion, body: &[u8]) -> Vec<u8> {
    ImageBuilder::new(version).body(body).build()
}

/// One check of `validate`, as MCUboot runs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// What a valid image says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub version: ImageVersion,
    pub security_counter: u32,
    pub payload_len: usize,
    /// Header + payload + TLVs: the bytes that belong to the image in its slot.
    pub total_len: usize,
    pub sha256: [u8; 32],
    pub manifest: Manifest,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The checks run, in order; the last one failed when the image is invalid.
    pub checks: Vec<Check>,
    pub info: Option<ImageInfo>,
}

impl Verdict {
    pub fn valid(&self) -> bool {
        self.info.is_some()
    }

    pub fn failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }

    /// True when the bytes are not an image of ours at all or are a downgrade (FU-D6), as
    /// opposed to an image of ours that is damaged or badly signed (FU-D5).
    pub fn is_foreign_or_downgrade(&self) -> bool {
        self.failure()
            .is_some_and(|c| matches!(c.name, "header" | "security counter" | "manifest"))
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.failure(), &self.info) {
            (Some(c), _) => write!(f, "{} check failed: {}", c.name, c.detail),
            (None, Some(i)) => write!(
                f,
                "valid image {} (security counter {})",
                i.version, i.security_counter
            ),
            (None, None) => write!(f, "no verdict"),
        }
    }
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// A TLV record: its type and value.
type Record<'a> = (u16, &'a [u8]);

/// The end and the records of the TLV block starting at `at` with info magic `magic`; `None`
/// when the block is missing or runs past `end`.
fn tlv_block(b: &[u8], at: usize, magic: u16, end: usize) -> Option<(usize, Vec<Record<'_>>)> {
    if at.checked_add(4)? > end || le16(b, at) != magic {
        return None;
    }
    let total = usize::from(le16(b, at + 2));
    let block_end = at.checked_add(total)?;
    if total < 4 || block_end > end {
        return None;
    }
    let mut records = Vec::new();
    let mut i = at + 4;
    while i < block_end {
        if i + 4 > block_end {
            return None;
        }
        let (kind, len) = (le16(b, i), usize::from(le16(b, i + 2)));
        let value = b
            .get(i + 4..i + 4 + len)
            .filter(|_| i + 4 + len <= block_end)?;
        records.push((kind, value));
        i += 4 + len;
    }
    Some((block_end, records))
}

/// Runs MCUboot's checks on the image at the start of `bytes` (what follows it, such as erased
/// flash, is ignored): header, sizes and TLV layout, hash, key, signature, security counter
/// against `min_security_counter`, and our manifest.
pub fn validate(bytes: &[u8], min_security_counter: u32) -> Verdict {
    let mut checks = Vec::new();
    let mut check = |name: &'static str, result: Result<String, String>| {
        let ok = result.is_ok();
        checks.push(Check {
            name,
            ok,
            detail: result.unwrap_or_else(|e| e),
        });
        ok
    };
    let fail = |checks: Vec<Check>| Verdict { checks, info: None };

    // 1. header
    let header = if bytes.len() < HEADER_SIZE {
        Err(format!(
            "{} bytes is shorter than the 32-byte header",
            bytes.len()
        ))
    } else if le32(bytes, 0) != IMAGE_MAGIC {
        Err(format!(
            "magic 0x{:08x}, expected 0x{IMAGE_MAGIC:08x}",
            le32(bytes, 0)
        ))
    } else if usize::from(le16(bytes, 8)) < HEADER_SIZE {
        Err(format!("header size {} is below 32", le16(bytes, 8)))
    } else {
        Ok(format!(
            "magic 0x{IMAGE_MAGIC:08x}, header size {}",
            le16(bytes, 8)
        ))
    };
    if !check("header", header) {
        return fail(checks);
    }
    let hdr_size = usize::from(le16(bytes, 8));
    let protect_size = usize::from(le16(bytes, 10));
    let img_size = le32(bytes, 12) as usize;
    let version = ImageVersion {
        major: bytes[20],
        minor: bytes[21],
        revision: le16(bytes, 22),
        build: le32(bytes, 24),
    };

    // 2. sizes and TLV layout
    let hashed_end = hdr_size
        .checked_add(img_size)
        .and_then(|n| n.checked_add(protect_size));
    let layout = match hashed_end {
        None => Err("header sizes overflow".to_string()),
        Some(end) if end > bytes.len() => Err(format!(
            "the image needs {end} bytes, only {} present",
            bytes.len()
        )),
        Some(end) => {
            let protected = if protect_size == 0 {
                Some((end, Vec::new()))
            } else {
                tlv_block(bytes, end - protect_size, TLV_PROT_INFO_MAGIC, end)
                    .filter(|(e, _)| *e == end)
            };
            match (
                protected,
                tlv_block(bytes, end, TLV_INFO_MAGIC, bytes.len()),
            ) {
                (None, _) => {
                    Err("the protected TLV block (0x6908) is missing or malformed".to_string())
                }
                (_, None) => Err(
                    "the TLV block (0x6907) is missing, malformed or runs past the end".to_string(),
                ),
                (Some((_, p)), Some((tlv_end, u))) => Ok((end, tlv_end, p, u)),
            }
        }
    };
    let (hashed_end, tlv_end, protected, unprotected) = match layout {
        Ok(l) => {
            check(
                "sizes",
                Ok(format!("payload {img_size} bytes, TLVs end at {}", l.1)),
            );
            l
        }
        Err(e) => {
            check("sizes", Err(e));
            return fail(checks);
        }
    };
    let find = |records: &[Record], kind: u16| {
        records
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v.to_vec())
    };

    // 3. hash
    let digest: [u8; 32] = Sha256::digest(&bytes[..hashed_end]).into();
    let hash = match find(&unprotected, TLV_SHA256) {
        None => Err("no SHA256 TLV".to_string()),
        Some(v) if v.len() != 32 => Err(format!("SHA256 TLV of {} bytes", v.len())),
        Some(v) if v[..] != digest[..] => {
            Err("SHA-256 of header, payload and protected TLVs does not match".to_string())
        }
        Some(_) => Ok(format!("SHA-256 {}", hex(&digest[..8]))),
    };
    if !check("hash", hash) {
        return fail(checks);
    }

    // 4. key
    let keyhash = find(&unprotected, TLV_KEYHASH);
    let key = trusted_keys()
        .into_iter()
        .find(|k| keyhash.as_deref() == Some(&key_hash(k)[..]));
    let key_check = match (&keyhash, &key) {
        (None, _) => Err("no KEYHASH TLV".to_string()),
        (Some(_), None) => Err("signed with a key the bootloader does not trust".to_string()),
        (Some(h), Some(_)) => Ok(format!("sandbox key {}", hex(&h[..8]))),
    };
    if !check("key", key_check) {
        return fail(checks);
    }

    // 5. signature
    let signature = match (key, find(&unprotected, TLV_ED25519)) {
        (_, None) => Err("no ED25519 TLV".to_string()),
        (Some(key), Some(sig)) => match <[u8; 64]>::try_from(&sig[..]) {
            Ok(sig)
                if key
                    .verify_strict(&digest, &Signature::from_bytes(&sig))
                    .is_ok() =>
            {
                Ok("Ed25519 signature over the digest verifies".to_string())
            }
            Ok(_) => Err("the Ed25519 signature does not verify".to_string()),
            Err(_) => Err(format!("ED25519 TLV of {} bytes", sig.len())),
        },
        (None, Some(_)) => Err("no trusted key".to_string()),
    };
    if !check("signature", signature) {
        return fail(checks);
    }

    // 6. security counter
    let counter = find(&protected, TLV_SEC_CNT)
        .and_then(|v| <[u8; 4]>::try_from(&v[..]).ok())
        .map(u32::from_le_bytes);
    let counter_check = match counter {
        None => Err("no SEC_CNT TLV in the protected block".to_string()),
        Some(c) if c < min_security_counter => Err(format!(
            "security counter {c} is below the device's {min_security_counter} (downgrade)"
        )),
        Some(c) => Ok(format!("{c} >= {min_security_counter}")),
    };
    if !check("security counter", counter_check) {
        return fail(checks);
    }

    // 7. our manifest
    let manifest = Manifest::decode(&bytes[hdr_size..hdr_size + img_size]);
    let manifest_check = match &manifest {
        Ok(m) if m.version != version.to_string() => Err(format!(
            "manifest says {} but the header says {version}",
            m.version
        )),
        Ok(m) => Ok(format!(
            "version {}, behaviour {}",
            m.version,
            m.behaviour.name()
        )),
        Err(e) => Err(e.to_string()),
    };
    if !check("manifest", manifest_check) {
        return fail(checks);
    }
    Verdict {
        checks,
        info: Some(ImageInfo {
            version,
            security_counter: counter.unwrap_or(0),
            payload_len: img_size,
            total_len: tlv_end,
            sha256: digest,
            manifest: manifest.unwrap_or_else(|_| Manifest {
                version: String::new(),
                behaviour: Behaviour::Healthy,
            }),
        }),
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> Vec<u8> {
        ImageBuilder::new(ImageVersion::new(2, 1, 3))
            .security_counter(5)
            .body(&[0xa5; 100])
            .build()
    }

    #[test]
    fn boot1_header_and_tlvs_byte_for_byte() {
        let img = image();
        let payload_len = 7 + 5 + 100;
        assert_eq!(
            &img[0..4],
            &[0x3d, 0xb8, 0xf3, 0x96],
            "magic 0x96f3b83d little-endian"
        );
        assert_eq!(&img[8..10], &[32, 0], "ih_hdr_size");
        assert_eq!(&img[10..12], &[12, 0], "ih_protect_tlv_size");
        assert_eq!(le32(&img, 12) as usize, payload_len, "ih_img_size");
        assert_eq!(&img[20..24], &[2, 1, 3, 0], "ih_ver major, minor, revision");
        assert_eq!(
            &img[32..36],
            b"SBXF",
            "the payload starts with the manifest"
        );
        let prot = 32 + payload_len;
        assert_eq!(
            &img[prot..prot + 12],
            &[0x08, 0x69, 12, 0, 0x50, 0, 4, 0, 5, 0, 0, 0],
            "0x6908 with SEC_CNT 5"
        );
        let unprot = prot + 12;
        assert_eq!(&img[unprot..unprot + 4], &[0x07, 0x69, 144, 0]);
        assert_eq!(
            &img[unprot + 4..unprot + 8],
            &[0x10, 0, 32, 0],
            "SHA256 first"
        );
        assert_eq!(
            &img[unprot + 40..unprot + 44],
            &[0x01, 0, 32, 0],
            "then KEYHASH"
        );
        assert_eq!(
            &img[unprot + 76..unprot + 80],
            &[0x24, 0, 64, 0],
            "then ED25519"
        );
        assert_eq!(
            img.len(),
            ImageBuilder::new(ImageVersion::new(2, 1, 3)).overhead() + 100
        );
        let v = validate(&img, 0);
        assert!(v.valid(), "{v}");
        let names: Vec<_> = v.checks.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "header",
                "sizes",
                "hash",
                "key",
                "signature",
                "security counter",
                "manifest"
            ]
        );
        assert_eq!(v.info.unwrap().security_counter, 5);
    }

    #[test]
    fn every_bit_flip_outside_the_payload_and_a_sample_inside_is_rejected() {
        let img = image();
        let payload = 32..32 + 112;
        let mut flips = 0;
        for byte in (0..img.len()).filter(|b| !payload.contains(b) || b % 7 == 0) {
            for bit in 0..8 {
                let mut bad = img.clone();
                bad[byte] ^= 1 << bit;
                // The load address, flags and pad are not checked by MCUboot either, but the
                // hash covers them.
                assert!(
                    !validate(&bad, 0).valid(),
                    "flip at byte {byte} bit {bit} accepted"
                );
                flips += 1;
            }
        }
        assert!(flips > 1500, "{flips} flips");
    }

    #[test]
    fn the_first_failing_check_is_named() {
        let first_failure = |bytes: &[u8], min| validate(bytes, min).failure().map(|c| c.name);
        let img = image();
        assert_eq!(first_failure(&img[..20], 0), Some("header"));
        assert_eq!(first_failure(&img[..img.len() - 1], 0), Some("sizes"));
        let unknown = ImageBuilder::new(ImageVersion::new(2, 1, 3))
            .key(KeyChoice::Unknown)
            .build();
        assert_eq!(first_failure(&unknown, 0), Some("key"));
        assert_eq!(first_failure(&img, 6), Some("security counter"));
        // Header sizes that overflow.
        let mut huge = img.clone();
        huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(first_failure(&huge, 0), Some("sizes"));
        // A signature that does not verify (flip inside the signature).
        let mut sig = img.clone();
        let n = sig.len();
        sig[n - 1] ^= 1;
        assert_eq!(first_failure(&sig, 0), Some("signature"));
        assert!(validate(&unknown, 0).failure().is_some_and(|c| !c.ok));
        assert!(validate(&img, 6).is_foreign_or_downgrade());
        assert!(!validate(&sig, 0).is_foreign_or_downgrade());
    }
}
