//! Boots through the public API: an overwrite upgrade and a refused one, the slot's room, a
//! swap-move TEST upgrade with confirm and the security counter, the same decision from the
//! same flash (BOOT-I6), and a power cut before every flash operation of an overwrite.

use fota_bootloader::{
    build_image, BootOutcome, Bootloader, ImageBuilder, ImageVersion, SlotError, Strategy,
    SECTOR_SIZE,
};

fn v(major: u8) -> ImageVersion {
    ImageVersion::new(major, 0, 0)
}

fn device_with_pending_upgrade(
    align: usize,
    erased: u8,
    body: usize,
) -> (Bootloader, Vec<u8>, Vec<u8>) {
    let v1 = build_image(v(1), &vec![1; body]);
    let v2 = build_image(v(2), &vec![2; body + 100]);
    let mut b = Bootloader::with_geometry(Strategy::Overwrite, 4 * SECTOR_SIZE, align, erased, &v1);
    b.erase_secondary().unwrap();
    b.write_secondary(0, &v2).unwrap();
    b.request_upgrade().unwrap();
    (b, v1, v2)
}

#[test]
fn upgrade_copies_a_valid_image_and_refuses_a_corrupt_one() {
    let (mut b, v1, v2) = device_with_pending_upgrade(8, 0xff, 300);
    assert_eq!(
        b.boot(),
        BootOutcome::Booted {
            version: v(2),
            upgraded: true
        }
    );
    assert_eq!(
        &b.primary()[..v2.len()],
        &v2[..],
        "primary holds the new image byte for byte"
    );
    assert_eq!(
        b.boot(),
        BootOutcome::Booted {
            version: v(2),
            upgraded: false
        },
        "once only"
    );

    let mut bad = v1.clone();
    bad[100] ^= 1;
    b.erase_secondary().unwrap();
    b.write_secondary(0, &bad).unwrap();
    b.request_upgrade().unwrap();
    assert!(matches!(b.boot(), BootOutcome::UpgradeRejected { .. }));
    assert_eq!(
        &b.primary()[..v2.len()],
        &v2[..],
        "a refused upgrade leaves the primary alone"
    );
}

#[test]
fn writes_past_the_slot_fail() {
    let mut b = Bootloader::with_geometry(Strategy::Overwrite, 2 * SECTOR_SIZE, 8, 0xff, &[]);
    assert_eq!(
        b.capacity(),
        2 * SECTOR_SIZE,
        "three sectors at least, one for the trailer"
    );
    let end = b.capacity();
    assert!(matches!(
        b.write_secondary(end - 8, &[0; 16]),
        Err(SlotError::OutOfSlot { .. })
    ));
    assert!(b.write_secondary(end - 16, &[0; 16]).is_ok());
    let swap = Bootloader::new(2 * SECTOR_SIZE, &[]);
    assert_eq!(
        swap.capacity(),
        SECTOR_SIZE,
        "swap-move keeps a spare sector too"
    );
}

