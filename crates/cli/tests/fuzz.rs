//! The fuzz harness's bounded run in the suite: a fixed number of executions from a fixed
//! seed, so the same inputs on every machine, failing with every finding and its input. The
//! long run is `fota-sandbox fuzz --execs <n> --seed <s>`, by hand.

mod common;

use common::cli;

/// Executions per target; the run goes through the targets in turn.
const PER_TARGET: u64 = 300;
const TARGETS: u64 = 19;

#[test]
fn a_bounded_fuzz_run_panics_nowhere() {
    let execs = (PER_TARGET * TARGETS).to_string();
    let out = cli(&["fuzz", "--execs", &execs, "--seed", "1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The counts and the time, for `cargo test -- --nocapture`.
    println!("{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("\nfindings: 0\n"), "{stdout}");
    let counts: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.rsplit(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(counts.len() as u64, TARGETS, "{stdout}");
    assert!(
        counts.iter().all(|n| *n == PER_TARGET.to_string()),
        "every target ran {PER_TARGET} times: {stdout}"
    );
}

#[test]
fn fuzz_takes_whole_numbers_only() {
    for args in [
        &["fuzz", "--execs", "x"][..],
        &["fuzz", "--seed"],
        &["fuzz", "--nope"],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
