//! The /5/0/3 State and /5/0/5 Update Result values a message carries, whatever the format:
//! text/plain of the resource itself, TLV of the object, the instance or the resource, or
//! SenML (JSON or CBOR) records named by path.

use fota_coap::message::content_format;
use fota_coap::Packet;
use fota_lwm2m::firmware::{OBJECT, STATE, UPDATE_RESULT};
use fota_lwm2m::{content, senml, tlv, Path};

/// The States and Update Results in `p`'s payload; `subject` is the path the payload belongs
/// to (the request's own, or the one the response answers).
pub fn carried(p: &Packet, subject: Option<Path>) -> (Vec<u64>, Vec<u64>) {
    let mut values = Vec::new();
    if p.payload.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let firmware = subject.filter(|s| s.object == OBJECT);
    // A resource's payload with no Content-Format is text/plain (LwM2M TS Core §7.3).
    let format = content_format(p).or(firmware
        .and_then(|s| s.resource)
        .map(|_| content::TEXT_PLAIN));
    match format {
        Some(content::TEXT_PLAIN) => {
            if let Some(resource) = firmware.and_then(|s| s.resource) {
                let value = core::str::from_utf8(&p.payload)
                    .ok()
                    .and_then(|t| t.trim().parse().ok());
                values.extend(value.map(|v| (resource, v)));
            }
        }
        Some(content::LWM2M_TLV) if firmware.is_some() => {
            if let Ok(tlvs) = tlv::decode(&p.payload) {
                resources(&tlvs, &mut values);
            }
        }
        Some(content::SENML_JSON) => {
            if let Ok(records) = core::str::from_utf8(&p.payload)
                .map_err(|_| ())
                .and_then(|t| senml::decode_json(t).map_err(|_| ()))
            {
                records_of(&records, &mut values);
            }
        }
        Some(content::SENML_CBOR) => {
            if let Ok(records) = senml::decode_cbor(&p.payload) {
                records_of(&records, &mut values);
            }
        }
        _ => {}
    }
    let pick = |id: u16| {
        values
            .iter()
            .filter(|(r, _)| *r == id)
            .map(|(_, v)| *v)
            .collect()
    };
    (pick(STATE), pick(UPDATE_RESULT))
}

/// (resource id, integer value) of every single resource, inside object instances or not.
fn resources(tlvs: &[tlv::Tlv], out: &mut Vec<(u16, u64)>) {
    for t in tlvs {
        match (&t.kind, &t.body) {
            (tlv::Kind::ObjectInstance, tlv::Body::Children(c)) => resources(c, out),
            (tlv::Kind::Resource, tlv::Body::Value(v)) => {
                if let Some(v) = tlv::int_value(v).and_then(|v| u64::try_from(v).ok()) {
                    out.push((t.id, v));
                }
            }
            _ => {}
        }
    }
}

fn records_of(records: &[senml::Record], out: &mut Vec<(u16, u64)>) {
    for r in records {
        let Some(path) = Path::parse(&r.name).filter(|p| p.object == OBJECT) else {
            continue;
        };
        let value = match &r.value {
            Some(senml::Value::Int(v)) => u64::try_from(*v).ok(),
            // A whole number sent as a float (SenML JSON has one number type).
            Some(senml::Value::Float(f)) if f.fract() == 0.0 && *f >= 0.0 => Some(*f as u64),
            _ => None,
        };
        if let (Some(resource), Some(v)) = (path.resource, value) {
            out.push((resource, v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_coap::message::{response, set_content_format};
    use fota_coap::ResponseType;

    fn packet(format: Option<u16>, payload: Vec<u8>) -> Packet {
        let mut p = response(ResponseType::Content);
        if let Some(f) = format {
            set_content_format(&mut p, f);
        }
        p.payload = payload;
        p
    }

    #[test]
    fn text_plain_of_the_state_resource() {
        let p = packet(Some(content::TEXT_PLAIN), b"2".to_vec());
        assert_eq!(carried(&p, Path::parse("/5/0/3")), (vec![2], vec![]));
        assert_eq!(carried(&p, Path::parse("/5/0/5")), (vec![], vec![2]));
        assert_eq!(carried(&p, Path::parse("/3/0/3")), (vec![], vec![]));
        let bare = packet(None, b"1".to_vec());
        assert_eq!(carried(&bare, Path::parse("/5/0/3")), (vec![1], vec![]));
    }

    #[test]
    fn tlv_of_the_instance_and_of_the_object() {
        let instance = vec![
            tlv::Tlv::resource(3, tlv::int(1)),
            tlv::Tlv::resource(5, tlv::int(0)),
        ];
        let p = packet(Some(content::LWM2M_TLV), tlv::encode(&instance).unwrap());
        assert_eq!(carried(&p, Path::parse("/5/0")), (vec![1], vec![0]));
        let object = [tlv::Tlv::instance(0, instance)];
        let p = packet(Some(content::LWM2M_TLV), tlv::encode(&object).unwrap());
        assert_eq!(carried(&p, Path::parse("/5")), (vec![1], vec![0]));
        assert_eq!(carried(&p, Path::parse("/3/0")), (vec![], vec![]), "not /5");
    }

    #[test]
    fn senml_records_by_name() {
        let json = br#"[{"bn":"/5/0/","n":"3","v":2},{"n":"5","v":0}]"#.to_vec();
        let p = packet(Some(content::SENML_JSON), json);
        assert_eq!(carried(&p, None), (vec![2], vec![0]));
        let records = [senml::Record {
            name: "/5/0/5".into(),
            value: Some(senml::Value::Int(5)),
        }];
        let p = packet(Some(content::SENML_CBOR), senml::encode_cbor(&records));
        assert_eq!(carried(&p, None), (vec![], vec![5]));
        let p = packet(Some(content::SENML_CBOR), vec![0xff, 0x00]);
        assert_eq!(
            carried(&p, None),
            (vec![], vec![]),
            "garbage carries nothing"
        );
    }
}
