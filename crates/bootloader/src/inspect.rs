//! A tolerant reading of an image's header and TLVs for people (the CLI's `image inspect`, the
//! UI's bootloader view): it lists whatever is there, valid or not; `validate` judges.

use crate::image::{hex, HEADER_SIZE, TLV_INFO_MAGIC, TLV_PROT_INFO_MAGIC};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TlvEntry {
    /// "protected" (0x6908) or "unprotected" (0x6907).
    pub block: &'static str,
    pub kind: u16,
    pub name: &'static str,
    pub len: usize,
    pub value_hex: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Layout {
    pub header: Vec<Field>,
    pub tlvs: Vec<TlvEntry>,
}

pub fn tlv_name(kind: u16) -> &'static str {
    match kind {
        0x01 => "KEYHASH",
        0x02 => "PUBKEY",
        0x10 => "SHA256",
        0x11 => "SHA384",
        0x12 => "SHA512",
        0x20 => "RSA2048_PSS",
        0x22 => "ECDSA_SIG",
        0x23 => "RSA3072_PSS",
        0x24 => "ED25519",
        0x25 => "SIG_PURE",
        0x40 => "DEPENDENCY",
        0x50 => "SEC_CNT",
        0x60 => "BOOT_RECORD",
        _ => "unknown",
    }
}

pub fn layout(bytes: &[u8]) -> Layout {
    let le16 = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let le32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut header = Vec::new();
    if bytes.len() >= HEADER_SIZE {
        let mut field = |name, value: String| header.push(Field { name, value });
        field("ih_magic", format!("0x{:08x}", le32(0).unwrap_or(0)));
        field("ih_load_addr", format!("0x{:08x}", le32(4).unwrap_or(0)));
        field("ih_hdr_size", le16(8).unwrap_or(0).to_string());
        field("ih_protect_tlv_size", le16(10).unwrap_or(0).to_string());
        field("ih_img_size", le32(12).unwrap_or(0).to_string());
        field("ih_flags", format!("0x{:08x}", le32(16).unwrap_or(0)));
        field(
            "ih_ver",
            format!(
                "{}.{}.{}+{}",
                bytes[20],
                bytes[21],
                le16(22).unwrap_or(0),
                le32(24).unwrap_or(0)
            ),
        );
    }
    let mut tlvs = Vec::new();
    let hashed_end = le16(8).zip(le32(12)).zip(le16(10)).and_then(|((h, i), p)| {
        usize::from(h)
            .checked_add(i as usize)?
            .checked_add(usize::from(p))
    });
    let protect = le16(10).map_or(0, usize::from);
    if let Some(end) = hashed_end {
        let mut at = if protect > 0 {
            end.saturating_sub(protect)
        } else {
            end
        };
        for _ in 0..2 {
            let (Some(magic), Some(total)) = (le16(at), le16(at + 2)) else {
                break;
            };
            let block = match magic {
                TLV_PROT_INFO_MAGIC => "protected",
                TLV_INFO_MAGIC => "unprotected",
                _ => break,
            };
            let block_end = (at + usize::from(total)).min(bytes.len());
            let mut i = at + 4;
            while i + 4 <= block_end {
                let (kind, len) = (le16(i).unwrap_or(0), usize::from(le16(i + 2).unwrap_or(0)));
                let value = bytes
                    .get(i + 4..(i + 4 + len).min(block_end))
                    .unwrap_or(&[]);
                tlvs.push(TlvEntry {
                    block,
                    kind,
                    name: tlv_name(kind),
                    len,
                    value_hex: hex(value),
                });
                i += 4 + len;
            }
            at = block_end;
        }
    }
    Layout { header, tlvs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ImageBuilder, ImageVersion};

    #[test]
    fn lists_header_fields_and_every_tlv_in_order() {
        let img = ImageBuilder::new(ImageVersion::new(1, 2, 3))
            .security_counter(7)
            .build();
        let l = layout(&img);
        assert_eq!(l.header[0].value, "0x96f3b83d");
        assert_eq!(l.header[6].value, "1.2.3+0");
        let names: Vec<_> = l.tlvs.iter().map(|t| (t.block, t.name)).collect();
        assert_eq!(
            names,
            [
                ("protected", "SEC_CNT"),
                ("unprotected", "SHA256"),
                ("unprotected", "KEYHASH"),
                ("unprotected", "ED25519")
            ]
        );
        assert_eq!(l.tlvs[0].value_hex, "07000000");
        // Garbage gives an empty layout, not a panic.
        assert_eq!(layout(&[0xff; 10]).tlvs.len(), 0);
        let _ = layout(&img[..img.len() - 7]);
    }
}
