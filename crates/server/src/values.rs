//! Values out of the device's answers, whatever their Content-Format: TLV, SenML JSON, SenML
//! CBOR, plain CBOR or text/plain (SRV-12). One decoder, so that what the campaign makes of an answer
//! never depends on the format it came in.

use core::fmt;
use fota_coap::{message, Packet};
use fota_lwm2m::definitions::{self, ResourceType};
use fota_lwm2m::{cbor, content, senml, tlv, Path};

/// One value the device reported.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// What an answer reports: each value with the resource it belongs to, in the answer's order
/// (a multiple resource gives one value per instance).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Reported(Vec<(u16, Value)>);

impl Reported {
    /// The integer value of `resource` (State, Update Result in a /5/0 report).
    pub fn int(&self, resource: u16) -> Option<i64> {
        self.0
            .iter()
            .find(|(r, _)| *r == resource)
            .and_then(|(_, v)| match v {
                Value::Int(i) => Some(*i),
                Value::Text(t) => t.parse().ok(),
            })
    }

    /// Every value, joined by commas: a single resource's value, or the instances of a
    /// multiple resource (`0,1` for /5/0/8).
    pub fn text(&self) -> String {
        let values: Vec<String> = self.0.iter().map(|(_, v)| v.to_string()).collect();
        values.join(",")
    }
}

/// Why an answer's values cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Undecodable {
    pub format: Option<u16>,
    pub why: String,
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            Some(n) => write!(f, "{n} ({}): {}", content::name(n), self.why),
            None => write!(f, "{}", self.why),
        }
    }
}

/// The values a 2.05 answer to a Read or Observe of `path` carries.
pub(crate) fn decode(resp: &Packet, path: Path) -> Result<Reported, Undecodable> {
    let format = message::content_format(resp);
    let fail = |why: String| Undecodable { format, why };
    match format {
        // No Content-Format: LwM2M 1.0 reads the payload as text (§6.4).
        None | Some(content::TEXT_PLAIN) => {
            let text = std::str::from_utf8(&resp.payload)
                .map_err(|_| fail("text that is not UTF-8".into()))?;
            let resource = path
                .resource
                .ok_or_else(|| fail(format!("text for {path}, which is not a resource")))?;
            Ok(Reported(vec![(resource, Value::Text(text.into()))]))
        }
        Some(content::LWM2M_TLV) => {
            let tlvs = tlv::decode(&resp.payload).map_err(|e| fail(e.to_string()))?;
            let mut out = Vec::new();
            tlv_values(&tlvs, path, None, &mut out);
            Ok(Reported(out))
        }
        Some(content::SENML_JSON) => {
            let text = std::str::from_utf8(&resp.payload)
                .map_err(|_| fail("SenML JSON that is not UTF-8".into()))?;
            let records = senml::decode_json(text).map_err(|e| fail(e.to_string()))?;
            senml_values(records, path).map_err(fail)
        }
        Some(content::SENML_CBOR) => {
            let records = senml::decode_cbor(&resp.payload).map_err(|e| fail(e.to_string()))?;
            senml_values(records, path).map_err(fail)
        }
        // A client without text/plain answers a single resource in plain CBOR (LwM2M 1.1
        // §7.3.6), with no name: the path asked is the resource.
        Some(content::CBOR) => {
            let resource = path
                .resource
                .ok_or_else(|| fail(format!("plain CBOR for {path}, which is not a resource")))?;
            let value = cbor::decode_value(&resp.payload).map_err(|e| fail(e.to_string()))?;
            Ok(Reported(vec![(resource, from_senml(value))]))
        }
        Some(_) => Err(fail("a format the server does not read".into())),
    }
}

/// An answer's values for the log: decoded when it is a 2.05 to a read of `path`, else the
/// payload as text (the diagnostic of an error answer, if any).
pub(crate) fn shown(resp: &Packet, path: Option<Path>, content: bool) -> String {
    match path.filter(|_| content) {
        Some(path) => match decode(resp, path) {
            Ok(r) => r.text(),
            Err(e) => format!("undecodable {e}"),
        },
        None => String::from_utf8_lossy(&resp.payload).into_owned(),
    }
}

/// The integer types of the OMA definitions; a resource the server does not know is read as
/// an integer when its length is an integer's.
fn is_integer(object: u16, resource: u16) -> Option<bool> {
    definitions::resource(object, resource).map(|d| {
        matches!(
            d.kind,
            ResourceType::Integer
                | ResourceType::UnsignedInteger
                | ResourceType::Time
                | ResourceType::Boolean
        )
    })
}

