//! What a CoAP message means in LwM2M terms, from its method, path, options and payload and
//! from the request it answers: "Write /5/0/1 Package URI = ...", "Notification of /5/0/3
//! State: State = 2 (Downloaded)", "firmware block 3: 512 bytes at offset 1536"; and the rule
//! its shape alone shows, when it shows one.

use crate::content;
use crate::firmware::{self, FwState, UpdateResult};
use crate::objects;
use crate::path::Path;
use crate::register::RD_PATH;
use crate::senml;
use crate::senml_text::senml_text;
use crate::tlv;
use crate::tlv_text::tlv_text;
use fota_coap::message::{self, content_format, uri_path};
use fota_coap::{BlockOpt, CoapOption, MessageClass, Packet, RequestType};

pub(crate) fn operation(
    p: &Packet,
    request: Option<&Packet>,
) -> (Option<String>, Option<&'static str>) {
    match p.header.code {
        MessageClass::Request(method) => request_operation(p, method),
        MessageClass::Response(_) | MessageClass::Reserved(_) => match request {
            Some(req) => response_operation(p, req),
            None => (None, None),
        },
        MessageClass::Empty => (
            Some(match p.header.get_type() {
                fota_coap::MessageType::Acknowledgement => "empty ACK: message received".into(),
                fota_coap::MessageType::Reset => "RST: message rejected".into(),
                _ => "CoAP ping".into(),
            }),
            None,
        ),
    }
}

fn request_operation(p: &Packet, method: RequestType) -> (Option<String>, Option<&'static str>) {
    let path_text = uri_path(p);
    if path_text == RD_PATH && method == RequestType::Post {
        let queries = message::uri_queries(p).join("&");
        return (Some(format!("LwM2M Register ({queries})")), Some("OBJ-1"));
    }
    if path_text.starts_with("/rd/") {
        return match method {
            RequestType::Post => (
                Some(format!("LwM2M Registration Update of {path_text}")),
                None,
            ),
            RequestType::Delete => (Some(format!("LwM2M De-register {path_text}")), None),
            _ => (None, None),
        };
    }
    let Some(path) = Path::parse(&path_text) else {
        return match method {
            RequestType::Get => match p
                .get_first_option(CoapOption::Block2)
                .and_then(|v| BlockOpt::decode(v).ok())
            {
                Some(b) => (
                    Some(format!(
                        "firmware download: block {} ({} bytes at offset {})",
                        b.num,
                        b.size(),
                        b.offset()
                    )),
                    Some("SRV-6"),
                ),
                None => (
                    Some(format!(
                        "GET {path_text} (no Block2: the server picks the block size)"
                    )),
                    Some("BW-8"),
                ),
            },
            _ => (None, None),
        };
    };
    let what = objects::describe(&path);
    let observe = message::uint_option(p, CoapOption::Observe);
    let queries = message::uri_queries(p);
    if method == RequestType::Put && p.payload.is_empty() && !queries.is_empty() {
        return (
            Some(format!("Write-Attributes {what}: {}", queries.join("&"))),
            Some("SRV-1"),
        );
    }
    if method == RequestType::Get
        && message::uint_option(p, CoapOption::Accept) == Some(u32::from(content::LINK_FORMAT))
    {
        return (Some(format!("Discover {what}")), None);
    }
    match (method, path.object, path.resource) {
        (RequestType::Get, _, _) if observe == Some(0) => {
            (Some(format!("Observe {what}")), Some("SRV-1"))
        }
        (RequestType::Get, _, _) if observe == Some(1) => {
            (Some(format!("Cancel observation of {what}")), None)
        }
        (RequestType::Get, _, _) => (Some(format!("Read {what}")), Some("SRV-1")),
        (RequestType::Put, firmware::OBJECT, Some(firmware::PACKAGE_URI)) => (
            Some(format!(
                "Write {what} = \"{}\"",
                String::from_utf8_lossy(&p.payload)
            )),
            None,
        ),
        (RequestType::Put, firmware::OBJECT, Some(firmware::PACKAGE)) => {
            match p
                .get_first_option(CoapOption::Block1)
                .and_then(|v| BlockOpt::decode(v).ok())
            {
                Some(b) => (
                    Some(format!(
                        "PUSH {what}: block {} ({} bytes at offset {}){}",
                        b.num,
                        p.payload.len(),
                        b.offset(),
                        if b.more { "" } else { ", the last" }
                    )),
                    None,
                ),
                None => (
                    Some(format!("Write {what} ({} bytes)", p.payload.len())),
                    None,
                ),
            }
        }
        (RequestType::Put, _, _) => (Some(format!("Write {what}")), None),
        (RequestType::Post, _, Some(_)) => (Some(format!("Execute {what}")), None),
        _ => (None, None),
    }
}

