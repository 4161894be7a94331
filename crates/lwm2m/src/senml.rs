//! SenML (RFC 8428) as LwM2M 1.1 uses it: Content-Format 110 (JSON) and 112 (CBOR). Each
//! record names one resource or resource instance by path; a base name may carry the common
//! prefix.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use core::fmt;
use serde_json::{Map, Value as Json};

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Opaque(Vec<u8>),
    ObjLink(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The full name, base name resolved: `/5/0/3`.
    pub name: String,
    /// `None` for a record that only names (as in a Read-Composite request).
    pub value: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SenmlError(pub String);

impl fmt::Display for SenmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SenML: {}", self.0)
    }
}

fn err<T>(why: impl Into<String>) -> Result<T, SenmlError> {
    Err(SenmlError(why.into()))
}

/// The longest `/`-ending prefix all names share, written once as the base name.
fn base_name(records: &[Record]) -> String {
    let Some(first) = records.first() else {
        return String::new();
    };
    let mut base = &first.name[..first.name.rfind('/').map_or(0, |i| i + 1)];
    for r in records {
        while !r.name.starts_with(base) {
            base = &base[..base[..base.len() - 1].rfind('/').map_or(0, |i| i + 1)];
        }
    }
    base.to_string()
}

pub fn encode_json(records: &[Record]) -> String {
    let base = base_name(records);
    let list: Vec<Json> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut m = Map::new();
            if i == 0 && !base.is_empty() {
                m.insert("bn".into(), Json::from(base.clone()));
            }
            m.insert("n".into(), Json::from(&r.name[base.len()..]));
            match &r.value {
                Some(Value::Int(v)) => drop(m.insert("v".into(), Json::from(*v))),
                Some(Value::Float(v)) => drop(m.insert("v".into(), Json::from(*v))),
                Some(Value::Str(s)) => drop(m.insert("vs".into(), Json::from(s.clone()))),
                Some(Value::Bool(b)) => drop(m.insert("vb".into(), Json::from(*b))),
                Some(Value::Opaque(d)) => {
                    drop(m.insert("vd".into(), Json::from(URL_SAFE_NO_PAD.encode(d))))
                }
                Some(Value::ObjLink(l)) => drop(m.insert("vlo".into(), Json::from(l.clone()))),
                None => {}
            }
            Json::Object(m)
        })
        .collect();
    Json::Array(list).to_string()
}

pub fn decode_json(text: &str) -> Result<Vec<Record>, SenmlError> {
    let Ok(Json::Array(items)) = serde_json::from_str::<Json>(text) else {
        return err("not a JSON array of records");
    };
    let mut base = String::new();
    let mut out = Vec::new();
    for item in items {
        let Json::Object(m) = item else {
            return err("a record is not a JSON object");
        };
        if let Some(bn) = m.get("bn") {
            base = bn
                .as_str()
                .ok_or(SenmlError("bn is not a string".into()))?
                .to_string();
        }
        let n = match m.get("n") {
            Some(n) => n.as_str().ok_or(SenmlError("n is not a string".into()))?,
            None => "",
        };
        let value = if let Some(v) = m.get("v") {
            Some(match (v.as_i64(), v.as_f64()) {
                (Some(i), _) => Value::Int(i),
                (None, Some(f)) => Value::Float(f),
                _ => return err("v is not a number"),
            })
        } else if let Some(v) = m.get("vs") {
            Some(Value::Str(
                v.as_str()
                    .ok_or(SenmlError("vs is not a string".into()))?
                    .into(),
            ))
        } else if let Some(v) = m.get("vb") {
            Some(Value::Bool(
                v.as_bool()
                    .ok_or(SenmlError("vb is not a boolean".into()))?,
            ))
        } else if let Some(v) = m.get("vd") {
            let text = v.as_str().ok_or(SenmlError("vd is not a string".into()))?;
            let bytes = URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .map_err(|_| SenmlError("vd is not base64url".into()))?;
            Some(Value::Opaque(bytes))
        } else if let Some(v) = m.get("vlo") {
            Some(Value::ObjLink(
                v.as_str()
                    .ok_or(SenmlError("vlo is not a string".into()))?
                    .into(),
            ))
        } else {
            None
        };
        out.push(Record {
            name: format!("{base}{n}"),
            value,
        });
    }
    Ok(out)
}

