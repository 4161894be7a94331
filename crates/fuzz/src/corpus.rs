//! The corpus the mutators start from: every datagram of every built-in scenario's run (the
//! golden traces, seed 1), the payloads inside them sorted by what reads them, the signed
//! images, and the texts the loaders read (scenario files, a trace file, lessons, filters).
//! Real inputs first: a mutant of a real message reaches past the first check of a decoder.

use fota_bootloader::{Behaviour, ImageBuilder, ImageVersion, KeyChoice};
use fota_coap::message::{self, content_format, uri_path, uri_queries};
use fota_coap::{Addr, CoapOption, Packet};
use fota_lwm2m::{content, senml};
use fota_sim::{Scenario, TraceFile, World};

/// A datagram of a run: who sent it to whom, and its bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sent {
    pub from: Addr,
    pub to: Addr,
    pub bytes: Vec<u8>,
}

/// Inputs by the decoder that reads them; each list holds distinct entries.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub datagrams: Vec<Sent>,
    /// The datagrams' bytes alone.
    pub messages: Vec<Vec<u8>>,
    pub block_values: Vec<Vec<u8>>,
    pub tlv: Vec<Vec<u8>>,
    pub senml_json: Vec<Vec<u8>>,
    pub senml_cbor: Vec<Vec<u8>>,
    pub links: Vec<Vec<u8>>,
    /// A request's Uri-Query options joined by `&` (Register, Update, Write-Attributes).
    pub queries: Vec<Vec<u8>>,
    pub paths: Vec<Vec<u8>>,
    pub execute_args: Vec<Vec<u8>>,
    /// Any payload of any datagram: what the payload mutator puts into another message.
    pub payloads: Vec<Vec<u8>>,
    pub images: Vec<Vec<u8>>,
    pub scenarios: Vec<Vec<u8>>,
    pub trace_files: Vec<Vec<u8>>,
    pub lessons: Vec<Vec<u8>>,
    pub filters: Vec<Vec<u8>>,
}

/// The display filters of docs/filters.md: the filter language's seeds.
const FILTERS: &[&str] = &[
    "coap.code == 2.31",
    "fate == lost && to == device",
    "coap.type == ACK",
    "coap.code >= BadRequest",
    "coap.mid == 0x1234",
    "coap.token == d3:74:ee:86",
    "uri == \"/5/0/1\" || uri contains \"/fw/\"",
    "coap.opt.uri_query == \"lt=300\"",
    "coap.opt.block_number == 3 and coap.opt.block_mflag == 0",
    "!(coap.opt.block_number == 0) && coap.opt.block_size == 512",
    "coap.opt.observe >= 1",
    "coap.opt.ctype == tlv or coap.opt.ctype contains \"text\"",
    "coap.opt.etag",
    "coap.payload_length > 100",
    "lwm2m.path == \"/5/0/3\"",
    "lwm2m.state == Downloaded || lwm2m.result == 5",
    "lwm2m.result == \"Integrity check failure\"",
    "from == device && to == repository",
    "rule == \"FU-T10\" || rule contains \"BW\"",
];

/// Execute arguments as TS Core §5.4.5 writes them: the traces carry none.
const EXECUTE_ARGS: &[&str] = &["", "0", "0='fw',1", "3='text with, comma'", "1,2,3"];

/// The scenario whose run is the trace-file seed: a short one, so that parsing a mutant of
/// it stays quick.
const TRACE_FILE_SCENARIO: &str = "invalid-uri";

impl Corpus {
    /// A datagram and what is inside it.
    fn datagram(&mut self, sent: Sent) {
        if let Ok(p) = message::decode(&sent.bytes) {
            self.packet(&p);
        }
        self.datagrams.push(sent);
    }

    fn packet(&mut self, p: &Packet) {
        for (number, value) in message::options(p) {
            if number == 23 || number == 27 {
                self.block_values.push(value);
            }
        }
        let path = uri_path(p);
        if path != "/" {
            self.paths.push(path.into_bytes());
        }
        if let Some(loc) = p.get_option(CoapOption::LocationPath) {
            let loc: Vec<&[u8]> = loc.iter().map(Vec::as_slice).collect();
            self.paths.push([&b"/"[..], &loc.join(&b'/')].concat());
        }
        let queries = uri_queries(p);
        if !queries.is_empty() {
            self.queries.push(queries.join("&").into_bytes());
        }
        if p.payload.is_empty() {
            return;
        }
        self.payloads.push(p.payload.clone());
        let list = match content_format(p) {
            Some(content::LWM2M_TLV) => &mut self.tlv,
            Some(content::SENML_JSON) => &mut self.senml_json,
            Some(content::SENML_CBOR) => &mut self.senml_cbor,
            Some(content::LINK_FORMAT) => &mut self.links,
            _ => return,
        };
        list.push(p.payload.clone());
    }

