//! The PULL happy path end to end in the world: the bytes, states and values a student sees.

use fota_coap::message::{decode, uri_path, uri_queries};
use fota_coap::{BlockOpt, CoapOption, MessageClass, RequestType};
use fota_lwm2m::{FwState, UpdateResult};
use fota_sim::{NodeId, RunReport, Scenario, World};

fn run(seed: u64) -> World {
    let mut w = World::new(Scenario::by_id("pull-success").unwrap(), seed);
    w.run_to_end();
    w
}

#[test]
fn pull_success_meets_its_expectations() {
    let w = run(1);
    let r = RunReport::of(&w);
    assert!(r.expectations.met, "{:?}", r.expectations.failed);
    assert_eq!((r.final_values.state, r.final_values.result), (0, 1));
    assert_eq!(r.final_values.firmware_version, "2.0.0");
    // FU-T2, FU-T5, FU-T9, FU-T11 in order.
    assert_eq!(r.result_history, vec![[1, 0], [2, 0], [3, 0], [0, 1]]);
    let rules: Vec<_> = w.firmware_changes().iter().map(|c| c.rule).collect();
    assert_eq!(rules, ["FU-T2", "FU-T5", "FU-T9", "FU-T11"]);
    assert_eq!(r.campaign, "succeeded");
}

#[test]
fn obj1_register_carries_the_spec_parameters_and_links() {
    let w = run(1);
    let first = &w.trace()[0];
    assert_eq!(
        (first.from_node, first.to_node),
        (Some(NodeId::Device), Some(NodeId::Server))
    );
    let p = decode(&first.bytes).unwrap();
    assert_eq!(p.header.code, MessageClass::Request(RequestType::Post));
    assert_eq!(uri_path(&p), "/rd");
    assert_eq!(
        uri_queries(&p),
        ["ep=sbx-001", "lt=300", "lwm2m=1.1", "b=U"]
    );
    let links = String::from_utf8(p.payload).unwrap();
    assert!(links.contains("</5>;ver=1.1"), "{links}");
    assert!(!links.contains("</0"), "OBJ-2: /0 never listed: {links}");
}

#[test]
fn the_image_comes_in_64_blocks_of_512_bytes_with_block2() {
    let w = run(1);
    let gets: Vec<BlockOpt> = w
        .trace()
        .iter()
        .filter(|e| e.to_node == Some(NodeId::Repository))
        .map(|e| {
            let p = decode(&e.bytes).unwrap();
            BlockOpt::decode(p.get_first_option(CoapOption::Block2).unwrap()).unwrap()
        })
        .collect();
    assert_eq!(gets.len(), 64);
    assert!(gets
        .iter()
        .enumerate()
        .all(|(i, b)| b.num == i as u32 && b.size() == 512));
    // The last answer says no more blocks follow.
    let last = w
        .trace()
        .iter()
        .rev()
        .find(|e| e.from_node == Some(NodeId::Repository))
        .unwrap();
    let p = decode(&last.bytes).unwrap();
    let b = BlockOpt::decode(p.get_first_option(CoapOption::Block2).unwrap()).unwrap();
    assert_eq!((b.num, b.more, p.payload.len()), (63, false, 512));
}

#[test]
fn state_goes_downloading_before_any_repository_traffic() {
    let w = run(1);
    let downloading = &w.firmware_changes()[0];
    assert_eq!(downloading.state, FwState::Downloading);
    let first_repo = w
        .trace()
        .iter()
        .position(|e| e.to_node == Some(NodeId::Repository))
        .unwrap();
    // The marker sits before the first block request on the ladder.
    assert!(
        downloading.after_datagrams <= first_repo,
        "{} > {first_repo}",
        downloading.after_datagrams
    );
    assert_eq!(w.device().fw_result(), UpdateResult::Success);
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = RunReport::of(&run(7));
    let b = RunReport::of(&run(7));
    let c = RunReport::of(&run(8));
    assert_eq!(a.trace_sha256, b.trace_sha256);
    assert_ne!(a.trace_sha256, c.trace_sha256);
    assert!(c.expectations.met);
}

#[test]
fn step_datagram_adds_exactly_one_row() {
    let mut w = World::new(Scenario::by_id("pull-success").unwrap(), 1);
    for n in 1..=10 {
        assert!(w.step_datagram());
        assert_eq!(w.trace().len(), n);
    }
}
