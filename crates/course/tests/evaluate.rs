//! Filters over the built-in scenarios find what a student looks for: the PUSH continues, the
//! Package URI write, the notification that says Downloaded, the lost datagrams, the rows a
//! rule was applied to, a word of the ladder. Each is checked against the trace itself.

use fota_course::filter::{evaluate, parse};
use fota_sim::{Fate, NodeId, Scenario, World};

fn run(id: &str) -> World {
    let mut w = World::new(Scenario::by_id(id).unwrap(), 1);
    w.run_to_end();
    w
}

fn rows(w: &World, filter: &str) -> Vec<usize> {
    evaluate(
        &parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}")),
        w,
    )
}

/// The rows whose explanation satisfies `test`: the expected answer, read independently.
fn explained(w: &World, test: impl Fn(&fota_lwm2m::Explanation) -> bool) -> Vec<usize> {
    w.trace()
        .iter()
        .filter(|e| {
            let request = e.answers.map(|i| w.trace()[i].bytes.as_slice());
            test(&fota_lwm2m::explain(&e.bytes, request))
        })
        .map(|e| e.id)
        .collect()
}

#[test]
fn code_2_31_finds_the_push_continues() {
    let w = run("push-success");
    let continues = explained(&w, |x| x.summary.starts_with("ACK 2.31 Continue"));
    assert!(continues.len() > 10, "{continues:?}");
    assert_eq!(rows(&w, "coap.code == 2.31"), continues);
    assert_eq!(rows(&w, "coap.code == Continue"), continues);
    assert_eq!(rows(&w, "coap.code == 95"), continues);
    assert_eq!(rows(&w, "coap.code == 0x5f && coap.type == ACK"), continues);
}

#[test]
fn uri_finds_the_package_uri_write_and_its_answer() {
    let w = run("pull-success");
    let write = explained(&w, |x| {
        x.operation
            .as_deref()
            .is_some_and(|o| o.starts_with("Write /5/0/1 Package URI"))
    });
    assert_eq!(write.len(), 1);
    let answer = w
        .trace()
        .iter()
        .find(|e| e.answers == Some(write[0]))
        .unwrap()
        .id;
    // As in Wireshark, a response carries the path of the request it answers.
    assert_eq!(rows(&w, "uri == \"/5/0/1\""), vec![write[0], answer]);
    assert_eq!(
        rows(&w, "lwm2m.path == \"/5/0/1\" && coap.code == PUT"),
        write
    );
    assert_eq!(
        rows(
            &w,
            "coap.opt.uri_path_recon == /5/0/1 && coap.payload_length"
        ),
        write
    );
    // The firmware path is a URI but no LwM2M path.
    assert!(!rows(&w, "uri contains \"/fw/\"").is_empty());
    assert!(rows(&w, "lwm2m.path contains \"/fw/\"").is_empty());
}

#[test]
fn state_2_finds_the_notification_that_says_downloaded() {
    let w = run("pull-success");
    let downloaded = explained(&w, |x| {
        x.operation
            .as_deref()
            .is_some_and(|o| o.starts_with("Notification") && o.contains("State = 2;"))
    });
    assert_eq!(
        downloaded.len(),
        1,
        "one TLV notification of /5/0 says Downloaded"
    );
    assert_eq!(rows(&w, "lwm2m.state == 2"), downloaded);
    assert_eq!(rows(&w, "lwm2m.state == Downloaded"), downloaded);
    // Every notification and read of /5/0 carries a State; the first ones say Idle.
    let states = rows(&w, "lwm2m.state");
    assert!(states.len() >= 4, "{states:?}");
    assert!(rows(&w, "lwm2m.state == Idle").len() >= 2);
    let success = rows(&w, "lwm2m.result == 1");
    assert!(!success.is_empty());
    assert!(success.iter().all(|r| !downloaded.contains(r)));
    assert!(
        rows(&w, "lwm2m.result >= IntegrityFailure").is_empty(),
        "the update succeeds"
    );
}

