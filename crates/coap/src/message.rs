//! Helpers over coap-lite's `Packet`: checked decode, bounded encode, paths, integer options
//! and the names the explainer shows.

use crate::params::MAX_DATAGRAM;
use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};
use core::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer than the 4 bytes of the fixed header.
    TooShort,
    /// RFC 7252 §3: version must be 1; other versions are silently ignored.
    BadVersion(u8),
    /// Longer than [`MAX_DATAGRAM`], the size `encode` is bound by (see there for why).
    TooLong(usize),
    /// Anything coap-lite's parser refuses (token length, option encoding, ...).
    Malformed(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooShort => write!(f, "shorter than the 4-byte CoAP header"),
            DecodeError::BadVersion(v) => write!(f, "CoAP version {v} (only 1 exists)"),
            DecodeError::TooLong(n) => {
                write!(
                    f,
                    "{n} bytes, more than the {MAX_DATAGRAM} a message may have"
                )
            }
            DecodeError::Malformed(why) => write!(f, "malformed CoAP message: {why}"),
        }
    }
}

/// Parses one datagram: at most [`MAX_DATAGRAM`] bytes of a version-1 CoAP message.
pub fn decode(bytes: &[u8]) -> Result<Packet, DecodeError> {
    let first = *bytes.first().ok_or(DecodeError::TooShort)?;
    if bytes.len() < 4 {
        return Err(DecodeError::TooShort);
    }
    if first >> 6 != 1 {
        return Err(DecodeError::BadVersion(first >> 6));
    }
    // The same bound as `encode`: a message we could not send we do not take either, so that
    // a decoded packet always encodes again (coap-lite's parser itself has no size limit).
    if bytes.len() > MAX_DATAGRAM {
        return Err(DecodeError::TooLong(bytes.len()));
    }
    // RFC 7252 §4.1: an Empty message is the 4-byte header alone.
    if bytes[1] == 0 && bytes.len() > 4 {
        return Err(DecodeError::Malformed(
            "an Empty message (code 0.00) carries bytes after its Message ID".into(),
        ));
    }
    Packet::from_bytes(bytes).map_err(|e| DecodeError::Malformed(format!("{e:?}")))
}

/// The code byte and the token of a datagram, read from its header alone (RFC 7252 §3), or
/// None when it is too short to hold them. Nothing else is checked: a datagram that `decode`
/// takes has this code and token, but not every datagram this reads would decode.
pub fn peek_code_and_token(bytes: &[u8]) -> Option<(u8, &[u8])> {
    let tkl = usize::from(*bytes.first()? & 0x0f);
    Some((*bytes.get(1)?, bytes.get(4..4 + tkl)?))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot encode CoAP message: {}", self.0)
    }
}

/// The bytes of `packet`, refused when longer than [`MAX_DATAGRAM`].
pub fn encode(packet: &Packet) -> Result<Vec<u8>, EncodeError> {
    packet
        .to_bytes_with_limit(MAX_DATAGRAM)
        .map_err(|e| EncodeError(format!("{e:?}")))
}

/// The path of a request as `/a/b/c` (an empty path is `/`).
pub fn uri_path(packet: &Packet) -> String {
    let segments = option_strings(packet, CoapOption::UriPath);
    format!("/{}", segments.join("/"))
}

pub fn uri_queries(packet: &Packet) -> Vec<String> {
    option_strings(packet, CoapOption::UriQuery)
}

pub fn location_path(packet: &Packet) -> String {
    let segments = option_strings(packet, CoapOption::LocationPath);
    format!("/{}", segments.join("/"))
}

