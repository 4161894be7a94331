//! Faults on single datagrams and on the timeline, and the link settings, as a student would
//! provoke them: what reaches the wire, and how the nodes recover.

use fota_coap::message::{decode, uri_path};
use fota_coap::CoapOption;
use fota_sim::link::LinkSettings;
use fota_sim::scenario::{Fault, LinkSpec};
use fota_sim::{Fate, NodeId, RunReport, Scenario, World};

fn pull() -> Scenario {
    Scenario::by_id("pull-success").unwrap()
}

fn run(s: Scenario) -> World {
    let mut w = World::new(s, 1);
    w.run_to_end();
    w
}

/// The row of the first block request for `num`.
fn block_request_row(w: &World, num: u32) -> usize {
    w.trace()
        .iter()
        .find(|e| {
            e.to_node == Some(NodeId::Repository)
                && decode(&e.bytes)
                    .ok()
                    .and_then(|p| p.get_first_option(CoapOption::Block2).cloned())
                    .and_then(|v| fota_coap::BlockOpt::decode(&v).ok())
                    .is_some_and(|b| b.num == num)
        })
        .unwrap()
        .id
}

#[test]
fn dropping_one_block_request_makes_the_device_retransmit_it() {
    let base = run(pull());
    let row = block_request_row(&base, 5);
    let mut s = pull();
    s.faults.push(Fault::Drop { row });
    let w = run(s);
    assert!(RunReport::of(&w).expectations.met);
    assert!(matches!(w.trace()[row].fate, Fate::Dropped { .. }));
    // The same message (same MID) goes again 2 to 3 s later.
    let (a, b) = (&w.trace()[row], &w.trace()[row + 1]);
    assert_eq!(a.bytes, b.bytes, "a retransmission is byte-identical");
    let gap = b.sent_at.millis() - a.sent_at.millis();
    assert!((2000..=3000).contains(&gap), "{gap} ms");
    // Everything before the fault is the same run.
    for i in 0..row {
        assert_eq!(w.trace()[i].bytes, base.trace()[i].bytes);
    }
}

#[test]
fn bw2_a_duplicated_push_block_is_acknowledged_again_and_written_once() {
    let base = run(Scenario::by_id("push-success").unwrap());
    let row = base
        .trace()
        .iter()
        .filter(|e| e.to_node == Some(NodeId::Device))
        .find(|e| {
            decode(&e.bytes).is_ok_and(|p| uri_path(&p) == "/5/0/0" && p.payload.len() == 512)
        })
        .unwrap()
        .id;
    let mut s = Scenario::by_id("push-success").unwrap();
    s.faults.push(Fault::Duplicate { row });
    let w = run(s);
    assert!(RunReport::of(&w).expectations.met);
    assert!(matches!(w.trace()[row].fate, Fate::Duplicated { .. }));
    // The device answers both copies with the same acknowledgement (its stored answer).
    let answers: Vec<_> = w
        .trace()
        .iter()
        .filter(|e| e.answers == Some(row))
        .map(|e| e.bytes.clone())
        .collect();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0], answers[1]);
}

#[test]
fn a_corrupted_header_byte_is_refused_and_the_transfer_recovers() {
    let base = run(pull());
    let row = block_request_row(&base, 3);
    let mut s = pull();
    // Byte 0 holds the version: 0xff turns version 1 into 2, which the repository drops
    // silently (RFC 7252 §3); the device retransmits.
    s.faults.push(Fault::Corrupt { row, byte: 0 });
    let w = run(s);
    assert!(RunReport::of(&w).expectations.met);
    let e = &w.trace()[row];
    assert_eq!(
        e.fate,
        Fate::Corrupted {
            at: e.sent_at + 20,
            byte: 0,
            mask: 0xff
        }
    );
    assert_ne!(e.arriving_bytes(), e.bytes);
    assert_eq!(w.trace()[row + 1].bytes, e.bytes, "sent again unchanged");
}

#[test]
fn a_delayed_datagram_arrives_later_and_a_late_answer_is_still_taken() {
    let base = run(pull());
    let row = block_request_row(&base, 2) + 1; // the repository's answer
    let mut s = pull();
    s.faults.push(Fault::Delay {
        row,
        delay_ms: 1500,
    });
    let w = run(s);
    assert!(RunReport::of(&w).expectations.met);
    let e = &w.trace()[row];
    assert_eq!(
        e.fate,
        Fate::Delivered {
            at: e.sent_at + 1520
        }
    );
}

#[test]
fn a_power_cut_mid_download_resumes_after_the_power_is_back() {
    let mut s = pull();
    s.faults.push(Fault::PowerCut {
        at_ms: 2500,
        off_ms: 4000,
    });
    let w = run(s);
    assert!(RunReport::of(&w).expectations.met);
    let back = w
        .trace()
        .iter()
        .find(|e| e.sent_at.millis() > 2500 && e.from_node == Some(NodeId::Device))
        .unwrap();
    assert!(
        back.sent_at.millis() >= 2500 + 4000 + 1500,
        "silent while off and booting: {}",
        back.sent_at
    );
    assert!(w.log().iter().any(|l| l.rule == Some("FU-P2")));
}

