//! The mutators: small changes to a real input, a few stacked on each execution. Byte-level
//! ones for any input; CoAP-aware ones (options, token length, header, payload) that keep the
//! message readable far enough to reach the code behind the decoder; and a number swap for
//! JSON and other texts, where a changed number reaches the checks that a changed byte only
//! turns into a syntax error.

use crate::corpus::Corpus;
use crate::layout::Layout;
use fota_coap::SimRng;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mutator {
    BitFlip,
    /// A byte set to 0, 0xff, 0x7f, 0x80, or an option nibble's escape (13, 14, 15).
    Interesting,
    Truncate,
    Extend,
    /// The head of this input and the tail of another.
    Splice,
    /// An option repeated right after itself.
    OptionDuplicate,
    OptionRemove,
    /// An option's value replaced: an extreme integer, a Block value with SZX 7 or the last
    /// block number, random bytes, or a long value.
    OptionValue,
    /// Content-Format or Accept set to another (or no known) format.
    Format,
    /// The TKL nibble changed, bytes left as they are (9 to 15 are reserved).
    TokenLength,
    /// The type, the code or the Message ID changed.
    Header,
    /// The payload replaced by another datagram's payload, or added.
    PayloadSwap,
    /// A number of a text replaced by an extreme one.
    Number,
}

/// What an input is, which decides the mutators that fit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Datagram,
    Bytes,
    Text,
}

impl Mutator {
    pub const ALL: [Mutator; 13] = [
        Mutator::BitFlip,
        Mutator::Interesting,
        Mutator::Truncate,
        Mutator::Extend,
        Mutator::Splice,
        Mutator::OptionDuplicate,
        Mutator::OptionRemove,
        Mutator::OptionValue,
        Mutator::Format,
        Mutator::TokenLength,
        Mutator::Header,
        Mutator::PayloadSwap,
        Mutator::Number,
    ];

    const RAW: [Mutator; 5] = [
        Mutator::BitFlip,
        Mutator::Interesting,
        Mutator::Truncate,
        Mutator::Extend,
        Mutator::Splice,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mutator::BitFlip => "bit flip",
            Mutator::Interesting => "interesting byte",
            Mutator::Truncate => "truncate",
            Mutator::Extend => "extend",
            Mutator::Splice => "splice",
            Mutator::OptionDuplicate => "option duplicate",
            Mutator::OptionRemove => "option remove",
            Mutator::OptionValue => "option value",
            Mutator::Format => "content format",
            Mutator::TokenLength => "token length",
            Mutator::Header => "header field",
            Mutator::PayloadSwap => "payload swap",
            Mutator::Number => "number swap",
        }
    }

    fn fits(self, shape: Shape) -> bool {
        match shape {
            Shape::Datagram => self != Mutator::Number,
            Shape::Bytes => Mutator::RAW.contains(&self),
            Shape::Text => Mutator::RAW.contains(&self) || self == Mutator::Number,
        }
    }
}

/// The longest input a mutation makes: past it, growing further only slows the run.
const MAX_LEN: usize = 64 * 1024;

const INTERESTING: [u8; 7] = [0x00, 0xff, 0x7f, 0x80, 0x0d, 0x0e, 0x0f];

/// Option values that sit at an edge: empty, the largest of each width, a Block value of
/// the last block number (with M set) and one with the reserved SZX 7.
const EDGE_VALUES: &[&[u8]] = &[
    &[],
    &[0x00],
    &[0xff],
    &[0xff, 0xff],
    &[0xff, 0xff, 0xff],
    &[0xff, 0xff, 0xff, 0xff],
    &[0xff, 0xff, 0xff, 0xff, 0xff],
    &[0xff, 0xff, 0xfe],
    &[0x0f],
    &[0x07],
    &[0x80, 0x00, 0x0e],
];

/// Content formats: the LwM2M ones, one we never serve (LwM2M JSON), and the largest.
const FORMATS: [u16; 9] = [0, 40, 42, 60, 110, 112, 11542, 11543, 65535];

const CODES: [u8; 20] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x41, 0x42, 0x43, 0x44, 0x45, 0x5f, 0x80, 0x82, 0x84, 0x88,
    0x8c, 0x8d, 0x8f, 0xa0,
];