/// TLV carries no types: the object definition says how each value reads (a 4-byte
/// version string such as "2.00" is text, not an integer).
fn tlv_values(tlvs: &[tlv::Tlv], path: Path, resource: Option<u16>, out: &mut Vec<(u16, Value)>) {
    for t in tlvs {
        let resource = match t.kind {
            tlv::Kind::Resource | tlv::Kind::MultipleResource => Some(t.id),
            tlv::Kind::ResourceInstance => resource,
            tlv::Kind::ObjectInstance => None,
        };
        match &t.body {
            tlv::Body::Children(c) => tlv_values(c, path, resource, out),
            tlv::Body::Value(v) => {
                let Some(r) = resource.or(path.resource) else {
                    continue;
                };
                let int = match is_integer(path.object, r) {
                    Some(true) | None => tlv::int_value(v),
                    Some(false) => None,
                };
                out.push((
                    r,
                    match int {
                        Some(i) => Value::Int(i),
                        None => Value::Text(String::from_utf8_lossy(v).into_owned()),
                    },
                ));
            }
        }
    }
}

/// SenML names each value by its full path: every record must lie under `path`.
fn senml_values(records: Vec<senml::Record>, path: Path) -> Result<Reported, String> {
    let mut out = Vec::new();
    for r in records {
        let ids: Option<Vec<u16>> = r
            .name
            .strip_prefix('/')
            .map(|rest| rest.split('/').map(|s| s.parse().ok()).collect())
            .unwrap_or(None);
        let resource = match ids.as_deref() {
            Some([o, i, res, ..])
                if *o == path.object
                    && path.instance.is_none_or(|pi| pi == *i)
                    && path.resource.is_none_or(|pr| pr == *res) =>
            {
                *res
            }
            _ => {
                return Err(format!(
                    "record {:?} is not a resource under {path}",
                    r.name
                ))
            }
        };
        // A record that only names (a Read-Composite request's shape) reports nothing.
        if let Some(value) = r.value {
            out.push((resource, from_senml(value)));
        }
    }
    Ok(Reported(out))
}

