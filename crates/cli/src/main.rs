//! `fota-sandbox`: the sandbox's scenarios from a terminal.
//!
//! Exit status: 0 when the scenario's expectations hold, 1 when they do not, 2 on bad input.

mod args;
mod challenge;
mod chaos;
mod fuzz;
mod image;
mod peers;
mod powercut;
mod print;
mod udp;

use args::{Command, RunArgs};
use fota_sim::{RunReport, Scenario, World};
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match args::parse(&argv) {
        Ok(Command::Help) => {
            print!("{}", args::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Command::List) => {
            for s in Scenario::builtin() {
                println!("{:<22} {:<10} {}", s.id, s.topic, s.title);
            }
            ExitCode::SUCCESS
        }
        Ok(Command::Validate(path)) => validate(&path),
        Ok(Command::Schema) => {
            print!("{}", fota_sim::json_schema());
            ExitCode::SUCCESS
        }
        Ok(Command::Lessons) => {
            // The path first, in order, then the scenarios' own tours.
            let path = fota_course::lesson::path();
            let tours = fota_course::lesson::builtin()
                .into_iter()
                .filter(|l| l.part.is_none());
            for l in path.into_iter().chain(tours) {
                let part = l.part.map_or("tour".to_string(), |p| format!("part {p}"));
                println!(
                    "{:<28} {:<7} {:<22} {:>2} steps  {}",
                    l.id,
                    part,
                    l.scenario,
                    l.steps.len(),
                    l.title
                );
            }
            ExitCode::SUCCESS
        }
        Ok(Command::LessonCheck(path)) => lesson_check(&path),
        Ok(Command::ChallengeCheck { file, solution }) => challenge::check(&file, solution),
        Ok(Command::ChallengeList) => challenge::list(),
        Ok(Command::ChallengeGrade(file)) => challenge::class_table(&file),
        Ok(Command::ChallengeSchema) => {
            print!("{}", fota_course::challenge::json_schema());
            ExitCode::SUCCESS
        }
        Ok(Command::LessonSchema) => {
            print!("{}", fota_course::lesson::json_schema());
            ExitCode::SUCCESS
        }
        Ok(Command::Rules) => {
            print!("{}", fota_lwm2m::rules::markdown());
            ExitCode::SUCCESS
        }
        Ok(Command::Run(run_args)) => run(run_args),
        Ok(Command::Repo(a)) => peers::repo(a),
        Ok(Command::Device(a)) => peers::device(a),
        Ok(Command::Server(a)) => peers::server(a),
        Ok(Command::ImageBuild(a)) => image::build(a),
        Ok(Command::ImageInspect { file, json }) => image::inspect(&file, json),
        Ok(Command::Powercut {
            strategy,
            all,
            json,
        }) => powercut::run(strategy.as_deref(), all, json),
        Ok(Command::Chaos { seeds, from, show }) => chaos::chaos(seeds, from, show),
        Ok(Command::Fuzz { execs, seed }) => fuzz::fuzz(execs, seed),
        Err(why) => bad_input(&why),
    }
}

pub(crate) fn bad_input(why: &str) -> ExitCode {
    eprintln!("fota-sandbox: {why}");
    ExitCode::from(2)
}

fn validate(path: &str) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return bad_input(&format!("cannot read {path}: {e}")),
    };
    match Scenario::from_json(&text) {
        Ok(s) => {
            println!("{path}: scenario {} is usable ({})", s.id, s.title);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::from(1)
        }
    }
}

