//! Values out of the device's answers: TLV instances and single resources.

use fota_coap::{message, Packet};
use fota_lwm2m::{content, tlv};

/// The integer resources of a TLV object instance: (resource id, value).
pub(crate) fn instance_values(resp: &Packet) -> Vec<(u16, Option<i64>)> {
    if message::content_format(resp) != Some(content::LWM2M_TLV) {
        return Vec::new();
    }
    tlv::decode(&resp.payload)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t.body {
            tlv::Body::Value(v) if t.kind == tlv::Kind::Resource => {
                Some((t.id, tlv::int_value(&v)))
            }
            _ => None,
        })
        .collect()
}

/// A resource value as text: the payload itself for text/plain, the instance values joined by
/// commas for a TLV multiple resource.
pub(crate) fn value_text(resp: &Packet) -> String {
    if message::content_format(resp) != Some(content::LWM2M_TLV) {
        return String::from_utf8_lossy(&resp.payload).into_owned();
    }
    fn leaves(tlvs: &[tlv::Tlv], out: &mut Vec<String>) {
        for t in tlvs {
            match &t.body {
                tlv::Body::Children(c) => leaves(c, out),
                tlv::Body::Value(v) => out.push(match tlv::int_value(v) {
                    Some(i) => i.to_string(),
                    None => String::from_utf8_lossy(v).into_owned(),
                }),
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(tlvs) = tlv::decode(&resp.payload) {
        leaves(&tlvs, &mut out);
    }
    out.join(",")
}
