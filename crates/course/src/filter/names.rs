//! Names that stand for values: CoAP types and codes (coap-lite's and RFC 7252's names),
//! content formats (with the text Wireshark shows for each), /5 States and Update Results,
//! fates and nodes.

use fota_coap::{MessageClass, ResponseType};
use fota_lwm2m::{FwState, UpdateResult};

/// Names compare without case, spaces, dashes or underscores: `NotFound`, `not found` and
/// `NOT_FOUND` are one name.
pub fn same_name(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    squash(a) == squash(b)
}

fn find(table: &[(&'static str, u64)], word: &str) -> Option<u64> {
    table
        .iter()
        .find(|(n, _)| same_name(n, word))
        .map(|&(_, v)| v)
}

pub const TYPES: [(&str, u64); 8] = [
    ("CON", 0),
    ("NON", 1),
    ("ACK", 2),
    ("RST", 3),
    ("Confirmable", 0),
    ("NonConfirmable", 1),
    ("Acknowledgement", 2),
    ("Reset", 3),
];

pub fn coap_type(word: &str) -> Option<u64> {
    find(&TYPES, word)
}

/// The response codes by coap-lite's names (the RFC 7252 §12.1.2 phrases, run together).
const RESPONSES: [(&str, ResponseType); 27] = [
    ("Created", ResponseType::Created),
    ("Deleted", ResponseType::Deleted),
    ("Valid", ResponseType::Valid),
    ("Changed", ResponseType::Changed),
    ("Content", ResponseType::Content),
    ("Continue", ResponseType::Continue),
    ("BadRequest", ResponseType::BadRequest),
    ("Unauthorized", ResponseType::Unauthorized),
    ("BadOption", ResponseType::BadOption),
    ("Forbidden", ResponseType::Forbidden),
    ("NotFound", ResponseType::NotFound),
    ("MethodNotAllowed", ResponseType::MethodNotAllowed),
    ("NotAcceptable", ResponseType::NotAcceptable),
    (
        "RequestEntityIncomplete",
        ResponseType::RequestEntityIncomplete,
    ),
    ("Conflict", ResponseType::Conflict),
    ("PreconditionFailed", ResponseType::PreconditionFailed),
    ("RequestEntityTooLarge", ResponseType::RequestEntityTooLarge),
    (
        "UnsupportedContentFormat",
        ResponseType::UnsupportedContentFormat,
    ),
    ("UnprocessableEntity", ResponseType::UnprocessableEntity),
    ("TooManyRequests", ResponseType::TooManyRequests),
    ("InternalServerError", ResponseType::InternalServerError),
    ("NotImplemented", ResponseType::NotImplemented),
    ("BadGateway", ResponseType::BadGateway),
    ("ServiceUnavailable", ResponseType::ServiceUnavailable),
    ("GatewayTimeout", ResponseType::GatewayTimeout),
    ("ProxyingNotSupported", ResponseType::ProxyingNotSupported),
    ("HopLimitReached", ResponseType::HopLimitReached),
];

const METHODS: [(&str, u64); 8] = [
    ("Empty", 0),
    ("GET", 1),
    ("POST", 2),
    ("PUT", 3),
    ("DELETE", 4),
    ("FETCH", 5),
    ("PATCH", 6),
    ("iPATCH", 7),
];

/// The code byte for a name (`Continue`, `GET`) or a `class.detail` number (`2.31`).
pub fn coap_code(word: &str) -> Option<u64> {
    if let Some((class, detail)) = word.split_once('.') {
        let class: u64 = class.parse().ok().filter(|c| *c <= 7)?;
        let detail: u64 = detail.parse().ok().filter(|d| *d <= 31)?;
        // `2.5` is not how anyone writes 2.05: take only the two-digit form.
        return (word.len() == 4).then_some(class * 32 + detail);
    }
    find(&METHODS, word).or_else(|| {
        RESPONSES
            .iter()
            .find(|(n, _)| same_name(n, word))
            .map(|&(_, r)| u64::from(u8::from(MessageClass::Response(r))))
    })
}

/// Every code name, for the message that lists them.
pub fn code_names() -> impl Iterator<Item = &'static str> {
    METHODS
        .iter()
        .map(|(n, _)| *n)
        .chain(RESPONSES.iter().map(|(n, _)| *n))
}

/// Content formats: number, the sandbox's name, and the text Wireshark 4 shows as
/// `coap.opt.ctype` (a text field there, not a number).
pub const CONTENT_FORMATS: [(u64, &str, &str); 10] = [
    (0, "text/plain", "text/plain; charset=utf-8"),
    (40, "application/link-format", "application/link-format"),
    (42, "application/octet-stream", "application/octet-stream"),
    (50, "application/json", "application/json"),
    (60, "application/cbor", "application/cbor"),
    (110, "application/senml+json", "application/senml+json"),
    (112, "application/senml+cbor", "application/senml+cbor"),
    (
        11542,
        "application/vnd.oma.lwm2m+tlv",
        "application/vnd.oma.lwm2m+tlv",
    ),
    (
        11543,
        "application/vnd.oma.lwm2m+json",
        "application/vnd.oma.lwm2m+json",
    ),
    (
        11544,
        "application/vnd.oma.lwm2m+cbor",
        "application/vnd.oma.lwm2m+cbor",
    ),
];

/// A content format named by either spelling, or by what ends it (`tlv`, `senml+json`,
/// `octet-stream`); the table's order settles `json` and `cbor` for the plain formats.
pub fn content_format(word: &str) -> Option<u64> {
    let w = word.to_ascii_lowercase();
    CONTENT_FORMATS
        .iter()
        .find(|(_, ours, theirs)| {
            w == *ours
                || w == *theirs
                || [['/'], ['.'], ['+']]
                    .iter()
                    .any(|sep| ours.rsplit_once(*sep).is_some_and(|(_, s)| s == w))
        })
        .map(|&(n, _, _)| n)
}

/// The text Wireshark shows for a content format it knows.
pub fn wireshark_ctype(number: u64) -> Option<&'static str> {
    CONTENT_FORMATS
        .iter()
        .find(|(n, _, _)| *n == number)
        .map(|&(_, _, theirs)| theirs)
}

