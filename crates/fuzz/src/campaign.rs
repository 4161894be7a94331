//! The fuzzer: the corpus and the snapshots, built once; one execution from a target and a
//! seed (so any finding runs again from the two); and a run of many, the targets in turn,
//! each execution's seed drawn from the run's seed and its index.

use crate::catch::catch;
use crate::corpus::{Corpus, Sent};
use crate::mutate::{mutate, Mutator};
use crate::report::{hex, Finding, Report};
use crate::snapshots::{self, Snapshot};
use crate::target::Target;
use crate::{decoders, nodes};
use fota_bootloader::{ImageBuilder, ImageVersion};
use fota_coap::SimRng;
use fota_sim::{NodeId, Scenario, World};

/// One execution: what ran, on what, and how it ended.
#[derive(Clone, Debug)]
pub struct Execution {
    pub target: Target,
    /// The seed `Fuzzer::exec` runs it again from.
    pub seed: u64,
    pub input: Vec<u8>,
    pub mutators: Vec<Mutator>,
    /// What the target read beside the input: for a node, the snapshot and the peer the
    /// mutant came from; for the explainer, the request; for a boot, the strategy.
    pub context: String,
    /// A panic's `file:line:col: message`, a failed check, or a stuck world.
    pub outcome: Result<(), String>,
}

pub struct Fuzzer {
    corpus: Corpus,
    snapshots: Vec<Snapshot>,
    /// Each built-in scenario's finished run: what lessons and filters are read over.
    worlds: Vec<World>,
    /// The image in the primary slot before a mutant is booted.
    factory: Vec<u8>,
}

impl Default for Fuzzer {
    fn default() -> Fuzzer {
        Fuzzer::new()
    }
}

fn pick<'a, T>(rng: &mut SimRng, from: &'a [T]) -> Option<&'a T> {
    if from.is_empty() {
        return None;
    }
    from.get(rng.range(0, from.len() as u64 - 1) as usize)
}

/// The seed of execution `index` of a run with `seed`: a mix of the two, so that any one
/// execution can be run alone.
pub fn exec_seed(seed: u64, index: u64) -> u64 {
    SimRng::new(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15)).next_u64()
}

