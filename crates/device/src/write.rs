//! Write on an object instance (TS Core §5.4.3): PUT replaces, POST updates part of it; the
//! payload is TLV or SenML. Only what the object definition marks writable may be written,
//! and a refused request changes nothing.

use crate::Device;
use fota_coap::message::{self, content_format};
use fota_coap::{Addr, Packet, ResponseType, SimTime};
use fota_lwm2m::{content, definitions, firmware, senml, tlv, Path};

impl Device {
    pub(crate) fn on_write_instance(&mut self, now: SimTime, from: Addr, req: &Packet, path: Path) {
        if !self.exists(&path) {
            return self
                .messenger
                .respond(from, req, message::response(ResponseType::NotFound));
        }
        let values = match decode_instance(path, content_format(req), &req.payload) {
            Ok(v) => v,
            Err(code) => return self.messenger.respond(from, req, message::response(code)),
        };
        // Everything must be writable before anything is written.
        for (id, _) in &values {
            let writable =
                definitions::resource(path.object, *id).is_some_and(|d| d.operations.writable());
            if !writable {
                return self.messenger.respond(
                    from,
                    req,
                    message::response(ResponseType::MethodNotAllowed),
                );
            }
        }
        match &values[..] {
            [(firmware::PACKAGE_URI, uri)] if path.object == firmware::OBJECT => {
                let uri = uri.clone();
                self.on_write_uri(now, from, req, &uri)
            }
            // The package goes to /5/0/0 itself, block by block; other writable resources
            // (/3/0/13 and friends) are not modelled.
            _ => self
                .messenger
                .respond(from, req, message::response(ResponseType::NotImplemented)),
        }
    }
}

/// (resource id, value bytes) of an instance payload, or the answer that refuses it.
fn decode_instance(
    path: Path,
    format: Option<u16>,
    payload: &[u8],
) -> Result<Vec<(u16, Vec<u8>)>, ResponseType> {
    match format {
        Some(content::LWM2M_TLV) => Ok(tlv::decode(payload)
            .map_err(|_| ResponseType::BadRequest)?
            .into_iter()
            .filter_map(|t| match t.body {
                tlv::Body::Value(v) if t.kind == tlv::Kind::Resource => Some((t.id, v)),
                _ => None,
            })
            .collect()),
        Some(f @ (content::SENML_JSON | content::SENML_CBOR)) => {
            let records = if f == content::SENML_JSON {
                let text = std::str::from_utf8(payload).map_err(|_| ResponseType::BadRequest)?;
                senml::decode_json(text).map_err(|_| ResponseType::BadRequest)?
            } else {
                senml::decode_cbor(payload).map_err(|_| ResponseType::BadRequest)?
            };
            records
                .into_iter()
                .map(|r| {
                    let id = Path::parse(&r.name)
                        .filter(|p| p.object == path.object && p.instance == path.instance)
                        .and_then(|p| p.resource)
                        .ok_or(ResponseType::BadRequest)?;
                    let bytes = match r.value {
                        Some(senml::Value::Str(s)) => s.into_bytes(),
                        Some(senml::Value::Opaque(d)) => d,
                        Some(senml::Value::Int(i)) => i.to_string().into_bytes(),
                        _ => return Err(ResponseType::BadRequest),
                    };
                    Ok((id, bytes))
                })
                .collect()
        }
        _ => Err(ResponseType::UnsupportedContentFormat),
    }
}
