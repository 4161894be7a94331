//! What the run cost the device: energy by part, air time, the battery before and after, flash
//! erases by slot, and the same for each campaign phase. Made from the device's own meter
//! (`fota_device::energy`) and the phases the history recorded with the energy spent when
//! each began; nothing here estimates anything.

use crate::world::World;
use fota_device::energy::{EnergySpent, SOURCE};
use serde::Serialize;

/// Energy in µJ by part, and the radio's air time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnergyParts {
    pub total_uj: u64,
    pub radio_uj: u64,
    pub radio_tx_uj: u64,
    pub radio_rx_uj: u64,
    pub flash_uj: u64,
    pub cpu_uj: u64,
    /// Awake and listening between datagrams.
    pub listen_uj: u64,
    /// Asleep, off or in the bootloader.
    pub sleep_uj: u64,
    pub airtime_ms: u64,
}

impl From<EnergySpent> for EnergyParts {
    fn from(e: EnergySpent) -> Self {
        let uj = |nj: u64| nj / 1000;
        EnergyParts {
            total_uj: uj(e.total_nj()),
            radio_uj: uj(e.radio_nj()),
            radio_tx_uj: uj(e.radio_tx_nj),
            radio_rx_uj: uj(e.radio_rx_nj),
            flash_uj: uj(e.flash_nj),
            cpu_uj: uj(e.cpu_nj),
            listen_uj: uj(e.listen_nj),
            sleep_uj: uj(e.sleep_nj),
            airtime_ms: e.airtime_us / 1000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PhaseEnergy {
    pub phase: String,
    pub from_ms: u64,
    #[serde(flatten)]
    pub spent: EnergyParts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlashErases {
    pub primary: u64,
    pub secondary: u64,
    pub nv_counter: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnergyReport {
    #[serde(flatten)]
    pub spent: EnergyParts,
    /// The battery level at the start and at the end, in hundredths of a percent.
    pub battery_start_centi: u64,
    pub battery_end_centi: u64,
    pub flash_erases: FlashErases,
    pub phases: Vec<PhaseEnergy>,
    /// For a device in queue mode: the same scenario and seed run without it, and what
    /// sleeping saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_mode: Option<QueueModeSaving>,
    /// Where the model's figures come from.
    pub model: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueModeSaving {
    /// Energy of the same update with the device always listening.
    pub without_uj: u64,
    pub with_uj: u64,
    /// `without_uj - with_uj` (negative when queue mode cost more).
    pub saved_uj: i64,
    /// How long the device slept, in all.
    pub asleep_ms: u64,
    /// Virtual time of the run without queue mode, to set beside this one's.
    pub without_virtual_ms: u64,
}

/// The same scenario and seed without queue mode, run to its end: its energy and its length.
fn without_queue_mode(world: &World) -> (u64, u64) {
    let mut scenario = world.scenario().clone();
    scenario.device.queue_mode = false;
    let mut other = World::new(scenario, world.seed());
    other.run_to_end();
    let (spent, _) = other.device().energy_at(other.now());
    (spent.total_nj() / 1000, other.now().millis())
}

/// Milliseconds the device spent asleep, from its sleep and wake moments.
fn asleep_ms(world: &World) -> u64 {
    use fota_device::DeviceEvent;
    let mut since = None;
    let mut total = 0;
    for m in world.moments().iter() {
        match (&m.event, since) {
            (DeviceEvent::Radio { asleep: true }, _) => since = Some(m.at),
            (DeviceEvent::Radio { asleep: false }, Some(s))
            | (DeviceEvent::Reset { .. }, Some(s)) => {
                total += m.at - s;
                since = None;
            }
            _ => {}
        }
    }
    total + since.map_or(0, |s| world.now() - s)
}

impl EnergyReport {
    pub fn of(world: &World) -> EnergyReport {
        let (end, battery_end_centi) = world.device().energy_at(world.now());
        let battery_start_centi = world.device().battery_start_centi();
        let phases: Vec<_> = world.campaign_phases().iter().collect();
        let phases = phases
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let until = phases.get(i + 1).map_or(end, |next| next.energy);
                PhaseEnergy {
                    phase: p.phase.name().to_string(),
                    from_ms: p.at.millis(),
                    spent: until.since(&p.energy).into(),
                }
            })
            .collect();
        let [primary, secondary, nv_counter] = world.device().bootloader().erases_by_slot();
        let with_uj = end.total_nj() / 1000;
        let queue_mode = world.scenario().device.queue_mode.then(|| {
            let (without_uj, without_virtual_ms) = without_queue_mode(world);
            QueueModeSaving {
                without_uj,
                with_uj,
                saved_uj: without_uj as i64 - with_uj as i64,
                asleep_ms: asleep_ms(world),
                without_virtual_ms,
            }
        });
        EnergyReport {
            spent: end.into(),
            battery_start_centi,
            battery_end_centi,
            flash_erases: FlashErases {
                primary,
                secondary,
                nv_counter,
            },
            phases,
            queue_mode,
            model: if world.scenario().device.energy == fota_device::energy::EnergyModel::default()
            {
                SOURCE
            } else {
                "this scenario's own (device.energy); docs/energy.md gives the defaults and their sources"
            },
        }
    }
}
