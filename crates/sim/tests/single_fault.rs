//! The single-fault sweep (SRV-8, SRV-9, SRV-10): for every datagram of the successful PULL
//! and PUSH, each of drop, corrupt, delay 3 s and duplicate on that one datagram (what a
//! student does with "what if"), and every run ends with a verdict that agrees with the
//! device, the device Idle, nothing panicking.

use fota_sim::chaos::{judge, Outcome};
use fota_sim::scenario::Fault;
use fota_sim::{Scenario, World};
use std::collections::BTreeMap;

fn faults_for(row: usize, len: usize) -> [Fault; 4] {
    [
        Fault::Drop { row },
        // A byte that moves along the datagrams: header, token, options and payload all get
        // their turn.
        Fault::Corrupt {
            row,
            byte: (row * 7) % len.max(1),
        },
        Fault::Delay {
            row,
            delay_ms: 3000,
        },
        Fault::Duplicate { row },
    ]
}

fn sweep(id: &str) -> (BTreeMap<Outcome, usize>, Vec<String>) {
    let base = Scenario::by_id(id).unwrap();
    let mut clean = World::new(base.clone(), base.seed);
    clean.run_to_end();
    let mut counts = BTreeMap::new();
    let mut defects = Vec::new();
    for (row, entry) in clean.trace().iter().enumerate() {
        for fault in faults_for(row, entry.bytes.len()) {
            let mut s = base.clone();
            s.expect = Default::default();
            s.time_limit_s = fota_sim::chaos::TIME_LIMIT_S;
            s.faults.push(fault.clone());
            let mut w = World::new(s, base.seed);
            w.run_to_end();
            let judged = judge(base.seed, &w);
            *counts.entry(judged.outcome).or_insert(0) += 1;
            if std::env::var_os("FOTA_SWEEP_SHOW").is_some() && judged.outcome == Outcome::Failed {
                eprintln!("{id} {fault:?}: {}", judged.facts);
            }
            if judged.outcome.is_defect() {
                defects.push(format!(
                    "{id} {fault:?}: {}: {}",
                    judged.outcome.name(),
                    judged.facts
                ));
            }
        }
    }
    (counts, defects)
}

#[test]
fn srv8_srv9_srv10_every_single_fault_on_pull_and_push_ends_in_a_true_verdict() {
    let mut all = Vec::new();
    for id in ["pull-success", "push-success"] {
        let (counts, defects) = sweep(id);
        let runs: usize = counts.values().sum();
        let shown: Vec<String> = counts
            .iter()
            .map(|(o, n)| format!("{} {n}", o.name()))
            .collect();
        eprintln!("{id}: {runs} runs: {}", shown.join(", "));
        all.extend(defects);
    }
    assert!(
        all.is_empty(),
        "{} runs broke:\n{}",
        all.len(),
        all.join("\n")
    );
}
