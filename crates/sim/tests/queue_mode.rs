//! LwM2M queue mode: the device registers with Q, sleeps with its radio off once it has
//! been quiet for its awake time, and never during a download; the server holds its
//! requests while the device sleeps and sends them when it next speaks; the campaign
//! succeeds, slower, and the report gives the energy saved against the same run without it.

use fota_coap::message;
use fota_device::DeviceEvent;
use fota_lwm2m::FwState;
use fota_sim::report::RunReport;
use fota_sim::{NodeId, Scenario, World};

/// When a datagram arrived, if it did.
fn arrival(e: &fota_sim::trace::TraceEntry) -> Option<u64> {
    use fota_sim::trace::Fate;
    match e.fate {
        Fate::Delivered { at } | Fate::Duplicated { at, .. } | Fate::Corrupted { at, .. } => {
            Some(at.millis())
        }
        _ => None,
    }
}

fn queue_mode() -> World {
    let mut w = World::new(Scenario::by_id("queue-mode").expect("built-in"), 1);
    w.run_to_end();
    w
}

/// (time, asleep) of every sleep and wake.
fn radio(w: &World) -> Vec<(u64, bool)> {
    w.moments()
        .iter()
        .filter_map(|m| match m.event {
            DeviceEvent::Radio { asleep } => Some((m.at.millis(), asleep)),
            _ => None,
        })
        .collect()
}

#[test]
fn q1_the_register_says_queue_mode() {
    let w = queue_mode();
    let register = w
        .trace()
        .iter()
        .filter_map(|e| message::decode(&e.bytes).ok())
        .find(|p| message::uri_path(p) == "/rd")
        .expect("a Register");
    let queries = message::uri_queries(&register);
    assert!(queries.contains(&"Q".to_string()), "{queries:?}");
    assert!(w.server().registration().expect("registered").queue_mode);
}

#[test]
fn q2_the_device_sleeps_when_quiet_and_hears_nothing_then_wakes_to_send() {
    let w = queue_mode();
    let marks = radio(&w);
    assert!(marks.len() >= 4, "sleeps and wakes: {marks:?}");
    // Each sleep comes 10 s after the device's last datagram, sent or received.
    for &(at, asleep) in &marks {
        if !asleep {
            continue;
        }
        let last = w
            .trace()
            .iter()
            .filter_map(|e| match (e.from_node, e.to_node) {
                (Some(NodeId::Device), _) => Some(e.sent_at.millis()),
                (_, Some(NodeId::Device)) => arrival(e),
                _ => None,
            })
            .filter(|&t| t <= at)
            .max()
            .unwrap();
        assert!(
            (10_000..=10_100).contains(&(at - last)),
            "slept at {at} ms, {} ms after its last datagram",
            at - last
        );
    }
    // While it sleeps, nothing is sent to it: the server holds it.
    for pair in marks.windows(2) {
        if let [(from, true), (to, false)] = *pair {
            let sent_to_it = w
                .trace()
                .iter()
                .filter(|e| e.to_node == Some(NodeId::Device))
                .filter(|e| e.sent_at.millis() > from && e.sent_at.millis() < to)
                .count();
            assert_eq!(
                sent_to_it, 0,
                "datagrams sent to the sleeping device between {from} and {to}"
            );
        }
    }
}

#[test]
fn q2_a_download_keeps_the_device_awake() {
    let w = queue_mode();
    let changes: Vec<_> = w.firmware_changes().iter().cloned().collect();
    let start = changes
        .iter()
        .find(|c| c.state == FwState::Downloading)
        .unwrap()
        .at
        .millis();
    let done = changes
        .iter()
        .find(|c| c.state == FwState::Downloaded)
        .unwrap()
        .at
        .millis();
    assert!(
        radio(&w).iter().all(|&(at, _)| at < start || at > done),
        "no sleep between {start} and {done}: {:?}",
        radio(&w)
    );
}

#[test]
fn q3_held_requests_go_when_the_device_speaks_and_the_update_succeeds_saving_energy() {
    let w = queue_mode();
    let held: Vec<String> = w
        .log()
        .iter()
        .filter(|l| l.rule == Some("Q-3"))
        .map(|l| l.text())
        .collect();
    assert!(held.iter().any(|t| t.starts_with("holding ")), "{held:?}");
    assert!(held.iter().any(|t| t.contains("held ")), "{held:?}");
    // A held request goes out right after a datagram from the device.
    let rows: Vec<usize> = (0..w.trace().len())
        .filter(|&r| w.row_rules(r).contains(&"Q-3"))
        .collect();
    assert!(!rows.is_empty());
    for r in rows {
        let sent = w.trace()[r].sent_at.millis();
        // The last datagram the server heard from the device arrived just then.
        let heard = (0..r)
            .rev()
            .map(|i| &w.trace()[i])
            .filter(|e| e.from_node == Some(NodeId::Device) && e.to_node == Some(NodeId::Server))
            .find_map(arrival)
            .expect("the device spoke first");
        assert_eq!(
            heard, sent,
            "row {r} goes out as the device's datagram arrives"
        );
    }
    let report = RunReport::of(&w);
    assert_eq!(report.campaign, "succeeded");
    let saving = report.energy.queue_mode.expect("a queue-mode saving");
    assert!(saving.saved_uj > 0, "{saving:?}");
    assert!(saving.asleep_ms > 300_000, "{saving:?}");
    // Without queue mode the device listened all along: more energy, the same update.
    assert!(saving.without_uj > 2 * saving.with_uj, "{saving:?}");
}
