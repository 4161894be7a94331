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
    }
}
