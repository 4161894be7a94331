//! MCUboot's image format through the public API: the bytes `ImageBuilder` writes, and that
//! `validate` refuses any flipped bit and names the first check that fails.

use fota_bootloader::{validate, ImageBuilder, ImageVersion, KeyChoice};

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn image() -> Vec<u8> {
    ImageBuilder::new(ImageVersion::new(2, 1, 3))
        .security_counter(5)
        .body(&[0xa5; 100])
        .build()
}

#[test]
fn boot1_header_and_tlvs_byte_for_byte() {
    let img = image();
    let payload_len = 7 + 5 + 100;
    assert_eq!(
        &img[0..4],
        &[0x3d, 0xb8, 0xf3, 0x96],
        "magic 0x96f3b83d little-endian"
    );
    assert_eq!(&img[8..10], &[32, 0], "ih_hdr_size");
    assert_eq!(&img[10..12], &[12, 0], "ih_protect_tlv_size");
    assert_eq!(le32(&img, 12) as usize, payload_len, "ih_img_size");
    assert_eq!(&img[20..24], &[2, 1, 3, 0], "ih_ver major, minor, revision");
    assert_eq!(
        &img[32..36],
        b"SBXF",
        "the payload starts with the manifest"
    );
    let prot = 32 + payload_len;
    assert_eq!(
        &img[prot..prot + 12],
        &[0x08, 0x69, 12, 0, 0x50, 0, 4, 0, 5, 0, 0, 0],
        "0x6908 with SEC_CNT 5"
    );
    let unprot = prot + 12;
    assert_eq!(&img[unprot..unprot + 4], &[0x07, 0x69, 144, 0]);
    assert_eq!(
        &img[unprot + 4..unprot + 8],
        &[0x10, 0, 32, 0],
        "SHA256 first"
    );
    assert_eq!(
        &img[unprot + 40..unprot + 44],
        &[0x01, 0, 32, 0],
        "then KEYHASH"
    );
    assert_eq!(
        &img[unprot + 76..unprot + 80],
        &[0x24, 0, 64, 0],
        "then ED25519"
    );
    assert_eq!(
        img.len(),
        ImageBuilder::new(ImageVersion::new(2, 1, 3)).overhead() + 100
    );
    let v = validate(&img, 0);
    assert!(v.valid(), "{v}");
    let names: Vec<_> = v.checks.iter().map(|c| c.name).collect();
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
    assert_eq!(v.info.unwrap().security_counter, 5);
}

#[test]
fn every_bit_flip_outside_the_payload_and_a_sample_inside_is_rejected() {
    let img = image();
    let payload = 32..32 + 112;
    let mut flips = 0;
    for byte in (0..img.len()).filter(|b| !payload.contains(b) || b % 7 == 0) {
        for bit in 0..8 {
            let mut bad = img.clone();
            bad[byte] ^= 1 << bit;
            // The load address, flags and pad are not checked by MCUboot either, but the
            // hash covers them.
            assert!(
                !validate(&bad, 0).valid(),
                "flip at byte {byte} bit {bit} accepted"
            );
            flips += 1;
        }
    }
    assert!(flips > 1500, "{flips} flips");
}

#[test]
fn the_first_failing_check_is_named() {
    let first_failure = |bytes: &[u8], min| validate(bytes, min).failure().map(|c| c.name);
    let img = image();
    assert_eq!(first_failure(&img[..20], 0), Some("header"));
    assert_eq!(first_failure(&img[..img.len() - 1], 0), Some("sizes"));
    let unknown = ImageBuilder::new(ImageVersion::new(2, 1, 3))
        .key(KeyChoice::Unknown)
        .build();
    assert_eq!(first_failure(&unknown, 0), Some("key"));
    assert_eq!(first_failure(&img, 6), Some("security counter"));
    // Header sizes that overflow.
    let mut huge = img.clone();
    huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(first_failure(&huge, 0), Some("sizes"));
    // A signature that does not verify (flip inside the signature).
    let mut sig = img.clone();
    let n = sig.len();
    sig[n - 1] ^= 1;
    assert_eq!(first_failure(&sig, 0), Some("signature"));
    assert!(validate(&unknown, 0).failure().is_some_and(|c| !c.ok));
    assert!(validate(&img, 6).is_foreign_or_downgrade());
    assert!(!validate(&sig, 0).is_foreign_or_downgrade());
}

