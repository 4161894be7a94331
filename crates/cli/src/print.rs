//! What `run` prints for people: the ladder of explained datagrams and the run's summary.

use fota_lwm2m::explain;
use fota_sim::{RunReport, TraceEntry, World};
use std::io::{self, Write};

/// Prints every datagram, explained, with the nodes' log lines between them in time order.
/// Stops quietly when stdout closes (`| head`).
pub fn trace(world: &World) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let mut log = world.log().iter().peekable();
    for e in world.trace() {
        while let Some(l) = log.next_if(|l| l.at <= e.sent_at) {
            log_line(&mut out, l)?;
        }
        row(&mut out, world, e)?;
    }
    for l in log {
        log_line(&mut out, l)?;
    }
    Ok(())
}

/// Prints only the rows a filter matched, numbered as in the whole ladder; the log lines are
/// left out, as they are no rows.
pub fn rows(world: &World, matching: &[usize]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for e in matching.iter().filter_map(|&r| world.trace().get(r)) {
        row(&mut out, world, e)?;
    }
    Ok(())
}

fn row(out: &mut impl Write, world: &World, e: &TraceEntry) -> io::Result<()> {
    let request = e.answers.map(|i| world.trace()[i].bytes.as_slice());
    let x = explain(&e.bytes, request);
    let from = e.from_node.map_or("?", |n| n.name());
    let to = e.to_node.map_or("?", |n| n.name());
    // The rules the row met, as the page shows them: its receiver's, else its sender's, else
    // its shape's.
    let rules = world.rules_met(e.id, || x.rule);
    let rule = if rules.is_empty() {
        String::new()
    } else {
        format!(" [{}]", rules.join(" "))
    };
    let op = x.operation.map(|o| format!(" — {o}")).unwrap_or_default();
    let op = match &e.fate {
        fota_sim::Fate::Dropped { reason } => format!("{op} [LOST: {reason}]"),
        fota_sim::Fate::Duplicated { copy_at, .. } => {
            format!("{op} [DUPLICATED: a copy arrives at {copy_at}]")
        }
        fota_sim::Fate::Corrupted { byte, mask, .. } => {
            format!("{op} [CORRUPTED: byte {byte} arrives XOR 0x{mask:02x}]")
        }
        _ => op,
    };
    writeln!(
        out,
        "{:>4} {:>11} {from:>10} -> {to:<10} {}{op}{rule}",
        e.id,
        e.sent_at.to_string(),
        x.summary
    )?;
    Ok(())
}

fn log_line(out: &mut impl Write, l: &fota_sim::LogEntry) -> io::Result<()> {
    let rule = l.rule.map(|r| format!(" [{r}]")).unwrap_or_default();
    writeln!(
        out,
        "     {:>11} {:>10}    · {}{rule}",
        l.at.to_string(),
        l.node.name(),
        l.said
    )
}

pub fn summary(r: &RunReport) {
    println!("scenario  {} (seed {})", r.scenario, r.seed);
    println!(
        "final     State {}  Update Result {}  Firmware {}",
        r.final_values.state, r.final_values.result, r.final_values.firmware_version
    );
    println!("campaign  {}", r.verdict);
    if let Some(why) = &r.bricked {
        println!("bricked   {why}");
    }
    println!(
        "traffic   {} datagrams, {} dropped, {} ms virtual",
        r.datagrams, r.dropped, r.virtual_ms
    );
    if r.expectations.met {
        println!("expect    all met");
    } else {
        for f in &r.expectations.failed {
            println!("expect    FAILED {f}");
        }
    }
}
