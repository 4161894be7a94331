//! The same filter as a Wireshark display filter for the run's pcap: node names become the
//! nodes' fixed addresses, `uri` its Wireshark name, code names the code byte. Fields Wireshark
//! has no equivalent for are refused with the reason.

use super::ast::{CmpOp, Filter, Value};
use super::fields::Field;
use super::names::wireshark_ctype;
use super::why::Why;
use fota_sim::NodeId;

/// An LwM2M path, as a regular expression over Wireshark's `coap.opt.uri_path_recon`.
const LWM2M_PATH: &str = "^/[0-9]+(/[0-9]+){0,2}$";

pub fn to_wireshark(filter: &Filter) -> Result<String, Why> {
    Ok(match filter {
        Filter::Or { left, right } => {
            format!("{} || {}", to_wireshark(left)?, to_wireshark(right)?)
        }
        Filter::And { left, right } => format!("{} && {}", and_side(left)?, and_side(right)?),
        Filter::Not { inner } => match **inner {
            Filter::And { .. } | Filter::Or { .. } => format!("!({})", to_wireshark(inner)?),
            _ => format!("!{}", to_wireshark(inner)?),
        },
        Filter::Present { field, at } => match field {
            Field::Lwm2mPath => format!("coap.opt.uri_path_recon matches \"{LWM2M_PATH}\""),
            Field::PayloadLength => "(coap.block_length || coap.payload_length)".into(),
            _ => wireshark_name(*field, *at)?.to_string(),
        },
        Filter::Compare {
            field,
            op,
            value,
            at,
        } => compare(*field, *op, value, *at)?,
        Filter::Text { text, at } => return Err(Why::new(
            format!("plain text (\"{text}\") has no Wireshark equivalent"),
            *at,
        )
        .hint(
            "it searches the sandbox's explanation of each message, which the pcap does not hold",
        )),
    })
}

/// One side of `&&`: an `||` inside needs its parentheses back, as `&&` binds tighter.
fn and_side(f: &Filter) -> Result<String, Why> {
    Ok(match f {
        Filter::Or { .. } => format!("({})", to_wireshark(f)?),
        _ => to_wireshark(f)?,
    })
}

fn wireshark_name(field: Field, at: usize) -> Result<&'static str, Why> {
    field.wireshark().ok_or_else(|| {
        let why = Why::new(format!("{} has no Wireshark equivalent", field.name()), at);
        match field {
            Field::Fate => {
                why.hint("a pcap holds each datagram as it was sent, not what became of it")
            }
            Field::Rule => why.hint("the rules are the sandbox's reading of SPEC.md"),
            Field::Lwm2mState | Field::Lwm2mResult => {
                why.hint("Wireshark shows the values only inside the payload (lwm2mtlv.* for TLV)")
            }
            _ => why,
        }
    })
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn compare(field: Field, op: CmpOp, value: &Value, at: usize) -> Result<String, Why> {
    if field == Field::Lwm2mPath {
        // lwm2m.path is uri_path_recon limited to LwM2M paths: the same for == and contains,
        // and != needs the limit said out loud.
        let Value::Text(t) = value else {
            return Err(Why::new("lwm2m.path is compared with text", at));
        };
        let base = format!("coap.opt.uri_path_recon {} {}", op.symbol(), quoted(t));
        return Ok(match op {
            CmpOp::Ne => format!("(coap.opt.uri_path_recon matches \"{LWM2M_PATH}\" && {base})"),
            _ => base,
        });
    }
    if field == Field::PayloadLength {
        // Wireshark gives a block's own length as coap.block_length and keeps
        // coap.payload_length for a whole body (on the last block, the reassembled one).
        let (op, Value::Number(n)) = (op.symbol(), value) else {
            return Err(Why::new(
                "coap.payload_length is compared with a number",
                at,
            ));
        };
        return Ok(format!(
            "(coap.block_length {op} {n} || !coap.block_length && coap.payload_length {op} {n})"
        ));
    }
    let name = wireshark_name(field, at)?;
    let value = match (field, value) {
        (Field::From | Field::To, Value::Text(node)) => {
            let addr = NodeId::ALL
                .into_iter()
                .find(|n| n.name().eq_ignore_ascii_case(node))
                .map(|n| n.addr().ip)
                .ok_or_else(|| Why::new(format!("`{node}` is not a node"), at))?;
            format!("{}.{}.{}.{}", addr[0], addr[1], addr[2], addr[3])
        }
        // Wireshark's coap.opt.ctype is text: the name it gives each format.
        (Field::Ctype, Value::Number(n)) => match op {
            CmpOp::Eq | CmpOp::Ne => quoted(wireshark_ctype(*n).ok_or_else(|| {
                Why::new(format!("Wireshark has no name for content format {n}"), at)
            })?),
            _ => {
                return Err(Why::new(
                    format!(
                        "`{}` on coap.opt.ctype has no Wireshark equivalent",
                        op.symbol()
                    ),
                    at,
                )
                .hint("Wireshark's coap.opt.ctype is text: use == or contains"))
            }
        },
        (_, Value::Number(n)) => n.to_string(),
        (_, Value::Text(t)) => quoted(t),
        (_, Value::Bytes(b)) => b
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<Vec<_>>()
            .join(":"),
    };
    Ok(format!("{name} {} {value}", op.symbol()))
}