// RFC 8428 §6 CBOR labels.
const BN: i64 = -2;
const N: i64 = 0;
const V: i64 = 2;
const VS: i64 = 3;
const VB: i64 = 4;
const VD: i64 = 8;
/// LwM2M's label for an object link value ("vlo").
const VLO: &str = "vlo";

pub fn encode_cbor(records: &[Record]) -> Vec<u8> {
    let base = base_name(records);
    let mut e = minicbor::Encoder::new(Vec::new());
    // Writing to a Vec cannot fail: the results below carry no error worth handling.
    let _ = e.array(records.len() as u64);
    for (i, r) in records.iter().enumerate() {
        let with_base = i == 0 && !base.is_empty();
        let pairs = 1 + u64::from(with_base) + u64::from(r.value.is_some());
        let _ = e.map(pairs);
        if with_base {
            let _ = e.i64(BN).and_then(|e| e.str(&base));
        }
        let _ = e.i64(N).and_then(|e| e.str(&r.name[base.len()..]));
        let _ = match &r.value {
            Some(Value::Int(v)) => e.i64(V).and_then(|e| e.i64(*v)).map(drop),
            Some(Value::Float(v)) => e.i64(V).and_then(|e| e.f64(*v)).map(drop),
            Some(Value::Str(s)) => e.i64(VS).and_then(|e| e.str(s)).map(drop),
            Some(Value::Bool(b)) => e.i64(VB).and_then(|e| e.bool(*b)).map(drop),
            Some(Value::Opaque(d)) => e.i64(VD).and_then(|e| e.bytes(d)).map(drop),
            Some(Value::ObjLink(l)) => e.str(VLO).and_then(|e| e.str(l)).map(drop),
            None => Ok(()),
        };
    }
    e.into_writer()
}

/// Whether an array or map has another item: `left` counts down a definite length; `None`
/// is an indefinite length, which runs to the break byte (RFC 8949 §3.2.2). Encoders that
/// stream their output, as some LwM2M clients do, write indefinite lengths.
fn another(
    d: &mut minicbor::Decoder<'_>,
    left: &mut Option<u64>,
) -> Result<bool, minicbor::decode::Error> {
    match left {
        Some(0) => Ok(false),
        Some(n) => {
            *n -= 1;
            Ok(true)
        }
        None if d.datatype()? == minicbor::data::Type::Break => {
            d.set_position(d.position() + 1);
            Ok(false)
        }
        None => Ok(true),
    }
}