impl Fuzzer {
    /// Runs every built-in scenario once for the corpus and once more for the snapshots.
    pub fn new() -> Fuzzer {
        let (corpus, worlds) = Corpus::of_builtin();
        let snapshots = Scenario::builtin()
            .iter()
            .flat_map(snapshots::along)
            .collect();
        let factory = ImageBuilder::new(ImageVersion::new(1, 0, 0))
            .body(&[0x11; 256])
            .build();
        Fuzzer {
            corpus,
            snapshots,
            worlds,
            factory,
        }
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn snapshots(&self) -> &[Snapshot] {
        &self.snapshots
    }

    /// One execution of `target` from `seed`: the same two always give the same input.
    pub fn exec(&self, target: Target, seed: u64) -> Execution {
        let mut rng = SimRng::new(seed);
        if let Target::Node(node) = target {
            return self.exec_node(node, seed, &mut rng);
        }
        let seeds = target.seeds(&self.corpus);
        let start = pick(&mut rng, seeds).cloned().unwrap_or_default();
        let (input, mutators) = mutate(&mut rng, &start, target.shape(), seeds, &self.corpus);
        // The explainer also reads a response beside the request it answers.
        let request = match rng.range(0, 1) {
            0 => pick(&mut rng, &self.corpus.messages).cloned(),
            _ => None,
        };
        let overwrite = rng.range(0, 1) == 0;
        let world = pick(&mut rng, &self.worlds);
        // What the target read beside the input, so a finding can be run again by hand.
        let context = match (target, &request, world) {
            (Target::Explain, Some(r), _) => format!("answering request {}", hex(r)),
            (Target::Boot, ..) if overwrite => "overwrite strategy".to_string(),
            (Target::Boot, ..) => "swap-move strategy".to_string(),
            (Target::Filter, _, Some(w)) => format!("over the run of {}", w.scenario().id),
            _ => String::new(),
        };
        let outcome = catch(|| {
            let text = String::from_utf8_lossy(&input);
            match target {
                Target::CoapMessage => decoders::coap_message(&input),
                Target::BlockOption => decoders::block_option(&input),
                Target::Tlv => decoders::lwm2m_tlv(&input),
                Target::SenmlJson => decoders::senml_json(&text),
                Target::SenmlCbor => decoders::senml_cbor(&input),
                Target::LinkFormat => decoders::link_format(&text),
                Target::UriQueries => decoders::uri_queries_text(&text),
                Target::Path => decoders::lwm2m_path(&text),
                Target::ExecuteArgs => decoders::execute_args(&input),
                Target::Explain => decoders::explainer(&input, request.as_deref()),
                Target::Image => decoders::image(&input),
                Target::Boot => decoders::boot(&self.factory, &input, overwrite),
                Target::ScenarioFile => decoders::scenario_file(&text),
                Target::TraceFile => decoders::trace_file(&text),
                Target::Lesson => decoders::lesson(&text, &self.worlds),
                Target::Filter => {
                    if let Some(w) = world {
                        decoders::filter(&text, w);
                    }
                }
                Target::Node(_) => {}
            }
            Ok(())
        });
        Execution {
            target,
            seed,
            input,
            mutators,
            context,
            outcome,
        }
    }

    /// A mutant of a datagram to `node`: a third of the time an answer the node awaits at
    /// the snapshot (its token and message id are the ones the node matches), a third one
    /// the run sent it near the snapshot, and a third any datagram to it.
    fn exec_node<'a>(&'a self, node: NodeId, seed: u64, rng: &mut SimRng) -> Execution {
        let target = Target::Node(node);
        let to_node = |list: &'a [Sent]| -> Vec<&'a Sent> {
            list.iter().filter(|d| d.to == node.addr()).collect()
        };
        let snapshot = pick(rng, &self.snapshots);
        let candidates = match (snapshot, rng.range(0, 2)) {
            (Some(s), 0) => to_node(&s.awaited),
            (Some(s), 1) => to_node(&s.nearby),
            _ => Vec::new(),
        };
        let candidates = if candidates.is_empty() {
            to_node(&self.corpus.datagrams)
        } else {
            candidates
        };
        let (Some(snapshot), Some(&start)) = (snapshot, pick(rng, &candidates)) else {
            return Execution {
                target,
                seed,
                input: Vec::new(),
                mutators: Vec::new(),
                context: "nothing to inject".into(),
                outcome: Ok(()),
            };
        };
        let (input, mutators) = mutate(
            rng,
            &start.bytes,
            target.shape(),
            &self.corpus.messages,
            &self.corpus,
        );
        let peer = NodeId::of(start.from).map_or("an unknown peer", NodeId::name);
        let context = format!("at {}, from the {peer}", snapshot.label);
        let outcome = catch(|| nodes::inject(snapshot, node, start.from, input.clone()));
        Execution {
            target,
            seed,
            input,
            mutators,
            context,
            outcome,
        }
    }

    /// Executions `from..to` of the run with `seed`, counted into `report`: execution `i` is
    /// of target `Target::ALL[i % 19]`.
    pub fn run_range(&self, report: &mut Report, from: u64, to: u64) {
        for i in from..to {
            let target = Target::ALL[(i % Target::ALL.len() as u64) as usize];
            let e = self.exec(target, exec_seed(report.seed, i));
            report.count(&e);
            if e.outcome.is_err() {
                Finding::add(&mut report.findings, e);
            }
        }
    }

    /// A run of `execs` executions from `seed`.
    pub fn run(&self, execs: u64, seed: u64) -> Report {
        let mut report = Report::new(seed);
        self.run_range(&mut report, 0, execs);
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_execution_runs_again_from_its_target_and_seed() {
        let f = Fuzzer::new();
        for target in [Target::CoapMessage, Target::Node(NodeId::Device)] {
            let seed = exec_seed(1, 3);
            let (a, b) = (f.exec(target, seed), f.exec(target, seed));
            assert_eq!((&a.input, &a.context), (&b.input, &b.context));
            assert!(!a.input.is_empty() && !a.mutators.is_empty());
        }
        let device = f.exec(Target::Node(NodeId::Device), exec_seed(1, 4));
        assert!(device.context.contains(" #"), "{}", device.context);
        let report = f.run(2 * Target::ALL.len() as u64, 1);
        assert!(report.by_target.values().all(|&n| n == 2));
    }
}
