//! Writing signed images as imgtool would: header, manifest and body, the protected SEC_CNT
//! block, then the hash, key hash and Ed25519 signature.

use crate::image::{
    ImageVersion, HEADER_SIZE, IMAGE_MAGIC, PROTECTED_SIZE, TLV_ED25519, TLV_INFO_MAGIC,
    TLV_KEYHASH, TLV_PROT_INFO_MAGIC, TLV_SEC_CNT, TLV_SHA256, UNPROTECTED_SIZE,
};
use crate::keys::{key_hash, KeyChoice};
use crate::manifest::{Behaviour, Manifest};
use ed25519_dalek::Signer;

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
        let digest = fota_digest::sha256(&out);
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