/// Reads a lesson file and finds every step's moment on the lesson's scenario.
fn lesson_check(path: &str) -> ExitCode {
    use fota_course::lesson::{tell, Lesson};
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return bad_input(&format!("cannot read {path}: {e}")),
    };
    let lesson = match Lesson::from_json(&text) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    // The scenario was checked when the lesson was read.
    let Ok(scenario) = Scenario::by_id(&lesson.scenario) else {
        return bad_input(&format!("{path}: no scenario {}", lesson.scenario));
    };
    let seed = lesson.seed.unwrap_or(scenario.seed);
    let mut world = World::new(scenario, seed);
    world.run_to_end();
    for (i, told) in tell(&lesson, &world).iter().enumerate() {
        if told.missing {
            eprintln!(
                "{path}: step {} (`steps[{i}].anchor`) matches nothing in {} with seed {seed}",
                i + 1,
                lesson.scenario
            );
            return ExitCode::from(1);
        }
        if let Some(name) = told.unfilled.first() {
            eprintln!(
                "{path}: step {} (`steps[{i}].text`): {{{name}}} has no value at its moment in {} with seed {seed}",
                i + 1,
                lesson.scenario
            );
            return ExitCode::from(1);
        }
        // Rows are named as the ladder numbers them, from #0.
        let at = match told.moment {
            Some(m) => match (m.message, m.rows.checked_sub(1)) {
                (Some(row), _) => format!(" at #{row}"),
                (None, Some(last)) => format!(" after #{last}"),
                (None, None) => " at the start".to_string(),
            },
            None => String::new(),
        };
        println!("step {}{at}: {}", i + 1, told.text);
    }
    println!(
        "{path}: lesson {} is usable ({} steps)",
        lesson.id,
        lesson.steps.len()
    );
    ExitCode::SUCCESS
}

/// The report as JSON; with a filter it gains `matching_rows` after the report's own fields,
/// which keep their order (without a filter it is the report alone, unchanged).
fn report_json(report: &RunReport, matching: Option<&[usize]>) -> serde_json::Result<String> {
    #[derive(serde::Serialize)]
    struct Filtered<'a> {
        #[serde(flatten)]
        report: &'a RunReport,
        matching_rows: &'a [usize],
    }
    match matching {
        Some(matching_rows) => serde_json::to_string(&Filtered {
            report,
            matching_rows,
        }),
        None => serde_json::to_string(report),
    }
}

fn run(a: RunArgs) -> ExitCode {
    let scenario = match &a.file {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Scenario::from_json(&text),
            Err(e) => return bad_input(&format!("cannot read {path}: {e}")),
        },
        None => Scenario::by_id(&a.scenario),
    };
    let scenario = match scenario {
        Ok(s) => s,
        Err(e) => return bad_input(&e.to_string()),
    };
    // Read before the run, so a mistyped filter is told at once.
    let filter = match a.filter.as_deref().map(fota_course::parse).transpose() {
        Ok(f) => f,
        Err(why) => return bad_input(&format!("--filter: {why}")),
    };
    let seed = a.seed.unwrap_or(scenario.seed);
    let mut world = World::new(scenario, seed);
    world.run_to_end();
    let report = RunReport::of(&world);
    if let Some(path) = &a.trace {
        if let Err(e) = std::fs::write(path, fota_sim::TraceFile::of(&world).to_json()) {
            return bad_input(&format!("cannot write {path}: {e}"));
        }
    }
    if let Some(path) = &a.pcap {
        if let Err(e) = std::fs::write(path, fota_sim::pcap::write(&world)) {
            return bad_input(&format!("cannot write {path}: {e}"));
        }
    }
    let matching = filter.map(|f| fota_course::evaluate(&f, &world));
    let printed = match &matching {
        // A filter without --json is read as a wish to see the rows it finds.
        Some(rows) if a.explain || !a.json => print::rows(&world, rows),
        None if a.explain => print::trace(&world),
        _ => Ok(()),
    };
    if printed.is_err() {
        // stdout is gone (a closed pipe): nobody reads the rest either.
        return ExitCode::SUCCESS;
    }
    if a.json {
        match report_json(&report, matching.as_deref()) {
            Ok(json) => println!("{json}"),
            Err(e) => return bad_input(&format!("cannot write the report: {e}")),
        }
    } else {
        print::summary(&report);
    }
    if report.expectations.met {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
