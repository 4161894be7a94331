//! Plain CBOR (Content-Format 60) as LwM2M 1.1 §7.3.6 uses it: one resource's value as one
//! CBOR data item, no names around it. A client built without text/plain (Anjay with
//! `ANJAY_WITHOUT_PLAINTEXT`) answers a single resource's Read this way when no Accept is
//! named, and refuses text/plain with 4.06.

use crate::senml::Value;
use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CborError(pub String);

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CBOR: {}", self.0)
    }
}

/// The value of a single resource: an integer, a float, a boolean, a text string (String,
/// Objlnk as "object:instance"), a byte string (Opaque), or a Time as tag 1 around an
/// integer or a float.
pub fn decode_value(bytes: &[u8]) -> Result<Value, CborError> {
    use minicbor::data::{Tag, Type};
    let bad = |e: minicbor::decode::Error| CborError(e.to_string());
    let mut d = minicbor::Decoder::new(bytes);
    if d.datatype().map_err(bad)? == Type::Tag {
        let tag = d.tag().map_err(bad)?;
        if tag != Tag::new(1) {
            return Err(CborError(format!("tag {} is no LwM2M value", tag.as_u64())));
        }
    }
    let value = match d.datatype().map_err(bad)? {
        // An integer beyond i64 (Type::Int) is an error from i64(): no LwM2M type holds it.
        Type::U8
        | Type::U16
        | Type::U32
        | Type::U64
        | Type::I8
        | Type::I16
        | Type::I32
        | Type::I64
        | Type::Int => Value::Int(d.i64().map_err(bad)?),
        Type::F16 | Type::F32 | Type::F64 => Value::Float(d.f64().map_err(bad)?),
        Type::Bool => Value::Bool(d.bool().map_err(bad)?),
        Type::String => Value::Str(d.str().map_err(bad)?.into()),
        Type::Bytes => Value::Opaque(d.bytes().map_err(bad)?.to_vec()),
        other => return Err(CborError(format!("{other} is no LwM2M value"))),
    };
    if d.position() != bytes.len() {
        return Err(CborError(format!(
            "{} bytes after the value",
            bytes.len() - d.position()
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srv12_every_single_value_type_decodes() {
        // As cbor2 and Anjay encode them: the shortest head for each.
        let cases: [(&[u8], Value); 9] = [
            (&[0x00], Value::Int(0)),
            (&[0x18, 0x64], Value::Int(100)),
            (&[0x38, 0x63], Value::Int(-100)),
            (&[0x1b, 0, 0, 0, 1, 0, 0, 0, 0], Value::Int(1 << 32)),
            (&[0xf9, 0x3e, 0x00], Value::Float(1.5)),
            (&[0xf5], Value::Bool(true)),
            (
                &[
                    0x6c, b't', b'h', b'i', b'r', b'd', b'p', b'a', b'r', b't', b'y', b'-', b'2',
                ],
                Value::Str("thirdparty-2".into()),
            ),
            (&[0x42, 0xca, 0xfe], Value::Opaque(vec![0xca, 0xfe])),
            // Time: tag 1 around the seconds.
            (
                &[0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00],
                Value::Int(1_700_000_000),
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(decode_value(bytes), Ok(want), "{bytes:02x?}");
        }
    }

    #[test]
    fn srv12_what_is_no_single_value_is_an_error_that_says_why() {
        for (bytes, why) in [
            (&[][..], "end of input"),
            (&[0x81, 0x00][..], "array is no LwM2M value"),
            (&[0xa0][..], "map is no LwM2M value"),
            (&[0x00, 0x00][..], "1 bytes after the value"),
            (&[0xc2, 0x41, 0x01][..], "tag 2 is no LwM2M value"),
            (&[0x63, b'a'][..], "end of input"),
        ] {
            let e = decode_value(bytes).unwrap_err().to_string();
            assert!(
                e.starts_with("CBOR: ") && e.contains(why),
                "{bytes:02x?}: {e}"
            );
        }
    }
}