fn response_operation(p: &Packet, req: &Packet) -> (Option<String>, Option<&'static str>) {
    let code = message::code_name(p.header.code);
    let req_path = uri_path(req);
    if req_path.starts_with("/rd/") {
        return (
            Some(format!("Registration {req_path} answered {code}")),
            None,
        );
    }
    if req_path == RD_PATH {
        let location = message::location_path(p);
        return (
            Some(format!(
                "Register answered {code}, registration at {location}"
            )),
            Some("OBJ-1"),
        );
    }
    if let Some(path) = Path::parse(&req_path) {
        let value = std::str::from_utf8(&p.payload)
            .ok()
            .filter(|_| !p.payload.is_empty());
        // A TLV or SenML payload is shown decoded, on one line.
        let one_line = |text: String| text.trim_end().replace('\n', "; ").replace("  ", "");
        let structured = match content_format(p) {
            Some(content::LWM2M_TLV) => tlv::decode(&p.payload)
                .ok()
                .map(|t| format!("TLV {}", one_line(tlv_text(&t, Some(path.object), 0)))),
            Some(content::SENML_CBOR) => senml::decode_cbor(&p.payload)
                .ok()
                .map(|r| format!("SenML CBOR {}", one_line(senml_text(&r)))),
            Some(content::SENML_JSON) => value
                .and_then(|text| senml::decode_json(text).ok())
                .map(|r| format!("SenML JSON {}", one_line(senml_text(&r)))),
            // Plain CBOR names nothing: the value is the resource's that was asked.
            Some(content::CBOR) => path
                .resource
                .and_then(|_| crate::cbor::decode_value(&p.payload).ok())
                .map(|v| {
                    let record = senml::Record {
                        name: path.to_string(),
                        value: Some(v),
                    };
                    format!("CBOR {}", one_line(senml_text(&[record])))
                }),
            _ => None,
        };
        let decoded = match (path.object, path.resource, value) {
            _ if structured.is_some() => structured,
            (firmware::OBJECT, Some(firmware::STATE), Some(v)) => v
                .parse::<u8>()
                .ok()
                .and_then(FwState::from_code)
                .map(|s| format!("State = {} ({})", v, s.name())),
            (firmware::OBJECT, Some(firmware::UPDATE_RESULT), Some(v)) => v
                .parse::<u8>()
                .ok()
                .and_then(UpdateResult::from_code)
                .map(|r| format!("Update Result = {} ({})", v, r.name())),
            (_, Some(_), Some(v)) => Some(format!("value \"{v}\"")),
            _ => None,
        };
        let what = objects::describe(&path);
        let notification = message::uint_option(p, CoapOption::Observe).is_some();
        let lead = if notification {
            "Notification of"
        } else {
            "Answer to"
        };
        return (
            Some(match decoded {
                Some(d) => format!("{lead} {what}: {d}"),
                None => format!("{lead} {what}: {code}"),
            }),
            None,
        );
    }
    let block = p
        .get_first_option(CoapOption::Block2)
        .and_then(|v| BlockOpt::decode(v).ok());
    match block {
        Some(b) => (
            Some(format!(
                "firmware block {}: {} bytes at offset {}{}",
                b.num,
                p.payload.len(),
                b.offset(),
                if b.more { "" } else { " (last block)" }
            )),
            Some("SRV-6"),
        ),
        None => (Some(format!("{code} for {req_path}")), None),
    }
}