fn option_strings(packet: &Packet, option: CoapOption) -> Vec<String> {
    packet
        .get_option(option)
        .map(|values| {
            values
                .iter()
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Sets `Uri-Path` segments from `/a/b/c` (empty segments are dropped).
pub fn set_uri_path(packet: &mut Packet, path: &str) {
    packet.clear_option(CoapOption::UriPath);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        packet.add_option(CoapOption::UriPath, segment.as_bytes().to_vec());
    }
}

/// An unsigned integer option value in the fewest bytes (RFC 7252 §3.2).
pub fn uint_bytes(v: u32) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    bytes[skip..].to_vec()
}

pub fn uint_value(bytes: &[u8]) -> Option<u32> {
    (bytes.len() <= 4).then(|| bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
}

pub fn set_uint_option(packet: &mut Packet, option: CoapOption, v: u32) {
    packet.clear_option(option);
    packet.add_option(option, uint_bytes(v));
}

pub fn uint_option(packet: &Packet, option: CoapOption) -> Option<u32> {
    packet.get_first_option(option).and_then(|v| uint_value(v))
}

pub fn set_content_format(packet: &mut Packet, format: u16) {
    set_uint_option(packet, CoapOption::ContentFormat, u32::from(format));
}

pub fn content_format(packet: &Packet) -> Option<u16> {
    uint_option(packet, CoapOption::ContentFormat).and_then(|v| u16::try_from(v).ok())
}

/// A request skeleton; the messenger fills in type, message id and token when it sends it.
pub fn request(method: RequestType, path: &str) -> Packet {
    let mut packet = Packet::new();
    packet.header.code = MessageClass::Request(method);
    set_uri_path(&mut packet, path);
    packet
}

/// A response skeleton for `code`; the messenger fills in type, message id and token.
pub fn response(code: ResponseType) -> Packet {
    let mut packet = Packet::new();
    packet.header.code = MessageClass::Response(code);
    packet
}

/// A short name for the code: `GET`, `2.05 Content`, ...
pub fn code_name(code: MessageClass) -> String {
    match code {
        MessageClass::Empty => "Empty".into(),
        MessageClass::Request(r) => match r {
            RequestType::Get => "GET",
            RequestType::Post => "POST",
            RequestType::Put => "PUT",
            RequestType::Delete => "DELETE",
            RequestType::Fetch => "FETCH",
            RequestType::Patch => "PATCH",
            RequestType::IPatch => "iPATCH",
            RequestType::UnKnown => "unknown method",
        }
        .into(),
        MessageClass::Response(r) => format!("{} {}", code, response_phrase(r)),
        MessageClass::Reserved(_) => format!("{code} (unassigned)"),
    }
}

fn response_phrase(r: ResponseType) -> &'static str {
    use ResponseType::*;
    match r {
        Created => "Created",
        Deleted => "Deleted",
        Valid => "Valid",
        Changed => "Changed",
        Content => "Content",
        Continue => "Continue",
        BadRequest => "Bad Request",
        Unauthorized => "Unauthorized",
        BadOption => "Bad Option",
        Forbidden => "Forbidden",
        NotFound => "Not Found",
        MethodNotAllowed => "Method Not Allowed",
        NotAcceptable => "Not Acceptable",
        Conflict => "Conflict",
        PreconditionFailed => "Precondition Failed",
        RequestEntityTooLarge => "Request Entity Too Large",
        UnsupportedContentFormat => "Unsupported Content-Format",
        RequestEntityIncomplete => "Request Entity Incomplete",
        UnprocessableEntity => "Unprocessable Entity",
        TooManyRequests => "Too Many Requests",
        InternalServerError => "Internal Server Error",
        NotImplemented => "Not Implemented",
        BadGateway => "Bad Gateway",
        ServiceUnavailable => "Service Unavailable",
        GatewayTimeout => "Gateway Timeout",
        ProxyingNotSupported => "Proxying Not Supported",
        HopLimitReached => "Hop Limit Reached",
        UnKnown => "",
    }
}

pub fn type_name(t: MessageType) -> &'static str {
    match t {
        MessageType::Confirmable => "CON",
        MessageType::NonConfirmable => "NON",
        MessageType::Acknowledgement => "ACK",
        MessageType::Reset => "RST",
    }
}

/// Option names from the IANA CoAP Option Numbers registry (the ones a FOTA run meets).
pub fn option_name(number: u16) -> &'static str {
    match number {
        1 => "If-Match",
        3 => "Uri-Host",
        4 => "ETag",
        5 => "If-None-Match",
        6 => "Observe",
        7 => "Uri-Port",
        8 => "Location-Path",
        9 => "OSCORE",
        11 => "Uri-Path",
        12 => "Content-Format",
        14 => "Max-Age",
        15 => "Uri-Query",
        17 => "Accept",
        20 => "Location-Query",
        23 => "Block2",
        27 => "Block1",
        28 => "Size2",
        35 => "Proxy-Uri",
        39 => "Proxy-Scheme",
        60 => "Size1",
        258 => "No-Response",
        292 => "Request-Tag",
        _ => "unknown",
    }
}

/// Every option of a packet as `(number, value)` in wire order.
pub fn options(packet: &Packet) -> Vec<(u16, Vec<u8>)> {
    packet
        .options()
        .flat_map(|(&n, values)| values.iter().map(move |v| (n, v.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_short_and_wrong_version() {
        assert_eq!(decode(&[]), Err(DecodeError::TooShort));
        assert_eq!(decode(&[0x40, 1]), Err(DecodeError::TooShort));
        assert_eq!(decode(&[0x80, 1, 0, 0]), Err(DecodeError::BadVersion(2)));
        assert!(matches!(
            decode(&[0x49, 1, 0, 0]),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn path_round_trip_and_integer_options() {
        let mut p = request(RequestType::Get, "/5/0/3");
        assert_eq!(uri_path(&p), "/5/0/3");
        set_uint_option(&mut p, CoapOption::Size2, 32768);
        assert_eq!(uint_bytes(32768), vec![0x80, 0x00]);
        assert_eq!(uint_bytes(0), Vec::<u8>::new());
        let bytes = encode(&p).unwrap();
        let back = decode(&bytes).unwrap();
        assert_eq!(uint_option(&back, CoapOption::Size2), Some(32768));
        assert_eq!(uri_path(&back), "/5/0/3");
    }

    #[test]
    fn code_names() {
        assert_eq!(
            code_name(MessageClass::Response(ResponseType::Continue)),
            "2.31 Continue"
        );
        assert_eq!(code_name(MessageClass::Request(RequestType::Put)), "PUT");
    }
}
