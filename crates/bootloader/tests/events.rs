//! The boot log as typed events, as a tool reading it would see them: every flash operation
//! of a boot with its sector and what the sector is for, in order; a closing count that
//! matches them; decisions that carry their data; and text that reads as the log always has.

use fota_bootloader::{
    BootEvent, BootOutcome, Bootloader, Compared, FlashEvent, ImageBuilder, ImageVersion,
    SectorCopy, SectorRole, Slot, Strategy, SwapType,
};

fn v(major: u8) -> ImageVersion {
    ImageVersion::new(major, 0, 0)
}

fn image(major: u8, body: usize) -> Vec<u8> {
    ImageBuilder::new(v(major))
        .security_counter(u32::from(major))
        .body(&vec![major; body])
        .build()
}

/// A device running v1 with `candidate` downloaded and requested, its log taken.
fn requested(strategy: Strategy, slot_sectors: usize, candidate: &[u8]) -> Bootloader {
    let mut b = Bootloader::with_geometry(strategy, slot_sectors * 4096, 8, 0xff, &image(1, 1000));
    b.erase_secondary().unwrap();
    b.write_secondary(0, candidate).unwrap();
    b.request_upgrade().unwrap();
    b.take_events();
    b
}

fn erase(sector: usize, role: SectorRole) -> BootEvent {
    BootEvent::Flash(FlashEvent::Erase { sector, role })
}

fn write(offset: usize, len: usize, role: SectorRole) -> BootEvent {
    BootEvent::Flash(FlashEvent::Write {
        offset,
        len,
        sector: offset / 4096,
        role,
    })
}

fn counts(events: &[BootEvent]) -> (usize, usize) {
    let erases = events
        .iter()
        .filter(|e| matches!(e, BootEvent::Flash(FlashEvent::Erase { .. })))
        .count();
    let writes = events
        .iter()
        .filter(|e| matches!(e, BootEvent::Flash(FlashEvent::Write { .. })))
        .count();
    (erases, writes)
}

/// The checks of a `Validated` event, when it is one for `slot` that passed them all.
fn all_passed(e: &BootEvent, slot: Slot) -> bool {
    matches!(e, BootEvent::Validated { slot: s, checks } if *s == slot && checks.len() == 7 && checks.iter().all(|c| c.ok))
}

/// Slots of four sectors and one-sector images: the secondary is validated, the TEST swap
/// sets up the primary trailer (swap type, size, magic last), withdraws the request, moves,
/// swaps down and up with a status record after each step (each step then told), and marks
/// the copy done; the primary is validated again before the jump.
#[test]
fn a_test_swap_lists_every_flash_operation_with_its_sector_and_role_in_order() {
    let mut b = requested(Strategy::SwapMove, 4, &image(2, 1500));
    let before = b.flash().ops();
    assert_eq!(
        b.boot(),
        BootOutcome::Booted {
            version: v(2),
            upgraded: true
        }
    );
    let mut events = b.take_events();
    assert!(all_passed(&events.remove(0), Slot::Secondary));
    let jump = events.len() - 3;
    assert!(all_passed(&events.remove(jump), Slot::Primary));
    let primary = |index| SectorRole::Image {
        slot: Slot::Primary,
        index,
    };
    let secondary = |index| SectorRole::Image {
        slot: Slot::Secondary,
        index,
    };
    let p_trailer = SectorRole::Trailer {
        slot: Slot::Primary,
    };
    let s_trailer = SectorRole::Trailer {
        slot: Slot::Secondary,
    };
    // The primary trailer ends at 0x4000: magic at 0x3ff0, then 8-byte fields counted back
    // from it (copy_done 2, swap_info 3, swap_size 4, status records from 5).
    let field = |n: usize| 0x3ff0 - 8 * n;
    let step = |step, copy, from, to| BootEvent::SectorCopied {
        step,
        of: 3,
        copy,
        from,
        from_role: if from < 4 {
            primary(from)
        } else {
            secondary(from - 4)
        },
        to,
        to_role: if to < 4 {
            primary(to)
        } else {
            secondary(to - 4)
        },
    };
    let expected = vec![
        BootEvent::SwapStarted {
            kind: SwapType::Test,
        },
        erase(3, p_trailer),
        write(field(3), 8, p_trailer),
        write(field(4), 8, p_trailer),
        write(0x3ff0, 16, p_trailer),
        erase(7, s_trailer),
        // Move: the old image up one sector.
        erase(1, primary(1)),
        write(0x1000, 4096, primary(1)),
        write(field(5), 8, p_trailer),
        step(1, SectorCopy::MoveUp, 0, 1),
        // Down: the new image into the primary.
        erase(0, primary(0)),
        write(0x0000, 4096, primary(0)),
        write(field(6), 8, p_trailer),
        step(2, SectorCopy::Down, 4, 0),
        // Up: the old image into the secondary.
        erase(4, secondary(0)),
        write(0x4000, 4096, secondary(0)),
        write(field(7), 8, p_trailer),
        step(3, SectorCopy::Up, 1, 4),
        write(field(2), 8, p_trailer),
        BootEvent::JumpToPrimary { version: v(2) },
        BootEvent::FlashCount {
            erases: 5,
            writes: 10,
        },
    ];
    assert_eq!(events, expected);
    assert_eq!(b.flash().ops() - before, 15);
}