#[test]
fn a_link_down_fault_loses_what_crosses_it_and_up_again_ends_it() {
    let mut s = pull();
    s.faults.push(Fault::LinkDown {
        at_ms: 2000,
        node: NodeId::Repository,
        up_at_ms: Some(9000),
    });
    let w = run(s);
    assert!(RunReport::of(&w).expectations.met);
    for e in w.trace().iter() {
        let crosses =
            e.to_node == Some(NodeId::Repository) || e.from_node == Some(NodeId::Repository);
        let down = (2000..9000).contains(&e.sent_at.millis());
        assert_eq!(
            crosses && down,
            matches!(e.fate, Fate::Dropped { .. }),
            "row {}",
            e.id
        );
    }
}

#[test]
fn a_slow_link_spreads_the_blocks_out_by_their_size() {
    let mut s = pull();
    s.network.links.push(LinkSpec {
        from: NodeId::Repository,
        to: NodeId::Device,
        settings: LinkSettings {
            bandwidth_bps: Some(64_000),
            ..LinkSettings::default()
        },
        unknown: Default::default(),
    });
    let w = run(s);
    assert!(RunReport::of(&w).expectations.met);
    // A 512-byte block plus CoAP, UDP and IP headers is over 4,300 bits: 68 ms or more at
    // 64 kbit/s, on top of the 20 ms latency.
    let e = w
        .trace()
        .iter()
        .find(|e| e.from_node == Some(NodeId::Repository))
        .unwrap();
    let Fate::Delivered { at } = e.fate else {
        panic!("{:?}", e.fate)
    };
    assert!(at.millis() - e.sent_at.millis() >= 20 + 68);
}

#[test]
fn duplication_reordering_and_jitter_on_every_link_still_end_in_success() {
    let mut s = pull();
    s.network.all.duplicate_percent = Some(10);
    s.network.all.reorder_percent = Some(10);
    s.network.all.jitter_ms = Some(30);
    s.time_limit_s = 3600;
    for seed in 1..=5 {
        let mut w = World::new(s.clone(), seed);
        w.run_to_end();
        let r = RunReport::of(&w);
        assert!(
            r.expectations.met,
            "seed {seed}: {:?}",
            r.expectations.failed
        );
        assert!(w
            .trace()
            .iter()
            .any(|e| matches!(e.fate, Fate::Duplicated { .. })));
    }
}

#[test]
fn corruption_on_every_link_never_panics_and_the_run_ends() {
    let mut s = pull();
    s.network.all.corrupt_percent = Some(5);
    s.time_limit_s = 3600;
    for seed in 1..=5 {
        let mut w = World::new(s.clone(), seed);
        w.run_to_end();
        assert!(w.is_finished());
        let corrupted = w
            .trace()
            .iter()
            .filter(|e| matches!(e.fate, Fate::Corrupted { .. }))
            .count();
        assert!(corrupted > 0, "seed {seed}");
    }
}

#[test]
fn a_branch_keeps_the_original_run_and_differs_only_after_the_fault() {
    let mut original = World::new(pull(), 1);
    while original.trace().len() < 40 {
        original.step_datagram();
    }
    let mut branch = original.clone();
    let row = branch.trace().len();
    assert!(branch.add_fault(Fault::Drop { row }));
    assert!(
        !branch.add_fault(Fault::Drop { row: 3 }),
        "row 3 is history"
    );
    original.run_to_end();
    branch.run_to_end();
    assert!(RunReport::of(&original).expectations.met);
    assert!(RunReport::of(&branch).expectations.met);
    assert!(matches!(branch.trace()[row].fate, Fate::Dropped { .. }));
    assert!(!matches!(original.trace()[row].fate, Fate::Dropped { .. }));
    assert_eq!(branch.trace().shared_chunks(original.trace()), 0);
    for i in 0..row {
        assert_eq!(branch.trace()[i], original.trace()[i]);
    }
    assert!(branch.now() > original.now(), "the lost datagram cost time");
    // Nothing of the original changed: a fresh run gives the same trace.
    let fresh = run(pull());
    assert_eq!(
        fota_sim::report::trace_digest(&fresh),
        fota_sim::report::trace_digest(&original)
    );
}

#[test]
fn a_packet_larger_than_the_links_mtu_is_lost_whole_and_says_why() {
    let mut s = pull();
    s.network.all.mtu_bytes = Some(600);
    s.device.block_size = 1024;
    let w = run(s.clone());
    let lost: Vec<_> = w
        .trace()
        .iter()
        .filter(
            |e| matches!(&e.fate, Fate::Dropped { reason } if reason.contains("MTU of 600 bytes")),
        )
        .collect();
    assert!(
        !lost.is_empty(),
        "1024-byte blocks do not fit a 600-byte MTU"
    );
    assert!(lost.iter().all(|e| e.bytes.len() + 28 > 600));
    assert!(w
        .trace()
        .iter()
        .filter(|e| e.bytes.len() + 28 <= 600)
        .all(|e| !matches!(&e.fate, Fate::Dropped { reason } if reason.contains("MTU"))));
    assert_ne!(RunReport::of(&w).final_values.result, 1);
    s.device.block_size = 512;
    assert!(
        RunReport::of(&run(s)).expectations.met,
        "512-byte blocks fit"
    );
}
