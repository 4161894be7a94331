//! `fota-sandbox`: the sandbox's scenarios from a terminal.
//!
//! Exit status: 0 when the scenario's expectations hold, 1 when they do not, 2 on bad input.

mod args;
mod image;
mod peers;
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
        Ok(Command::Powercut { strategy, json }) => image::powercut(&strategy, json),
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
    if a.explain && print::trace(&world).is_err() {
        // stdout is gone (a closed pipe): nobody reads the rest either.
        return ExitCode::SUCCESS;
    }
    if a.json {
        match serde_json::to_string(&report) {
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