const NUMBERS: [&str; 11] = [
    "0",
    "-1",
    "1",
    "255",
    "65535",
    "65536",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "1e309",
    "-9223372036854775808",
];

/// A position in `len` bytes, half the time within the first 64 or the last 256, where the
/// headers and trailers are: a signed image is mostly payload, whose changes only fail the
/// hash.
fn position(rng: &mut SimRng, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let last = len as u64 - 1;
    match rng.range(0, 3) {
        0 => rng.range(0, last.min(63)) as usize,
        1 => rng.range(last.saturating_sub(255), last) as usize,
        _ => rng.range(0, last) as usize,
    }
}

fn pick<'a, T>(rng: &mut SimRng, from: &'a [T]) -> Option<&'a T> {
    if from.is_empty() {
        return None;
    }
    from.get(rng.range(0, from.len() as u64 - 1) as usize)
}

/// Mutates `input`: one to three mutators that fit its shape, in turn. `donors` are the other
/// inputs of the same kind (for splicing); the corpus gives payloads to swap in. Returns the
/// mutant and the mutators that changed it.
pub fn mutate(
    rng: &mut SimRng,
    input: &[u8],
    shape: Shape,
    donors: &[Vec<u8>],
    corpus: &Corpus,
) -> (Vec<u8>, Vec<Mutator>) {
    let fitting: Vec<Mutator> = Mutator::ALL.into_iter().filter(|m| m.fits(shape)).collect();
    let mut bytes = input.to_vec();
    let mut applied = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let Some(&m) = pick(rng, &fitting) else { break };
        // A CoAP-aware mutator that finds nothing to change (no option to remove, no payload
        // to swap) falls back to a bit flip, so that every execution runs a changed input.
        let m = match apply(rng, m, &mut bytes, donors, corpus) {
            true => m,
            false => {
                apply(rng, Mutator::BitFlip, &mut bytes, donors, corpus);
                Mutator::BitFlip
            }
        };
        bytes.truncate(MAX_LEN);
        applied.push(m);
    }
    (bytes, applied)
}

/// Applies one mutator; false when it found nothing to change.
fn apply(
    rng: &mut SimRng,
    m: Mutator,
    b: &mut Vec<u8>,
    donors: &[Vec<u8>],
    corpus: &Corpus,
) -> bool {
    match m {
        Mutator::BitFlip => {
            if b.is_empty() {
                b.push(rng.next_u32() as u8);
            }
            for _ in 0..rng.range(1, 4) {
                let i = position(rng, b.len());
                b[i] ^= 1 << rng.range(0, 7);
            }
            true
        }
        Mutator::Interesting => {
            if b.is_empty() {
                return false;
            }
            let i = position(rng, b.len());
            b[i] = *pick(rng, &INTERESTING).unwrap_or(&0);
            true
        }
        Mutator::Truncate => {
            if b.is_empty() {
                return false;
            }
            let to = position(rng, b.len());
            b.truncate(to);
            true
        }
        Mutator::Extend => {
            match rng.range(0, 2) {
                0 => {
                    let mut extra = vec![0u8; rng.range(1, 32) as usize];
                    rng.fill(&mut extra);
                    b.extend_from_slice(&extra);
                }
                // The tail again: a repeated TLV, option or JSON element.
                1 => {
                    let from = position(rng, b.len());
                    let tail = b[from..].to_vec();
                    b.extend_from_slice(&tail);
                }
                _ => {
                    let byte = *pick(rng, &INTERESTING).unwrap_or(&0);
                    let n = rng.range(1, 300) as usize;
                    b.extend(std::iter::repeat_n(byte, n));
                }
            }
            true
        }
        Mutator::Splice => {
            let Some(other) = pick(rng, donors) else {
                return false;
            };
            let cut = position(rng, b.len());
            let from = position(rng, other.len());
            b.truncate(cut);
            b.extend_from_slice(&other[from..]);
            true
        }
        Mutator::TokenLength => {
            let Some(first) = b.first_mut() else {
                return false;
            };
            *first = (*first & 0xf0) | rng.range(0, 15) as u8;
            true
        }
        Mutator::Header => {
            if b.len() < 4 {
                return false;
            }
            match rng.range(0, 2) {
                0 => b[0] = (b[0] & 0xcf) | ((rng.range(0, 3) as u8) << 4),
                1 => b[1] = *pick(rng, &CODES).unwrap_or(&0),
                _ => {
                    let mid = u16::from_be_bytes([b[2], b[3]]);
                    let mid = match rng.range(0, 2) {
                        0 => mid.wrapping_add(1),
                        1 => mid.wrapping_sub(1),
                        _ => rng.next_u32() as u16,
                    };
                    b[2..4].copy_from_slice(&mid.to_be_bytes());
                }
            }
            true
        }
        Mutator::OptionDuplicate
        | Mutator::OptionRemove
        | Mutator::OptionValue
        | Mutator::Format
        | Mutator::PayloadSwap => {
            let Some(mut layout) = Layout::parse(b) else {
                return false;
            };
            if !coap_aware(rng, m, &mut layout, corpus) {
                return false;
            }
            *b = layout.encode();
            true
        }
        Mutator::Number => number(rng, b),
    }
}

