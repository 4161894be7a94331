//! The request queue: the campaign's and the operator's requests to the device, sent one at a
//! time; one that gets no answer at all, or none the server can decode, is sent again as a
//! new exchange a few times (SRV-4, SRV-12).

use fota_coap::block1_sender::Block1Sender;
use fota_coap::message::{self, set_content_format, set_uint_option};
use fota_coap::messenger::Token;
use fota_coap::{CoapOption, Packet, RequestType};
use fota_lwm2m::{content, definitions, Path};
use std::collections::VecDeque;

/// How often a request that got no answer at all (or none the server can decode) is sent,
/// as new exchanges, before the campaign gives up on the device (SRV-4, SRV-12).
pub(crate) const REQUEST_ATTEMPTS: u32 = 3;

/// The Accept of a Read or Observe of `path` to a client that registered with LwM2M version
/// `lwm2m`, after `misses` answers it could not decode (or 4.06s) to this request (SRV-12).
///
/// The request names none at first, as Leshan does: the client answers in the format it
/// prefers, and every format an LwM2M 1.0 to 1.2 client answers by default is one the server
/// decodes (text/plain or TLV from 1.0 and 1.1 clients, SenML CBOR from 1.2 clients). Naming
/// one up front could only earn a 4.06 from a client that lacks it: a 1.0 client knows no
/// SenML, and a client from 1.1 on need not have TLV. A request that got no answer at all goes
/// again as it was: its format is not what went wrong.
///
/// After an answer the server cannot decode, or a 4.06, the request names the format the
/// client is surest to have: text/plain for a single value (every version has it, but a
/// client from 1.1 on may be built without it, as Anjay with `ANJAY_WITHOUT_PLAINTEXT`, and
/// then has plain CBOR, asked next); for an instance, an object or a multiple resource, TLV
/// from a 1.0 or 1.1 client (1.0 made it mandatory, and 1.1 clients keep it for 1.0 servers)
/// and SenML CBOR from a 1.2 client (its own default). After a second such answer it names
/// the other of the two, so a 4.06 to the first falls back to it; a 1.0 client is asked for
/// TLV again.
pub(crate) fn accept(path: &Path, lwm2m: &str, misses: u32) -> Option<u16> {
    let single = path
        .resource
        .is_some_and(|r| definitions::resource(path.object, r).is_none_or(|d| !d.multiple));
    let ladder: &[u16] = match lwm2m {
        "1.0" if single => &[content::TEXT_PLAIN],
        _ if single => &[content::TEXT_PLAIN, content::CBOR],
        "1.0" => &[content::LWM2M_TLV],
        "1.1" => &[content::LWM2M_TLV, content::SENML_CBOR],
        _ => &[content::SENML_CBOR, content::LWM2M_TLV],
    };
    let step = usize::try_from(misses.checked_sub(1)?).ok()?;
    ladder.get(step).or(ladder.last()).copied()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Read(Path),
    Observe(Path),
    Write(Path, String),
    /// Write-Attributes with these queries.
    WriteAttributes(Path, Vec<String>),
    Execute(Path),
    /// The next block of the PUSH in progress.
    Push,
}

impl core::fmt::Display for Op {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Op::Read(p) => write!(f, "Read {p}"),
            Op::Observe(p) => write!(f, "Observe {p}"),
            Op::Write(p, v) => write!(f, "Write {p} = \"{v}\""),
            Op::WriteAttributes(p, q) => write!(f, "Write-Attributes {p}?{}", q.join("&")),
            Op::Execute(p) => write!(f, "Execute {p}"),
            Op::Push => write!(f, "PUSH block to /5/0/0"),
        }
    }
}

impl Op {
    /// The path a Read or Observe reads.
    pub fn read_path(&self) -> Option<Path> {
        match self {
            Op::Read(p) | Op::Observe(p) => Some(*p),
            _ => None,
        }
    }

    /// The CoAP request that carries this operation, and whether it registers an observation;
    /// `accept` is the format a Read or Observe asks for. None for a PUSH block when no PUSH
    /// is in progress.
    pub fn packet(
        &self,
        push: Option<&Block1Sender>,
        accept: Option<u16>,
    ) -> Option<(Packet, bool)> {
        let get = |p: &Path| {
            let mut r = message::request(RequestType::Get, &p.to_string());
            if let Some(format) = accept {
                set_uint_option(&mut r, CoapOption::Accept, u32::from(format));
            }
            r
        };
        Some(match self {
            Op::Read(p) => (get(p), false),
            Op::Observe(p) => {
                let mut r = get(p);
                r.add_option(CoapOption::Observe, Vec::new());
                (r, true)
            }
            Op::Write(p, value) => {
                let mut r = message::request(RequestType::Put, &p.to_string());
                set_content_format(&mut r, content::TEXT_PLAIN);
                r.payload = value.clone().into_bytes();
                (r, false)
            }
            Op::WriteAttributes(p, queries) => {
                let mut r = message::request(RequestType::Put, &p.to_string());
                for q in queries.iter() {
                    r.add_option(CoapOption::UriQuery, q.as_bytes().to_vec());
                }
                (r, false)
            }
            Op::Execute(p) => (message::request(RequestType::Post, &p.to_string()), false),
            Op::Push => (push?.request(), false),
        })
    }
}

