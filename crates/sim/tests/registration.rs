//! The registration's lifetime after the campaign: Updates before it runs out keep the device
//! known to the server, and a registration that fails is made again (REG-1).

use fota_coap::message::{decode, uri_path};
use fota_coap::{MessageClass, RequestType, SimTime};
use fota_sim::scenario::Fault;
use fota_sim::{NodeId, Scenario, TraceEntry, World};

#[test]
fn the_device_sends_updates_and_stays_registered() {
    let mut s = Scenario::by_id("pull-success").unwrap();
    s.device.lifetime_s = 20;
    let mut w = World::new(s, 1);
    w.run_until(SimTime::from_secs(60));
    let updates: Vec<_> = w
        .trace()
        .iter()
        .filter(|e| e.from_node == Some(NodeId::Device))
        .filter_map(|e| decode(&e.bytes).ok())
        .filter(|p| {
            p.header.code == MessageClass::Request(RequestType::Post)
                && uri_path(p).starts_with("/rd/")
        })
        .collect();
    // Registered at about 6.7 s (after the update); an Update every 10 s from there.
    assert!(
        (4..=6).contains(&updates.len()),
        "{} Updates",
        updates.len()
    );
    assert!(
        updates.iter().all(|p| uri_path(p) == "/rd/2"),
        "Updates go to the current registration"
    );
    assert!(w.device().is_registered());
    assert_eq!(
        w.server().registration().map(|r| r.location.as_str()),
        Some("/rd/2")
    );
}

/// A short-lived registration (Updates every 10 s) in the PULL scenario.
fn short_lived() -> Scenario {
    let mut s = Scenario::by_id("pull-success").unwrap();
    s.device.lifetime_s = 20;
    s
}

/// Whether the datagram is a registration message of the device: a Register (POST /rd) or an
/// Update (POST /rd/<location>).
fn is_registration(e: &TraceEntry, path: fn(&str) -> bool) -> bool {
    e.from_node == Some(NodeId::Device)
        && decode(&e.bytes).is_ok_and(|p| {
            p.header.code == MessageClass::Request(RequestType::Post) && path(&uri_path(&p))
        })
}

fn is_register(e: &TraceEntry) -> bool {
    is_registration(e, |p| p == "/rd")
}

fn is_update(e: &TraceEntry) -> bool {
    is_registration(e, |p| p.starts_with("/rd/"))
}

/// The row of the server's answer to the device's first registration Update.
fn first_update_answer(w: &World) -> usize {
    let update = w.trace().iter().find(|e| is_update(e)).unwrap().id;
    w.trace()
        .iter()
        .find(|e| e.answers == Some(update))
        .unwrap()
        .id
}

/// REG-1: the ACK to an Update arrives with the right message id and a damaged token, so it
/// ends the retransmissions and answers nothing. The device must not wait for ever: it
/// registers again, and the server keeps knowing it.
#[test]
fn reg1_an_update_answer_with_a_damaged_token_leads_to_a_new_register() {
    let mut base = World::new(short_lived(), 1);
    base.run_until(SimTime::from_secs(60));
    let answer = first_update_answer(&base);
    let mut s = short_lived();
    // Bytes 4 to 7 are the token of the piggybacked 2.04.
    s.faults.push(Fault::Corrupt {
        row: answer,
        byte: 4,
    });
    let mut w = World::new(s, 1);
    w.run_until(SimTime::from_secs(300));
    let damaged_at = w.trace()[answer].sent_at;
    let registers_after: Vec<_> = w
        .trace()
        .iter()
        .filter(|e| e.sent_at > damaged_at && is_register(e))
        .collect();
    assert!(
        !registers_after.is_empty(),
        "a new Register follows the lost Update answer"
    );
    let updates_later = w
        .trace()
        .iter()
        .filter(|e| e.sent_at > registers_after[0].sent_at && is_update(e))
        .count();
    assert!(
        updates_later >= 3,
        "{updates_later} Updates after registering again"
    );
    assert_registered_again(&w);
    assert!(
        logged(
            &w,
            "registration Update failed (no answer): registering again"
        ),
        "the log says why the device registers again"
    );
}

/// The device and the server agree on a registration at the end of the run.
fn assert_registered_again(w: &World) {
    assert!(w.device().is_registered());
    assert!(w.device().registration_location().is_some());
    assert_eq!(
        w.server().registration().map(|r| r.location.as_str()),
        w.device().registration_location()
    );
}

/// Whether the device logged a line that begins with `text`, citing REG-1.
fn logged(w: &World, text: &str) -> bool {
    w.log()
        .iter()
        .any(|l| l.node == NodeId::Device && l.text().starts_with(text) && l.rule == Some("REG-1"))
}

