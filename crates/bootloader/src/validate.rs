//! MCUboot's image validation: `validate` runs MCUboot's checks in order (header, sizes and
//! TLV layout, hash, key, signature, security counter, our manifest) and reports each one, so a
//! refusal can name the check that failed.

use crate::compared::{Compared, Sha256Value, TrustedKey};
use crate::image::{
    le16, le32, ImageVersion, HEADER_SIZE, IMAGE_MAGIC, TLV_ED25519, TLV_INFO_MAGIC, TLV_KEYHASH,
    TLV_PROT_INFO_MAGIC, TLV_SEC_CNT, TLV_SHA256,
};
use crate::keys::{key_hash, trusted_keys};
use crate::manifest::{Behaviour, Manifest};
use core::fmt;
use ed25519_dalek::Signature;
use serde::Serialize;

/// One check of `validate`, as MCUboot runs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
    /// What the hash, key and security counter checks compared, as values (the detail says
    /// it in words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared: Option<Compared>,
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

    /// The check that refused the image, for the boot log. `validate` ends every invalid
    /// verdict with the check that failed; only a verdict made by hand can lack one, and then
    /// the check says so.
    pub fn failed_check(&self) -> Check {
        self.failure().cloned().unwrap_or_else(|| Check {
            name: "verdict",
            ok: false,
            detail: self.to_string(),
            compared: None,
        })
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

/// How many verdicts `validate` remembers: an update judges two images (the old and the new),
/// each a few times, and a page shows both slots.
const REMEMBERED: usize = 4;

/// A verdict with the exact bytes of the image (to the end of its TLVs) and the counter it
/// judged.
type Remembered = (std::rc::Rc<[u8]>, u32, Verdict);

std::thread_local! {
    /// The last verdicts, the newest first.
    static RECENT: std::cell::RefCell<Vec<Remembered>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs MCUboot's checks on the image at the start of `bytes` (what follows it, such as erased
/// flash, is ignored): header, sizes and TLV layout, hash, key, signature, security counter
/// against `min_security_counter`, and our manifest.
///
/// The verdict is a function of the bytes and the counter alone, and one image is judged many
/// times in a run (the download's check, the boot's, the primary after the swap, the panels).
/// A simulator may remember what a device could not: a verdict given before for the same bytes
/// (compared whole, so nothing can collide) and counter is given again without hashing and
/// verifying again. Nothing on the wire or in a boot decision changes.
pub fn validate(bytes: &[u8], min_security_counter: u32) -> Verdict {
    // An image whose header and TLVs do not say where it ends fails before any hashing: no
    // need to remember it. One that does is remembered by its own bytes, not the slot's.
    let Some(end) = extent(bytes) else {
        return judge(bytes, min_security_counter, fota_digest::sha256);
    };
    let image = &bytes[..end];
    let seen = RECENT.with(|r| {
        r.borrow()
            .iter()
            .find(|(b, min, _)| *min == min_security_counter && **b == *image)
            .map(|(_, _, v)| v.clone())
    });
    if let Some(verdict) = seen {
        return verdict;
    }
    let verdict = judge(bytes, min_security_counter, fota_digest::sha256);
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        r.insert(
            0,
            (
                std::rc::Rc::from(image),
                min_security_counter,
                verdict.clone(),
            ),
        );
        r.truncate(REMEMBERED);
    });
    verdict
}

/// Where the image at the start of `bytes` ends (after its TLVs), when its header and TLV
/// blocks say so: what `judge` reads of it. None for bytes `judge` refuses before hashing.
fn extent(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < HEADER_SIZE || le32(bytes, 0) != IMAGE_MAGIC {
        return None;
    }
    let end = usize::from(le16(bytes, 8))
        .checked_add(le32(bytes, 12) as usize)?
        .checked_add(usize::from(le16(bytes, 10)))?;
    if end > bytes.len() {
        return None;
    }
    tlv_block(bytes, end, TLV_INFO_MAGIC, bytes.len()).map(|(tlv_end, _)| tlv_end)
}

/// Forgets the verdicts `validate` remembers and the digests behind them: a measure of one run
/// starts as a device does.
pub fn forget_verdicts() {
    RECENT.with(|r| r.borrow_mut().clear());
    fota_digest::forget();
}

/// The bytes the hash check covers, header and payload and protected TLVs, as the header says
/// (0 when it cannot say).
pub fn hashed_len(bytes: &[u8]) -> usize {
    if bytes.len() < HEADER_SIZE || le32(bytes, 0) != IMAGE_MAGIC {
        return 0;
    }
    (usize::from(le16(bytes, 8)) + le32(bytes, 12) as usize + usize::from(le16(bytes, 10)))
        .min(bytes.len())
}

