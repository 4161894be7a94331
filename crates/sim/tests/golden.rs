//! Golden traces: each built-in scenario with seeds 1 and 2 gives the datagrams whose digest
//! is kept in `golden.txt`. The browser suite compares its own (wasm) runs with the native
//! ones, so these digests hold in both. After a deliberate change of behaviour, write the new
//! digests with `FOTA_BLESS=1 cargo test -p fota-sim --test golden` and say why in the commit.

use fota_sim::report::trace_digest;
use fota_sim::{Scenario, World};

const GOLDEN: &str = include_str!("golden.txt");

fn digests() -> String {
    let mut out = String::new();
    for s in Scenario::builtin() {
        for seed in [1, 2] {
            let mut w = World::new(s.clone(), seed);
            w.run_to_end();
            out.push_str(&format!(
                "{} {seed} {} {}\n",
                s.id,
                w.trace().len(),
                trace_digest(&w)
            ));
        }
    }
    out
}

#[test]
fn every_builtin_scenario_gives_its_golden_trace() {
    let now = digests();
    if std::env::var_os("FOTA_BLESS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden.txt");
        std::fs::write(path, &now).unwrap();
        return;
    }
    let changed: Vec<String> = now
        .lines()
        .zip(GOLDEN.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("now {a}\nwas {b}"))
        .collect();
    assert!(
        changed.is_empty() && now.lines().count() == GOLDEN.lines().count(),
        "traces changed:\n{}",
        changed.join("\n")
    );
}
