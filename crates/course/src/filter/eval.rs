//! Runs a filter over the rows of a world. Comparisons follow Wireshark's rules for fields
//! with several values (a message may carry two Uri-Query options): `==`, `<`, `contains`
//! ... hold when any value does; `!=` holds when the field is there and no value is equal;
//! a comparison with a field the row does not have is false.

use super::ast::{CmpOp, Filter, Value};
use super::fields::Field;
use super::names::wireshark_ctype;
use super::rows::{RowFacts, Rows};
use fota_sim::World;
use std::cell::OnceCell;

/// The rows of `world` that `filter` matches, in trace order (the ladder's numbers, from 0).
/// Each datagram is decoded once; a filter that searches text explains each row once more.
pub fn evaluate(filter: &Filter, world: &World) -> Vec<usize> {
    Rows::of(world).matching(filter, world)
}

impl Rows {
    /// The rows `filter` matches; `world` is the one these rows were read from (it gives the
    /// rules a row met and the row's label, which only some filters need).
    pub fn matching(&self, filter: &Filter, world: &World) -> Vec<usize> {
        self.facts
            .iter()
            .enumerate()
            .filter(|(row, facts)| {
                let ctx = Ctx {
                    facts,
                    world,
                    row: *row,
                    label: OnceCell::new(),
                    rules: OnceCell::new(),
                };
                ctx.test(filter)
            })
            .map(|(row, _)| row)
            .collect()
    }
}

/// One row while a filter runs on it, with what is costly to read made only when needed.
struct Ctx<'a> {
    facts: &'a RowFacts,
    world: &'a World,
    row: usize,
    label: OnceCell<String>,
    rules: OnceCell<Vec<&'static str>>,
}

/// A field's values on one row.
enum Vals<'a> {
    Num(&'a [u64]),
    Bytes(&'a [Vec<u8>]),
    Text(&'a [String]),
    Word(&'a [&'static str]),
}

impl Ctx<'_> {
    fn test(&self, f: &Filter) -> bool {
        match f {
            Filter::And { left, right } => self.test(left) && self.test(right),
            Filter::Or { left, right } => self.test(left) || self.test(right),
            Filter::Not { inner } => !self.test(inner),
            Filter::Present { field, .. } => match self.vals(*field) {
                Vals::Num(v) => !v.is_empty(),
                Vals::Bytes(v) => !v.is_empty(),
                Vals::Text(v) => !v.is_empty(),
                Vals::Word(v) => !v.is_empty(),
            },
            Filter::Compare {
                field, op, value, ..
            } => compare(self.vals(*field), *op, value),
            Filter::Text { text, .. } => self.label().contains(&text.to_lowercase()),
        }
    }

    /// The row's label as the ladder shows it (explain's summary and operation), in lower case.
    fn label(&self) -> &str {
        self.label.get_or_init(|| {
            let trace = self.world.trace();
            let Some(e) = trace.get(self.row) else {
                return String::new();
            };
            let request = e
                .answers
                .and_then(|i| trace.get(i))
                .map(|r| r.bytes.as_slice());
            let x = fota_lwm2m::explain(&e.bytes, request);
            let mut label = x.summary;
            if let Some(op) = x.operation {
                label.push_str(" — ");
                label.push_str(&op);
            }
            label.to_lowercase()
        })
    }

    fn vals(&self, field: Field) -> Vals<'_> {
        let f = self.facts;
        match field {
            Field::CoapType => Vals::Num(f.coap_type.as_slice()),
            Field::CoapCode => Vals::Num(f.code.as_slice()),
            Field::CoapMid => Vals::Num(f.mid.as_slice()),
            Field::CoapToken => Vals::Bytes(f.token.as_slice()),
            Field::Uri => Vals::Text(f.uri.as_slice()),
            Field::UriQuery => Vals::Text(&f.queries),
            Field::BlockNumber => Vals::Num(&f.block_number),
            Field::BlockMflag => Vals::Num(&f.block_mflag),
            Field::BlockSize => Vals::Num(&f.block_szx),
            Field::Observe => Vals::Num(f.observe.as_slice()),
            Field::Ctype => Vals::Num(f.ctype.as_slice()),
            Field::Etag => Vals::Bytes(&f.etags),
            Field::PayloadLength => Vals::Num(f.payload_length.as_slice()),
            Field::Lwm2mPath => Vals::Text(f.lwm2m_path.as_slice()),
            Field::Lwm2mState => Vals::Num(&f.states),
            Field::Lwm2mResult => Vals::Num(&f.results),
            Field::Fate => Vals::Word(&f.fates),
            Field::From => Vals::Word(f.from.as_slice()),
            Field::To => Vals::Word(f.to.as_slice()),
            Field::Rule => Vals::Word(self.rules.get_or_init(|| self.world.row_rules(self.row))),
        }
    }
}

/// `!=` is "there, and none equal"; every other operator is "some value holds".
fn holds<T>(values: &[T], op: CmpOp, rel: impl Fn(&T) -> bool, equal: impl Fn(&T) -> bool) -> bool {
    match op {
        CmpOp::Ne => !values.is_empty() && !values.iter().any(equal),
        _ => values.iter().any(rel),
    }
}

fn compare(vals: Vals, op: CmpOp, value: &Value) -> bool {
    match (vals, value) {
        (Vals::Num(v), Value::Number(n)) => holds(
            v,
            op,
            |x| match op {
                CmpOp::Lt => x < n,
                CmpOp::Gt => x > n,
                CmpOp::Le => x <= n,
                CmpOp::Ge => x >= n,
                _ => x == n,
            },
            |x| x == n,
        ),
        // Only coap.opt.ctype takes text (`contains`): Wireshark's name for the format.
        (Vals::Num(v), Value::Text(t)) => v
            .iter()
            .any(|x| wireshark_ctype(*x).is_some_and(|name| name.contains(t.as_str()))),
        (Vals::Bytes(v), Value::Bytes(b)) => holds(
            v,
            op,
            |x| match op {
                CmpOp::Contains => x.windows(b.len()).any(|w| w == b.as_slice()),
                _ => x == b,
            },
            |x| x == b,
        ),
        (Vals::Text(v), Value::Text(t)) => holds(
            v,
            op,
            |x| match op {
                CmpOp::Contains => x.contains(t.as_str()),
                _ => x == t,
            },
            |x| x == t,
        ),
        (Vals::Word(v), Value::Text(t)) => holds(
            v,
            op,
            |x| match op {
                CmpOp::Contains => x.to_lowercase().contains(&t.to_lowercase()),
                _ => x.eq_ignore_ascii_case(t),
            },
            |x| x.eq_ignore_ascii_case(t),
        ),
        // The parser gives each field the kind of value it holds; any other pair never meets.
        _ => false,
    }
}
