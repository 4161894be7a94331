//! A CoAP message split where the option mutators cut it (RFC 7252 §3): the header and token,
//! the options as (number, value), and the rest (payload marker and payload, or trailing
//! bytes). Read by hand rather than by coap-lite, so that the mutators can still take apart
//! a message coap-lite would refuse, and write back shapes it would never write.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The 4-byte header and the token.
    pub head: Vec<u8>,
    pub options: Vec<(u32, Vec<u8>)>,
    /// From the payload marker on, or whatever follows the last option that parsed.
    pub rest: Vec<u8>,
}

/// An option's delta or length nibble and its extended bytes, as read at `at`.
fn extended(nibble: u8, bytes: &[u8], at: &mut usize) -> Option<u32> {
    let take = |n: usize, at: &mut usize| -> Option<u32> {
        let b = bytes.get(*at..*at + n)?;
        *at += n;
        Some(b.iter().fold(0u32, |v, &x| (v << 8) | u32::from(x)))
    };
    match nibble {
        0..=12 => Some(u32::from(nibble)),
        13 => Some(take(1, at)? + 13),
        14 => Some(take(2, at)? + 269),
        _ => None,
    }
}

/// The nibble and extended bytes for a delta or length `v` (at most 65804, the largest the
/// encoding can carry; larger values are capped there).
fn nibble(v: u32) -> (u8, Vec<u8>) {
    match v {
        0..=12 => (v as u8, Vec::new()),
        13..=268 => (13, vec![(v - 13) as u8]),
        _ => (14, (v.min(65_804) - 269).to_be_bytes()[2..].to_vec()),
    }
}

impl Layout {
    /// Splits `bytes`; `None` when they are shorter than the header and token.
    pub fn parse(bytes: &[u8]) -> Option<Layout> {
        let tkl = usize::from(*bytes.first()? & 0x0f);
        let head_len = 4 + tkl;
        let head = bytes.get(..head_len)?.to_vec();
        let mut at = head_len;
        let mut number = 0u32;
        let mut options = Vec::new();
        while let Some(&first) = bytes.get(at) {
            if first == 0xff {
                break;
            }
            let mut next = at + 1;
            let parsed = extended(first >> 4, bytes, &mut next).and_then(|delta| {
                let len = extended(first & 0x0f, bytes, &mut next)? as usize;
                let value = bytes.get(next..next + len)?.to_vec();
                Some((delta, len, value))
            });
            let Some((delta, len, value)) = parsed else {
                break;
            };
            number += delta;
            options.push((number, value));
            at = next + len;
        }
        Some(Layout {
            head,
            options,
            rest: bytes[at..].to_vec(),
        })
    }

    /// The bytes again, with the options in the order given: each delta is taken from the
    /// option before, so an option moved below an earlier number is written with the delta
    /// that wraps the least (0), which is what a repeated option looks like.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = self.head.clone();
        let mut number = 0u32;
        for (n, value) in &self.options {
            let delta = n.saturating_sub(number);
            number = number.max(*n);
            let (d, d_ext) = nibble(delta);
            let (l, l_ext) = nibble(value.len() as u32);
            out.push((d << 4) | l);
            out.extend_from_slice(&d_ext);
            out.extend_from_slice(&l_ext);
            out.extend_from_slice(value);
        }
        out.extend_from_slice(&self.rest);
        out
    }

    /// The payload after the marker, when there is one.
    pub fn payload(&self) -> Option<&[u8]> {
        self.rest.strip_prefix(&[0xff])
    }

    /// Sets option `number` to `value`: the first such option, or a new one in number order.
    pub fn set(&mut self, number: u32, value: Vec<u8>) {
        match self.options.iter_mut().find(|(n, _)| *n == number) {
            Some((_, v)) => *v = value,
            None => {
                let at = self.options.partition_point(|(n, _)| *n <= number);
                self.options.insert(at, (number, value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_of_the_project_splits_and_joins_to_the_same_bytes() {
        let mut p = fota_coap::message::request(fota_coap::RequestType::Get, "/fw/app.bin");
        p.set_token(vec![1, 2, 3]);
        fota_coap::message::set_uint_option(&mut p, fota_coap::CoapOption::Block2, 0x1d);
        // Proxy-Uri (35) needs an extended delta; a 300-byte value an extended length.
        p.add_option(fota_coap::CoapOption::ProxyUri, vec![b'x'; 300]);
        p.payload = b"body".to_vec();
        let bytes = fota_coap::message::encode(&p).unwrap();
        let l = Layout::parse(&bytes).unwrap();
        assert_eq!(l.head.len(), 7);
        let numbers: Vec<u32> = l.options.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [11, 11, 23, 35]);
        assert_eq!(l.payload(), Some(&b"body"[..]));
        assert_eq!(l.encode(), bytes);
    }

    #[test]
    fn a_repeated_option_is_written_with_delta_zero() {
        let l = Layout {
            head: vec![0x40, 1, 0, 1],
            options: vec![(12, vec![0]), (12, vec![])],
            rest: Vec::new(),
        };
        assert_eq!(l.encode(), [0x40, 1, 0, 1, 0xc1, 0, 0x00]);
    }

    #[test]
    fn bytes_that_stop_making_sense_are_kept_as_the_rest() {
        // Delta nibble 15 without the payload marker: a format error, kept as it is.
        let l = Layout::parse(&[0x40, 1, 0, 1, 0xb1, b'a', 0xf3, 9]).unwrap();
        assert_eq!(l.options, [(11, b"a".to_vec())]);
        assert_eq!(l.rest, [0xf3, 9]);
        assert_eq!(Layout::parse(&[0x48, 1, 0]), None);
    }
}
