//! OMA LwM2M TLV (Content-Format 11542, LwM2M 1.1 TS Core §7.4.3): a type byte (what the
//! identifier names, the identifier's width, how the length is given), the identifier, the
//! length, then the value or nested TLVs.

use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    ObjectInstance,
    ResourceInstance,
    MultipleResource,
    Resource,
}

impl Kind {
    fn bits(self) -> u8 {
        match self {
            Kind::ObjectInstance => 0b00,
            Kind::ResourceInstance => 0b01,
            Kind::MultipleResource => 0b10,
            Kind::Resource => 0b11,
        }
    }

    fn from_bits(b: u8) -> Kind {
        match b & 0b11 {
            0b00 => Kind::ObjectInstance,
            0b01 => Kind::ResourceInstance,
            0b10 => Kind::MultipleResource,
            _ => Kind::Resource,
        }
    }

    /// Object instances and multiple resources hold TLVs; the others hold a value.
    pub fn nests(self) -> bool {
        matches!(self, Kind::ObjectInstance | Kind::MultipleResource)
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::ObjectInstance => "Object Instance",
            Kind::ResourceInstance => "Resource Instance",
            Kind::MultipleResource => "Multiple Resource",
            Kind::Resource => "Resource",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Value(Vec<u8>),
    Children(Vec<Tlv>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tlv {
    pub kind: Kind,
    pub id: u16,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlvError {
    Truncated { at: usize },
    TooLong { len: usize },
}

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlvError::Truncated { at } => write!(f, "TLV cut short at byte {at}"),
            TlvError::TooLong { len } => write!(f, "a TLV value of {len} bytes (at most 16777215)"),
        }
    }
}

impl Tlv {
    pub fn resource(id: u16, value: Vec<u8>) -> Tlv {
        Tlv {
            kind: Kind::Resource,
            id,
            body: Body::Value(value),
        }
    }

    pub fn multiple(id: u16, instances: Vec<(u16, Vec<u8>)>) -> Tlv {
        let children = instances
            .into_iter()
            .map(|(i, v)| Tlv {
                kind: Kind::ResourceInstance,
                id: i,
                body: Body::Value(v),
            })
            .collect();
        Tlv {
            kind: Kind::MultipleResource,
            id,
            body: Body::Children(children),
        }
    }