pub fn decode_cbor(bytes: &[u8]) -> Result<Vec<Record>, SenmlError> {
    use minicbor::data::Type;
    let bad = |e: minicbor::decode::Error| SenmlError(format!("bad CBOR: {e}"));
    let mut d = minicbor::Decoder::new(bytes);
    let mut records = d.array().map_err(bad)?;
    let mut base = String::new();
    let mut out = Vec::new();
    while another(&mut d, &mut records).map_err(bad)? {
        let mut pairs = d.map().map_err(bad)?;
        let (mut name, mut value) = (String::new(), None);
        while another(&mut d, &mut pairs).map_err(bad)? {
            let label = match d.datatype().map_err(bad)? {
                Type::String => {
                    let s = d.str().map_err(bad)?;
                    if s == VLO {
                        value = Some(Value::ObjLink(d.str().map_err(bad)?.into()));
                    } else {
                        d.skip().map_err(bad)?;
                    }
                    continue;
                }
                _ => d.i64().map_err(bad)?,
            };
            match label {
                BN => base = d.str().map_err(bad)?.into(),
                N => name = d.str().map_err(bad)?.into(),
                V => {
                    value = Some(match d.datatype().map_err(bad)? {
                        Type::F16 | Type::F32 | Type::F64 => Value::Float(d.f64().map_err(bad)?),
                        _ => Value::Int(d.i64().map_err(bad)?),
                    })
                }
                VS => value = Some(Value::Str(d.str().map_err(bad)?.into())),
                VB => value = Some(Value::Bool(d.bool().map_err(bad)?)),
                VD => value = Some(Value::Opaque(d.bytes().map_err(bad)?.to_vec())),
                _ => d.skip().map_err(bad)?,
            }
        }
        out.push(Record {
            name: format!("{base}{name}"),
            value,
        });
    }
    if d.position() != bytes.len() {
        return err(format!(
            "{} bytes after the records",
            bytes.len() - d.position()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Record> {
        vec![
            Record {
                name: "/5/0/1".into(),
                value: Some(Value::Str("coap://repo/fw".into())),
            },
            Record {
                name: "/5/0/3".into(),
                value: Some(Value::Int(2)),
            },
            Record {
                name: "/5/0/8/0".into(),
                value: Some(Value::Int(0)),
            },
            Record {
                name: "/3/0/9".into(),
                value: Some(Value::Float(87.5)),
            },
            Record {
                name: "/3/0/99".into(),
                value: Some(Value::Opaque(vec![0, 255, 7])),
            },
        ]
    }

    #[test]
    fn json_round_trip_with_a_base_name() {
        let records = sample()[..3].to_vec();
        let text = encode_json(&records);
        assert!(
            text.starts_with(r#"[{"bn":"/5/0/","n":"1","vs":"coap://repo/fw"}"#),
            "{text}"
        );
        assert_eq!(decode_json(&text).unwrap(), records);
        assert_eq!(decode_json(&encode_json(&sample())).unwrap(), sample());
    }

    #[test]
    fn cbor_round_trip() {
        let bytes = encode_cbor(&sample());
        assert_eq!(decode_cbor(&bytes).unwrap(), sample());
        // RFC 8428 labels: the first record is a map holding bn (-2 = 0x21) first.
        assert_eq!(&bytes[..3], &[0x85, 0xa3, 0x21]);
    }

    #[test]
    fn srv12_cbor_floats_in_every_width_decode() {
        // RFC 8949 §4.2 prefers the shortest float that keeps the value: 87.5 fits a
        // half-precision float (f9 5578), 0.1 only a double.
        let record = |v: &[u8]| {
            let mut b = vec![0x81, 0xa2, 0x00, 0x66];
            b.extend_from_slice(b"/3/0/9");
            b.push(0x02);
            b.extend_from_slice(v);
            b
        };
        let halfway = [0xf9, 0x55, 0x78];
        let single = [0xfa, 0x42, 0xaf, 0x00, 0x00];
        let double = 0.1f64.to_be_bytes();
        let double = [&[0xfb][..], &double].concat();
        for (bytes, want) in [(&halfway[..], 87.5), (&single, 87.5), (&double, 0.1)] {
            let records = decode_cbor(&record(bytes)).unwrap();
            assert_eq!(records[0].value, Some(Value::Float(want)), "{bytes:02x?}");
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_json("{}").is_err());
        assert!(decode_json(r#"[{"n":"x","v":"no"}]"#).is_err());
        assert!(decode_cbor(&[0x81, 0xa1, 0x00]).is_err());
        assert!(decode_cbor(&[]).is_err());
        // An indefinite array that never breaks, and bytes after the records.
        assert!(decode_cbor(&[0x9f, 0xa0]).is_err());
        assert!(decode_cbor(&[0x80, 0x00]).is_err());
    }

    #[test]
    fn cbor_of_indefinite_length_as_streaming_encoders_write_it() {
        // [_ {_ 0: "/5/0/3", 2: 2 }] : an indefinite array holding an indefinite map.
        let mut bytes = vec![0x9f, 0xbf, 0x00, 0x66];
        bytes.extend_from_slice(b"/5/0/3");
        bytes.extend_from_slice(&[0x02, 0x02, 0xff, 0xff]);
        assert_eq!(
            decode_cbor(&bytes).unwrap(),
            vec![Record {
                name: "/5/0/3".into(),
                value: Some(Value::Int(2)),
            }]
        );
    }
}