/// Whatever the boot did (an upgrade, a revert, an upgrade cut short), the closing count
/// is the flash operations listed before it, and those are all the flash did.
#[test]
fn the_closing_count_matches_the_flash_operations_listed() {
    for strategy in [Strategy::SwapMove, Strategy::Overwrite] {
        for cut in [None, Some(4)] {
            let mut b = requested(strategy, 6, &image(2, 9000));
            // The upgrade, then (swap-move) the revert of the unconfirmed image, then a boot
            // with nothing to do.
            for boot in 0..3 {
                let before = b.flash().ops();
                if let (0, Some(n)) = (boot, cut) {
                    b.flash_mut().cut_power_before(before + n);
                }
                b.boot();
                let events = b.take_events();
                let (erases, writes) = counts(&events);
                let what = format!("{strategy:?} cut {cut:?} boot {boot}: {events:?}");
                assert_eq!((erases + writes) as u64, b.flash().ops() - before, "{what}");
                let closing = events.last().filter(|_| erases + writes > 0);
                match closing {
                    Some(last) => assert_eq!(last, &BootEvent::FlashCount { erases, writes }),
                    None => assert!(
                        !events
                            .iter()
                            .any(|e| matches!(e, BootEvent::FlashCount { .. })),
                        "no operations, no count: {what}"
                    ),
                }
            }
        }
    }
}

/// An overwrite upgrade reads, line for line, as the boot log always has.
#[test]
fn the_events_of_an_upgrade_read_as_the_log_lines() {
    let v2 = image(2, 1500);
    let mut b = requested(Strategy::Overwrite, 3, &v2);
    b.boot();
    let events = b.take_events();
    let lines: Vec<String> = events.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        lines,
        [
            "validated the secondary: all 7 checks passed".to_string(),
            format!(
                "upgrade: secondary holds 2.0.0 ({} bytes), every check passed; overwriting the primary",
                v2.len()
            ),
            "flash: erase sector 0 (primary sector 0)".to_string(),
            "flash: write 4096 bytes at 0x000000 (primary sector 0)".to_string(),
            "sector step 1 of 1: secondary sector 0 copied over primary sector 0".to_string(),
            "flash: erase sector 5 (secondary trailer)".to_string(),
            "validated the primary: all 7 checks passed".to_string(),
            "primary 2.0.0 valid; jumping to it".to_string(),
            "flash: 3 operations (2 sector erases, 1 write)".to_string(),
        ]
    );
    // take_log is the same log as text.
    let mut again = requested(Strategy::Overwrite, 3, &v2);
    again.boot();
    assert_eq!(again.take_log(), lines);
    b.confirm();
    assert_eq!(
        b.take_log(),
        [
            "flash: write 8 bytes at 0x006000 (NV counter)",
            "security counter 0 -> 2 in NV flash",
            "flash: 1 operation (0 sector erases, 1 write)",
        ]
    );
}

/// A refusal names the check that failed, and its text is the reason the outcome gives.
#[test]
fn a_refused_upgrade_carries_the_failed_check() {
    let mut bad = image(2, 1500);
    bad[100] ^= 1;
    let mut b = requested(Strategy::SwapMove, 4, &bad);
    let outcome = b.boot();
    let BootOutcome::UpgradeRejected { reason, version } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(version, v(1));
    let events = b.take_events();
    // The validation first, every check it ran with what it found: the hash check names
    // the digest it computed and the one the image carries.
    let BootEvent::Validated {
        slot: Slot::Secondary,
        checks,
    } = &events[0]
    else {
        panic!("{events:?}");
    };
    let hash = checks.last().unwrap();
    assert_eq!((hash.name, hash.ok, checks.len()), ("hash", false, 3));
    let Some(Compared::Digests {
        computed,
        expected: Some(expected),
    }) = &hash.compared
    else {
        panic!("{hash:?}");
    };
    assert_ne!(computed, expected);
    assert!(hash.detail.contains(&computed.short()) && hash.detail.contains(&expected.short()));
    let Some(BootEvent::UpgradeRefused {
        kind: Some(SwapType::Test),
        failed,
    }) = events.get(1)
    else {
        panic!("{events:?}");
    };
    assert_eq!(failed, hash);
    assert_eq!(
        events[1].to_string(),
        format!("TEST upgrade refused: {reason}")
    );
    assert_eq!(
        events[2],
        BootEvent::Flash(FlashEvent::Erase {
            sector: 7,
            role: SectorRole::Trailer {
                slot: Slot::Secondary
            }
        }),
        "the request is withdrawn"
    );

    // Nothing valid in the primary: the device halts, and says why.
    let mut empty = Bootloader::with_geometry(Strategy::Overwrite, 3 * 4096, 8, 0xff, &[]);
    empty.take_events();
    let BootOutcome::Bricked { reason } = empty.boot() else {
        panic!("an empty primary boots");
    };
    let events = empty.take_events();
    assert!(
        matches!(&events[..], [BootEvent::Validated { slot: Slot::Primary, .. }, BootEvent::Bricked { failed }] if failed.name == "header"),
        "{events:?}"
    );
    assert_eq!(
        events[1].to_string(),
        format!("primary invalid: {reason}; halting")
    );
}
