//! The inspector's hex dump: 16 bytes a line, each byte tagged with the part of the CoAP
//! message it belongs to so the view can colour header, token, options and payload.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Header,
    Token,
    Options,
    Marker,
    Payload,
}

impl Region {
    pub fn class(self) -> &'static str {
        match self {
            Region::Header => "hx-header",
            Region::Token => "hx-token",
            Region::Options => "hx-options",
            Region::Marker => "hx-marker",
            Region::Payload => "hx-payload",
        }
    }
}

/// The region of every byte of a well-formed message; `payload_len` comes from the decoder.
pub fn regions(bytes: &[u8], payload_len: usize) -> Vec<Region> {
    let tkl = bytes.first().map_or(0, |b| usize::from(b & 0x0f)).min(8);
    let payload_start = bytes.len().saturating_sub(payload_len);
    (0..bytes.len())
        .map(|i| {
            if i < 4 {
                Region::Header
            } else if i < 4 + tkl {
                Region::Token
            } else if payload_len > 0 && i + 1 == payload_start {
                Region::Marker
            } else if payload_len > 0 && i >= payload_start {
                Region::Payload
            } else {
                Region::Options
            }
        })
        .collect()
}

/// The bytes of each option, its header bytes included, in order (RFC 7252 §3.1).
pub fn option_spans(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let tkl = bytes.first().map_or(0, |b| usize::from(b & 0x0f)).min(8);
    let mut at = 4 + tkl;
    let mut spans = Vec::new();
    while let Some(&first) = bytes.get(at) {
        if first == 0xff {
            break;
        }
        let start = at;
        at += 1;
        // Extended delta, then extended length: 13 takes one more byte, 14 two.
        let ext = |nibble: u8, at: &mut usize| -> Option<usize> {
            match nibble {
                13 => {
                    let v = usize::from(*bytes.get(*at)?) + 13;
                    *at += 1;
                    Some(v)
                }
                14 => {
                    let v =
                        usize::from(u16::from_be_bytes([*bytes.get(*at)?, *bytes.get(*at + 1)?]))
                            + 269;
                    *at += 2;
                    Some(v)
                }
                15 => None,
                n => Some(usize::from(n)),
            }
        };
        if ext(first >> 4, &mut at).is_none() {
            break;
        }
        let Some(len) = ext(first & 0x0f, &mut at) else {
            break;
        };
        at = (at + len).min(bytes.len());
        spans.push(start..at);
    }
    spans
}

/// The bytes a header field of `explain` covers, by its name.
pub fn header_span(name: &str, bytes: &[u8]) -> Option<std::ops::Range<usize>> {
    let tkl = bytes.first().map_or(0, |b| usize::from(b & 0x0f)).min(8);
    Some(match name {
        "Version" | "Type" | "Token Length" => 0..1,
        "Code" => 1..2,
        "Message ID" => 2..4,
        "Token" => 4..4 + tkl,
        _ => return None,
    })
}

/// The bytes that carry `field` of the filter language in a message whose options have
/// `numbers` (in order, as `option_spans` finds them): what a lesson step lights when its
/// text is about that field. `None` for a field the message does not carry in its bytes.
pub fn spotlight(
    field: fota_course::filter::Field,
    bytes: &[u8],
    numbers: &[u16],
    payload_len: usize,
) -> Option<std::ops::Range<usize>> {
    use fota_course::filter::Field;
    let options: &[u16] = match field {
        Field::CoapType => return header_span("Type", bytes),
        Field::CoapCode => return header_span("Code", bytes),
        Field::CoapMid => return header_span("Message ID", bytes),
        Field::CoapToken => return header_span("Token", bytes).filter(|r| !r.is_empty()),
        Field::PayloadLength | Field::Lwm2mState | Field::Lwm2mResult => {
            let start = bytes.len().checked_sub(payload_len)?;
            return (payload_len > 0).then_some(start..bytes.len());
        }
        Field::Uri | Field::Lwm2mPath => &[11],
        Field::UriQuery => &[15],
        Field::BlockNumber | Field::BlockMflag | Field::BlockSize => &[23, 27],
        Field::Observe => &[6],
        Field::Ctype => &[12],
        Field::Etag => &[4],
        Field::Fate | Field::From | Field::To | Field::Rule => return None,
    };
    let spans = option_spans(bytes);
    let mut hit = numbers
        .iter()
        .zip(&spans)
        .filter(|(n, _)| options.contains(n))
        .map(|(_, s)| s.clone());
    let first = hit.next()?;
    Some(hit.fold(first, |all, s| all.start.min(s.start)..all.end.max(s.end)))
}

/// `0000` style offsets and printable ASCII for a line.
pub fn ascii(chunk: &[u8]) -> String {
    chunk
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_split_a_message() {
        // CON GET, TKL 2, MID, token ca fe, Uri-Path "a", marker, payload "hi".
        let bytes = [
            0x42, 0x01, 0x00, 0x01, 0xca, 0xfe, 0xb1, b'a', 0xff, b'h', b'i',
        ];
        let r = regions(&bytes, 2);
        use Region::*;
        assert_eq!(
            r,
            vec![
                Header, Header, Header, Header, Token, Token, Options, Options, Marker, Payload,
                Payload
            ]
        );
        assert_eq!(ascii(&[b'h', 0, 0x7f]), "h..");
        assert_eq!(option_spans(&bytes), vec![6..8]);
        assert_eq!(header_span("Message ID", &bytes), Some(2..4));
        assert_eq!(header_span("Token", &bytes), Some(4..6));
    }

    #[test]
    fn a_lesson_field_lights_its_bytes() {
        use fota_course::filter::Field;
        // CON GET, token ca fe; Uri-Path "fw", Uri-Path "a"; Block2 (delta 12: 13 + 10 = 23).
        let bytes = [
            0x42, 0x01, 0x00, 0x07, 0xca, 0xfe, 0xb2, b'f', b'w', 0x01, b'a', 0xd1, 0x0a, 0x16,
            0xff, 1,
        ];
        let numbers = [11, 11, 23];
        assert_eq!(spotlight(Field::CoapMid, &bytes, &numbers, 1), Some(2..4));
        assert_eq!(
            spotlight(Field::Uri, &bytes, &numbers, 1),
            Some(6..11),
            "both segments"
        );
        assert_eq!(
            spotlight(Field::BlockNumber, &bytes, &numbers, 1),
            Some(11..14)
        );
        assert_eq!(
            spotlight(Field::PayloadLength, &bytes, &numbers, 1),
            Some(15..16)
        );
        assert_eq!(spotlight(Field::Etag, &bytes, &numbers, 1), None);
        assert_eq!(spotlight(Field::From, &bytes, &numbers, 1), None);
    }

    #[test]
    fn option_spans_follow_extended_deltas_and_lengths() {
        // Uri-Path "fw" (delta 11), then Block2 (delta 12 from 11 = 23: extended 13+10).
        let bytes = [
            0x40, 0x01, 0x00, 0x01, 0xb2, b'f', b'w', 0xd1, 0x0a, 0x16, 0xff, 1,
        ];
        assert_eq!(option_spans(&bytes), vec![4..7, 7..10]);
        assert_eq!(
            option_spans(&[0x40, 1, 0, 1, 0xf0]),
            Vec::<std::ops::Range<usize>>::new()
        );
    }
}
