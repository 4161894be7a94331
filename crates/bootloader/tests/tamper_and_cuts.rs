//! The tamper matrix through a real boot, and random runs of several power cuts in a row:
//! what MCUboot's simulator checks, on our bootloader.

use fota_bootloader::{
    build_image, BootOutcome, Bootloader, ImageBuilder, ImageVersion, KeyChoice, Strategy,
};

const SLOT: usize = 6 * 4096;

fn v(major: u8) -> ImageVersion {
    ImageVersion::new(major, 0, 0)
}

/// A device running v1 (security counter 3) with `candidate` downloaded and requested.
fn with_candidate(strategy: Strategy, candidate: &[u8]) -> Bootloader {
    let v1 = ImageBuilder::new(v(1))
        .security_counter(3)
        .body(&[1; 3000])
        .build();
    let mut b = Bootloader::with_geometry(strategy, SLOT, 8, 0xff, &v1);
    b.confirm();
    b.erase_secondary().unwrap();
    b.write_secondary(0, candidate).unwrap();
    b.request_upgrade().unwrap();
    b
}

fn le16_at(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

/// BOOT-I5: each tampered image is refused at boot and the primary stays byte for byte.
#[test]
fn boot_i5_tampered_images_are_refused_and_the_primary_is_untouched() {
    let good = ImageBuilder::new(v(2))
        .security_counter(4)
        .body(&[2; 5000])
        .build();
    let hdr = 32;
    let img_size = u32::from_le_bytes([good[12], good[13], good[14], good[15]]) as usize;
    let unprot = hdr + img_size + 12;
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    // Every bit of the header, both TLV blocks, the hash and the signature...
    for byte in (0..hdr).chain(hdr + img_size..good.len()) {
        for bit in 0..8 {
            let mut t = good.clone();
            t[byte] ^= 1 << bit;
            cases.push((format!("flip byte {byte} bit {bit}"), t));
        }
    }
    // ...and a seeded sample of the payload.
    let mut x = 0x9e37_79b9u32;
    for _ in 0..64 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let at = hdr + (x as usize % img_size);
        let mut t = good.clone();
        t[at] ^= 1 << (x % 8);
        cases.push((format!("payload flip at {at}"), t));
    }
    let unknown = ImageBuilder::new(v(2))
        .security_counter(4)
        .key(KeyChoice::Unknown)
        .build();
    cases.push(("unknown key".into(), unknown));
    let downgrade = ImageBuilder::new(v(2)).security_counter(2).build();
    cases.push(("downgrade: security counter 2 < 3".into(), downgrade));
    let mut no_hash = good.clone();
    // The SHA256 record becomes a SHA384 record of the wrong length: no usable hash TLV.
    no_hash[unprot + 4] = 0x11;
    cases.push(("missing hash TLV".into(), no_hash));
    cases.push(("truncated TLVs".into(), good[..good.len() - 30].to_vec()));
    let mut past_end = good.clone();
    let total = le16_at(&past_end, unprot + 2) + 40;
    past_end[unprot + 2..unprot + 4].copy_from_slice(&(total as u16).to_le_bytes());
    cases.push(("TLV block running past the end".into(), past_end));
    let mut overflow = good.clone();
    overflow[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    cases.push(("header sizes that overflow".into(), overflow));
    cases.push(("not an image".into(), vec![0x5a; 4000]));
    assert!(cases.len() > 1500);

    for strategy in [Strategy::SwapMove, Strategy::Overwrite] {
        for (i, (what, image)) in cases.iter().enumerate() {
            // Every case through validation; a spread of them, and every named one, through a
            // whole boot.
            let mut b = with_candidate(strategy, image);
            assert!(
                !b.check_secondary().valid(),
                "{strategy:?}: {what} passed validation"
            );
            if i % 23 != 0 && i < cases.len() - 8 {
                continue;
            }
            let primary = b.primary();
            let outcome = b.boot();
            assert!(
                matches!(outcome, BootOutcome::UpgradeRejected { version, .. } if version == v(1)),
                "{strategy:?}: {what}: {outcome:?}"
            );
            assert_eq!(
                b.primary(),
                primary,
                "{strategy:?}: {what} touched the primary"
            );
        }
    }
}

/// Random runs of up to five power cuts in a row during an upgrade (and, for swap-move, the
/// revert that follows when the image never confirms), then clean boots: always a correctly
/// signed image, and the work ends.
#[test]
fn boot_i1_i4_up_to_five_cuts_in_a_row() {
    let v1 = build_image(v(1), &[1; 7000]);
    let v2 = build_image(v(2), &[2; 9000]);
    let mut x = 0x2545_f491u32;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        u64::from(x) % n.max(1)
    };
    for strategy in [Strategy::SwapMove, Strategy::Overwrite] {
        for run in 0..60 {
            let mut b = Bootloader::with_geometry(strategy, SLOT, 8, 0xff, &v1);
            b.erase_secondary().unwrap();
            b.write_secondary(0, &v2).unwrap();
            b.request_upgrade().unwrap();
            let cuts = 1 + next(5);
            for _ in 0..cuts {
                let at = b.flash().ops() + next(70);
                b.flash_mut().cut_power_before(at);
                match b.boot() {
                    BootOutcome::Bricked { reason } => {
                        panic!("{strategy:?} run {run}: bricked: {reason}")
                    }
                    BootOutcome::Booted { version, .. } | BootOutcome::Reverted { version } => {
                        assert!(version == v(1) || version == v(2))
                    }
                    _ => {}
                }
            }
            // Clean boots from here: the work finishes and the device settles on one image.
            b.flash_mut().disarm();
            let mut last = None;
            for _ in 0..3 {
                match b.boot() {
                    BootOutcome::Booted { version, .. } | BootOutcome::Reverted { version } => {
                        last = Some(version)
                    }
                    other => panic!("{strategy:?} run {run}: {other:?}"),
                }
            }
            let before = b.flash().ops();
            let settled = b.boot();
            assert_eq!(
                b.flash().ops(),
                before,
                "{strategy:?} run {run}: still working"
            );
            // Swap-move never confirmed: the old image is back (BOOT-I4). Overwrite has no way
            // back.
            let expected = if strategy == Strategy::SwapMove {
                v(1)
            } else {
                v(2)
            };
            assert_eq!(last, Some(expected), "{strategy:?} run {run}");
            assert!(matches!(settled, BootOutcome::Booted { version, .. } if version == expected));
        }
    }
}
