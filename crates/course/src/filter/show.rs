//! A field's values on one row as a person reads them (`2.05 Content`, `CON`, `512 bytes`),
//! for lesson text that quotes the run: the same facts the filter compares, worded.

use super::fields::Field;
use super::names::wireshark_ctype;
use super::names::TYPES;
use super::rows::Rows;
use fota_coap::message::code_name;
use fota_coap::{BlockOpt, MessageClass};
use fota_lwm2m::{FwState, UpdateResult};
use fota_sim::World;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn joined(values: impl IntoIterator<Item = String>) -> Option<String> {
    let all: Vec<String> = values.into_iter().collect();
    (!all.is_empty()).then(|| all.join(", "))
}

impl Rows {
    /// `field` of row `row` in words, or `None` when the row does not carry it. Several
    /// values (two Uri-Query options, Block1 and Block2) are joined with commas.
    pub fn show(&self, row: usize, field: Field, world: &World) -> Option<String> {
        let f = self.facts.get(row)?;
        let numbers = |v: &[u64]| joined(v.iter().map(u64::to_string));
        match field {
            // The filter's own table of type words; its first word for a number is the short one.
            Field::CoapType => f.coap_type.and_then(|t| {
                TYPES
                    .iter()
                    .find(|(_, n)| *n == t)
                    .map(|(word, _)| word.to_string())
            }),
            Field::CoapCode => f.code.map(|c| code_name(MessageClass::from(c as u8))),
            Field::CoapMid => f.mid.map(|m| m.to_string()),
            Field::CoapToken => f.token.as_deref().map(hex),
            Field::Uri => f.uri.clone(),
            Field::UriQuery => joined(f.queries.iter().cloned()),
            Field::BlockNumber => numbers(&f.block_number),
            Field::BlockMflag => numbers(&f.block_mflag),
            Field::BlockSize => joined(f.block_szx.iter().map(|&szx| {
                let block = BlockOpt {
                    num: 0,
                    more: false,
                    szx: szx as u8,
                };
                format!("{} bytes", block.size())
            })),
            Field::Observe => f.observe.map(|o| o.to_string()),
            Field::Ctype => f
                .ctype
                .map(|c| wireshark_ctype(c).map_or(c.to_string(), str::to_string)),
            Field::Etag => joined(f.etags.iter().map(|e| hex(e))),
            Field::PayloadLength => f.payload_length.map(|n| format!("{n} bytes")),
            Field::Lwm2mPath => f.lwm2m_path.clone(),
            Field::Lwm2mState => joined(f.states.iter().map(|s| {
                FwState::from_code(*s as u8)
                    .map_or(s.to_string(), |st| format!("{s} ({})", st.name()))
            })),
            Field::Lwm2mResult => joined(f.results.iter().map(|r| {
                UpdateResult::from_code(*r as u8)
                    .map_or(r.to_string(), |res| format!("{r} ({})", res.name()))
            })),
            Field::Fate => f.fates.first().map(|s| s.to_string()),
            Field::From => f.from.map(str::to_string),
            Field::To => f.to.map(str::to_string),
            Field::Rule => joined(world.row_rules(row).into_iter().map(str::to_string)),
        }
    }
}
