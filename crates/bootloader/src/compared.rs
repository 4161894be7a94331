//! What a check of `validate` compared, as data: the digest it computed and the one the image
//! carries, the image's key hash and the keys the bootloader trusts, the image's security
//! counter and the NV counter. A check's `detail` says the same in words; a view that shows
//! the values (a checklist, a trace) reads them here instead of taking the words apart.

use crate::image::hex;
use serde::{Serialize, Serializer};

/// A SHA-256 value: 32 bytes, shown as hex (shortened on screen, in full in data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sha256Value(pub [u8; 32]);

impl Sha256Value {
    /// The full 64 hex digits.
    pub fn hex(&self) -> String {
        hex(&self.0)
    }

    /// The first 8 bytes in hex and an ellipsis: enough to tell two digests apart on screen.
    pub fn short(&self) -> String {
        format!("{}…", hex(&self.0[..8]))
    }
}

impl Serialize for Sha256Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hex())
    }
}

/// A key the bootloader trusts, by name and by the hash MCUboot's KEYHASH TLV would hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrustedKey {
    pub name: &'static str,
    pub hash: Sha256Value,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "compared", rename_all = "kebab-case")]
pub enum Compared {
    /// The SHA-256 over header, payload and protected TLVs, and the one the SHA256 TLV holds
    /// (`None` when the TLV is missing or is not 32 bytes long).
    Digests {
        computed: Sha256Value,
        expected: Option<Sha256Value>,
    },
    /// The image's KEYHASH TLV (`None` when missing or not 32 bytes) and the keys built into
    /// the bootloader.
    KeyHashes {
        image: Option<Sha256Value>,
        trusted: Vec<TrustedKey>,
    },
    /// The image's security counter (`None` when its SEC_CNT TLV is missing) and the NV
    /// counter it must not be below (BOOT-7).
    Counters { image: Option<u32>, nv: u32 },
}

impl Sha256Value {
    /// The value of a TLV that should hold 32 bytes, when it does.
    pub(crate) fn of(bytes: Option<&[u8]>) -> Option<Sha256Value> {
        bytes
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(Sha256Value)
    }
}
