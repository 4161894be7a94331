//! The battery as the device spends it: /3/0/9 falls as energy is spent and rises on a
//! charger, its observers hear of each change, the run report adds the cost up by part and by
//! phase, and below its update threshold the device defers Execute Update until the battery
//! is back (BAT-1).

use fota_device::{DeviceEvent, ResetCause};
use fota_lwm2m::{FwState, UpdateResult};
use fota_sim::report::RunReport;
use fota_sim::{Scenario, World};

fn scenario(id: &str) -> Scenario {
    Scenario::by_id(id).expect("built-in")
}

/// When the device rebooted into the bootloader for the update, if it did.
fn reboot_for_update(w: &World) -> Option<u64> {
    w.moments()
        .iter()
        .find(|m| {
            matches!(
                m.event,
                DeviceEvent::Reset {
                    cause: ResetCause::ForUpdate { .. }
                }
            )
        })
        .map(|m| m.at.millis())
}

fn battery_at(w: &World, at_ms: u64) -> u64 {
    w.energy_points()
        .iter()
        .take_while(|p| p.at.millis() <= at_ms)
        .last()
        .map_or(0, |p| p.battery_centi)
}

#[test]
fn bat1_below_the_threshold_the_update_waits_for_the_charger() {
    let mut w = World::new(scenario("low-battery-defers"), 1);
    w.run_to_end();
    let changes: Vec<[u8; 2]> = w
        .firmware_changes()
        .iter()
        .map(|c| [c.state.code(), c.result.code()])
        .collect();
    assert!(changes.contains(&[2, 11]), "deferred: {changes:?}");
    let reboot = reboot_for_update(&w).expect("the update started once charged");
    // Charging starts at 30 s; the update waits until the level is back at 15 %.
    assert!(
        reboot > 30_000,
        "the update waited for the charger: {reboot} ms"
    );
    // The level itself decides, not /3/0/9's rounding (BAT-1).
    assert!(
        battery_at(&w, reboot) >= 1500,
        "at {reboot} ms the battery was {}",
        battery_at(&w, reboot)
    );
    assert!(
        battery_at(&w, reboot - 2_000) < 1500,
        "it started as soon as the battery allowed"
    );
    assert_eq!(w.device().fw_result(), UpdateResult::Success);
}

#[test]
fn bat1_without_a_charger_the_device_stays_downloaded_with_result_11() {
    let mut s = scenario("low-battery-defers");
    s.device.battery.charging.clear();
    let mut w = World::new(s, 1);
    w.run_to_end();
    assert_eq!(reboot_for_update(&w), None, "no update on a low battery");
    let changes: Vec<(FwState, UpdateResult)> = w
        .firmware_changes()
        .iter()
        .map(|c| (c.state, c.result))
        .collect();
    assert!(
        changes.contains(&(FwState::Downloaded, UpdateResult::Deferred)),
        "{changes:?}"
    );
    assert_eq!(w.device().firmware_version(), "1.0.0");
}

#[test]
fn the_battery_falls_as_the_device_works_and_observers_hear_of_it() {
    // A small battery, so that a percent is a few joules: the download shows on /3/0/9.
    let mut s = scenario("pull-success");
    s.device.battery.capacity_mah = 1;
    s.operations.push(
        serde_json::from_value(serde_json::json!({
            "at_ms": 1700, "op": "observe", "path": "/3/0/9"
        }))
        .unwrap(),
    );
    let mut w = World::new(s, 1);
    w.run_to_end();
    let report = RunReport::of(&w);
    let e = &report.energy;
    assert_eq!(e.battery_start_centi, 10_000);
    assert!(e.battery_end_centi < 10_000 - 300, "{e:?}");
    // The parts add up to the total (each rounded down to µJ on its own).
    let parts =
        e.spent.radio_uj + e.spent.flash_uj + e.spent.cpu_uj + e.spent.listen_uj + e.spent.sleep_uj;
    assert!(e.spent.total_uj.abs_diff(parts) <= 5, "{e:?}");
    // So do the phases.
    let by_phase: u64 = e.phases.iter().map(|p| p.spent.total_uj).sum();
    assert!(e.spent.total_uj.abs_diff(by_phase) <= 5 * e.phases.len() as u64);
    // The swap erased sectors of both slots.
    assert!(e.flash_erases.primary > 0 && e.flash_erases.secondary > 0);
    // Notifications of /3/0/9 carried the level as it fell.
    let notified = w
        .trace()
        .iter()
        .filter(|e| e.from_node == Some(fota_sim::NodeId::Device))
        .filter_map(|e| fota_coap::message::decode(&e.bytes).ok())
        .filter(|p| {
            fota_coap::message::uint_option(p, fota_coap::CoapOption::Observe)
                .is_some_and(|o| o > 0)
        })
        .filter_map(|p| String::from_utf8(p.payload).ok()?.parse::<i64>().ok())
        .collect::<Vec<_>>();
    assert!(
        notified.windows(2).all(|w| w[1] < w[0]),
        "each notification a lower level: {notified:?}"
    );
    let notified = notified.len();
    assert!(
        notified >= 3,
        "{notified} notifications of the battery level"
    );
}

/// The device's answers with `code` (as "5.03"), and their Max-Age.
fn answers(w: &World, code: &str) -> Vec<Option<u32>> {
    w.trace()
        .iter()
        .filter(|e| e.from_node == Some(fota_sim::NodeId::Device))
        .filter_map(|e| fota_coap::message::decode(&e.bytes).ok())
        .filter(|p| fota_coap::message::code_name(p.header.code).starts_with(code))
        .map(|p| fota_coap::message::uint_option(&p, fota_coap::CoapOption::MaxAge))
        .collect()
}

#[test]
fn bat2_a_download_on_a_low_battery_is_refused_with_5_03_and_max_age_and_bat3_the_server_asks_again(
) {
    let mut w = World::new(scenario("low-battery-refuses-download"), 1);
    w.run_to_end();
    let refused = answers(&w, "5.03");
    assert_eq!(refused.len(), 1, "one refusal");
    let max_age = refused[0].expect("a Max-Age");
    // The charger starts at 10 s and brings 8 % to 10 % in a little over a minute.
    assert!((40..=90).contains(&max_age), "Max-Age {max_age}");
    // No download began: Idle, and no Update Result changed before the one that did.
    let first = w
        .firmware_changes()
        .iter()
        .next()
        .map(|c| (c.state, c.result));
    assert_eq!(first, Some((FwState::Downloading, UpdateResult::Initial)));
    assert_eq!(w.device().fw_result(), UpdateResult::Success);
    assert_eq!(RunReport::of(&w).campaign, "succeeded");
}

#[test]
fn bat2_a_push_on_a_low_battery_is_refused_at_block_0_and_pushed_again_later() {
    let mut s = scenario("low-battery-refuses-download");
    s.server.method = fota_server::Delivery::Push;
    let mut w = World::new(s, 1);
    w.run_to_end();
    assert_eq!(answers(&w, "5.03").len(), 1, "block 0 refused once");
    assert_eq!(w.device().fw_result(), UpdateResult::Success);
    assert_eq!(RunReport::of(&w).campaign, "succeeded");
}
