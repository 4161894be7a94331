//! Turns the value written after an operator into the value the field holds, or says why it
//! cannot be one: `2.31` for `coap.code` is 95, `512` for `coap.opt.block_size` is SZX 5,
//! `lots` is no fate.

use super::ast::{CmpOp, Value};
use super::fields::{Field, Kind};
use super::names;
use super::why::{closest, Why};
use fota_lwm2m::rules::RULES;

/// A value as written: a bare word or a quoted string.
pub enum Literal<'a> {
    Word(&'a str),
    Quoted(&'a str),
}

impl Literal<'_> {
    fn text(&self) -> &str {
        match self {
            Literal::Word(w) | Literal::Quoted(w) => w,
        }
    }

    fn shown(&self) -> String {
        match self {
            Literal::Word(w) => format!("`{w}`"),
            Literal::Quoted(w) => format!("\"{w}\""),
        }
    }
}

/// A number as written: decimal or `0x` hex.
fn number(text: &str) -> Option<u64> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// Bytes as written: hex digits, optionally `0x` first and `:`, `-` or `.` between bytes.
fn bytes(text: &str) -> Option<Vec<u8>> {
    let digits: String = text
        .strip_prefix("0x")
        .unwrap_or(text)
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect();
    if digits.is_empty() || digits.len() % 2 != 0 {
        return None;
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `op_at` and `at` are where the operator and the value are written: a message about the
/// operator points at the one, a message about the value at the other.
pub fn resolve(
    field: Field,
    op: CmpOp,
    lit: &Literal,
    op_at: usize,
    at: usize,
) -> Result<Value, Why> {
    let name = field.name();
    let text = lit.text();
    match field.kind() {
        Kind::Number if op == CmpOp::Contains => match field {
            // Wireshark's coap.opt.ctype is text ("application/vnd.oma.lwm2m+tlv").
            Field::Ctype => Ok(Value::Text(text.to_ascii_lowercase())),
            _ => Err(Why::new(
                format!("`contains` needs text, and {name} is a number"),
                op_at,
            )
            .hint("compare it with == != < > <= >=")),
        },
        Kind::Number => number_value(field, lit, at).map(Value::Number),
        Kind::Bytes => {
            if matches!(op, CmpOp::Lt | CmpOp::Gt | CmpOp::Le | CmpOp::Ge) {
                return Err(Why::new(
                    format!("`{}` compares numbers, and {name} is bytes", op.symbol()),
                    op_at,
                )
                .hint("use ==, != or contains"));
            }
            bytes(text).map(Value::Bytes).ok_or_else(|| {
                Why::new(
                    format!("{} is not bytes in hex for {name}", lit.shown()),
                    at,
                )
                .hint("write them as ca:fe or cafe")
            })
        }
        Kind::Text => {
            if matches!(op, CmpOp::Lt | CmpOp::Gt | CmpOp::Le | CmpOp::Ge) {
                return Err(Why::new(
                    format!("`{}` compares numbers, and {name} is text", op.symbol()),
                    op_at,
                )
                .hint("use ==, != or contains"));
            }
            if field == Field::Rule && op != CmpOp::Contains {
                if let Some(r) = RULES.iter().find(|r| r.id.eq_ignore_ascii_case(text)) {
                    return Ok(Value::Text(r.id.to_string()));
                }
                let why = Why::new(format!("no rule is called {}", lit.shown()), at);
                return Err(match closest(text, RULES.iter().map(|r| r.id)) {
                    Some(c) => why.hint(format!("did you mean `{c}`?")),
                    None => why.hint("`fota-sandbox rules` lists them"),
                });
            }
            Ok(Value::Text(text.to_string()))
        }
        Kind::Word => {
            if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                return Err(Why::new(
                    format!("{name} takes only == or !=, not `{}`", op.symbol()),
                    op_at,
                ));
            }
            let words: &[&str] = if field == Field::Fate {
                &names::FATES
            } else {
                &names::NODES
            };
            match words.iter().find(|w| w.eq_ignore_ascii_case(text)) {
                Some(w) => Ok(Value::Text(w.to_string())),
                None => {
                    let what = if field == Field::Fate { "fate" } else { "node" };
                    let why = Why::new(format!("{} is not a {what}", lit.shown()), at);
                    Err(match closest(text, words.iter().copied()) {
                        Some(c) => why.hint(format!("did you mean `{c}`?")),
                        None => why.hint(format!("one of {}", words.join(", "))),
                    })
                }
            }
        }
    }
}

fn number_value(field: Field, lit: &Literal, at: usize) -> Result<u64, Why> {
    let name = field.name();
    let text = lit.text();
    let named = match field {
        Field::CoapType => names::coap_type(text),
        Field::CoapCode => names::coap_code(text),
        Field::Ctype => names::content_format(text),
        Field::Lwm2mState => names::state(text),
        Field::Lwm2mResult => names::result(text),
        _ => None,
    };
    let Some(v) = named.or_else(|| number(text)) else {
        let why = Why::new(format!("{} is not a value of {name}", lit.shown()), at);
        let near = match field {
            Field::CoapType => closest(text, names::TYPES.iter().map(|(n, _)| *n)),
            Field::CoapCode => closest(text, names::code_names()),
            Field::Lwm2mState => closest(text, names::state_names()),
            _ => None,
        };
        return Err(match (near, field) {
            (Some(c), _) => why.hint(format!("did you mean `{c}`?")),
            (None, Field::CoapType) => why.hint("write 0 to 3, or CON, NON, ACK, RST"),
            (None, Field::CoapCode) => why.hint("write 2.31, 95 or a name such as Continue"),
            (None, Field::Ctype) => why.hint("write a number such as 11542 or a name such as tlv"),
            (None, Field::Lwm2mState) => {
                why.hint("write 0 to 3, or Idle, Downloading, Downloaded, Updating")
            }
            (None, Field::Lwm2mResult) => {
                why.hint("write 0 to 11, or a name such as IntegrityFailure")
            }
            _ => why.hint("write a number, in decimal or as 0x hex"),
        });
    };
    let most = match field {
        Field::CoapType => 3,
        Field::CoapCode => 255,
        Field::CoapMid => 65_535,
        Field::BlockMflag => 1,
        _ => u64::MAX,
    };
    if v > most {
        return Err(Why::new(format!("{name} is at most {most}, not {v}"), at));
    }
    if field == Field::BlockSize {
        return block_szx(v).ok_or_else(|| {
            Why::new(format!("{v} is not a block size"), at)
                .hint("write the size (16, 32, ... 1024) or Wireshark's SZX (0 to 6)")
        });
    }
    Ok(v)
}

/// Wireshark's coap.opt.block_size holds SZX (0..=6); a byte size 16..=1024 reads as its SZX.
fn block_szx(v: u64) -> Option<u64> {
    if v <= 6 {
        return Some(v);
    }
    (0..=6u64).find(|szx| 16u64 << szx == v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_in_any_usual_spelling() {
        assert_eq!(bytes("ca:fe"), Some(vec![0xca, 0xfe]));
        assert_eq!(bytes("CAFE"), Some(vec![0xca, 0xfe]));
        assert_eq!(bytes("0xca-fe"), Some(vec![0xca, 0xfe]));
        assert_eq!(bytes("caf"), None);
        assert_eq!(bytes("zz"), None);
        assert_eq!(bytes("é1"), None);
    }

    #[test]
    fn block_sizes_in_bytes_or_szx() {
        assert_eq!(block_szx(512), Some(5));
        assert_eq!(block_szx(5), Some(5));
        assert_eq!(block_szx(7), None);
        assert_eq!(block_szx(100), None);
    }
}