#[test]
fn fate_lost_matches_exactly_the_dropped_rows() {
    let w = run("lossy-link");
    let dropped: Vec<usize> = w
        .trace()
        .iter()
        .filter(|e| matches!(e.fate, Fate::Dropped { .. }))
        .map(|e| e.id)
        .collect();
    assert!(!dropped.is_empty());
    assert_eq!(rows(&w, "fate == lost"), dropped);
    assert_eq!(rows(&w, "fate == dropped"), dropped);
    let kept: Vec<usize> = (0..w.trace().len())
        .filter(|r| !dropped.contains(r))
        .collect();
    assert_eq!(rows(&w, "fate != lost"), kept);
    assert_eq!(rows(&w, "!(fate == lost)"), kept);
    assert_eq!(
        rows(&w, "fate == lost || fate != lost").len(),
        w.trace().len()
    );
}

#[test]
fn rule_finds_the_rows_the_deferral_rule_was_applied_to() {
    let w = run("deferred");
    let applied: Vec<usize> = (0..w.trace().len())
        .filter(|&r| w.row_rules(r).contains(&"FU-T10"))
        .collect();
    assert!(!applied.is_empty());
    assert_eq!(rows(&w, "rule == \"FU-T10\""), applied);
    assert_eq!(rows(&w, "rule == fu-t10"), applied);
    assert!(!rows(&w, "rule contains \"SRV\"").is_empty());
}

#[test]
fn plain_text_searches_the_label_in_any_case() {
    let w = run("pull-success");
    let block2 = explained(&w, |x| x.summary.contains("Block2"));
    assert!(block2.len() > 100);
    assert_eq!(rows(&w, "Block2"), block2);
    assert_eq!(rows(&w, "block2"), block2);
    let register = explained(&w, |x| {
        x.operation
            .as_deref()
            .is_some_and(|o| o.contains("LwM2M Register"))
    });
    assert_eq!(rows(&w, "\"lwm2m register\""), register);
    assert!(rows(&w, "\"no such words\"").is_empty());
}

#[test]
fn peers_and_blocks_pick_one_request() {
    let w = run("pull-success");
    let from_repo: Vec<usize> = w
        .trace()
        .iter()
        .filter(|e| e.from_node == Some(NodeId::Repository))
        .map(|e| e.id)
        .collect();
    assert_eq!(rows(&w, "from == repository"), from_repo);
    let block3 = rows(&w, "coap.opt.block_number == 3 && to == repository");
    assert_eq!(block3.len(), 1);
    let x = fota_lwm2m::explain(&w.trace()[block3[0]].bytes, None);
    assert!(x.summary.contains("Block2 3/0/512"), "{}", x.summary);
    assert_eq!(
        rows(&w, "coap.opt.block_size == 512"),
        rows(&w, "coap.opt.block_size == 5")
    );
    assert_eq!(
        rows(&w, "coap.opt.block_size == 512"),
        rows(&w, "coap.opt.block_number")
    );
}

#[test]
fn a_partial_world_and_a_garbage_datagram_are_filtered_without_panic() {
    let mut w = World::new(Scenario::by_id("pull-success").unwrap(), 1);
    for _ in 0..10 {
        w.step_datagram();
    }
    let con = rows(&w, "coap.type == CON");
    assert!(!con.is_empty() && con.iter().all(|&r| r < 10), "{con:?}");
    w.inject(
        NodeId::Device.addr(),
        NodeId::Server.addr(),
        vec![0xff, 0x00],
    );
    let garbage = w.trace().len() - 1;
    assert!(!rows(&w, "coap.type || coap.code || uri || lwm2m.state").contains(&garbage));
    assert!(rows(&w, "from == device && to == server").contains(&garbage));
    assert!(rows(&w, "\"not CoAP\"").contains(&garbage));
}