/// The checks that compare values carry them, so a checklist can show what was compared: the
/// key check the image's key hash and the trusted keys' (BOOT-1), the security counter check
/// the image's counter and the NV one (BOOT-7), the hash check both digests.
#[test]
fn the_comparing_checks_carry_what_they_compared() {
    use fota_bootloader::{Compared, TrustedKey};
    let foreign = ImageBuilder::new(ImageVersion::new(2, 0, 0))
        .key(KeyChoice::Unknown)
        .body(&[1; 64])
        .build();
    let verdict = validate(&foreign, 0);
    let key = verdict.failure().expect("an unknown key is refused");
    let Some(Compared::KeyHashes {
        image: Some(theirs),
        trusted,
    }) = &key.compared
    else {
        panic!("{key:?}");
    };
    assert_eq!(key.name, "key");
    assert!(matches!(&trusted[..], [TrustedKey { name: "sandbox", hash }] if hash != theirs));
    assert!(key.detail.contains(&theirs.short()) && key.detail.contains("does not trust"));

    let old = image();
    let verdict = validate(&old, 6);
    let counter = verdict.failure().expect("a downgrade is refused");
    assert_eq!(
        counter.compared,
        Some(Compared::Counters {
            image: Some(5),
            nv: 6
        })
    );
    assert!(counter.detail.contains('5') && counter.detail.contains('6'));

    let good = validate(&old, 5);
    let Some(Compared::Digests { computed, expected }) = good
        .checks
        .iter()
        .find(|c| c.name == "hash")
        .and_then(|c| c.compared.clone())
    else {
        panic!("{good:?}");
    };
    assert_eq!(Some(computed), expected);
    assert_eq!(computed.0, good.info.unwrap().sha256);
    assert_eq!(computed.hex().len(), 64, "in full in data");
}

/// `validate` remembers verdicts; it must never give one for other bytes or another counter.
#[test]
fn a_remembered_verdict_is_given_only_for_the_same_bytes_and_counter() {
    use fota_bootloader::validate_afresh;
    let good = ImageBuilder::new(ImageVersion::new(2, 0, 0))
        .security_counter(4)
        .body(&[7; 2000])
        .build();
    assert!(validate(&good, 0).valid());
    assert!(validate(&good, 0).valid(), "the same bytes, again");
    // One bit of the signature, the very end of the image: judged again, and refused.
    let mut tampered = good.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert!(!validate(&tampered, 0).valid());
    assert_eq!(validate(&tampered, 0), validate_afresh(&tampered, 0));
    // A higher counter in NV flash refuses the same bytes.
    assert!(!validate(&good, 5).valid());
    assert!(validate(&good, 4).valid());
    for min in 0..8 {
        assert_eq!(
            validate(&good, min),
            validate_afresh(&good, min),
            "counter {min}"
        );
    }
}

/// A verdict is remembered by the image's own bytes: the slot after it (erased, or holding
/// leftovers) does not change it, and an image still being written is judged as it stands.
#[test]
fn a_remembered_verdict_follows_the_image_not_what_comes_after_it() {
    use fota_bootloader::validate_afresh;
    let good = ImageBuilder::new(ImageVersion::new(2, 1, 0))
        .body(&[9; 6000])
        .build();
    let in_slot = |after: u8| {
        let mut slot = good.clone();
        slot.resize(good.len() + 4096, after);
        slot
    };
    for after in [0xff, 0x00, 0x5a] {
        let slot = in_slot(after);
        assert!(validate(&slot, 0).valid(), "followed by {after:#x}");
        assert_eq!(validate(&slot, 0), validate_afresh(&slot, 0));
    }
    // Half written: the first half of the image, then erased flash.
    let mut half = in_slot(0xff);
    half[good.len() / 2..].fill(0xff);
    assert!(!validate(&half, 0).valid());
    assert_eq!(validate(&half, 0), validate_afresh(&half, 0));
    // The whole image with one bit of its body changed is judged again.
    let mut changed = in_slot(0xff);
    changed[100] ^= 4;
    assert!(!validate(&changed, 0).valid());
    assert_eq!(validate(&changed, 0), validate_afresh(&changed, 0));
}
