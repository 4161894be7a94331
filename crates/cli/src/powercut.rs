//! `powercut`: the bootloader's power-cut sweep from the terminal (BOOT-I1 to BOOT-I4), for
//! the default geometry or, with `--all`, for every geometry a scenario may have (BOOT-8).

use crate::bad_input;
use fota_bootloader::sweep::{
    default_sweep, geometries, sweep, CutCounts, Depth, Outcomes, SweepReport,
};
use fota_bootloader::Strategy;
use std::process::ExitCode;

pub fn run(strategy: Option<&str>, all: bool, json: bool) -> ExitCode {
    let only = match strategy.map(|s| (s, Strategy::parse(s))) {
        None => None,
        Some((_, Some(s))) => Some(s),
        Some((name, None)) => {
            return bad_input(&format!("--strategy {name} is not swap-move or overwrite"))
        }
    };
    let reports: Vec<SweepReport> = if all {
        geometries()
            .into_iter()
            .filter(|g| only.is_none_or(|s| s == g.strategy))
            .map(|g| sweep(g, Depth::FULL))
            .collect()
    } else {
        vec![default_sweep(only.unwrap_or(Strategy::SwapMove))]
    };
    if json {
        // The default sweep prints one object, as it always has; --all prints an array.
        let text = match (all, reports.first()) {
            (false, Some(r)) => serde_json::to_string(r),
            _ => serde_json::to_string(&reports),
        };
        match text {
            Ok(text) => println!("{text}"),
            Err(e) => return bad_input(&format!("cannot write the report: {e}")),
        }
    } else {
        for r in &reports {
            print_report(r, all);
        }
        if all {
            print_totals(&reports);
        }
    }
    if reports.iter().all(|r| r.broken() == 0) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn outcomes(o: &Outcomes) -> String {
    format!(
        "{} booted the old image, {} the new, {} bricked, {} left unfinished, {} misplaced",
        o.booted_old, o.booted_new, o.bricked, o.unfinished, o.misplaced
    )
}

fn print_report(r: &SweepReport, with_geometry: bool) {
    let name = if with_geometry {
        format!(
            "{} align {} erased 0x{:02x} image {} ({} bytes)",
            r.strategy.name(),
            r.align,
            r.erased,
            r.image.name(),
            r.image_len
        )
    } else {
        r.strategy.name().to_string()
    };
    let line = |what: &str, c: &CutCounts| {
        println!(
            "{name} {what}: {} flash operations, {} cut points: {}; {} second cuts: {}",
            c.operations,
            c.cut_points,
            outcomes(&c.outcomes),
            c.second_cuts,
            outcomes(&c.after_second_cut)
        )
    };
    line("upgrade", &r.upgrade);
    if let Some(revert) = &r.revert {
        line("revert", revert);
    }
}

fn print_totals(reports: &[SweepReport]) {
    let counts = reports
        .iter()
        .flat_map(|r| std::iter::once(&r.upgrade).chain(&r.revert));
    let (mut first, mut second, mut broken) = (0, 0, 0);
    for c in counts {
        first += c.cut_points;
        second += c.second_cuts;
        broken += c.broken();
    }
    println!(
        "{} geometries: {first} single cuts and {second} second cuts, {broken} broke an invariant",
        reports.len()
    );
}
