//! A bounded chaos run (SRV-8, SRV-9, SRV-10): random worlds from 200 seeds end with a
//! verdict that agrees with the device, the device Idle unless bricked, and no panic. The long
//! run is `fota-sandbox chaos --seeds 10000`.

use fota_sim::chaos::{self, Outcome};

#[test]
fn srv8_srv9_srv10_two_hundred_random_worlds_conclude_truthfully() {
    let judged: Vec<_> = (0..200).map(chaos::run).collect();
    let count = |o: Outcome| judged.iter().filter(|j| j.outcome == o).count();
    let shown: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| format!("{} {}", o.name(), count(*o)))
        .collect();
    eprintln!("chaos: 200 seeds: {}", shown.join(", "));
    // Not a sweep of easy worlds: each kind of ending happens.
    assert!(count(Outcome::Succeeded) > 10 && count(Outcome::Failed) > 10);
    let defects: Vec<String> = judged
        .iter()
        .filter(|j| j.outcome.is_defect())
        .map(|j| format!("seed {}: {}: {}", j.seed, j.outcome.name(), j.facts))
        .collect();
    assert!(defects.is_empty(), "{}", defects.join("\n"));
}

#[test]
fn the_same_seed_draws_the_same_world() {
    assert_eq!(chaos::draw(7).unwrap(), chaos::draw(7).unwrap());
    assert_ne!(chaos::draw(7).unwrap(), chaos::draw(8).unwrap());
}
