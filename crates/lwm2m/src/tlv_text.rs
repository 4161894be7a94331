//! A TLV payload as text for people: each resource by its id and name, its value read as
//! its OMA type says (integer, time, boolean, string, opaque).

use crate::objects;
use crate::tlv;

/// A TLV tree as indented lines: kind, id, the resource's name when known, and the value as
/// its OMA type says (integer, time, boolean, string, opaque); for a resource we do not know,
/// text when printable, else an integer when it has an integer's length, else hex.
pub(crate) fn tlv_text(tlvs: &[tlv::Tlv], object: Option<u16>, depth: usize) -> String {
    tlv_lines(tlvs, object, None, depth)
}

fn tlv_lines(
    tlvs: &[tlv::Tlv],
    object: Option<u16>,
    parent: Option<crate::definitions::ResourceType>,
    depth: usize,
) -> String {
    let mut out = String::new();
    for t in tlvs {
        let def = match (t.kind, object) {
            (tlv::Kind::Resource | tlv::Kind::MultipleResource, Some(o)) => {
                crate::definitions::resource(o, t.id)
            }
            _ => None,
        };
        let name = match (t.kind, object) {
            (tlv::Kind::Resource | tlv::Kind::MultipleResource, Some(o)) => {
                objects::resource_name(o, t.id)
            }
            _ => None,
        };
        out.push_str(&"  ".repeat(depth));
        out.push_str(&format!("{} {}", t.kind.name(), t.id));
        if let Some(n) = name {
            out.push_str(&format!(" {n}"));
        }
        let kind = def.map(|d| d.kind).or(parent);
        match &t.body {
            tlv::Body::Children(children) => {
                out.push('\n');
                out.push_str(&tlv_lines(children, object, kind, depth + 1));
            }
            tlv::Body::Value(v) => {
                out.push_str(&format!(" = {}\n", typed_value(v, kind)));
            }
        }
    }
    out
}

/// A TLV value shown as its resource type reads it.
fn typed_value(v: &[u8], kind: Option<crate::definitions::ResourceType>) -> String {
    use crate::definitions::ResourceType as T;
    let quoted = |v: &[u8]| format!("\"{}\"", String::from_utf8_lossy(v));
    match kind {
        Some(T::Integer | T::UnsignedInteger | T::Time) => match tlv::int_value(v) {
            Some(i) => i.to_string(),
            None => hex(v),
        },
        Some(T::Boolean) => match v {
            [0] => "false".into(),
            [1] => "true".into(),
            _ => hex(v),
        },
        Some(T::String | T::CoreLink) => quoted(v),
        Some(T::Opaque) if v.is_empty() => "(empty)".into(),
        Some(T::Opaque) => hex(v),
        _ => match (std::str::from_utf8(v), tlv::int_value(v)) {
            (Ok(s), _) if !s.is_empty() && s.chars().all(|c| !c.is_control()) => quoted(v),
            (_, Some(i)) => i.to_string(),
            _ if v.is_empty() => "\"\"".into(),
            _ => hex(v),
        },
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_values_are_shown_as_their_oma_type_says() {
        // /5/0/12 Last State Change Time of 59 s is the byte 0x3b, which is also ';'.
        let tlvs = vec![
            tlv::Tlv::resource(12, tlv::int(59)),
            tlv::Tlv::resource(1, b"coap://r/fw".to_vec()),
        ];
        let text = tlv_text(&tlvs, Some(5), 0);
        assert!(text.contains("Last State Change Time = 59"), "{text}");
        assert!(text.contains("Package URI = \"coap://r/fw\""), "{text}");
    }
}
