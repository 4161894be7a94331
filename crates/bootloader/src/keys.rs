//! Signing keys. The sandbox key is derived from a fixed seed, so every build signs the same
//! way and nothing needs an OS random source; the "unknown" key stands for an attacker's or a
//! wrong vendor's key that the bootloader does not trust.

use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Which key signs an image: `sandbox` (trusted) or `unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum KeyChoice {
    Sandbox,
    Unknown,
}

impl KeyChoice {
    pub fn name(self) -> &'static str {
        match self {
            KeyChoice::Sandbox => "sandbox",
            KeyChoice::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<KeyChoice> {
        [KeyChoice::Sandbox, KeyChoice::Unknown]
            .into_iter()
            .find(|k| k.name() == text)
    }

    pub fn signing_key(self) -> SigningKey {
        let seed: [u8; 32] = Sha256::digest(match self {
            KeyChoice::Sandbox => &b"fota-sandbox signing key 1"[..],
            KeyChoice::Unknown => &b"fota-sandbox untrusted key 1"[..],
        })
        .into();
        SigningKey::from_bytes(&seed)
    }
}

/// DER SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): MCUboot's KEYHASH is the
/// SHA-256 of this prefix followed by the 32 key bytes.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

pub fn key_hash(key: &VerifyingKey) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(ED25519_SPKI_PREFIX);
    h.update(key.as_bytes());
    h.finalize().into()
}

/// The keys built into the bootloader, by name: only the sandbox key. It is derived once:
/// every boot validates, and the power-cut sweeps boot hundreds of thousands of times.
pub fn trusted_keys() -> Vec<(&'static str, VerifyingKey)> {
    static SANDBOX: std::sync::OnceLock<VerifyingKey> = std::sync::OnceLock::new();
    let key = SANDBOX.get_or_init(|| KeyChoice::Sandbox.signing_key().verifying_key());
    vec![(KeyChoice::Sandbox.name(), *key)]
}