/// The checks themselves, every time (what `validate` remembers; a floor to measure against).
pub fn validate_afresh(bytes: &[u8], min_security_counter: u32) -> Verdict {
    judge(bytes, min_security_counter, fota_digest::sha256_afresh)
}

/// `sha256` hashes the image: remembering, or afresh.
fn judge(bytes: &[u8], min_security_counter: u32, sha256: fn(&[u8]) -> [u8; 32]) -> Verdict {
    let mut checks = Vec::new();
    let mut check = |name: &'static str, result: Result<String, String>, compared| {
        let ok = result.is_ok();
        checks.push(Check {
            name,
            ok,
            detail: result.unwrap_or_else(|e| e),
            compared,
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
    if !check("header", header, None) {
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
                None,
            );
            l
        }
        Err(e) => {
            check("sizes", Err(e), None);
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
    let computed = Sha256Value(sha256(&bytes[..hashed_end]));
    let digest = computed.0;
    let tlv = find(&unprotected, TLV_SHA256);
    let expected = Sha256Value::of(tlv.as_deref());
    let hash = match (&tlv, expected) {
        (None, _) => Err(format!(
            "computed SHA-256 {}, but the image has no SHA256 TLV to compare it with",
            computed.short()
        )),
        (Some(v), None) => Err(format!("SHA256 TLV of {} bytes", v.len())),
        (Some(_), Some(e)) if e != computed => Err(format!(
            "computed SHA-256 {} of header, payload and protected TLVs, but the SHA256 TLV says {}",
            computed.short(),
            e.short()
        )),
        (Some(_), Some(_)) => Ok(format!(
            "computed SHA-256 {}, the same as the SHA256 TLV",
            computed.short()
        )),
    };
    let digests = Compared::Digests { computed, expected };
    if !check("hash", hash, Some(digests)) {
        return fail(checks);
    }

    // 4. key
    let keyhash = find(&unprotected, TLV_KEYHASH);
    let trusted: Vec<(TrustedKey, _)> = trusted_keys()
        .into_iter()
        .map(|(name, key)| {
            let hash = Sha256Value(key_hash(&key));
            (TrustedKey { name, hash }, key)
        })
        .collect();
    let found = trusted
        .iter()
        .find(|(t, _)| keyhash.as_deref() == Some(&t.hash.0[..]));
    let key = found.map(|(_, k)| *k);
    let said: Vec<String> = trusted
        .iter()
        .map(|(t, _)| format!("{} {}", t.name, t.hash.short()))
        .collect();
    let image_hash = Sha256Value::of(keyhash.as_deref());
    let key_check = match (&keyhash, image_hash, found) {
        (None, _, _) => Err("no KEYHASH TLV".to_string()),
        (Some(h), None, _) => Err(format!("KEYHASH TLV of {} bytes", h.len())),
        (Some(_), Some(h), None) => Err(format!(
            "KEYHASH {} is none of the trusted keys ({}): signed with a key this device does not trust",
            h.short(),
            said.join(", ")
        )),
        (Some(_), Some(h), Some((t, _))) => Ok(format!(
            "KEYHASH {} is the {} key's, which the bootloader trusts",
            h.short(),
            t.name
        )),
    };
    let hashes = Compared::KeyHashes {
        image: image_hash,
        trusted: trusted.into_iter().map(|(t, _)| t).collect(),
    };
    if !check("key", key_check, Some(hashes)) {
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
    if !check("signature", signature, None) {
        return fail(checks);
    }

    // 6. security counter
    let counter = find(&protected, TLV_SEC_CNT)
        .and_then(|v| <[u8; 4]>::try_from(&v[..]).ok())
        .map(u32::from_le_bytes);
    let counter_check = match counter {
        None => Err("no SEC_CNT TLV in the protected block".to_string()),
        Some(c) if c < min_security_counter => Err(format!(
            "the image's security counter {c} is below the NV counter's {min_security_counter} (downgrade)"
        )),
        Some(c) => Ok(format!(
            "the image's {c} is not below the NV counter's {min_security_counter}"
        )),
    };
    let counters = Compared::Counters {
        image: counter,
        nv: min_security_counter,
    };
    if !check("security counter", counter_check, Some(counters)) {
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
    if !check("manifest", manifest_check, None) {
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
