//! Every built-in scenario meets its own expectations, and each failure one ends through the
//! SPEC rule that names it.

use fota_sim::{RunReport, Scenario, World};

fn run(id: &str) -> World {
    let mut w = World::new(Scenario::by_id(id).unwrap(), 1);
    w.run_to_end();
    w
}

#[test]
fn every_builtin_scenario_meets_its_expectations() {
    let ids = Scenario::builtin_ids();
    assert!(ids.len() >= 20, "{ids:?}");
    for id in ids {
        let r = RunReport::of(&run(&id));
        assert!(r.expectations.met, "{id}: {:?}", r.expectations.failed);
    }
}

#[test]
fn each_failure_goes_through_its_rule() {
    // (scenario, the rule of its last /5 change, the Update Result it leaves)
    let cases = [
        ("rollback", "FU-T14", 8),
        ("rollback-health-check", "FU-T14", 8),
        ("bad-signature", "FU-T6", 5),
        ("corrupt-image", "FU-T6", 5),
        ("downgrade-rejected", "FU-T6", 6),
        ("wrong-package", "FU-T6", 6),
        ("invalid-uri", "FU-T6", 7),
        ("unsupported-protocol", "FU-T3", 9),
        ("flash-full", "FU-T6", 2),
        ("connection-lost", "FU-T6", 4),
        ("cancelled", "FU-T8", 10),
        ("deferred", "FU-T11", 1),
        ("powercut-during-swap", "FU-T11", 1),
        ("pull-success", "FU-T11", 1),
        ("push-success", "FU-T11", 1),
        ("push-waits-for-signal", "FU-T11", 1),
        ("out-of-ram", "FU-T6", 3),
        ("resume-after-reboot", "FU-T11", 1),
        ("lossy-link", "FU-T11", 1),
        ("rejected-at-boot", "FU-T13", 5),
        ("pull-senml-cbor", "FU-T11", 1),
    ];
    for (id, rule, result) in cases {
        let w = run(id);
        let last = w.firmware_changes().last().unwrap();
        assert_eq!((last.rule, last.result.code()), (rule, result), "{id}");
    }
}

#[test]
fn fu_t10_a_deferred_update_reports_11_then_installs_by_itself() {
    let w = run("deferred");
    let rules: Vec<_> = w
        .firmware_changes()
        .iter()
        .map(|c| (c.rule, c.result.code()))
        .collect();
    let deferred = rules
        .iter()
        .position(|r| *r == ("FU-T10", 11))
        .expect("FU-T10 happened");
    // The update starts when the defer period ends, by the same rule: no Execute came.
    assert_eq!(&rules[deferred + 1..], [("FU-T10", 0), ("FU-T11", 1)]);
    let changes = w.firmware_changes();
    let (deferred_at, started_at) = (
        changes[deferred].at.millis(),
        changes[deferred + 1].at.millis(),
    );
    assert!(
        started_at - deferred_at >= 20_000,
        "the defer period is kept"
    );
}

#[test]
fn a_rolled_back_device_runs_its_old_image_and_registers_again() {
    let w = run("rollback");
    assert_eq!(w.device().firmware_version(), "1.0.0");
    assert!(w.device().is_registered());
    let log: Vec<_> = w.log().iter().map(|l| l.text()).collect();
    assert!(log.iter().any(|l| l.contains("crashed at boot")), "{log:?}");
    assert!(
        log.iter().any(|l| l.contains("starting a REVERT swap")),
        "{log:?}"
    );
    // The old image that comes back has nothing to confirm: no FU-T11 after the revert.
    for id in ["rollback", "rollback-health-check"] {
        let w = run(id);
        assert!(
            !w.log().iter().any(|l| l.rule == Some("FU-T11")),
            "{id}: a confirmation after the revert"
        );
    }
}

#[test]
fn boot_i1_a_cut_during_the_swap_is_finished_at_the_next_power_on() {
    let w = run("powercut-during-swap");
    let log: Vec<_> = w.log().iter().map(|l| l.text()).collect();
    let cut = log
        .iter()
        .position(|l| l.starts_with("power cut during the boot"))
        .expect("the cut happened");
    let resumed = log
        .iter()
        .position(|l| l.contains("resuming an interrupted TEST swap"))
        .expect("resumed");
    assert!(cut < resumed, "{log:?}");
    assert_eq!(w.device().firmware_version(), "2.0.0");
}

#[test]
fn the_end_of_a_run_reads_as_a_sentence_about_the_device() {
    let said = |id: &str| RunReport::of(&run(id)).in_words();
    assert_eq!(
        said("pull-success"),
        "The update succeeded: firmware 2.0.0 runs, and the device reports Update Result 1. \
         That is what this scenario shows."
    );
    assert_eq!(
        said("connection-lost"),
        "The update failed with Update Result 4: the connection was lost during the download. \
         That is what this scenario shows."
    );
    let mut s = Scenario::by_id("connection-lost").unwrap();
    s.expect.result = Some(1);
    let mut w = World::new(s, 1);
    w.run_to_end();
    let text = RunReport::of(&w).in_words();
    assert!(
        text.starts_with("The update failed with Update Result 4")
            && text.contains(
                "This scenario expected otherwise: /5/0/5 Update Result: expected 1, got 4"
            ),
        "{text}"
    );
}

#[test]
fn boot_5_the_device_checks_the_whole_download_before_downloaded_and_shows_each_check() {
    let names = |id: &str| -> Vec<(&'static str, bool)> {
        let w = run(id);
        let all = w.prevalidations();
        assert_eq!(all.len(), 1, "{id}: one complete download, one check");
        all[0].1.iter().map(|c| (c.name, c.ok)).collect()
    };
    let good = names("pull-success");
    assert!(good.iter().all(|(_, ok)| *ok), "{good:?}");
    for check in ["hash", "key", "signature", "security counter"] {
        assert!(good.iter().any(|(n, _)| *n == check), "{check} in {good:?}");
    }
    // An image signed with a key the bootloader does not trust fails at the key check, the
    // last one run.
    let bad = names("bad-signature");
    assert_eq!(bad.last(), Some(&("key", false)), "{bad:?}");
    assert!(bad[..bad.len() - 1].iter().all(|(_, ok)| *ok), "{bad:?}");
    let corrupt = names("corrupt-image");
    assert_eq!(corrupt.last(), Some(&("hash", false)), "{corrupt:?}");
}
