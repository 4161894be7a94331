//! `fota-sandbox chaos`: many random worlds, run and judged (SRV-8, SRV-9, SRV-10), with
//! the counts by outcome and every run that breaks what must hold.

use fota_sim::chaos::{self, Outcome};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Runs seeds `from` .. `from + seeds`; `show` prints the scenario a seed draws instead.
pub fn chaos(seeds: u64, from: u64, show: Option<u64>) -> ExitCode {
    if let Some(seed) = show {
        return match chaos::draw(seed) {
            Ok(s) => {
                println!("{}", s.to_json());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("fota-sandbox: seed {seed}: {e}");
                ExitCode::from(2)
            }
        };
    }
    // Panics are caught and counted; their default report would interleave with ours.
    std::panic::set_hook(Box::new(|_| {}));
    let started = std::time::Instant::now();
    let mut counts: BTreeMap<Outcome, u64> = BTreeMap::new();
    let mut defects = Vec::new();
    for seed in from..from.saturating_add(seeds) {
        let judged = chaos::run(seed);
        *counts.entry(judged.outcome).or_default() += 1;
        if judged.outcome.is_defect() {
            defects.push(judged);
        }
    }
    let elapsed = started.elapsed();
    println!("chaos: {seeds} seeds from {from}");
    for outcome in Outcome::ALL {
        println!(
            "  {:<18} {}",
            outcome.name(),
            counts.get(&outcome).copied().unwrap_or(0)
        );
    }
    let per_thousand = elapsed.as_secs_f64() * 1000.0 / seeds.max(1) as f64;
    println!(
        "time: {:.1} s, {per_thousand:.1} s per 1,000 runs",
        elapsed.as_secs_f64()
    );
    for d in &defects {
        println!("seed {}: {}: {}", d.seed, d.outcome.name(), d.facts);
    }
    if !defects.is_empty() {
        println!("see a run: fota-sandbox chaos --show <seed> > s.json && fota-sandbox run s.json --explain");
    }
    if defects.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
