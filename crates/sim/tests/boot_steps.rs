//! The boot as steps of the timeline: between the Execute of /5/0/2 and the next Register, the
//! rollback scenario's run holds the device's moments in the order they happened, each with
//! its virtual time (the reset, the validation, the swap sector by sector, the jump, the
//! crash, the watchdog reset, the revert), and each boot step the flash as it was then, so that
//! stepping back and forth across the boot moves the slot strips with it.

use fota_bootloader::{BootEvent, SectorCopy, Slot, SwapType};
use fota_device::{DeviceEvent, ResetCause};
use fota_sim::{Moment, Position, Scenario, Timeline, World};

fn rollback() -> World {
    let mut w = World::new(Scenario::by_id("rollback").expect("built-in"), 1);
    w.run_to_end();
    w
}

/// The rows of the Execute of /5/0/2 (the device applied FU-T9 to it) and of the Register
/// after it.
fn execute_and_next_register(w: &World) -> (usize, usize) {
    let rows = w.trace().len();
    let execute = (0..rows)
        .find(|&r| w.row_rules(r).contains(&"FU-T9"))
        .expect("an Execute");
    let register = (execute..rows)
        .find(|&r| w.row_rules(r).contains(&"OBJ-1"))
        .expect("a Register after it");
    (execute, register)
}

/// A moment's kind in a word, to compare sequences.
fn kind(m: &Moment) -> String {
    match &m.event {
        DeviceEvent::Reset { cause } => format!("reset {cause:?}"),
        DeviceEvent::ImageFailed { behaviour, .. } => format!("failed {}", behaviour.name()),
        DeviceEvent::Boot { event, .. } => match event {
            BootEvent::Validated { slot, checks } => format!(
                "validated {} {}",
                slot.name(),
                if checks.iter().all(|c| c.ok) {
                    "ok"
                } else {
                    "failed"
                }
            ),
            BootEvent::SwapStarted { kind } => format!("swap {kind}"),
            BootEvent::SectorCopied { .. } => "sector".into(),
            BootEvent::JumpToPrimary { version } => format!("jump {version}"),
            BootEvent::Reverted => "reverted".into(),
            BootEvent::UpgradeRequested => "requested".into(),
            other => format!("{other:?}"),
        },
        other => format!("{other:?}"),
    }
}

#[test]
fn the_rollback_boot_is_a_sequence_of_moments_in_order_with_their_times() {
    let w = rollback();
    let (execute, register) = execute_and_next_register(&w);
    let between: Vec<&Moment> = w
        .moments()
        .iter()
        .filter(|m| m.rows > execute && m.rows <= register)
        .collect();
    let mut kinds: Vec<String> = between.iter().map(|m| kind(m)).collect();
    // The sector steps in one word each, and counted.
    let sectors = kinds.iter().filter(|k| *k == "sector").count();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "requested",
            "reset ForUpdate { rule: \"FU-T9\" }",
            "validated secondary ok",
            "swap TEST",
            "sector",
            "validated primary ok",
            "jump 2.0.0",
            "failed crash-at-boot",
            "reset Watchdog { reverts: true }",
            "swap REVERT",
            "sector",
            "reverted",
            "validated primary ok",
            "jump 1.0.0",
        ],
    );
    // /3/0/3 says 1.0.0 from the jump to the old image on, not only once it has registered.
    let all: Vec<&Moment> = w.moments().iter().collect();
    let jump_back = all.iter().rposition(|m| kind(m) == "jump 1.0.0").unwrap();
    let at_jump = fota_sim::Position {
        rows: all[jump_back].rows,
        moments: jump_back + 1,
    };
    assert_eq!(w.values_at(at_jump).2, "1.0.0");
    // Eight image sectors, three steps each (move up, down, up), for the swap and the revert.
    assert_eq!(sectors, 2 * 24);
    let times: Vec<u64> = between.iter().map(|m| m.at.millis()).collect();
    assert!(times.windows(2).all(|t| t[0] <= t[1]), "{times:?}");
    let crash = between
        .iter()
        .find(|m| kind(m) == "failed crash-at-boot")
        .unwrap();
    let watchdog = between
        .iter()
        .find(|m| kind(m) == "reset Watchdog { reverts: true }")
        .unwrap();
    assert_eq!(crash.rule(), Some("BOOT-2"));
    assert!(watchdog.at > crash.at, "the watchdog resets later");
    assert!(watchdog.step > crash.step, "in a world event of its own");
    // Each sector step has its rule, names its sectors, and carries the flash after it.
    for m in between.iter().filter(|m| kind(m) == "sector") {
        assert_eq!(m.rule(), Some("BOOT-4"));
        assert!(m.flash().is_some() && m.sector().is_some());
    }
    // The validation names every check it ran, with what the hash check compared.
    let (slot, checks) = between[2].checks().expect("a validation");
    assert_eq!(slot, Slot::Secondary);
    let names: Vec<&str> = checks.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "header",
            "sizes",
            "hash",
            "key",
            "signature",
            "security counter",
            "manifest"
        ]
    );
    assert!(checks[2].compared.is_some() && checks[3].compared.is_some());
    assert!(matches!(
        between[3].boot_event(),
        Some(BootEvent::SwapStarted {
            kind: SwapType::Test
        })
    ));
    assert!(
        matches!(between[0].event, DeviceEvent::Boot { .. })
            && matches!(
                between[1].event,
                DeviceEvent::Reset {
                    cause: ResetCause::ForUpdate { .. }
                }
            )
    );
}

