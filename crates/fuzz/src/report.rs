//! What a run found and how much it ran: executions by target and by mutator, and each
//! finding once (by target and by where it panicked), with the shortest input that caused
//! it, its seed and, for a node target, the snapshot it was injected at.

use crate::campaign::Execution;
use crate::mutate::{Mutator, Shape};
use crate::target::Target;
use core::fmt;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Finding {
    /// How many executions ended the same way.
    pub count: u64,
    /// The shortest of them.
    pub example: Execution,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub seed: u64,
    pub execs: u64,
    pub by_target: BTreeMap<Target, u64>,
    pub by_mutator: BTreeMap<Mutator, u64>,
    pub findings: Vec<Finding>,
}

/// Bytes as lowercase hex without separators.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What two executions that ended the same way share: the target, and where it panicked
/// (the message may carry the values of the moment) or else the kind of failure.
fn same(a: &Execution, b: &Execution) -> bool {
    let key = |e: &Execution| {
        let text = e.outcome.as_ref().err().map_or("", String::as_str);
        let kind = match text.split_once(": ") {
            Some((at, _)) if at.contains(".rs:") => at,
            // A stuck world's text ends with its instant.
            _ => text.split(" at ").next().unwrap_or(text),
        };
        (e.target, kind.to_string())
    };
    key(a) == key(b)
}

impl Finding {
    /// Adds a failed execution: to the finding it repeats (kept if shorter), or as a new one.
    pub fn add(findings: &mut Vec<Finding>, e: Execution) {
        match findings.iter_mut().find(|f| same(&f.example, &e)) {
            Some(f) => {
                f.count += 1;
                if e.input.len() < f.example.input.len() {
                    f.example = e;
                }
            }
            None => findings.push(Finding {
                count: 1,
                example: e,
            }),
        }
    }
}

impl Report {
    pub fn new(seed: u64) -> Report {
        Report {
            seed,
            execs: 0,
            by_target: BTreeMap::new(),
            by_mutator: BTreeMap::new(),
            findings: Vec::new(),
        }
    }

    pub fn count(&mut self, e: &Execution) {
        self.execs += 1;
        *self.by_target.entry(e.target).or_default() += 1;
        for m in &e.mutators {
            *self.by_mutator.entry(*m).or_default() += 1;
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.example;
        let why = e.outcome.as_ref().err().map_or("", String::as_str);
        writeln!(f, "{}: {why}", e.target.name())?;
        writeln!(
            f,
            "  {} time(s); shortest: seed {} (Fuzzer::exec runs it again), mutators {}",
            self.count,
            e.seed,
            e.mutators
                .iter()
                .map(|m| m.name())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
        if !e.context.is_empty() {
            writeln!(f, "  {}", e.context)?;
        }
        if e.target.shape() == Shape::Text {
            writeln!(
                f,
                "  as text: {}",
                String::from_utf8_lossy(&e.input).escape_debug()
            )?;
        }
        write!(f, "  input ({} bytes): {}", e.input.len(), hex(&e.input))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(target: Target, input: &[u8], why: &str) -> Execution {
        Execution {
            target,
            seed: input.len() as u64,
            input: input.to_vec(),
            mutators: vec![Mutator::Truncate],
            context: String::new(),
            outcome: Err(why.into()),
        }
    }

    #[test]
    fn a_repeated_finding_is_counted_once_with_its_shortest_input() {
        let mut findings = Vec::new();
        let at = "crates/x/src/y.rs:3:9: attempt to add with overflow";
        Finding::add(&mut findings, failed(Target::Tlv, &[1, 2, 3], at));
        Finding::add(&mut findings, failed(Target::Tlv, &[0xab], at));
        let other_values =
            "crates/x/src/y.rs:3:9: index out of bounds: the len is 3 but the index is 5";
        Finding::add(&mut findings, failed(Target::Tlv, &[1, 2], other_values));
        Finding::add(&mut findings, failed(Target::Path, b"/1", at));
        let stuck = |ms: u64| format!("the world is stuck: 10001 events at {ms} ms");
        Finding::add(&mut findings, failed(Target::Tlv, &[9], &stuck(5)));
        Finding::add(&mut findings, failed(Target::Tlv, &[9], &stuck(7)));
        let counts: Vec<(Target, u64, usize)> = findings
            .iter()
            .map(|f| (f.example.target, f.count, f.example.input.len()))
            .collect();
        assert_eq!(
            counts,
            [
                (Target::Tlv, 3, 1),
                (Target::Path, 1, 2),
                (Target::Tlv, 2, 1)
            ]
        );
        let text = findings[0].to_string();
        assert!(text.contains("lwm2m tlv: crates/x/src/y.rs:3:9"), "{text}");
        assert!(text.ends_with("input (1 bytes): ab"), "{text}");
        assert!(findings[1].to_string().contains("as text: /1"));
    }
}