    /// Each list sorted, without repeats: a block sent a hundred times is one seed.
    fn dedup(&mut self) {
        self.datagrams.sort();
        self.datagrams.dedup();
        self.messages = self.datagrams.iter().map(|d| d.bytes.clone()).collect();
        for list in [
            &mut self.messages,
            &mut self.block_values,
            &mut self.tlv,
            &mut self.senml_json,
            &mut self.senml_cbor,
            &mut self.links,
            &mut self.queries,
            &mut self.paths,
            &mut self.execute_args,
            &mut self.payloads,
            &mut self.images,
            &mut self.scenarios,
            &mut self.trace_files,
            &mut self.lessons,
            &mut self.filters,
        ] {
            list.sort();
            list.dedup();
        }
    }
}

/// SenML records of every value type, for the SenML decoders: the golden traces carry
/// TLV only.
fn senml_records() -> Vec<Vec<senml::Record>> {
    use senml::{Record, Value};
    let r = |name: &str, value: Option<Value>| Record {
        name: name.into(),
        value,
    };
    vec![
        vec![
            r("/5/0/3", Some(Value::Int(2))),
            r("/5/0/5", Some(Value::Int(0))),
            r("/5/0/1", Some(Value::Str("coap://repo.sandbox/fw".into()))),
        ],
        vec![
            r("/3/0/9", Some(Value::Float(87.5))),
            r("/3/0/16", Some(Value::Bool(true))),
            r("/5/0/0", Some(Value::Opaque(vec![0x3d, 0xb8, 0xf3, 0x96]))),
            r("/3/0/6/0", Some(Value::ObjLink("3:0".into()))),
        ],
        vec![r("/5/0/3", None), r("/3/0/3", None)],
    ]
}

/// Signed images: each scenario's own, whole, and small ones of every key and behaviour,
/// whose header and TLVs a mutation hits far more often than in a whole image.
fn images(scenarios: &[Scenario]) -> Vec<Vec<u8>> {
    let mut images = Vec::new();
    for s in scenarios {
        let b = s.image_builder();
        let body = vec![0x5a; s.image.size.saturating_sub(b.overhead())];
        images.push(b.body(&body).build());
    }
    for key in [KeyChoice::Sandbox, KeyChoice::Unknown] {
        for behaviour in [Behaviour::Healthy, Behaviour::CrashAtBoot] {
            let image = ImageBuilder::new(ImageVersion::new(2, 0, 0))
                .key(key)
                .behaviour(behaviour)
                .security_counter(3)
                .body(&[0xa5; 64])
                .build();
            images.push(image);
        }
    }
    images
}

impl Corpus {
    /// Runs every built-in scenario with seed 1 and collects what it carried; the finished
    /// worlds come back too (the lesson and filter targets read them).
    pub fn of_builtin() -> (Corpus, Vec<World>) {
        let scenarios = Scenario::builtin();
        let mut c = Corpus::default();
        let mut worlds = Vec::new();
        for s in &scenarios {
            let mut w = World::new(s.clone(), 1);
            w.run_to_end();
            for e in w.trace() {
                c.datagram(Sent {
                    from: e.from,
                    to: e.to,
                    bytes: e.bytes.clone(),
                });
            }
            c.scenarios.push(s.to_json().into_bytes());
            if s.id == TRACE_FILE_SCENARIO {
                c.trace_files.push(TraceFile::of(&w).to_json().into_bytes());
            }
            worlds.push(w);
        }
        for records in senml_records() {
            c.senml_json.push(senml::encode_json(&records).into_bytes());
            c.senml_cbor.push(senml::encode_cbor(&records));
        }
        c.execute_args = EXECUTE_ARGS.iter().map(|a| a.as_bytes().to_vec()).collect();
        c.filters = FILTERS.iter().map(|f| f.as_bytes().to_vec()).collect();
        // A lesson is plain data with string keys: serialising it cannot fail.
        c.lessons = fota_course::lesson::builtin()
            .iter()
            .map(|l| serde_json::to_vec_pretty(l).unwrap_or_default())
            .collect();
        c.images = images(&scenarios);
        c.dedup();
        (c, worlds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_sim::NodeId;

    #[test]
    fn every_seed_is_one_its_reader_accepts() {
        let (c, worlds) = Corpus::of_builtin();
        assert_eq!(worlds.len(), Scenario::builtin().len());
        let text = |b: &Vec<u8>| String::from_utf8(b.clone()).unwrap();
        for f in &c.filters {
            assert!(fota_course::parse(&text(f)).is_ok(), "{}", text(f));
        }
        assert!(c
            .scenarios
            .iter()
            .all(|s| Scenario::from_json(&text(s)).is_ok()));
        assert!(c
            .trace_files
            .iter()
            .all(|t| TraceFile::from_json(&text(t)).is_ok()));
        assert!(c
            .lessons
            .iter()
            .all(|l| fota_course::lesson::Lesson::from_json(&text(l)).is_ok()));
        assert!(c.tlv.iter().all(|t| fota_lwm2m::tlv::decode(t).is_ok()));
        assert!(c.senml_cbor.iter().all(|t| senml::decode_cbor(t).is_ok()));
        assert!(c
            .links
            .iter()
            .all(|l| fota_lwm2m::register::parse_links(&text(l)).is_ok()));
        assert!(c
            .images
            .iter()
            .any(|i| fota_bootloader::validate(i, 0).valid()));
        for node in NodeId::ALL {
            assert!(c.datagrams.iter().any(|d| d.to == node.addr()), "{node:?}");
        }
    }
}
