//! The registration's lifetime after the campaign: Updates before it runs out keep the device
//! known to the server.

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
    assert!(w.device().is_registered());
    assert_eq!(
        w.server().registration().map(|r| r.location.as_str()),
        w.device().registration_location()
    );
}
