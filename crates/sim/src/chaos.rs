//! Chaos runs (SRV-8, SRV-9, SRV-10): from a seed, a random world (network, faults,
//! strategy, image behaviour, delivery) built on the successful PULL; run to the end and
//! judged against what must hold whatever a student breaks: a verdict, one that agrees with
//! the device, and a device left Idle unless nothing can ever run on it again.

use crate::link::LinkSettings;
use crate::scenario::{Expectations, Fault, Outage, Scenario, ScenarioError};
use crate::topology::NodeId;
use crate::world::World;
use fota_bootloader::{Behaviour, Strategy};
use fota_coap::SimRng;
use fota_lwm2m::FwState;
use fota_server::Delivery;

/// How long a chaos run may take in virtual time: long enough for every deadline and retry
/// the campaign and the device have, many times over.
pub const TIME_LIMIT_S: u64 = 7200;

/// The world a seed draws.
pub fn draw(seed: u64) -> Result<Scenario, ScenarioError> {
    let mut rng = SimRng::new(seed);
    let mut s = Scenario::by_id("pull-success")?;
    s.id = format!("chaos-{seed}");
    s.title = format!("Chaos run {seed}");
    s.description = String::new();
    s.narration.clear();
    s.seed = seed;
    s.expect = Expectations::default();
    s.time_limit_s = TIME_LIMIT_S;
    let mut chance = |percent: u64| rng.range(0, 99) < percent;
    let method = if chance(50) {
        Delivery::Push
    } else {
        Delivery::Pull
    };
    let overwrite = chance(25);
    let broken = chance(25);
    let mut rng = SimRng::new(seed).fork(1);
    s.server.method = method;
    if overwrite {
        s.device.boot_strategy = Strategy::Overwrite;
    }
    if broken {
        s.image.behaviour = pick(
            &mut rng,
            &[
                Behaviour::CrashAtBoot,
                Behaviour::Hang,
                Behaviour::FailHealthCheck,
            ],
        );
    }
    s.device.block_size = pick(&mut rng, &[64, 128, 256, 512, 1024]);
    s.server.push_block_size = pick(&mut rng, &[256, 512, 1024]);
    s.image.size = pick(&mut rng, &[4096, 16384, 32768, 49152]);
    s.network.all = LinkSettings {
        latency_ms: Some(rng.range(5, 300)),
        jitter_ms: Some(rng.range(0, 300)),
        loss_percent: Some(rng.range(0, 25) as u8),
        duplicate_percent: Some(rng.range(0, 10) as u8),
        reorder_percent: Some(rng.range(0, 10) as u8),
        corrupt_percent: Some(rng.range(0, 5) as u8),
        bandwidth_bps: None,
        mtu_bytes: None,
    };
    for _ in 0..rng.range(0, 2) {
        let from_ms = rng.range(0, 240_000);
        s.network.outages.push(Outage {
            node: node(&mut rng),
            from_ms,
            to_ms: Some(from_ms + rng.range(1_000, 120_000)),
        });
    }
    for _ in 0..rng.range(0, 3) {
        let at_ms = rng.range(0, 240_000);
        let row = rng.range(0, 400) as usize;
        let fault = match rng.range(0, 7) {
            0 => Fault::Reboot { at_ms },
            1 => Fault::PowerCut {
                at_ms,
                off_ms: rng.range(0, 10_000),
            },
            2 => Fault::LinkDown {
                at_ms,
                node: node(&mut rng),
                up_at_ms: Some(at_ms + rng.range(1_000, 90_000)),
            },
            3 => Fault::ReplaceImage { at_ms },
            4 => Fault::Drop { row },
            5 => Fault::Corrupt {
                row,
                byte: rng.range(0, 24) as usize,
            },
            6 => Fault::Delay {
                row,
                delay_ms: rng.range(1_000, 10_000),
            },
            _ => Fault::Duplicate { row },
        };
        s.faults.push(fault);
    }
    crate::validate::check(&s)?;
    Ok(s)
}

/// One of `from`, which is never empty.
fn pick<T: Copy>(rng: &mut SimRng, from: &[T]) -> T {
    from[rng.range(0, from.len() as u64 - 1) as usize]
}

fn node(rng: &mut SimRng) -> NodeId {
    pick(rng, &[NodeId::Server, NodeId::Repository, NodeId::Device])
}

/// How a run ended, from the worst to the best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// A node panicked.
    Panicked,
    /// The campaign has no verdict at the end.
    Unfinished,
    /// The verdict says the opposite of what the device did.
    FalseVerdict,
    /// The device is left outside Idle, and could still run.
    Stuck,
    /// The campaign failed and no image on the device can ever run again.
    Bricked,
    Failed,
    SucceededLate,
    Succeeded,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::Succeeded,
        Outcome::SucceededLate,
        Outcome::Failed,
        Outcome::Bricked,
        Outcome::Stuck,
        Outcome::FalseVerdict,
        Outcome::Unfinished,
        Outcome::Panicked,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Outcome::Panicked => "panicked",
            Outcome::Unfinished => "unfinished",
            Outcome::FalseVerdict => "false verdict",
            Outcome::Stuck => "stuck",
            Outcome::Bricked => "bricked",
            Outcome::Failed => "failed",
            Outcome::SucceededLate => "succeeded (late)",
            Outcome::Succeeded => "succeeded",
        }
    }

    /// An outcome that breaks SRV-8, SRV-9 or SRV-10.
    pub fn is_defect(self) -> bool {
        self < Outcome::Bricked
    }
}

/// A judged run: its outcome, and the facts behind it in a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub seed: u64,
    pub outcome: Outcome,
    pub facts: String,
}

/// What must hold at the end of any run.
pub fn judge(seed: u64, world: &World) -> Judged {
    let phase = world.server().phase();
    let device = world.device();
    let (state, result, version) = (
        device.fw_state(),
        device.fw_result().code(),
        device.firmware_version(),
    );
    let target = &world.scenario().image.version;
    let updated = state == FwState::Idle && result == 1 && version == *target;
    let bricked = device.bricked();
    let outcome = if !phase.is_over() {
        Outcome::Unfinished
    } else if phase.is_success() != updated {
        Outcome::FalseVerdict
    } else if bricked.is_some() {
        Outcome::Bricked
    } else if state != FwState::Idle {
        Outcome::Stuck
    } else {
        match phase {
            fota_server::CampaignPhase::Succeeded => Outcome::Succeeded,
            fota_server::CampaignPhase::SucceededLate(_) => Outcome::SucceededLate,
            _ => Outcome::Failed,
        }
    };
    let bricked = bricked.map_or(String::new(), |why| format!("; bricked: {why}"));
    Judged {
        seed,
        outcome,
        facts: format!(
            "campaign {phase}; device {} (State {}), Update Result {result}, version {version}; {} s{bricked}",
            state.name(),
            state.code(),
            world.now().millis() / 1000,
        ),
    }
}

/// Draws, runs and judges one seed; a panic anywhere is caught and judged as such.
pub fn run(seed: u64) -> Judged {
    let outcome = std::panic::catch_unwind(|| {
        let scenario = match draw(seed) {
            Ok(s) => s,
            Err(e) => {
                return Judged {
                    seed,
                    outcome: Outcome::Panicked,
                    facts: format!("the draw is not a valid scenario: {e}"),
                }
            }
        };
        let mut world = World::new(scenario, seed);
        world.run_to_end();
        judge(seed, &world)
    });
    outcome.unwrap_or_else(|panic| {
        let text = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Judged {
            seed,
            outcome: Outcome::Panicked,
            facts: format!("panic: {text}"),
        }
    })
}