/// REG-1: every answer to an Update is lost (the server's replies to each retransmission
/// too), so the Update times out; a new Register follows and is accepted.
#[test]
fn reg1_an_update_whose_answers_are_all_dropped_leads_to_a_new_register() {
    let mut s = short_lived();
    let update = {
        let mut base = World::new(s.clone(), 1);
        base.run_until(SimTime::from_secs(60));
        base.trace().iter().find(|e| is_update(e)).unwrap().id
    };
    // Each retransmission of the Update gets the server's stored answer again; drop them one
    // by one, each found in a run with the earlier ones dropped.
    for _ in 0..5 {
        let mut w = World::new(s.clone(), 1);
        w.run_until(SimTime::from_secs(150));
        let update_bytes = &w.trace()[update].bytes;
        let row = w
            .trace()
            .iter()
            .filter(|a| {
                a.answers
                    .is_some_and(|r| w.trace()[r].bytes == *update_bytes)
            })
            .map(|a| a.id)
            .find(|&row| !s.faults.contains(&Fault::Drop { row }))
            .expect("an answer not dropped yet");
        s.faults.push(Fault::Drop { row });
    }
    let mut w = World::new(s, 1);
    w.run_until(SimTime::from_secs(300));
    let sends = w
        .trace()
        .iter()
        .filter(|e| e.bytes == w.trace()[update].bytes)
        .count();
    assert_eq!(sends, 5, "the Update and its 4 retransmissions");
    let gave_up = w.trace()[update].sent_at;
    let register = w
        .trace()
        .iter()
        .find(|e| e.sent_at > gave_up && is_register(e))
        .expect("a new Register");
    // MAX_TRANSMIT_WAIT is at most 93 s.
    assert!(register.sent_at.millis() - gave_up.millis() <= 93_000);
    assert_registered_again(&w);
    assert!(logged(
        &w,
        "registration Update failed (no answer): registering again"
    ));
}

/// REG-1: an Update answered with an error (here the link turned 2.04 into a 5.xx code) is
/// followed by a new Register at once.
#[test]
fn reg1_an_update_answered_with_an_error_leads_to_a_new_register() {
    let mut base = World::new(short_lived(), 1);
    base.run_until(SimTime::from_secs(60));
    let answer = first_update_answer(&base);
    let mut s = short_lived();
    // Byte 1 is the code: 0x44 (2.04) becomes 0xbb (5.27).
    s.faults.push(Fault::Corrupt {
        row: answer,
        byte: 1,
    });
    let mut w = World::new(s, 1);
    w.run_until(SimTime::from_secs(300));
    let next = &w.trace()[answer + 1];
    assert!(is_register(next), "the Register follows the error answer");
    assert!(next.sent_at.millis() - w.trace()[answer].sent_at.millis() <= 100);
    assert!(logged(&w, "registration Update failed (answered 5.27"));
    assert_registered_again(&w);
}

/// REG-1: the server is unreachable for 15 minutes. The Update fails, then every Register,
/// with waits that double from 30 s; once the link is back the device registers again.
#[test]
fn reg1_a_device_whose_server_is_unreachable_retries_register_with_backoff() {
    let mut s = short_lived();
    let (down, up) = (60_000, 960_000);
    s.faults.push(Fault::LinkDown {
        at_ms: down,
        node: NodeId::Server,
        up_at_ms: Some(up),
    });
    let mut w = World::new(s, 1);
    w.run_until(SimTime::from_secs(1800));
    // First transmissions of each Register while the link was down: a retransmission repeats
    // the bytes of the one before.
    let mut registers: Vec<&TraceEntry> = Vec::new();
    for e in w.trace().iter().filter(|e| is_register(e)) {
        if registers.last().is_none_or(|r| r.bytes != e.bytes) {
            registers.push(e);
        }
    }
    let during: Vec<u64> = registers
        .iter()
        .map(|e| e.sent_at.millis())
        .filter(|t| (down..up).contains(t))
        .collect();
    // Each Register gives up after 62 to 93 s, then waits 30, 60, 120, 240, 480 s.
    let gaps: Vec<u64> = during.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.len() >= 4, "{gaps:?}");
    for (gap, wait) in gaps.iter().zip([30_000, 60_000, 120_000, 240_000, 480_000]) {
        assert!(
            (wait + 62_000..=wait + 93_000).contains(gap),
            "{gap} ms between Registers, {wait} ms of it waiting"
        );
    }
    for wait in [30, 60, 120, 240] {
        assert!(
            logged(
                &w,
                &format!("Register failed (no answer): trying again in {wait} s")
            ),
            "a {wait} s wait is logged"
        );
    }
    // Once the link is up, the next Register is accepted: within one capped wait and the
    // Register's own retransmissions.
    assert_registered_again(&w);
    let registered_at = w
        .trace()
        .iter()
        .filter(|e| e.sent_at.millis() >= up && is_register(e))
        .find(|e| !e.fate.is_lost())
        .expect("a Register gets through")
        .sent_at
        .millis();
    assert!(registered_at - up <= 480_000 + 93_000, "{registered_at} ms");
}
