//! The registration's lifetime after the campaign: Updates before it runs out keep the device
//! known to the server.

use fota_coap::message::{decode, uri_path};
use fota_coap::{MessageClass, RequestType, SimTime};
use fota_sim::{NodeId, Scenario, World};

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
