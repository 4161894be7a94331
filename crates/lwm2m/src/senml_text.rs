//! A SenML payload as text for people: each record by its name, its resource's name when
//! known, and its value, the way the TLV view reads.

use crate::objects;
use crate::tlv_text::hex;

/// SenML records as lines: each record's name, its resource's name when known, and its value
/// (`/5/0/3 State = 2`), the way the TLV view reads.
pub(crate) fn senml_text(records: &[crate::senml::Record]) -> String {
    use crate::senml::Value;
    records
        .iter()
        .map(|r| {
            let ids: Vec<u16> = r.name.split('/').filter_map(|s| s.parse().ok()).collect();
            let name = match ids[..] {
                [o, _, res, ..] => objects::resource_name(o, res),
                _ => None,
            };
            let value = match &r.value {
                Some(Value::Int(i)) => i.to_string(),
                Some(Value::Float(f)) => f.to_string(),
                Some(Value::Str(s)) => format!("\"{s}\""),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Opaque(d)) if d.is_empty() => "(empty)".into(),
                Some(Value::Opaque(d)) => hex(d),
                Some(Value::ObjLink(l)) => l.clone(),
                None => return format!("{}\n", r.name),
            };
            match name {
                Some(n) => format!("{} {n} = {value}\n", r.name),
                None => format!("{} = {value}\n", r.name),
            }
        })
        .collect()
}
