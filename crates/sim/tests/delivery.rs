//! PUSH and PULL through trouble, as seen on the wire: block sizes, radio gating, reboots,
//! lost answers, and the server's reads and observations.

use fota_coap::message::{decode, uint_option, uri_path, uri_queries};
use fota_coap::{BlockOpt, CoapOption, MessageClass, Packet, RequestType, ResponseType};
use fota_sim::{NodeId, RunReport, Scenario, World};

fn run(id: &str) -> World {
    run_scenario(Scenario::by_id(id).unwrap())
}

fn run_scenario(s: Scenario) -> World {
    let mut w = World::new(s, 1);
    w.run_to_end();
    w
}

/// A datagram decoded: (row, sender, receiver, packet, lost).
type Row = (usize, Option<NodeId>, Option<NodeId>, Packet, bool);

fn wire(w: &World) -> Vec<Row> {
    w.trace()
        .iter()
        .map(|e| {
            let lost = matches!(e.fate, fota_sim::Fate::Dropped { .. });
            (
                e.id,
                e.from_node,
                e.to_node,
                decode(&e.bytes).unwrap(),
                lost,
            )
        })
        .collect()
}

fn is(p: &Packet, method: RequestType, path: &str) -> bool {
    p.header.code == MessageClass::Request(method) && uri_path(p) == path
}

fn block(p: &Packet, option: CoapOption) -> Option<BlockOpt> {
    p.get_first_option(option)
        .and_then(|v| BlockOpt::decode(v).ok())
}

fn last_change(w: &World) -> (&'static str, u8) {
    let c = w.firmware_changes().last().unwrap();
    (c.rule, c.result.code())
}

#[test]
fn fu_t1_a_push_writes_5_0_0_in_block1_and_bw5_follows_the_devices_smaller_size() {
    let w = run("push-success");
    let r = RunReport::of(&w);
    assert!(r.expectations.met, "{:?}", r.expectations.failed);
    let puts: Vec<BlockOpt> = wire(&w)
        .iter()
        .filter(|(.., p, _)| is(p, RequestType::Put, "/5/0/0"))
        .map(|(.., p, _)| block(p, CoapOption::Block1).unwrap())
        .collect();
    assert_eq!(puts[0].size(), 1024, "the server starts at its own size");
    assert!(
        puts[1..].iter().all(|b| b.size() == 512),
        "then follows the device's 512"
    );
    // The device took 512 of the first 1024 bytes, so 32 KiB is 64 blocks of 512.
    let last = puts.last().unwrap();
    assert_eq!((last.num, last.more), (63, false));
    let first_answer = wire(&w)
        .into_iter()
        .find(|(_, from, .., p, _)| {
            *from == Some(NodeId::Device) && block(p, CoapOption::Block1).is_some()
        })
        .unwrap()
        .3;
    assert_eq!(
        first_answer.header.code,
        MessageClass::Response(ResponseType::Continue)
    );
    assert_eq!(
        block(&first_answer, CoapOption::Block1).unwrap().size(),
        512
    );
    assert!(
        wire(&w)
            .iter()
            .all(|(_, _, to, ..)| *to != Some(NodeId::Repository)),
        "no PULL traffic"
    );
    assert_eq!(
        w.firmware_changes()
            .iter()
            .map(|c| c.rule)
            .collect::<Vec<_>>(),
        ["FU-T1", "FU-T5", "FU-T9", "FU-T11"]
    );
}

#[test]
fn srv3_push_waits_for_the_signal_watching_4_0_2_with_gt() {
    let w = run("push-waits-for-signal");
    let r = RunReport::of(&w);
    assert!(r.expectations.met, "{:?}", r.expectations.failed);
    let rows = wire(&w);
    let attrs = rows
        .iter()
        .find(|(.., p, _)| is(p, RequestType::Put, "/4/0/2"))
        .expect("Write-Attributes on /4/0/2");
    assert_eq!(uri_queries(&attrs.3), ["gt=-90"]);
    let observe = rows
        .iter()
        .find(|(.., p, _)| {
            is(p, RequestType::Get, "/4/0/2") && uint_option(p, CoapOption::Observe) == Some(0)
        })
        .expect("an Observe of /4/0/2");
    let first_push = rows
        .iter()
        .find(|(.., p, _)| is(p, RequestType::Put, "/5/0/0"))
        .unwrap();
    assert!(observe.0 < first_push.0);
    // The radio reads and the watch are the server's SRV-3, not the SRV-1 of its first reads.
    assert_eq!(w.row_rules(attrs.0), ["SRV-3"]);
    assert_eq!(w.row_rules(observe.0), ["SRV-3"]);
    let observe_5 = rows
        .iter()
        .find(|(.., p, _)| {
            is(p, RequestType::Get, "/5/0") && uint_option(p, CoapOption::Observe) == Some(0)
        })
        .expect("an Observe of /5/0");
    assert_eq!(w.row_rules(observe_5.0), ["SRV-1"]);
    let pushed_at = w.trace()[first_push.0].sent_at.millis();
    assert!(
        pushed_at >= 40_000,
        "no PUSH before the signal improves at 40 s (pushed at {pushed_at} ms)"
    );
    // The improvement reached the server as a notification of -75 dBm.
    assert!(rows.iter().any(|(_, from, .., p, _)| {
        *from == Some(NodeId::Device)
            && uint_option(p, CoapOption::Observe).is_some_and(|s| s > 0)
            && p.payload == b"-75"
    }));
}

