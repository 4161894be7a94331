//! `fota-sandbox challenge check`: a challenge file graded as the page grades it, on its
//! unchanged start or on its reference solution.

use fota_course::challenge::{grade, Challenge};
use std::process::ExitCode;

pub fn check(path: &str, solution: bool) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("fota-sandbox: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let challenge = match Challenge::from_json(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fota-sandbox: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let changes = if solution {
        challenge.solution.clone()
    } else {
        serde_json::Value::Object(Default::default())
    };
    let graded = match grade(&challenge, &changes) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("fota-sandbox: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let what = if solution {
        "its solution"
    } else {
        "its start"
    };
    println!("{}: {} ({what})", challenge.id, challenge.title);
    for (i, g) in graded.goals.iter().enumerate() {
        let mark = if g.passed() { "pass" } else { "FAIL" };
        println!(
            "  goal {}: {mark}, {} of {} seeds: {}",
            i + 1,
            g.held,
            g.seeds,
            g.told
        );
    }
    if graded.solved() {
        println!("solved");
        ExitCode::SUCCESS
    } else {
        println!("not solved");
        ExitCode::from(1)
    }
}
