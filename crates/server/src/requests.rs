//! The request queue: the campaign's and the operator's requests to the device, sent one at a
//! time; one that gets no answer at all is sent again as a new exchange a few times (SRV-4).

use fota_coap::block1_sender::Block1Sender;
use fota_coap::message::{self, set_content_format};
use fota_coap::messenger::Token;
use fota_coap::{CoapOption, Packet, RequestType};
use fota_lwm2m::{content, Path};
use std::collections::VecDeque;

/// How often a request that got no answer at all is sent, as new exchanges, before the
/// campaign gives up on the device (SRV-4).
pub(crate) const REQUEST_ATTEMPTS: u32 = 3;

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
    /// The CoAP request that carries this operation, and whether it registers an observation.
    /// None for a PUSH block when no PUSH is in progress.
    pub fn packet(&self, push: Option<&Block1Sender>) -> Option<(Packet, bool)> {
        Some(match self {
            Op::Read(p) => (message::request(RequestType::Get, &p.to_string()), false),
            Op::Observe(p) => {
                let mut r = message::request(RequestType::Get, &p.to_string());
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

/// The queue, the one request in flight, and which requests are the operator's.
#[derive(Clone, Debug, Default)]
pub(crate) struct Requests {
    queue: VecDeque<(Op, Why)>,
    in_flight: Option<(Token, Op)>,
    /// Times the request in the queue's front has gone unanswered.
    retries: u32,
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

    pub fn contains(&self, op: &Op) -> bool {
        self.queue.iter().any(|(o, _)| o == op)
    }

    pub fn push_back(&mut self, op: Op) {
        self.queue.push_back((op, None));
    }

    /// `op`, sent because `rule` says so.
    pub fn push_back_for(&mut self, rule: &'static str, op: Op) {
        self.queue.push_back((op, Some(rule)));
    }

    pub fn push_front(&mut self, op: Op) {
        self.queue.push_front((op, None));
    }

    /// `op` ahead of the rest, sent because `rule` says so.
    pub fn push_front_for(&mut self, rule: &'static str, op: Op) {
        self.queue.push_front((op, Some(rule)));
    }

    pub fn extend(&mut self, ops: impl IntoIterator<Item = Op>) {
        self.queue.extend(ops.into_iter().map(|op| (op, None)));
    }

    /// `ops`, each sent because `rule` says so.
    pub fn extend_for(&mut self, rule: &'static str, ops: impl IntoIterator<Item = Op>) {
        self.queue
            .extend(ops.into_iter().map(|op| (op, Some(rule))));
    }

    /// Drops the queued requests; the one in flight stays.
    pub fn clear(&mut self) {
        self.queue.clear();
    }

    /// An operator's request: it goes out ahead of the campaign's own.
    pub fn push_operator(&mut self, op: Op) {
        self.operator_pending.push(op.clone());
        self.queue.push_front((op, None));
    }

    /// The request to send next, and why: none while one is in flight.
    pub fn pop_next(&mut self) -> Option<(Op, Why)> {
        if self.in_flight.is_some() {
            return None;
        }
        self.queue.pop_front()
    }

    /// `op` went out with `token`.
    pub fn sent(&mut self, token: Token, op: Op) {
        if let Some(i) = self.operator_pending.iter().position(|o| *o == op) {
            self.operator_pending.remove(i);
            self.operator_tokens.push(token.clone());
        }
        self.in_flight = Some((token, op));
    }

    /// Forgets the request in flight, and returns its token to cancel.
    pub fn cancel_in_flight(&mut self) -> Option<Token> {
        self.in_flight.take().map(|(token, _)| token)
    }

    /// A response with `token`: the request in flight when it is the one answered.
    pub fn answered(&mut self, token: &[u8]) -> Option<Answered> {
        let (_, op) = self.in_flight.take_if(|(t, _)| *t == token)?;
        self.retries = 0;
        let by_operator = self.take_operator_token(token);
        Some(Answered { op, by_operator })
    }

    /// The exchange with `token` ended with no answer.
    pub fn lost(&mut self, token: &[u8]) -> Lost {
        let by_operator = self.take_operator_token(token);
        let op = self
            .in_flight
            .take_if(|(t, _)| *t == token)
            .map(|(_, op)| op);
        Lost { op, by_operator }
    }

    /// Queues an unanswered `op` again, ahead of the rest: the attempt it will be, or None when
    /// it has had all its attempts.
    pub fn retry(&mut self, op: Op) -> Option<u32> {
        if self.retries + 1 < REQUEST_ATTEMPTS {
            self.retries += 1;
            self.queue.push_front((op, Some("SRV-4")));
            Some(self.retries + 1)
        } else {
            self.retries = 0;
            None
        }
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
