//! What the filter fields read from each row of a trace, decoded once: the CoAP header and
//! options, the path a response answers, the /5 values carried, the fate and the peers.

use super::carried::carried;
use fota_coap::message::{self, content_format, uri_path};
use fota_coap::{BlockOpt, CoapOption, MessageClass, MessageType, Packet};
use fota_lwm2m::Path;
use fota_sim::scenario::Fault;
use fota_sim::{NodeId, TraceEntry, World};

/// The values of every field for one row; a field a message does not have is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowFacts {
    pub coap_type: Option<u64>,
    pub code: Option<u64>,
    pub mid: Option<u64>,
    pub token: Option<Vec<u8>>,
    /// The request's own path (when it has a Uri-Path), or the path of the request a
    /// response answers: what Wireshark shows as `coap.opt.uri_path_recon`.
    pub uri: Option<String>,
    pub queries: Vec<String>,
    /// Of Block1 and Block2 both, as Wireshark puts both in the same fields.
    pub block_number: Vec<u64>,
    pub block_mflag: Vec<u64>,
    pub block_szx: Vec<u64>,
    pub observe: Option<u64>,
    pub ctype: Option<u64>,
    pub etags: Vec<Vec<u8>>,
    pub payload_length: Option<u64>,
    /// `uri` when it is an LwM2M path (`/o`, `/o/i`, `/o/i/r`).
    pub lwm2m_path: Option<String>,
    pub states: Vec<u64>,
    pub results: Vec<u64>,
    /// The fate's name, `lost` too for a lost one, `delayed` too for one a Delay fault held.
    pub fates: Vec<&'static str>,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
}

/// Every row of a world, decoded: built once, then any number of filters run over it.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    pub facts: Vec<RowFacts>,
}

fn node(n: Option<NodeId>) -> Option<&'static str> {
    n.map(|n| match n {
        NodeId::Server => "server",
        NodeId::Repository => "repository",
        NodeId::Device => "device",
    })
}

impl Rows {
    pub fn of(world: &World) -> Rows {
        let delayed: Vec<usize> = world
            .scenario()
            .faults
            .iter()
            .filter_map(|f| match f {
                Fault::Delay { row, .. } => Some(*row),
                _ => None,
            })
            .collect();
        let mut rows = Rows {
            facts: Vec::with_capacity(world.trace().len()),
        };
        for (row, e) in world.trace().iter().enumerate() {
            let facts = rows.decode(e, delayed.contains(&row));
            rows.facts.push(facts);
        }
        rows
    }

    pub fn len(&self) -> usize {
        self.facts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The facts of one row; the rows before it are already decoded (a response comes after
    /// its request, so the request's path is read from there, not decoded again).
    fn decode(&self, e: &TraceEntry, delayed: bool) -> RowFacts {
        let mut fates = vec![e.fate.name()];
        if e.fate.is_lost() {
            fates.push("lost");
        }
        if delayed && !e.fate.is_lost() {
            fates.push("delayed");
        }
        let mut f = RowFacts {
            fates,
            from: node(e.from_node),
            to: node(e.to_node),
            ..RowFacts::default()
        };
        // Bytes that are not CoAP have no CoAP fields; the row still has a fate and peers.
        let Ok(p) = message::decode(&e.bytes) else {
            return f;
        };
        let request = matches!(p.header.code, MessageClass::Request(_));
        f.uri = if request {
            p.get_option(CoapOption::UriPath).map(|_| uri_path(&p))
        } else {
            e.answers
                .and_then(|i| self.facts.get(i))
                .and_then(|r| r.uri.clone())
        };
        f.lwm2m_path = f.uri.clone().filter(|u| Path::parse(u).is_some());
        let (states, results) = carried(&p, f.uri.as_deref().and_then(Path::parse));
        f.states = states;
        f.results = results;
        header_and_options(&p, &mut f);
        f
    }
}

fn header_and_options(p: &Packet, f: &mut RowFacts) {
    f.coap_type = Some(match p.header.get_type() {
        MessageType::Confirmable => 0,
        MessageType::NonConfirmable => 1,
        MessageType::Acknowledgement => 2,
        MessageType::Reset => 3,
    });
    f.code = Some(u64::from(u8::from(p.header.code)));
    f.mid = Some(u64::from(p.header.message_id));
    f.token = Some(p.get_token().to_vec()).filter(|t| !t.is_empty());
    f.queries = message::uri_queries(p);
    for option in [CoapOption::Block2, CoapOption::Block1] {
        let block = p.get_first_option(option).map(|v| BlockOpt::decode(v));
        if let Some(Ok(b)) = block {
            f.block_number.push(u64::from(b.num));
            f.block_mflag.push(u64::from(b.more));
            f.block_szx.push(u64::from(b.szx));
        }
    }
    f.observe = message::uint_option(p, CoapOption::Observe).map(u64::from);
    f.ctype = content_format(p).map(u64::from);
    f.etags = p
        .get_option(CoapOption::ETag)
        .map(|v| v.iter().cloned().collect())
        .unwrap_or_default();
    f.payload_length = (!p.payload.is_empty()).then_some(p.payload.len() as u64);
}