/// A request and the rule the server follows in sending it, when one says why (SRV-3 for the
/// radio reads that gate a PUSH, SRV-4 for a request sent again): the ladder shows it on the
/// request when its receiver applies no rule of its own.
pub(crate) type Why = Option<&'static str>;

/// Which attempt at a request this is (from 1), and how many of its answers so far could not
/// be decoded (or were 4.06), which decides its Accept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tries {
    attempt: u32,
    misses: u32,
}

/// A request waiting to go out.
#[derive(Clone, Debug)]
struct Queued {
    op: Op,
    why: Why,
    tries: Tries,
}

impl Queued {
    fn first(op: Op, why: Why) -> Queued {
        Queued {
            op,
            why,
            tries: Tries {
                attempt: 1,
                misses: 0,
            },
        }
    }
}

/// The queue, the one request in flight, and which requests are the operator's.
#[derive(Clone, Debug, Default)]
pub(crate) struct Requests {
    queue: VecDeque<Queued>,
    /// The request in flight and its tries.
    in_flight: Option<(Token, Op, Tries)>,
    /// The tries of the request last taken from the queue, while it goes out.
    sending: Tries,
    /// The tries of the request last answered or lost: the ones `retry` counts on.
    last: Tries,
    /// Operator requests queued, and the tokens of those sent: their answers are reported.
    operator_pending: Vec<Op>,
    operator_tokens: Vec<Token>,
}

/// The answer to the request in flight.
pub(crate) struct Answered {
    pub op: Op,
    /// The operator asked for it: its answer is reported.
    pub by_operator: bool,
}

/// A request the messenger gave up on (timeout or Reset).
pub(crate) struct Lost {
    /// It was the request in flight.
    pub op: Option<Op>,
    pub by_operator: bool,
}

impl Requests {
    /// True while a request is unanswered or queued.
    pub fn is_busy(&self) -> bool {
        self.in_flight.is_some() || !self.queue.is_empty()
    }

    /// The request `pop_next` would send now, if any.
    pub fn next_to_send(&self) -> Option<&Op> {
        match self.in_flight {
            Some(_) => None,
            None => self.queue.front().map(|q| &q.op),
        }
    }

    pub fn contains(&self, op: &Op) -> bool {
        self.queue.iter().any(|q| q.op == *op)
    }

    pub fn push_back(&mut self, op: Op) {
        self.queue.push_back(Queued::first(op, None));
    }

    /// `op`, sent because `rule` says so.
    pub fn push_back_for(&mut self, rule: &'static str, op: Op) {
        self.queue.push_back(Queued::first(op, Some(rule)));
    }

    pub fn push_front(&mut self, op: Op) {
        self.queue.push_front(Queued::first(op, None));
    }

    /// `op` ahead of the rest, sent because `rule` says so.
    pub fn push_front_for(&mut self, rule: &'static str, op: Op) {
        self.queue.push_front(Queued::first(op, Some(rule)));
    }

    pub fn extend(&mut self, ops: impl IntoIterator<Item = Op>) {
        self.queue
            .extend(ops.into_iter().map(|op| Queued::first(op, None)));
    }

    /// `ops`, each sent because `rule` says so.
    pub fn extend_for(&mut self, rule: &'static str, ops: impl IntoIterator<Item = Op>) {
        self.queue
            .extend(ops.into_iter().map(|op| Queued::first(op, Some(rule))));
    }

    /// Drops the queued requests; the one in flight stays.
    pub fn clear(&mut self) {
        self.queue.clear();
    }

    /// An operator's request: it goes out ahead of the campaign's own.
    pub fn push_operator(&mut self, op: Op) {
        self.operator_pending.push(op.clone());
        self.queue.push_front(Queued::first(op, None));
    }

    /// The request to send next, and why: none while one is in flight.
    pub fn pop_next(&mut self) -> Option<(Op, Why)> {
        if self.in_flight.is_some() {
            return None;
        }
        let next = self.queue.pop_front()?;
        self.sending = next.tries;
        Some((next.op, next.why))
    }

    /// The Accept for `op`, the request just taken from the queue, to a client that
    /// registered with LwM2M version `lwm2m` (SRV-12).
    pub fn accept(&self, op: &Op, lwm2m: &str) -> Option<u16> {
        accept(&op.read_path()?, lwm2m, self.sending.misses)
    }

    /// `op` went out with `token`.
    pub fn sent(&mut self, token: Token, op: Op) {
        if let Some(i) = self.operator_pending.iter().position(|o| *o == op) {
            self.operator_pending.remove(i);
            self.operator_tokens.push(token.clone());
        }
        self.in_flight = Some((token, op, self.sending));
    }

    /// Forgets the request in flight, and returns its token to cancel.
    pub fn cancel_in_flight(&mut self) -> Option<Token> {
        self.in_flight.take().map(|(token, ..)| token)
    }