/// The image each slot strip names at a moment, from the flash the moment carries.
fn images(m: &Moment) -> [Option<String>; 2] {
    let [p, s] = m.flash().expect("a boot step").slots_view();
    [p.image, s.image]
}

#[test]
fn the_snapshots_show_the_images_trade_places_sector_by_sector() {
    let w = rollback();
    let moments = w.moments();
    let steps: Vec<&Moment> = moments
        .iter()
        .filter(|m| {
            matches!(
                m.boot_event(),
                Some(BootEvent::SwapStarted { .. } | BootEvent::SectorCopied { .. })
            )
        })
        .collect();
    let v = |s: &str| Some(s.to_string());
    // Before the swap: the old image in the primary, the new one in the secondary.
    assert_eq!(images(steps[0]), [v("1.0.0"), v("2.0.0")]);
    // Half way, neither slot holds a whole image.
    assert_eq!(images(steps[12]), [None, None]);
    // After the last step of the swap, they have traded places; after the revert, back.
    assert_eq!(images(steps[24]), [v("2.0.0"), v("1.0.0")]);
    assert_eq!(images(steps[49]), [v("1.0.0"), v("2.0.0")]);
    // A step down writes the primary sector it names: the sector strip shows it holding data
    // once more, erased one more time than before the step.
    let down = steps
        .iter()
        .position(|m| {
            matches!(
                m.boot_event(),
                Some(BootEvent::SectorCopied {
                    copy: SectorCopy::Down,
                    ..
                })
            )
        })
        .unwrap();
    let sector = steps[down].sector().unwrap();
    let count = |m: &Moment| m.flash().unwrap().flash().erase_counts()[sector];
    assert_eq!(count(steps[down]), count(steps[down - 1]) + 1);
}

#[test]
fn stepping_back_across_the_boot_gives_back_the_earlier_snapshot() {
    let end = rollback();
    let moments = end.moments().clone();
    let total = end.trace().len();
    let (execute, _) = execute_and_next_register(&end);
    let mut t = Timeline::new(World::new(Scenario::by_id("rollback").unwrap(), 1));
    // From the Execute on, one step at a time, until the old image is back.
    let mut at = Position::at_rows(execute + 1, &moments);
    let mut seen = Vec::new();
    while seen.len() < 200 {
        t.seek_position(at);
        let shown = at.moment(&moments).cloned();
        if let Some(m) = &shown {
            assert_eq!(t.world().steps(), m.step, "the world of the moment's event");
            assert_eq!(t.world().trace().len(), at.rows);
        }
        seen.push((at, shown));
        if matches!(seen.last(), Some((_, Some(m))) if kind(m) == "reverted") {
            break;
        }
        at = at.next(total, &moments).expect("the run goes on");
    }
    // Back again, one step at a time: each position shows what it showed on the way forward,
    // the slot strips included.
    let strips = |m: &Option<Moment>| m.as_ref().and_then(|m| m.flash()).map(|f| f.slots_view());
    for (pos, was) in seen.iter().rev() {
        t.seek_position(*pos);
        assert_eq!(t.world().trace().len(), pos.rows);
        let now = pos.moment(&moments).cloned();
        assert_eq!(now.as_ref().map(kind), was.as_ref().map(kind));
        assert_eq!(strips(&now), strips(was));
        if let Some(back) = pos.back(&moments) {
            assert!(back < *pos);
        }
    }
    // Stepping forward then back lands where it started.
    let p = seen[5].0;
    assert_eq!(
        p.next(total, &moments).and_then(|n| n.back(&moments)),
        Some(p)
    );
    // Mid-boot, /3/0/3 still names the old image; from the jump on, the new one.
    let jump = seen
        .iter()
        .find(|(_, m)| m.as_ref().is_some_and(|m| kind(m) == "jump 2.0.0"))
        .unwrap()
        .0;
    let swap = seen
        .iter()
        .find(|(_, m)| m.as_ref().is_some_and(|m| kind(m) == "swap TEST"))
        .unwrap()
        .0;
    t.seek_position(swap);
    assert_eq!(t.world().values_at(swap).2, "1.0.0");
    t.seek_position(jump);
    assert_eq!(t.world().values_at(jump).2, "2.0.0");
}
