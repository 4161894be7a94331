//! BOOT-8: every flash geometry the scenario format accepts (write alignment 1, 2, 4, 8 or 16,
//! erased value 0x00 or 0xFF) carries an update through end to end: the built-in success
//! scenarios end on the new firmware with Update Result 1, and an image that crashes is still
//! rolled back. Each variant goes through the scenario file format, so the validation that
//! accepts the geometry is the one a course author's file meets.

use fota_sim::{RunReport, Scenario, World};

const ALIGNMENTS: [usize; 5] = [1, 2, 4, 8, 16];
const ERASED: [u8; 2] = [0x00, 0xff];

/// The built-in scenario `id` with the given geometry, read back from its JSON.
fn with_geometry(id: &str, align: usize, erased: u8) -> Scenario {
    let mut s = Scenario::by_id(id).unwrap();
    s.device.flash_align = align;
    s.device.flash_erased = erased;
    Scenario::from_json(&s.to_json()).unwrap_or_else(|e| panic!("align {align}: {e}"))
}

/// (State, Update Result, firmware version, campaign) after the run.
fn outcome(id: &str, align: usize, erased: u8) -> (u8, u8, String, String) {
    let mut w = World::new(with_geometry(id, align, erased), 1);
    w.run_to_end();
    let r = RunReport::of(&w);
    assert!(
        r.expectations.met,
        "{id} align {align} erased {erased:#04x}: {:?}",
        r.expectations.failed
    );
    let v = r.final_values;
    (v.state, v.result, v.firmware_version, r.campaign)
}

#[test]
fn boot8_pull_and_push_succeed_with_every_alignment_and_erased_value() {
    for id in ["pull-success", "push-success", "powercut-during-swap"] {
        for align in ALIGNMENTS {
            for erased in ERASED {
                assert_eq!(
                    outcome(id, align, erased),
                    (0, 1, "2.0.0".into(), "succeeded".into()),
                    "{id} align {align} erased {erased:#04x}"
                );
            }
        }
    }
}

#[test]
fn boot8_a_crashing_image_is_rolled_back_with_every_alignment_and_erased_value() {
    for align in ALIGNMENTS {
        for erased in ERASED {
            assert_eq!(
                outcome("rollback", align, erased),
                (0, 8, "1.0.0".into(), "failed".into()),
                "align {align} erased {erased:#04x}"
            );
        }
    }
}

#[test]
fn boot8_overwrite_only_succeeds_with_every_alignment_and_erased_value() {
    for align in ALIGNMENTS {
        for erased in ERASED {
            let mut s = with_geometry("pull-success", align, erased);
            s.device.boot_strategy = fota_bootloader::Strategy::Overwrite;
            let mut w = World::new(s, 1);
            w.run_to_end();
            let v = RunReport::of(&w).final_values;
            assert_eq!(
                (v.state, v.result, v.firmware_version.as_str()),
                (0, 1, "2.0.0"),
                "align {align} erased {erased:#04x}"
            );
        }
    }
}
