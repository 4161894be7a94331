//! Bad bytes never panic a node: every datagram of a real run, mutated (bit flips, truncation,
//! garbage appended), is delivered to the node it was meant for at the point of the run where
//! it was sent.

use fota_coap::SimRng;
use fota_lwm2m::explain;
use fota_sim::{RunReport, Scenario, World};

fn mutate(rng: &mut SimRng, bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    match rng.range(0, 3) {
        0 if !b.is_empty() => {
            for _ in 0..rng.range(1, 4) {
                let i = rng.range(0, b.len() as u64 - 1) as usize;
                b[i] ^= 1 << rng.range(0, 7);
            }
        }
        1 => b.truncate(rng.range(0, b.len() as u64) as usize),
        2 => {
            let mut extra = vec![0u8; rng.range(1, 16) as usize];
            rng.fill(&mut extra);
            b.extend_from_slice(&extra);
        }
        _ => {
            b = vec![0u8; rng.range(0, 40) as usize];
            rng.fill(&mut b);
        }
    }
    b
}

#[test]
fn mutated_datagrams_never_panic_any_node() {
    // pull-senml-cbor: mutated SenML CBOR reaches the server's decoder (SRV-12).
    for id in ["pull-success", "pull-senml-cbor"] {
        mutants_never_panic(id);
    }
}

fn mutants_never_panic(id: &str) {
    let scenario = Scenario::by_id(id).unwrap();
    let mut reference = World::new(scenario.clone(), 1);
    reference.run_to_end();
    let trace: Vec<_> = reference.trace().iter().cloned().collect();
    let mut rng = SimRng::new(99);
    let mut world = World::new(scenario, 1);
    let mut injected = 0;
    for entry in &trace {
        // Advance the run to the moment this datagram was sent, then inject mutants of it.
        while world.trace().len() <= entry.id && world.step_datagram() {}
        for _ in 0..8 {
            let mut probe = world.clone();
            let bytes = mutate(&mut rng, &entry.bytes);
            probe.inject(entry.from, entry.to, bytes);
            for _ in 0..20 {
                if !probe.step_event() {
                    break;
                }
            }
            injected += 1;
        }
    }
    assert!(injected >= 8 * trace.len());
}

#[test]
fn every_datagram_of_a_run_is_explained() {
    for id in ["pull-success", "pull-senml-cbor"] {
        let mut w = World::new(Scenario::by_id(id).unwrap(), 1);
        w.run_to_end();
        assert!(RunReport::of(&w).expectations.met);
        for e in w.trace() {
            let request = e.answers.map(|i| w.trace()[i].bytes.as_slice());
            let x = explain(&e.bytes, request);
            assert_eq!(x.error, None, "{id} #{}", e.id);
            assert!(
                x.operation.is_some(),
                "{id} #{} {} has no explanation",
                e.id,
                x.summary
            );
        }
    }
}

#[test]
fn srv12_every_senml_cbor_payload_of_a_run_is_shown_decoded() {
    let mut w = World::new(Scenario::by_id("pull-senml-cbor").unwrap(), 1);
    w.run_to_end();
    let mut shown = 0;
    for e in w.trace() {
        let request = e.answers.map(|i| w.trace()[i].bytes.as_slice());
        let x = explain(&e.bytes, request);
        if x.payload.format.as_deref() == Some("112 (application/senml+cbor)") {
            let text = x.payload.text.unwrap_or_default();
            assert!(
                text.starts_with('/') && text.contains(" = "),
                "#{}: {text}",
                e.id
            );
            assert!(
                x.operation
                    .as_deref()
                    .is_some_and(|o| o.contains("SenML CBOR /")),
                "#{}: {:?}",
                e.id,
                x.operation
            );
            shown += 1;
        }
    }
    assert!(shown >= 6, "{shown}");
}

/// Found by the fuzz harness (`fota-sandbox fuzz`): scenario files that `from_json` accepts,
/// with a number at the end of its type's range, panicked the server with an arithmetic
/// overflow once the campaign reached the deadline or the radio check that used it.
#[test]
fn scenario_numbers_at_the_ends_of_their_range_run_to_the_end() {
    for (id, field, value) in [
        (
            "flash-full",
            "\"phase_timeout_s\": 60",
            "18446744073709551615",
        ),
        (
            "rejected-at-boot",
            "\"update_timeout_s\": 300",
            "18446744073709551615",
        ),
        (
            "push-waits-for-signal",
            "\"push_min_link_quality\": 40",
            "-9223372036854775808",
        ),
    ] {
        let text = Scenario::by_id(id).unwrap().to_json();
        assert!(text.contains(field), "{id} has {field}");
        let name = field.split(':').next().unwrap();
        let text = text.replace(field, &format!("{name}: {value}"));
        let mut w = World::new(Scenario::from_json(&text).unwrap(), 1);
        w.run_to_end();
        assert!(w.server().phase().is_over(), "{id} with {name} {value}");
    }
}

#[test]
fn text_after_a_scenario_file_is_an_error_not_ignored() {
    let good = fota_sim::Scenario::by_id("pull-success").unwrap().to_json();
    assert!(fota_sim::Scenario::from_json(&good).is_ok());
    let err = fota_sim::Scenario::from_json(&format!("{good}}}0,")).unwrap_err();
    assert!(err.to_string().contains("trailing characters"), "{err}");
}