/// The mutators that work on a message's layout.
fn coap_aware(rng: &mut SimRng, m: Mutator, l: &mut Layout, corpus: &Corpus) -> bool {
    let n = l.options.len() as u64;
    let which = rng.range(0, n.saturating_sub(1)) as usize;
    match m {
        Mutator::OptionDuplicate if n > 0 => {
            let copy = l.options[which].clone();
            l.options.insert(which + 1, copy);
        }
        Mutator::OptionRemove if n > 0 => {
            l.options.remove(which);
        }
        Mutator::OptionValue if n > 0 => {
            let value = match rng.range(0, 2) {
                0 => pick(rng, EDGE_VALUES).map_or(Vec::new(), |v| v.to_vec()),
                1 => {
                    let mut v = vec![0u8; rng.range(1, 4) as usize];
                    rng.fill(&mut v);
                    v
                }
                _ => vec![b'a'; rng.range(13, 600) as usize],
            };
            l.options[which].1 = value;
        }
        Mutator::Format => {
            let number = if rng.range(0, 1) == 0 { 12 } else { 17 };
            let format = *pick(rng, &FORMATS).unwrap_or(&0);
            l.set(number, fota_coap::message::uint_bytes(u32::from(format)));
        }
        Mutator::PayloadSwap => {
            let Some(payload) = pick(rng, &corpus.payloads) else {
                return false;
            };
            l.rest = [&[0xff][..], payload].concat();
        }
        _ => return false,
    }
    true
}

/// Replaces one run of digits (with its sign) by an extreme number.
fn number(rng: &mut SimRng, b: &mut Vec<u8>) -> bool {
    let runs: Vec<(usize, usize)> = {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                runs.push((start, i));
            } else {
                i += 1;
            }
        }
        runs
    };
    let Some(&(start, end)) = pick(rng, &runs) else {
        return false;
    };
    let with = pick(rng, &NUMBERS).copied().unwrap_or("0");
    b.splice(start..end, with.bytes());
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutants() {
        let corpus = Corpus::default();
        let input = [0x44, 0x01, 0x12, 0x34, 1, 2, 3, 4, 0xb1, b'5', 0xff, b'x'];
        let run = |seed| {
            let mut rng = SimRng::new(seed);
            (0..50)
                .map(|_| mutate(&mut rng, &input, Shape::Datagram, &[], &corpus))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn a_number_is_swapped_whole_with_its_sign() {
        let mut rng = SimRng::new(1);
        let mut b = b"{\"size\":-4096}".to_vec();
        assert!(number(&mut rng, &mut b));
        let text = String::from_utf8(b).unwrap();
        assert!(
            text.starts_with("{\"size\":") && text.ends_with('}'),
            "{text}"
        );
        assert!(NUMBERS.iter().any(|n| text == format!("{{\"size\":{n}}}")));
    }

    #[test]
    fn a_text_gets_no_coap_mutator_and_bytes_no_number_swap() {
        assert!(!Mutator::OptionRemove.fits(Shape::Text));
        assert!(!Mutator::Number.fits(Shape::Bytes));
        assert!(Mutator::ALL
            .iter()
            .all(|m| m.fits(Shape::Datagram) || *m == Mutator::Number));
    }
}