#[test]
fn srv3_a_device_that_cannot_take_a_push_gets_the_image_by_pull() {
    let mut s = Scenario::by_id("push-success").unwrap();
    s.device.delivery = fota_lwm2m::firmware::DeliveryMethod::Pull;
    s.expect.phases_include = vec!["downloading".into()];
    s.expect.max_bytes_fetched = None;
    let w = run_scenario(s);
    assert!(RunReport::of(&w).expectations.met);
    assert!(wire(&w)
        .iter()
        .all(|(.., p, _)| !is(p, RequestType::Put, "/5/0/0")));
    assert!(w
        .log()
        .iter()
        .any(|l| l.rule == Some("SRV-3") && l.text().contains("instead")));
}

#[test]
fn a_pull_only_device_refuses_a_pushed_image_with_4_05() {
    let mut s = Scenario::by_id("push-success").unwrap();
    s.device.delivery = fota_lwm2m::firmware::DeliveryMethod::Pull;
    let mut w = World::new(s, 1);
    w.run_to_end();
    let server = fota_sim::topology::SERVER_ADDR;
    let device = fota_sim::topology::DEVICE_ADDR;
    let mut put = fota_coap::message::request(RequestType::Put, "/5/0/0");
    put.header.set_type(fota_coap::MessageType::Confirmable);
    put.header.message_id = 999;
    put.add_option(
        CoapOption::Block1,
        BlockOpt::new(0, true, 512).unwrap().encode(),
    );
    put.payload = vec![0x3d; 512];
    w.inject(server, device, fota_coap::message::encode(&put).unwrap());
    w.run_until(w.now() + 1000);
    let answer = decode(&w.trace().last().unwrap().bytes).unwrap();
    assert_eq!(
        answer.header.code,
        MessageClass::Response(ResponseType::MethodNotAllowed)
    );
}

#[test]
fn fu_d3_a_server_that_keeps_blocks_too_large_for_the_buffer_gets_4_13_and_result_3() {
    let w = run("out-of-ram");
    assert_eq!(last_change(&w), ("FU-T6", 3));
    let refusal = wire(&w)
        .into_iter()
        .find(|(.., p, _)| {
            p.header.code == MessageClass::Response(ResponseType::RequestEntityTooLarge)
        })
        .expect("a 4.13")
        .3;
    assert_eq!(
        block(&refusal, CoapOption::Block1).unwrap().size(),
        256,
        "it tells the size it can take"
    );
}

#[test]
fn fu_p1_fu_p2_a_reboot_mid_download_resumes_from_the_kept_block() {
    let w = run("resume-after-reboot");
    let r = RunReport::of(&w);
    assert!(r.expectations.met, "{:?}", r.expectations.failed);
    let image = w.scenario().image.size;
    assert!(
        r.bytes_fetched < 2 * image,
        "{} bytes fetched for a {image}-byte image",
        r.bytes_fetched
    );
    // FU-P1: State stays Downloading through the reboot; no Idle in between.
    let rules: Vec<_> = w.firmware_changes().iter().map(|c| c.rule).collect();
    assert_eq!(rules, ["FU-T2", "FU-T5", "FU-T9", "FU-T11"]);
    // After the reboot the first block asked for is not block 0.
    let reboot_at = w.scenario().faults[0].at_ms().unwrap();
    let after: Vec<u32> = w
        .trace()
        .iter()
        .filter(|e| e.sent_at.millis() > reboot_at && e.to_node == Some(NodeId::Repository))
        .map(|e| {
            block(&decode(&e.bytes).unwrap(), CoapOption::Block2)
                .unwrap()
                .num
        })
        .collect();
    assert!(after[0] > 0, "resumed at block {}", after[0]);
    assert!(w.log().iter().any(|l| l.rule == Some("FU-P2")));
}

