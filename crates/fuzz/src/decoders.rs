//! The decoder targets: each reads one mutant the way the project reads such bytes from the
//! wire or from a file, and, where it accepts them, checks what its callers count on (a
//! decoded message encodes again, a value read and written reads back the same). A panic or a
//! failed check is a finding; a clear error is the right answer to bad input.

use fota_bootloader::{inspect, validate, BootOutcome, Bootloader, Manifest, Strategy};
use fota_coap::message::{self, content_format, uri_path, uri_queries};
use fota_coap::BlockOpt;
use fota_lwm2m::attributes::NotificationAttributes;
use fota_lwm2m::register::{parse_links, write_links, RegisterParams};
use fota_lwm2m::{execute, explain, senml, tlv, Path};
use fota_sim::{Scenario, TraceFile, World};

/// Events a world built from a mutated scenario file is run for: enough to register and
/// start a campaign, few enough to keep an execution short.
const SCENARIO_EVENTS: usize = 300;

pub fn coap_message(bytes: &[u8]) {
    let Ok(p) = message::decode(bytes) else {
        return;
    };
    // Everything the nodes and the explainer ask of a decoded packet.
    let _ = (uri_path(&p), uri_queries(&p), message::location_path(&p));
    let _ = (content_format(&p), message::options(&p));
    let _ = message::code_name(p.header.code);
    // `decode` promises that what it accepts encodes again (MAX_DATAGRAM is the bound of
    // both), and a re-encoded message reads back to the same packet.
    let again = match message::encode(&p) {
        Ok(b) => b,
        Err(e) => panic!("a decoded message does not encode again: {e}"),
    };
    match message::decode(&again) {
        Ok(q) => assert!(
            q.header == p.header
                && q.payload == p.payload
                && message::options(&q) == message::options(&p),
            "a decoded message, encoded again, reads back as another"
        ),
        Err(e) => panic!("a decoded message, encoded again, does not decode: {e}"),
    }
}

pub fn block_option(bytes: &[u8]) {
    let Ok(b) = BlockOpt::decode(bytes) else {
        return;
    };
    let _ = (b.offset(), b.size(), b.to_string());
    assert_eq!(
        BlockOpt::decode(&b.encode()),
        Ok(b),
        "a Block value, encoded again, reads back as another"
    );
}

pub fn lwm2m_tlv(bytes: &[u8]) {
    let Ok(tlvs) = tlv::decode(bytes) else {
        return;
    };
    fn values(tlvs: &[tlv::Tlv]) {
        for t in tlvs {
            match &t.body {
                tlv::Body::Value(v) => {
                    let _ = tlv::int_value(v);
                }
                tlv::Body::Children(c) => values(c),
            }
        }
    }
    values(&tlvs);
    // Decoding accepts only lengths encoding can write: the tree encodes again and reads back.
    let again = tlv::encode(&tlvs).unwrap_or_else(|e| panic!("decoded TLVs do not encode: {e}"));
    assert_eq!(
        tlv::decode(&again).as_ref(),
        Ok(&tlvs),
        "TLVs, encoded again, read back as others"
    );
}

pub fn senml_json(text: &str) {
    if let Ok(records) = senml::decode_json(text) {
        let _ = senml::encode_json(&records);
    }
}

pub fn senml_cbor(bytes: &[u8]) {
    if let Ok(records) = senml::decode_cbor(bytes) {
        let _ = senml::encode_cbor(&records);
    }
}

pub fn link_format(text: &str) {
    let Ok(links) = parse_links(text) else {
        return;
    };
    for l in &links {
        let _ = l.path();
    }
    // The device writes its object list with `write_links` and the server reads it with
    // `parse_links`: what one reads the other writes back to the same links.
    assert_eq!(
        parse_links(&write_links(&links)).as_ref(),
        Ok(&links),
        "links, written again, read back as others"
    );
}

/// A request's queries, as a Register, an Update or a Write-Attributes carries them.
pub fn uri_queries_text(text: &str) {
    let queries: Vec<String> = text.split('&').map(str::to_string).collect();
    let _ = RegisterParams::from_queries(&queries);
    let mut attributes = NotificationAttributes::default();
    if attributes.apply(&queries).is_ok() {
        let _ = attributes.link_params();
        let _ = attributes.worth_notifying(0.0, 1.0);
    }
}

pub fn lwm2m_path(text: &str) {
    if let Some(p) = Path::parse(text) {
        assert_eq!(
            Path::parse(&p.to_string()),
            Some(p),
            "a path, written again, reads back as another"
        );
    }
}

pub fn execute_args(bytes: &[u8]) {
    let _ = execute::parse_args(bytes);
}

pub fn explainer(bytes: &[u8], request: Option<&[u8]>) {
    let x = explain(bytes, request);
    // The inspector and the trace file serialise every explanation.
    let _ = serde_json::to_string(&x);
}

/// The bootloader's reading of an image: the validator, the inspector and the manifest.
pub fn image(bytes: &[u8]) {
    let verdict = validate(bytes, 0);
    let _ = (
        verdict.valid(),
        verdict.failed_check(),
        verdict.is_foreign_or_downgrade(),
    );
    let _ = inspect::layout(bytes);
    let _ = Manifest::decode(bytes);
}

/// An image in the secondary slot, an upgrade asked for and two boots: the bootloader reads
/// it as a device would after a download. `overwrite` picks the strategy.
pub fn boot(factory: &[u8], bytes: &[u8], overwrite: bool) {
    let strategy = if overwrite {
        Strategy::Overwrite
    } else {
        Strategy::SwapMove
    };
    let mut b = Bootloader::with_geometry(strategy, 64 * 1024, 8, 0xff, factory);
    if b.erase_secondary().is_err() || b.write_secondary(0, bytes).is_err() {
        return;
    }
    let _ = b.check_secondary();
    if b.request_upgrade().is_err() {
        return;
    }
    if let BootOutcome::Booted { upgraded: true, .. } = b.boot() {
        // A TEST upgrade that is not confirmed is reverted on the next boot (BOOT-6).
        let _ = b.boot();
    }
    let _ = b.primary_info();
}

pub fn scenario_file(text: &str) {
    let Ok(s) = Scenario::from_json(text) else {
        return;
    };
    let seed = s.seed;
    let mut w = World::new(s, seed);
    for _ in 0..SCENARIO_EVENTS {
        if !w.step_event() {
            break;
        }
    }
}

/// A trace file as the page imports one: read, each row's bytes, and replayed.
pub fn trace_file(text: &str) {
    let Ok(f) = TraceFile::from_json(text) else {
        return;
    };
    for row in 0..f.datagrams.len() {
        let _ = f.bytes(row);
    }
    let _ = f.replay();
}

/// A lesson file, and its steps told over a finished run of its scenario.
pub fn lesson(text: &str, worlds: &[World]) {
    let Ok(l) = fota_course::lesson::Lesson::from_json(text) else {
        return;
    };
    if let Some(w) = worlds.iter().find(|w| w.scenario().id == l.scenario) {
        let _ = fota_course::lesson::tell(&l, w);
    }
}

/// A display filter, evaluated over a finished run and translated for Wireshark.
pub fn filter(text: &str, world: &World) {
    let Ok(f) = fota_course::parse(text) else {
        return;
    };
    let _ = fota_course::evaluate(&f, world);
    let _ = fota_course::to_wireshark(&f);
}
