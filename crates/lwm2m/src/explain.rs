//! `explain`: a decoded, human-readable account of any datagram, for the UI's inspector, the
//! CLI's trace and pcap comments. It never fails: bytes that are not CoAP are explained as such.

use crate::content;
use crate::operation::operation;
use crate::path::Path;
use crate::senml_text::senml_text;
use crate::tlv;
use crate::tlv_text::{hex, tlv_text};
use fota_coap::message::{self, content_format, option_name, type_name, uri_path};
use fota_coap::{BlockOpt, CoapOption, MessageClass, Packet};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OptionField {
    pub number: u16,
    pub name: &'static str,
    pub value: String,
    pub raw_hex: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PayloadView {
    pub len: usize,
    pub format: Option<String>,
    /// The payload as text when its format is textual and it is valid UTF-8.
    pub text: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// One line for the ladder: `CON GET /fw/app.bin  Block2 3/0/512`.
    pub summary: String,
    /// What the message means in LwM2M terms, when known.
    pub operation: Option<String>,
    /// The SPEC.md rule the message's shape alone shows it follows (a Register, a Block2
    /// request, an Observe), when there is one. What a receiver made of it (a /5 transition or
    /// a refusal) is the receiver's to say: the trace keeps it beside the row.
    pub rule: Option<&'static str>,
    pub header: Vec<Field>,
    pub options: Vec<OptionField>,
    pub payload: PayloadView,
    /// Why the bytes are not a usable CoAP message.
    pub error: Option<String>,
}

/// Explains `bytes`; `request` is the request this datagram answers, when the caller knows it
/// (the trace matches responses to requests by token).
pub fn explain(bytes: &[u8], request: Option<&[u8]>) -> Explanation {
    let packet = match message::decode(bytes) {
        Ok(p) => p,
        Err(e) => {
            return Explanation {
                summary: format!("not CoAP ({} bytes)", bytes.len()),
                operation: None,
                rule: None,
                header: Vec::new(),
                options: Vec::new(),
                payload: PayloadView {
                    len: bytes.len(),
                    format: None,
                    text: None,
                },
                error: Some(e.to_string()),
            }
        }
    };
    let request = request.and_then(|r| message::decode(r).ok());
    let (operation, rule) = operation(&packet, request.as_ref());
    // The path the payload belongs to: the request's own, or the one it answers.
    let subject = Path::parse(&uri_path(request.as_ref().unwrap_or(&packet)));
    Explanation {
        summary: summary(&packet),
        operation,
        rule,
        header: header_fields(bytes, &packet),
        options: option_fields(&packet),
        payload: payload_view(&packet, subject),
        error: None,
    }
}

fn header_fields(bytes: &[u8], p: &Packet) -> Vec<Field> {
    let token = p.get_token();
    vec![
        Field {
            name: "Version",
            value: (bytes[0] >> 6).to_string(),
        },
        Field {
            name: "Type",
            value: format!(
                "{} ({})",
                type_name(p.header.get_type()),
                (bytes[0] >> 4) & 3
            ),
        },
        Field {
            name: "Token Length",
            value: token.len().to_string(),
        },
        Field {
            name: "Code",
            value: format!("{} (0x{:02x})", message::code_name(p.header.code), bytes[1]),
        },
        Field {
            name: "Message ID",
            value: format!("{} (0x{:04x})", p.header.message_id, p.header.message_id),
        },
        Field {
            name: "Token",
            value: if token.is_empty() {
                "(empty)".into()
            } else {
                hex(token)
            },
        },
    ]
}

fn option_fields(p: &Packet) -> Vec<OptionField> {
    let request = matches!(p.header.code, MessageClass::Request(_));
    message::options(p)
        .into_iter()
        .map(|(number, raw)| OptionField {
            number,
            name: option_name(number),
            value: option_value(number, &raw, request),
            raw_hex: hex(&raw),
        })
        .collect()
}

/// An option's value for people; Observe means register/deregister in a request and a
/// sequence number in a notification (RFC 7641 §2).
fn option_value(number: u16, raw: &[u8], request: bool) -> String {
    let uint = || message::uint_value(raw).map(|v| v.to_string());
    match number {
        3 | 8 | 11 | 15 | 20 | 35 | 39 => format!("\"{}\"", String::from_utf8_lossy(raw)),
        12 | 17 => match message::uint_value(raw) {
            Some(v) => format!("{v} ({})", content::name(v as u16)),
            None => "invalid".into(),
        },
        23 | 27 => match BlockOpt::decode(raw) {
            Ok(b) => format!(
                "{b} (NUM={} M={} SZX={}: {} bytes at offset {})",
                b.num,
                u8::from(b.more),
                b.szx,
                b.size(),
                b.offset()
            ),
            Err(e) => format!("invalid: {e}"),
        },
        6 => match (message::uint_value(raw), request) {
            (Some(0), true) => "0 (register)".into(),
            (Some(1), true) => "1 (deregister)".into(),
            (Some(v), false) => format!("{v} (sequence number)"),
            (Some(v), true) => format!("{v} (not defined in a request)"),
            (None, _) => "invalid".into(),
        },
        4 | 1 => hex(raw),
        _ => uint()
            .filter(|_| raw.len() <= 4)
            .unwrap_or_else(|| hex(raw)),
    }
}

fn payload_view(p: &Packet, subject: Option<Path>) -> PayloadView {
    let format = content_format(p);
    let text = match format {
        Some(f) if content::is_text(f) => std::str::from_utf8(&p.payload).ok().map(String::from),
        Some(content::SENML_CBOR) => Some(match crate::senml::decode_cbor(&p.payload) {
            Ok(records) => senml_text(&records),
            Err(e) => format!("not valid {e}"),
        }),
        Some(content::CBOR) => Some(match crate::cbor::decode_value(&p.payload) {
            Ok(value) => senml_text(&[crate::senml::Record {
                name: subject.map_or_else(|| "value".into(), |s| s.to_string()),
                value: Some(value),
            }]),
            Err(e) => format!("not valid {e}"),
        }),
        Some(content::LWM2M_TLV) => Some(match tlv::decode(&p.payload) {
            Ok(tlvs) => tlv_text(&tlvs, subject.map(|s| s.object), 0),
            Err(e) => format!("not valid TLV: {e}"),
        }),
        _ => None,
    };
    PayloadView {
        len: p.payload.len(),
        format: format.map(|f| format!("{f} ({})", content::name(f))),
        text,
    }
}

fn summary(p: &Packet) -> String {
    let mut s = format!(
        "{} {}",
        type_name(p.header.get_type()),
        message::code_name(p.header.code)
    );
    if let MessageClass::Request(method) = p.header.code {
        s.push(' ');
        s.push_str(&uri_path(p));
        // A Write-Attributes is all query: without it the row reads as a write of nothing.
        let queries = message::uri_queries(p);
        if method == fota_coap::RequestType::Put && p.payload.is_empty() && !queries.is_empty() {
            s.push_str(&format!(" ?{}", queries.join("&")));
        }
    }
    for (label, option) in [
        ("Block1", CoapOption::Block1),
        ("Block2", CoapOption::Block2),
    ] {
        if let Some(b) = p
            .get_first_option(option)
            .and_then(|v| BlockOpt::decode(v).ok())
        {
            s.push_str(&format!("  {label} {b}"));
        }
    }
    if let Some(seq) = message::uint_option(p, CoapOption::Observe) {
        s.push_str(&format!("  Obs {seq}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_coap::message::{encode, request, set_uint_option};

    use fota_coap::{MessageType, RequestType, ResponseType};

    #[test]
    fn explains_a_block2_request_field_by_field() {
        let mut p = request(RequestType::Get, "/fw/app.bin");
        p.header.set_type(MessageType::Confirmable);
        p.header.message_id = 0x1234;
        p.set_token(vec![0xca, 0xfe]);
        p.add_option(
            CoapOption::Block2,
            BlockOpt::new(3, false, 512).unwrap().encode(),
        );
        let e = explain(&encode(&p).unwrap(), None);
        assert_eq!(e.summary, "CON GET /fw/app.bin  Block2 3/0/512");
        assert_eq!(e.header[4].value, "4660 (0x1234)");
        assert_eq!(e.header[5].value, "ca fe");
        let block = e.options.iter().find(|o| o.name == "Block2").unwrap();
        assert_eq!(
            block.value,
            "3/0/512 (NUM=3 M=0 SZX=5: 512 bytes at offset 1536)"
        );
        assert_eq!(block.raw_hex, "35");
        assert_eq!(e.rule, Some("SRV-6"));
    }

    #[test]
    fn explains_a_state_notification_with_its_request() {
        let mut req = request(RequestType::Get, "/5/0/3");
        req.add_option(CoapOption::Observe, vec![]);
        let mut note = fota_coap::message::response(ResponseType::Content);
        set_uint_option(&mut note, CoapOption::Observe, 2);
        fota_coap::message::set_content_format(&mut note, content::TEXT_PLAIN);
        note.payload = b"2".to_vec();
        let e = explain(&encode(&note).unwrap(), Some(&encode(&req).unwrap()));
        assert_eq!(
            e.operation.as_deref(),
            Some("Notification of /5/0/3 State: State = 2 (Downloaded)")
        );
        assert_eq!(e.payload.text.as_deref(), Some("2"));
        let observe = e.options.iter().find(|o| o.name == "Observe").unwrap();
        assert_eq!(observe.value, "2 (sequence number)");
    }

    #[test]
    fn srv12_a_senml_cbor_answer_is_shown_decoded() {
        use crate::senml::{encode_cbor, Record, Value};
        let mut req = request(RequestType::Get, "/5/0");
        req.add_option(CoapOption::Observe, vec![]);
        let mut answer = fota_coap::message::response(ResponseType::Content);
        fota_coap::message::set_content_format(&mut answer, content::SENML_CBOR);
        answer.payload = encode_cbor(&[
            Record {
                name: "/5/0/1".into(),
                value: Some(Value::Str("coap://repo/fw".into())),
            },
            Record {
                name: "/5/0/3".into(),
                value: Some(Value::Int(2)),
            },
        ]);
        let e = explain(&encode(&answer).unwrap(), Some(&encode(&req).unwrap()));
        assert_eq!(
            e.payload.format.as_deref(),
            Some("112 (application/senml+cbor)")
        );
        assert_eq!(
            e.payload.text.as_deref(),
            Some("/5/0/1 Package URI = \"coap://repo/fw\"\n/5/0/3 State = 2\n")
        );
        assert_eq!(
            e.operation.as_deref(),
            Some("Answer to /5/0 Firmware Update: SenML CBOR /5/0/1 Package URI = \"coap://repo/fw\"; /5/0/3 State = 2")
        );
        answer.payload = vec![0xde, 0xad];
        let e = explain(&encode(&answer).unwrap(), None);
        assert!(
            e.payload
                .text
                .unwrap()
                .starts_with("not valid SenML: bad CBOR"),
            "garbage is named, not decoded"
        );
    }

    #[test]
    fn srv12_a_plain_cbor_answer_is_shown_decoded_as_the_resource_asked() {
        let req = request(RequestType::Get, "/3/0/3");
        let mut answer = fota_coap::message::response(ResponseType::Content);
        fota_coap::message::set_content_format(&mut answer, content::CBOR);
        answer.payload = [&[0x6c][..], b"thirdparty-2"].concat();
        let e = explain(&encode(&answer).unwrap(), Some(&encode(&req).unwrap()));
        assert_eq!(e.payload.format.as_deref(), Some("60 (application/cbor)"));
        assert_eq!(
            e.payload.text.as_deref(),
            Some("/3/0/3 Firmware Version = \"thirdparty-2\"\n")
        );
        assert_eq!(
            e.operation.as_deref(),
            Some("Answer to /3/0/3 Firmware Version: CBOR /3/0/3 Firmware Version = \"thirdparty-2\"")
        );
        answer.payload = vec![0x81];
        let e = explain(&encode(&answer).unwrap(), Some(&encode(&req).unwrap()));
        assert!(
            e.payload.text.unwrap().starts_with("not valid CBOR: "),
            "garbage is named, not decoded"
        );
    }

    #[test]
    fn garbage_is_explained_not_panicked_on() {
        for bytes in [&[][..], &[0xff], &[0x40, 0, 0], &[0x4f, 0, 0, 0, 1]] {
            let e = explain(bytes, Some(&[1, 2]));
            assert!(e.error.is_some(), "{bytes:?}");
        }
    }
}
