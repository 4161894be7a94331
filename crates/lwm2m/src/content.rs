//! Content-Format numbers (IANA CoAP registry) that LwM2M uses.

pub const TEXT_PLAIN: u16 = 0;
pub const LINK_FORMAT: u16 = 40;
pub const OPAQUE: u16 = 42;
/// Plain CBOR: one resource's value (LwM2M 1.1 §7.3.6).
pub const CBOR: u16 = 60;
pub const SENML_JSON: u16 = 110;
pub const SENML_CBOR: u16 = 112;
pub const LWM2M_TLV: u16 = 11542;
pub const LWM2M_JSON: u16 = 11543;
pub const LWM2M_CBOR: u16 = 11544;

pub fn name(format: u16) -> &'static str {
    match format {
        TEXT_PLAIN => "text/plain",
        LINK_FORMAT => "application/link-format",
        OPAQUE => "application/octet-stream",
        50 => "application/json",
        CBOR => "application/cbor",
        SENML_JSON => "application/senml+json",
        SENML_CBOR => "application/senml+cbor",
        LWM2M_TLV => "application/vnd.oma.lwm2m+tlv",
        LWM2M_JSON => "application/vnd.oma.lwm2m+json",
        LWM2M_CBOR => "application/vnd.oma.lwm2m+cbor",
        _ => "unknown",
    }
}

/// Formats whose payload is text a student can read as it is.
pub fn is_text(format: u16) -> bool {
    matches!(
        format,
        TEXT_PLAIN | LINK_FORMAT | 50 | SENML_JSON | LWM2M_JSON
    )
}