/// A CBOR-typed value as the campaign reads values: a whole float is the integer it holds
/// (a State sent as 2.0 is State 2), a boolean is 0 or 1.
fn from_senml(value: senml::Value) -> Value {
    match value {
        senml::Value::Int(i) => Value::Int(i),
        senml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::Int(f as i64),
        senml::Value::Float(f) => Value::Text(f.to_string()),
        senml::Value::Bool(b) => Value::Int(i64::from(b)),
        senml::Value::Str(s) | senml::Value::ObjLink(s) => Value::Text(s),
        senml::Value::Opaque(d) => Value::Text(String::from_utf8_lossy(&d).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_coap::message::set_content_format;
    use fota_coap::ResponseType;
    use fota_lwm2m::firmware::{STATE, UPDATE_RESULT};
    use fota_lwm2m::senml::Record;

    const FIRMWARE: Path = Path::instance(5, 0);
    const VERSION: Path = Path::resource(3, 0, 3);
    const PROTOCOLS: Path = Path::resource(5, 0, 8);

    fn answer(format: Option<u16>, payload: Vec<u8>) -> Packet {
        let mut p = message::response(ResponseType::Content);
        if let Some(f) = format {
            set_content_format(&mut p, f);
        }
        p.payload = payload;
        p
    }

    /// /5/0 with State 2, Update Result 0 and the Package URI, as SenML records.
    fn firmware_records() -> Vec<Record> {
        let rec = |r: u16, v| Record {
            name: format!("/5/0/{r}"),
            value: Some(v),
        };
        vec![
            rec(1, senml::Value::Str("coap://repo/fw".into())),
            rec(STATE, senml::Value::Int(2)),
            rec(UPDATE_RESULT, senml::Value::Int(0)),
        ]
    }

    fn assert_firmware(r: &Reported) {
        assert_eq!(r.int(STATE), Some(2));
        assert_eq!(r.int(UPDATE_RESULT), Some(0));
        assert_eq!(r.text(), "coap://repo/fw,2,0");
    }

    #[test]
    fn srv12_tlv_instance_and_resources() {
        let tlvs = [
            tlv::Tlv::resource(1, b"coap://repo/fw".to_vec()),
            tlv::Tlv::resource(STATE, tlv::int(2)),
            tlv::Tlv::resource(UPDATE_RESULT, tlv::int(0)),
        ];
        let p = answer(Some(content::LWM2M_TLV), tlv::encode(&tlvs).unwrap());
        assert_firmware(&decode(&p, FIRMWARE).unwrap());
        // A multiple resource: its instances, joined.
        let multiple = [tlv::Tlv::multiple(
            8,
            vec![(0, tlv::int(0)), (1, tlv::int(1))],
        )];
        let p = answer(Some(content::LWM2M_TLV), tlv::encode(&multiple).unwrap());
        assert_eq!(decode(&p, PROTOCOLS).unwrap().text(), "0,1");
        // /3/0/3 is a String: four bytes of text are not read as an integer.
        let version = [tlv::Tlv::resource(3, b"2.00".to_vec())];
        let p = answer(Some(content::LWM2M_TLV), tlv::encode(&version).unwrap());
        assert_eq!(decode(&p, VERSION).unwrap().text(), "2.00");
    }

    #[test]
    fn srv12_senml_json_instance_and_resources() {
        let json = senml::encode_json(&firmware_records());
        let p = answer(Some(content::SENML_JSON), json.into_bytes());
        assert_firmware(&decode(&p, FIRMWARE).unwrap());
        let p = answer(
            Some(content::SENML_JSON),
            br#"[{"bn":"/5/0/8/","n":"0","v":0},{"n":"1","v":1}]"#.to_vec(),
        );
        assert_eq!(decode(&p, PROTOCOLS).unwrap().text(), "0,1");
    }

    #[test]
    fn srv12_senml_cbor_instance_and_resources() {
        let p = answer(
            Some(content::SENML_CBOR),
            senml::encode_cbor(&firmware_records()),
        );
        assert_firmware(&decode(&p, FIRMWARE).unwrap());
        let version = [Record {
            name: "/3/0/3".into(),
            value: Some(senml::Value::Str("2.0.0".into())),
        }];
        let p = answer(Some(content::SENML_CBOR), senml::encode_cbor(&version));
        assert_eq!(decode(&p, VERSION).unwrap().text(), "2.0.0");
    }

    #[test]
    fn srv12_plain_cbor_is_the_resource_value() {
        // cbor2's "thirdparty-2", as an aiocoap client without text/plain answers /3/0/3.
        let mut version = vec![0x6c];
        version.extend_from_slice(b"thirdparty-2");
        let p = answer(Some(content::CBOR), version);
        assert_eq!(decode(&p, VERSION).unwrap().text(), "thirdparty-2");
        let p = answer(Some(content::CBOR), vec![0x01]);
        assert_eq!(decode(&p, Path::resource(5, 0, 5)).unwrap().int(5), Some(1));
        // One value names no resource: it cannot answer for an instance.
        let e = decode(&answer(Some(content::CBOR), vec![0x02]), FIRMWARE).unwrap_err();
        assert_eq!(e.format, Some(content::CBOR));
        assert!(e.why.contains("not a resource"), "{e}");
        let e = decode(&answer(Some(content::CBOR), vec![0x81, 0x02]), VERSION).unwrap_err();
        assert!(
            e.to_string().starts_with("60 (application/cbor): CBOR: "),
            "{e}"
        );
    }

    #[test]
    fn srv12_text_plain_and_no_format_are_the_resource_value() {
        let p = answer(Some(content::TEXT_PLAIN), b"2.0.0".to_vec());
        assert_eq!(decode(&p, VERSION).unwrap().text(), "2.0.0");
        let p = answer(None, b"1".to_vec());
        assert_eq!(decode(&p, Path::resource(5, 0, 5)).unwrap().int(5), Some(1));
    }

    #[test]
    fn srv12_what_cannot_be_decoded_is_an_error_that_says_why() {
        let cases = [
            (
                Some(content::SENML_CBOR),
                vec![0xde, 0xad, 0xbe, 0xef],
                FIRMWARE,
            ),
            (Some(content::SENML_JSON), b"{not json".to_vec(), FIRMWARE),
            (Some(content::LWM2M_TLV), vec![0xc8, 0x03], FIRMWARE),
            (Some(content::TEXT_PLAIN), vec![0xff, 0xfe], VERSION),
            (Some(content::TEXT_PLAIN), b"2".to_vec(), FIRMWARE),
            (Some(content::LWM2M_JSON), b"{}".to_vec(), FIRMWARE),
        ];
        for (format, payload, path) in cases {
            let e = decode(&answer(format, payload.clone()), path).unwrap_err();
            assert_eq!(e.format, format, "{payload:?}");
            assert!(!e.why.is_empty());
        }
        // A record of another object is not an answer about /5/0.
        let other = [Record {
            name: "/3/0/3".into(),
            value: Some(senml::Value::Str("1.0.0".into())),
        }];
        let p = answer(Some(content::SENML_CBOR), senml::encode_cbor(&other));
        let e = decode(&p, FIRMWARE).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("112 (application/senml+cbor): record"),
            "{e}"
        );
    }
}