#[test]
fn fu_p2_a_changed_etag_after_the_reboot_restarts_from_block_0() {
    let mut s = Scenario::by_id("resume-after-reboot").unwrap();
    s.faults
        .push(fota_sim::scenario::Fault::ReplaceImage { at_ms: 3000 });
    s.expect.max_bytes_fetched = None;
    let w = run_scenario(s);
    let r = RunReport::of(&w);
    assert!(r.expectations.met, "{:?}", r.expectations.failed);
    let blocks: Vec<u32> = w
        .trace()
        .iter()
        .filter(|e| e.sent_at.millis() > 2500 && e.to_node == Some(NodeId::Repository))
        .map(|e| {
            block(&decode(&e.bytes).unwrap(), CoapOption::Block2)
                .unwrap()
                .num
        })
        .collect();
    assert!(blocks[0] > 0, "it tries to resume first");
    assert_eq!(blocks[1], 0, "then starts again from block 0");
    assert!(r.bytes_fetched > w.scenario().image.size);
}

#[test]
fn fu_p2_a_push_cut_by_a_reboot_ends_with_result_4() {
    let mut s = Scenario::by_id("push-success").unwrap();
    s.faults
        .push(fota_sim::scenario::Fault::Reboot { at_ms: 2500 });
    let w = run_scenario(s);
    assert!(w
        .firmware_changes()
        .iter()
        .any(|c| (c.rule, c.result.code()) == ("FU-T6", 4)));
    assert_eq!(RunReport::of(&w).campaign, "failed");
}

#[test]
fn fu_d4_a_silent_repository_is_asked_again_then_result_4() {
    let w = run("connection-lost");
    assert_eq!(last_change(&w), ("FU-T6", 4));
    let cited: Vec<String> = w
        .log()
        .iter()
        .filter(|l| l.rule == Some("FU-D4"))
        .map(|l| l.text())
        .collect();
    let retries = cited.iter().filter(|t| t.contains("asking again")).count();
    assert_eq!(retries, 3, "the scenario's default of three retries");
    // The failure itself cites the rule of its cause.
    assert!(
        cited
            .last()
            .is_some_and(|t| t.starts_with("download failed")),
        "{cited:?}"
    );
}

#[test]
fn fu_t13_a_secondary_the_bootloader_rejects_gives_result_5_and_the_old_version() {
    let w = run("rejected-at-boot");
    assert_eq!(last_change(&w), ("FU-T13", 5));
    assert_eq!(w.device().firmware_version(), "1.0.0");
}

#[test]
fn srv1_after_register_the_server_reads_then_observes_the_firmware_object() {
    let w = run("pull-success");
    let asks: Vec<String> = wire(&w)
        .iter()
        .filter(|(_, from, ..)| *from == Some(NodeId::Server))
        .filter_map(|(.., p, _)| match p.header.code {
            MessageClass::Request(m) => {
                let obs = uint_option(p, CoapOption::Observe).map_or("", |_| " observe");
                let q = uri_queries(p).join("&");
                Some(format!("{m:?} {}{obs} {q}", uri_path(p)).trim().to_string())
            }
            _ => None,
        })
        .take(6)
        .collect();
    assert_eq!(
        asks,
        [
            "Get /3/0/3",
            "Get /5/0/8",
            "Get /5/0/9",
            "Put /5/0 pmin=0",
            "Get /5/0 observe",
            "Put /5/0/1"
        ]
    );
}

#[test]
fn srv2_after_the_device_registers_again_the_server_observes_again() {
    let w = run("pull-success");
    let rows = wire(&w);
    let registers: Vec<usize> = rows
        .iter()
        .filter(|(.., p, _)| is(p, RequestType::Post, "/rd"))
        .map(|r| r.0)
        .collect();
    assert_eq!(registers.len(), 2, "once at start, once after the update");
    assert!(rows.iter().any(|(row, .., p, _)| {
        *row > registers[1]
            && is(p, RequestType::Get, "/5/0")
            && uint_option(p, CoapOption::Observe) == Some(0)
    }));
}

#[test]
fn srv4_with_notifications_lost_the_server_polls_and_retries_and_still_succeeds() {
    let w = run("lossy-link");
    let r = RunReport::of(&w);
    assert!(r.expectations.met, "{:?}", r.expectations.failed);
    assert!(
        r.dropped > 20,
        "the link really lost datagrams: {}",
        r.dropped
    );
    let polls = wire(&w)
        .into_iter()
        .filter(|(.., p, _)| {
            is(p, RequestType::Get, "/5/0") && uint_option(p, CoapOption::Observe).is_none()
        })
        .count();
    assert!(polls > 0, "the server polled /5/0 with a plain Read");
    assert!(w.log().iter().any(|l| l.rule == Some("SRV-4")));
}