    pub fn instance(id: u16, resources: Vec<Tlv>) -> Tlv {
        Tlv {
            kind: Kind::ObjectInstance,
            id,
            body: Body::Children(resources),
        }
    }
}

pub fn encode(tlvs: &[Tlv]) -> Result<Vec<u8>, TlvError> {
    let mut out = Vec::new();
    for t in tlvs {
        let value = match &t.body {
            Body::Value(v) => v.clone(),
            Body::Children(c) => encode(c)?,
        };
        let len = value.len();
        if len > 0xff_ffff {
            return Err(TlvError::TooLong { len });
        }
        let wide_id = t.id > 0xff;
        let (len_type, len_bytes): (u8, Vec<u8>) = match len {
            0..=7 => (0, vec![]),
            8..=0xff => (1, vec![len as u8]),
            0x100..=0xffff => (2, (len as u16).to_be_bytes().to_vec()),
            _ => (3, (len as u32).to_be_bytes()[1..].to_vec()),
        };
        let type_byte = (t.kind.bits() << 6)
            | (u8::from(wide_id) << 5)
            | (len_type << 3)
            | if len_type == 0 { len as u8 } else { 0 };
        out.push(type_byte);
        if wide_id {
            out.extend_from_slice(&t.id.to_be_bytes());
        } else {
            out.push(t.id as u8);
        }
        out.extend_from_slice(&len_bytes);
        out.extend_from_slice(&value);
    }
    Ok(out)
}

pub fn decode(bytes: &[u8]) -> Result<Vec<Tlv>, TlvError> {
    decode_at(bytes, 0)
}

fn decode_at(bytes: &[u8], base: usize) -> Result<Vec<Tlv>, TlvError> {
    let mut out = Vec::new();
    let mut i = 0;
    let take = |i: usize, n: usize| {
        bytes
            .get(i..i + n)
            .ok_or(TlvError::Truncated { at: base + i })
    };
    while i < bytes.len() {
        let t = bytes[i];
        i += 1;
        let kind = Kind::from_bits(t >> 6);
        let id_len = if t & 0x20 != 0 { 2 } else { 1 };
        let id = take(i, id_len)?
            .iter()
            .fold(0u16, |a, &b| (a << 8) | u16::from(b));
        i += id_len;
        let len_len = usize::from((t >> 3) & 0b11);
        let len = if len_len == 0 {
            usize::from(t & 0b111)
        } else {
            take(i, len_len)?
                .iter()
                .fold(0usize, |a, &b| (a << 8) | usize::from(b))
        };
        i += len_len;
        let value = take(i, len)?;
        let body = if kind.nests() {
            Body::Children(decode_at(value, base + i)?)
        } else {
            Body::Value(value.to_vec())
        };
        i += len;
        out.push(Tlv { kind, id, body });
    }
    Ok(out)
}

/// An integer value in the fewest of 1, 2, 4 or 8 bytes, big-endian two's complement.
pub fn int(v: i64) -> Vec<u8> {
    if let Ok(b) = i8::try_from(v) {
        b.to_be_bytes().to_vec()
    } else if let Ok(s) = i16::try_from(v) {
        s.to_be_bytes().to_vec()
    } else if let Ok(w) = i32::try_from(v) {
        w.to_be_bytes().to_vec()
    } else {
        v.to_be_bytes().to_vec()
    }
}

pub fn int_value(b: &[u8]) -> Option<i64> {
    Some(match b.len() {
        1 => i64::from(i8::from_be_bytes([b[0]])),
        2 => i64::from(i16::from_be_bytes([b[0], b[1]])),
        4 => i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        8 => i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example_single_resources() {
        // TS Core §7.4.3.2 style: resource 0 string "Open Mobile Alliance".
        let t = Tlv::resource(0, b"Open Mobile Alliance".to_vec());
        let bytes = encode(std::slice::from_ref(&t)).unwrap();
        assert_eq!(&bytes[..3], &[0xc8, 0x00, 0x14]);
        assert_eq!(decode(&bytes).unwrap(), vec![t]);
        // Resource 3 with a 1-byte integer: length in the type byte.
        assert_eq!(
            encode(&[Tlv::resource(3, int(2))]).unwrap(),
            vec![0xc1, 0x03, 0x02]
        );
    }

    #[test]
    fn nested_multiple_resource_and_wide_ids() {
        let t = Tlv::instance(
            0,
            vec![
                Tlv::multiple(8, vec![(0, int(0)), (1, int(1))]),
                Tlv::resource(300, vec![1; 300]),
            ],
        );
        let bytes = encode(std::slice::from_ref(&t)).unwrap();
        assert_eq!(decode(&bytes).unwrap(), vec![t]);
        assert_eq!(bytes[0] >> 6, 0b00, "object instance");
    }

    #[test]
    fn integers_use_the_fewest_bytes_and_round_trip() {
        for v in [
            0i64,
            -1,
            127,
            -128,
            128,
            32767,
            65536,
            i64::from(i32::MAX) + 1,
            i64::MIN,
        ] {
            assert_eq!(int_value(&int(v)), Some(v));
        }
        assert_eq!(int(300).len(), 2);
        assert_eq!(int_value(&[1, 2, 3]), None);
    }

    #[test]
    fn truncated_input_is_an_error() {
        assert_eq!(decode(&[0xc8, 0x00]), Err(TlvError::Truncated { at: 2 }));
        assert!(decode(&[0x08, 0x00, 0x05, 0xc1]).is_err());
    }
}