/// BOOT-I3 for swap-move, BOOT-6 and BOOT-7: after a confirmed upgrade the primary holds the
/// new image and the secondary the old one, byte for byte; the counter moves only on confirm.
#[test]
fn swap_move_test_confirm_and_counter() {
    let v1 = ImageBuilder::new(v(1))
        .security_counter(1)
        .body(&[1; 5000])
        .build();
    let v2 = ImageBuilder::new(v(2))
        .security_counter(2)
        .body(&[2; 9000])
        .build();
    let mut b = Bootloader::new(6 * SECTOR_SIZE, &v1);
    b.confirm();
    assert_eq!(b.nv_security_counter(), 1);
    b.erase_secondary().unwrap();
    b.write_secondary(0, &v2).unwrap();
    b.request_upgrade().unwrap();
    b.take_log();
    let ops_before = b.flash().ops();
    let outcome = b.boot();
    let log = b.take_log();
    let listed = log
        .iter()
        .filter(|l| l.starts_with("flash: erase") || l.starts_with("flash: write"))
        .count();
    assert_eq!(
        listed as u64,
        b.flash().ops() - ops_before,
        "the boot log lists every flash operation"
    );
    assert!(log.iter().any(|l| l == "starting a TEST swap"), "{log:?}");
    assert_eq!(
        outcome,
        BootOutcome::Booted {
            version: v(2),
            upgraded: true
        }
    );
    assert_eq!(
        b.nv_security_counter(),
        1,
        "a TEST image does not move the counter"
    );
    b.confirm();
    assert_eq!(b.nv_security_counter(), 2, "confirming it does");
    assert_eq!(&b.primary()[..v2.len()], &v2[..]);
    assert_eq!(
        &b.secondary()[..v1.len()],
        &v1[..],
        "the old image waits in the secondary"
    );
    let before = b.flash().ops();
    assert_eq!(
        b.boot(),
        BootOutcome::Booted {
            version: v(2),
            upgraded: false
        }
    );
    assert_eq!(b.flash().ops(), before, "confirmed: nothing more to do");
    // The old image, requested again, is now a downgrade.
    b.request_upgrade().unwrap();
    assert!(matches!(b.boot(), BootOutcome::UpgradeRejected { .. }));
}

/// BOOT-I6: two bootloaders over the same flash contents decide the same, at any point of
/// an interrupted swap.
#[test]
fn boot_i6_the_decision_depends_on_the_flash_alone() {
    let v1 = build_image(v(1), &[1; 5000]);
    let v2 = build_image(v(2), &[2; 6000]);
    let mut b = Bootloader::new(6 * SECTOR_SIZE, &v1);
    b.erase_secondary().unwrap();
    b.write_secondary(0, &v2).unwrap();
    b.request_upgrade().unwrap();
    for cut in [0, 3, 11, 20] {
        let mut a = b.clone();
        let at = a.flash().ops() + cut;
        a.flash_mut().cut_power_before(at);
        a.boot();
        let mut twin = Bootloader::from_flash(Strategy::SwapMove, a.flash().clone());
        assert_eq!(a.boot(), twin.boot(), "cut {cut}");
        assert_eq!(a.primary(), twin.primary());
        assert_eq!(a.secondary(), twin.secondary());
    }
}

/// BOOT-I1 and BOOT-I2 for overwrite-only: a power cut before every flash operation of the
/// upgrade, then clean boots. Geometries: alignments 1, 4 and 8; erased 0xFF and 0x00;
/// images of under one sector and of the largest size that fits.
#[test]
fn boot_i1_i2_overwrite_survives_a_cut_before_every_flash_operation() {
    for (align, erased) in [(8, 0xff), (4, 0x00), (1, 0xff)] {
        for body in [200, 3 * SECTOR_SIZE - 400] {
            let (device, _, v2) = device_with_pending_upgrade(align, erased, body);
            let mut clean = device.clone();
            let start = clean.flash().ops();
            clean.boot();
            let ops = clean.flash().ops() - start;
            assert!(ops >= 3, "an upgrade takes erases and writes");
            for cut in 0..ops {
                let mut d = device.clone();
                d.flash_mut().cut_power_before(start + cut);
                assert_eq!(d.boot(), BootOutcome::PowerLost, "cut {cut} of {ops}");
                let second = d.boot();
                assert!(
                    matches!(second, BootOutcome::Booted { version, .. } if version == v(2)),
                    "align {align} erased {erased:#x} body {body} cut {cut}: {second:?}"
                );
                assert_eq!(
                    &d.primary()[..v2.len()],
                    &v2[..],
                    "BOOT-I3: the new image byte for byte"
                );
                let before = d.flash().ops();
                d.boot();
                assert_eq!(
                    d.flash().ops(),
                    before,
                    "BOOT-I2: the next boot does no flash operation"
                );
            }
        }
    }
}
