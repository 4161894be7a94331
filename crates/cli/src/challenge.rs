//! `fota-sandbox challenge`: the built-in challenges listed, a challenge graded as the page
//! grades it (on its unchanged start or its reference solution), and a workshop's class table
//! from the students' progress codes.

use fota_course::challenge::{builtin, by_id, grade, Attempt, Challenge, Progress};
use std::process::ExitCode;

/// A challenge file, or a built-in challenge by id when no such file exists.
fn open(path: &str) -> Result<Challenge, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Challenge::from_json(&text).map_err(|e| format!("{path}: {e}")),
        Err(e) => by_id(path).ok_or_else(|| {
            format!("cannot read {path}: {e} (nor is it a built-in challenge's id: `fota-sandbox challenges` lists them)")
        }),
    }
}

pub fn check(path: &str, solution: bool) -> ExitCode {
    let challenge = match open(path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fota-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let attempt = if solution {
        Attempt::solution(&challenge)
    } else {
        Ok(Attempt::default())
    };
    let graded = match attempt.and_then(|a| grade(&challenge, &a)) {
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
    println!(
        "changes: {} (par {}); every goal held on {} of {} seeds",
        graded.changes, challenge.par, graded.seeds_held, graded.seeds
    );
    if graded.solved() {
        println!("solved");
        ExitCode::SUCCESS
    } else {
        println!("not solved");
        ExitCode::from(1)
    }
}

pub fn list() -> ExitCode {
    for c in builtin() {
        let seeds = c.seeds.map_or(1, |s| s.count);
        println!(
            "{:<26} {:<18} par {:<2} {:>2} seed{} {}",
            c.id,
            c.lesson.as_deref().unwrap_or("-"),
            c.par,
            seeds,
            if seeds == 1 { " " } else { "s" },
            c.title
        );
    }
    ExitCode::SUCCESS
}

/// One row a student, one column a built-in challenge (numbered, with a legend): `✓` solved
/// (`✓2` with more changes than par, the number the best), `×N` tried N times, `·` not tried.
pub fn class_table(path: &str) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("fota-sandbox: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let all = builtin();
    let mut bad = 0;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match Progress::from_code(line) {
            Ok(row) => rows.push(row),
            Err(e) => {
                bad += 1;
                eprintln!("{path}:{}: {e}", n + 1);
            }
        }
    }
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .chain([7])
        .max()
        .unwrap_or(7);
    let mut head = format!("{:<width$}  solved", "student");
    for i in 1..=all.len() {
        head.push_str(&format!(" {i:>3}"));
    }
    println!("{head}");
    for (name, p) in &rows {
        let solved = all
            .iter()
            .filter(|c| p.challenges.get(&c.id).is_some_and(|r| r.solved))
            .count();
        let mut line = format!(
            "{:<width$}  {:>6}",
            if name.is_empty() { "(no name)" } else { name },
            format!("{solved}/{}", all.len())
        );
        for c in &all {
            let cell = match p.challenges.get(&c.id) {
                Some(r) if r.solved => match r.best {
                    Some(b) if b > c.par => format!("✓{b}"),
                    _ => "✓".into(),
                },
                Some(r) if r.attempts > 0 => format!("×{}", r.attempts),
                _ => "·".into(),
            };
            line.push_str(&format!(" {cell:>3}"));
        }
        println!("{line}");
    }
    println!();
    for (i, c) in all.iter().enumerate() {
        println!("{:>3} {} (par {})", i + 1, c.id, c.par);
    }
    println!("✓ solved within par, ✓N solved with N changes, ×N tried N times, · not tried");
    if bad > 0 {
        eprintln!("{bad} line(s) are not progress codes");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