#[test]
fn srv5_the_campaign_fails_when_the_old_version_still_runs() {
    let w = run("rollback");
    assert_eq!(RunReport::of(&w).campaign, "failed");
    let w = run("pull-success");
    assert_eq!(RunReport::of(&w).campaign, "succeeded");
    // Success was judged after reading the new /3/0/3.
    let log: Vec<_> = w
        .log()
        .iter()
        .filter(|l| l.rule == Some("SRV-5"))
        .map(|l| l.text())
        .collect();
    assert_eq!(log.last().map(String::as_str), Some("campaign: succeeded"));
}

#[test]
fn operator_requests_on_the_timeline_are_answered_and_reported() {
    let mut s = Scenario::by_id("pull-success").unwrap();
    let op = |at_ms: u64, op: &str, path: &str, value: &str| -> fota_sim::scenario::Operation {
        let json = serde_json::json!({ "at_ms": at_ms, "op": op, "path": path, "value": value });
        serde_json::from_value(json).expect("an operation")
    };
    s.operations = vec![
        op(2000, "read", "/3/0/9", ""),
        op(2000, "write-attributes", "/4/0/2", "pmin=1&gt=-80"),
        op(2000, "observe", "/4/0/2", ""),
        op(2000, "read", "/9/0/1", ""),
    ];
    let w = run_scenario(s);
    assert!(RunReport::of(&w).expectations.met);
    let said: Vec<String> = w
        .log()
        .iter()
        .filter(|l| l.node == NodeId::Server && l.text().contains(" answered "))
        .map(|l| l.text())
        .collect();
    for want in [
        "operator: Read /3/0/9 answered 2.05 Content: 100",
        "operator: Write-Attributes /4/0/2?pmin=1&gt=-80 answered 2.04 Changed",
        "operator: Observe /4/0/2 answered 2.05 Content: -70",
        "operator: Read /9/0/1 answered 4.04 Not Found",
    ] {
        assert!(said.iter().any(|s| s == want), "{want} not in {said:#?}");
    }
}

#[test]
fn obj4_obj5_values_from_the_scenario_change_over_time_and_observers_hear_it() {
    use fota_sim::scenario::{Operation, ValuesSpec};
    let mut s = Scenario::by_id("pull-success").unwrap();
    s.device.values = vec![
        ValuesSpec {
            at_ms: 0,
            battery_level: Some(90),
            signal_dbm: Some(-80),
            ..ValuesSpec::default()
        },
        ValuesSpec {
            at_ms: 3000,
            battery_level: Some(40),
            ..ValuesSpec::default()
        },
    ];
    let op = |at_ms: u64, op: &str, path: &str| -> Operation {
        let json = serde_json::json!({ "at_ms": at_ms, "op": op, "path": path });
        serde_json::from_value(json).expect("an operation")
    };
    s.operations = vec![op(2000, "observe", "/3/0/9"), op(4000, "read", "/4/0/2")];
    let w = run_scenario(s);
    let said: Vec<String> = w.log().iter().map(|l| l.text()).collect();
    assert!(
        said.iter()
            .any(|s| s == "operator: Observe /3/0/9 answered 2.05 Content: 90"),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|s| s == "operator: Read /4/0/2 answered 2.05 Content: -80"),
        "the signal carries forward"
    );
    // The battery's drop at 3 s goes to the observer as a notification.
    assert!(w.trace().iter().any(|e| {
        e.from_node == Some(NodeId::Device)
            && e.sent_at.millis() >= 3000
            && decode(&e.bytes).is_ok_and(|p| {
                uint_option(&p, CoapOption::Observe).is_some_and(|n| n > 0) && p.payload == b"40"
            })
    }));
}

#[test]
fn boot_3_a_cut_at_the_confirm_write_leaves_the_image_unconfirmed_and_it_is_reverted() {
    let mut s = Scenario::by_id("pull-success").unwrap();
    // The swap of this image takes 78 flash operations: the 79th is the confirm write.
    s.device.power_cut_at_flash_op = Some(78);
    let w = run_scenario(s);
    assert!(w
        .log()
        .iter()
        .any(|l| l.text() == "the power went while the new firmware confirmed itself"));
    assert_eq!(last_change(&w), ("FU-T14", 8));
    assert_eq!(w.device().firmware_version(), "1.0.0");
}
