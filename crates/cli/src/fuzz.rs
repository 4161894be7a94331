//! `fota-sandbox fuzz`: mutated datagrams and files into every decoder and into the nodes at
//! snapshots of the built-in scenarios, with executions per target, the time it took, and
//! every finding with its input.

use fota_fuzz::{Fuzzer, Report, Target};
use std::process::ExitCode;
use std::time::Instant;

/// Executions between two progress lines on stderr.
const CHUNK: u64 = 1000;

pub fn fuzz(execs: u64, seed: u64) -> ExitCode {
    // Panics are caught and reported with their input; the default report would interleave.
    fota_fuzz::quiet_panics();
    let started = Instant::now();
    let fuzzer = Fuzzer::new();
    let setup = started.elapsed();
    println!(
        "fuzz: {execs} executions from seed {seed}; corpus of {} datagrams, {} snapshots ({:.1} s to build)",
        fuzzer.corpus().datagrams.len(),
        fuzzer.snapshots().len(),
        setup.as_secs_f64()
    );
    let mut report = Report::new(seed);
    let mut done = 0;
    while done < execs {
        let next = done.saturating_add(CHUNK).min(execs);
        fuzzer.run_range(&mut report, done, next);
        done = next;
        if done < execs {
            eprintln!("  {done} executions, {} findings", report.findings.len());
        }
    }
    let running = started.elapsed() - setup;
    print(&report, running.as_secs_f64());
    if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print(report: &Report, seconds: f64) {
    for target in Target::ALL {
        let n = report.by_target.get(&target).copied().unwrap_or(0);
        println!("  {:<28} {n:>9}", target.name());
    }
    let mutators: Vec<String> = report
        .by_mutator
        .iter()
        .map(|(m, n)| format!("{} {n}", m.name()))
        .collect();
    println!("mutators applied: {}", mutators.join(", "));
    println!(
        "time: {seconds:.1} s, {:.0} executions/s",
        report.execs as f64 / seconds.max(1e-9)
    );
    println!("findings: {}", report.findings.len());
    for f in &report.findings {
        println!("{f}");
    }
}