pub fn state(word: &str) -> Option<u64> {
    FwState::ALL
        .iter()
        .find(|s| same_name(s.name(), word))
        .map(|s| u64::from(s.code()))
}

pub fn state_names() -> impl Iterator<Item = &'static str> {
    FwState::ALL.iter().map(|s| s.name())
}

/// An Update Result by its short name (`IntegrityFailure`) or its phrase in the spec's table
/// ("Integrity check failure").
pub fn result(word: &str) -> Option<u64> {
    UpdateResult::ALL
        .iter()
        .find(|r| same_name(&format!("{r:?}"), word) || same_name(r.name(), word))
        .map(|r| u64::from(r.code()))
}

pub const FATES: [&str; 7] = [
    "delivered",
    "lost",
    "dropped",
    "undeliverable",
    "duplicated",
    "corrupted",
    "delayed",
];

pub const NODES: [&str; 3] = ["server", "repository", "device"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_by_number_and_by_name() {
        assert_eq!(coap_code("2.31"), Some(95));
        assert_eq!(coap_code("2.05"), Some(69));
        assert_eq!(coap_code("Continue"), Some(95));
        assert_eq!(coap_code("not found"), Some(132));
        assert_eq!(coap_code("NOT_FOUND"), Some(132));
        assert_eq!(coap_code("RequestEntityIncomplete"), Some(136));
        assert_eq!(coap_code("get"), Some(1));
        assert_eq!(coap_code("2.5"), None);
        assert_eq!(coap_code("8.00"), None);
        assert_eq!(coap_code("2.32"), None);
    }

    #[test]
    fn every_code_name_reads_back_as_its_explained_code() {
        for name in code_names() {
            let byte = coap_code(name).unwrap() as u8;
            let class = MessageClass::from(byte);
            let shown = fota_coap::message::code_name(class);
            // "2.31 Continue": the phrase after the number; "GET" and "Empty" stand alone.
            let phrase = shown.split_once(' ').map_or(shown.as_str(), |(_, p)| p);
            assert!(same_name(phrase, name), "{name}: {shown}");
        }
    }

    #[test]
    fn content_formats_states_and_results() {
        assert_eq!(content_format("tlv"), Some(11542));
        assert_eq!(content_format("text/plain; charset=utf-8"), Some(0));
        assert_eq!(content_format("senml+cbor"), Some(112));
        assert_eq!(state("downloaded"), Some(2));
        assert_eq!(result("IntegrityFailure"), Some(5));
        assert_eq!(result("Integrity check failure"), Some(5));
        assert_eq!(coap_type("ack"), Some(2));
    }
}
