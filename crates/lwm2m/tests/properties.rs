//! The explainer takes any bytes: it never panics, and it explains what decodes.

use fota_lwm2m::explain;
use fota_lwm2m::register::{parse_links, write_links, Link};
use fota_lwm2m::Path;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// A fixed seed and case count keep the suite repeatable; `PROPTEST_RNG_SEED` and
/// `PROPTEST_CASES` open a longer, different search (an opt-in fuzz run).
fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x5eed);
    }
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 1024;
    }
    c.failure_persistence = None;
    c
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn explain_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200),
                            request in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..200))) {
        let e = explain(&bytes, request.as_deref());
        prop_assert_eq!(e.error.is_some(), fota_coap::message::decode(&bytes).is_err());
    }

    #[test]
    fn tlv_decode_never_panics_and_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(tlvs) = fota_lwm2m::tlv::decode(&bytes) {
            let again = fota_lwm2m::tlv::encode(&tlvs).unwrap();
            prop_assert_eq!(fota_lwm2m::tlv::decode(&again).unwrap(), tlvs);
        }
    }

    #[test]
    fn senml_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200), text in "\\PC{0,120}") {
        use fota_lwm2m::senml::{decode_cbor, encode_cbor};
        if let Ok(records) = decode_cbor(&bytes) {
            // Compared as bytes, so a NaN value still counts as the same.
            let once = encode_cbor(&records);
            prop_assert_eq!(encode_cbor(&decode_cbor(&once).unwrap()), once);
        }
        let _ = fota_lwm2m::senml::decode_json(&text);
    }

    #[test]
    fn link_format_and_paths_never_panic(text in "\\PC{0,80}") {
        let _ = parse_links(&text);
        if let Some(p) = Path::parse(&text) {
            prop_assert_eq!(Path::parse(&p.to_string()), Some(p));
        }
    }

    #[test]
    fn links_survive_writing_and_parsing(
        links in proptest::collection::vec(
            (
                "/[0-9a-z/,;=]{0,12}",
                proptest::collection::vec(
                    ("[a-z0-9!#$&+.^_|~-]{1,8}", "[ -~]{0,12}|\\PC{0,6}"),
                    0..4,
                ),
            ),
            0..5,
        )
    ) {
        let links: Vec<Link> = links
            .into_iter()
            .map(|(target, attributes)| Link { target, attributes })
            .collect();
        let text = write_links(&links);
        prop_assert_eq!(parse_links(&text), Ok(links), "{}", text);
    }
}
