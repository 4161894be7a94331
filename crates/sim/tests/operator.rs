//! The operator's requests are the operator's (SRV-11): whatever the device answers them, and
//! whether it answers at all, the campaign goes on and ends on what the device does.

use fota_sim::{RunReport, Scenario, World};

fn with_operation(id: &str, operation: &str) -> World {
    let mut s = Scenario::by_id(id).unwrap();
    s.operations
        .push(serde_json::from_str(operation).expect("an operation"));
    let mut w = World::new(s, 1);
    w.run_to_end();
    w
}

#[test]
fn srv11_an_execute_update_refused_before_the_download_does_not_end_the_campaign() {
    // At 1.6 s the device is registered and Idle: Execute Update gets 4.05 (FU-R1).
    let w = with_operation(
        "pull-success",
        r#"{"at_ms": 1600, "op": "execute", "path": "/5/0/2"}"#,
    );
    let log: Vec<String> = w.log().iter().map(|l| l.text()).collect();
    assert!(
        log.iter()
            .any(|l| l.contains("operator: Execute /5/0/2 answered 4.05")),
        "{log:?}"
    );
    let r = RunReport::of(&w);
    assert_eq!(r.campaign, "succeeded", "{log:?}");
    assert_eq!((r.final_values.state, r.final_values.result), (0, 1));
}

#[test]
fn srv11_an_operator_write_the_device_refuses_does_not_end_the_campaign() {
    let w = with_operation(
        "pull-success",
        r#"{"at_ms": 1600, "op": "write", "path": "/5/0/1", "value": "ftp://nowhere/x.bin"}"#,
    );
    let r = RunReport::of(&w);
    assert_eq!(r.campaign, "succeeded");
    assert_eq!(w.device().firmware_version(), "2.0.0");
}