    /// A response with `token`: the request in flight when it is the one answered.
    pub fn answered(&mut self, token: &[u8]) -> Option<Answered> {
        let (_, op, tries) = self.in_flight.take_if(|(t, ..)| *t == token)?;
        self.last = tries;
        let by_operator = self.take_operator_token(token);
        Some(Answered { op, by_operator })
    }

    /// The exchange with `token` ended with no answer.
    pub fn lost(&mut self, token: &[u8]) -> Lost {
        let by_operator = self.take_operator_token(token);
        let op = self
            .in_flight
            .take_if(|(t, ..)| *t == token)
            .map(|(_, op, tries)| {
                self.last = tries;
                op
            });
        Lost { op, by_operator }
    }

    /// Queues `op`, the request last answered or lost, again ahead of the rest, since its
    /// answer never came or could not be decoded: the attempt it will be, or None when it
    /// has had all its attempts.
    pub fn retry(&mut self, op: Op) -> Option<u32> {
        let attempt = self.last.attempt + 1;
        if attempt > REQUEST_ATTEMPTS {
            return None;
        }
        let tries = Tries {
            attempt,
            ..self.last
        };
        self.queue.push_front(Queued {
            op,
            why: Some("SRV-4"),
            tries,
        });
        Some(attempt)
    }

    /// The answer just taken could not be decoded, or was a 4.06: when the request goes
    /// again, it names the next format the client may have (SRV-12).
    pub fn missed_format(&mut self) {
        self.last.misses += 1;
    }

    fn take_operator_token(&mut self, token: &[u8]) -> bool {
        match self.operator_tokens.iter().position(|t| t == token) {
            Some(i) => {
                self.operator_tokens.remove(i);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRMWARE: Path = Path::instance(5, 0);
    const VERSION: Path = Path::resource(3, 0, 3);
    const PROTOCOLS: Path = Path::resource(5, 0, 8);

    #[test]
    fn srv12_no_accept_at_first_then_the_formats_the_client_is_surest_to_have() {
        for v in ["1.0", "1.1", "1.2"] {
            for p in [FIRMWARE, VERSION, PROTOCOLS] {
                assert_eq!(accept(&p, v, 0), None, "{v} {p}");
            }
        }
        let tlv = Some(content::LWM2M_TLV);
        let cbor = Some(content::SENML_CBOR);
        let ladder = |p: &Path, v: &str| [1, 2, 3].map(|misses| accept(p, v, misses));
        assert_eq!(ladder(&FIRMWARE, "1.0"), [tlv, tlv, tlv]);
        assert_eq!(ladder(&FIRMWARE, "1.1"), [tlv, cbor, cbor]);
        assert_eq!(ladder(&FIRMWARE, "1.2"), [cbor, tlv, tlv]);
        // /5/0/8 is a multiple resource: no plain text for it.
        assert_eq!(ladder(&PROTOCOLS, "1.2"), [cbor, tlv, tlv]);
        // A single value: text/plain, then plain CBOR from a client that may lack text.
        let text = Some(content::TEXT_PLAIN);
        let plain_cbor = Some(content::CBOR);
        assert_eq!(ladder(&VERSION, "1.0"), [text, text, text]);
        assert_eq!(ladder(&VERSION, "1.1"), [text, plain_cbor, plain_cbor]);
        assert_eq!(ladder(&VERSION, "1.2"), [text, plain_cbor, plain_cbor]);
    }

    /// Sends the next request, and returns it with the Accept its packet names.
    fn send(r: &mut Requests, token: u8) -> (Op, Option<u32>) {
        let (op, _) = r.pop_next().unwrap();
        let (packet, _) = op.packet(None, r.accept(&op, "1.2")).unwrap();
        r.sent(vec![token], op.clone());
        (op, message::uint_option(&packet, CoapOption::Accept))
    }

    #[test]
    fn srv12_an_undecodable_answer_moves_the_accept_on_and_a_lost_request_keeps_it() {
        let mut r = Requests::default();
        r.push_back(Op::Read(FIRMWARE));
        let (op, named) = send(&mut r, 1);
        assert_eq!(named, None);
        // No answer at all: it goes again as it was.
        assert!(r.lost(&[1]).op.is_some());
        assert_eq!(r.retry(op), Some(2));
        let (op, named) = send(&mut r, 2);
        assert_eq!(named, None, "a lost request is no reason to name a format");
        // An answer it cannot decode: the next attempt asks for SenML CBOR, a 1.2 client's own.
        assert!(r.answered(&[2]).is_some());
        r.missed_format();
        assert_eq!(r.retry(op), Some(3));
        let (op, named) = send(&mut r, 3);
        assert_eq!(named, Some(u32::from(content::SENML_CBOR)));
        assert!(r.answered(&[3]).is_some());
        r.missed_format();
        assert_eq!(
            r.retry(op),
            None,
            "three attempts, then the device counts as silent"
        );
        assert!(!r.is_busy());
        // A new request starts afresh.
        r.push_back(Op::Read(VERSION));
        assert_eq!(send(&mut r, 4).1, None);
    }
}
