//! The battery as the device spends it: at every input the device counts what it drew since
//! the last one (listening while it runs, the sleep floor while it is off or in its
//! bootloader, the flash's and the CPU's work from the work meter, charging from the
//! scenario), and each datagram's air time as it is sent or received. /3/0/9 Battery Level is
//! the level that is left, and its observers hear of it as of any value.

use crate::energy::{BatterySpec, EnergyModel, EnergySpent};
use crate::{Device, Power};
use fota_bootloader::WorkMeter;
use fota_coap::SimTime;
use fota_lwm2m::transitions::{Trigger, UriKind};
use fota_lwm2m::Path;

#[derive(Clone, Debug)]
pub(crate) struct Meter {
    spent: EnergySpent,
    /// Draws are counted up to this time.
    counted_until: SimTime,
    /// The flash's work meter as last counted.
    work_seen: WorkMeter,
    /// What the battery holds, in nJ, at `counted_until`.
    level_nj: u64,
    capacity_nj: u64,
    /// The level /3/0/9 last showed, so that a change is told to observers once.
    shown_percent: i64,
    /// The level at power-on, in hundredths of a percent.
    start_centi: u64,
}

/// nJ in `mah` at `mv`: 1 mAh at 1 mV is 3.6 mJ.
fn capacity_nj(spec: &BatterySpec, model: &EnergyModel) -> u64 {
    spec.capacity_mah
        .saturating_mul(model.voltage_mv)
        .saturating_mul(3_600_000)
        .max(1)
}

impl Meter {
    pub(crate) fn new(
        spec: &BatterySpec,
        model: &EnergyModel,
        percent: i64,
        work: WorkMeter,
    ) -> Meter {
        let capacity_nj = capacity_nj(spec, model);
        let mut m = Meter {
            spent: EnergySpent::default(),
            counted_until: SimTime::ZERO,
            work_seen: work,
            level_nj: 0,
            capacity_nj,
            shown_percent: 0,
            start_centi: 0,
        };
        m.set_percent(percent);
        m.start_centi = m.centi_percent();
        m
    }

    fn set_percent(&mut self, percent: i64) {
        let p = percent.clamp(0, 100) as u64;
        self.level_nj = (self.capacity_nj as u128 * p as u128 / 100) as u64;
        self.shown_percent = self.percent();
    }

    /// The level, in nJ, that is `percent` of the capacity.
    fn level_of(&self, percent: u8) -> u64 {
        (self.capacity_nj as u128 * u128::from(percent) / 100) as u64
    }

    /// The level in whole percent, rounded to the nearest (a full battery reads 100 until it
    /// has lost half a percent).
    pub(crate) fn percent(&self) -> i64 {
        let cap = self.capacity_nj as u128;
        ((self.level_nj as u128 * 100 + cap / 2) / cap) as i64
    }

    /// The level in hundredths of a percent, for the report and the chart.
    pub(crate) fn centi_percent(&self) -> u64 {
        (self.level_nj as u128 * 10_000 / self.capacity_nj as u128) as u64
    }

    pub(crate) fn spent(&self) -> EnergySpent {
        self.spent
    }

    fn draw(&mut self, nj: u64) {
        self.level_nj = self.level_nj.saturating_sub(nj);
    }
}

impl Device {
    /// Counts what the device drew from the last input to `now`, and tells /3/0/9's observers
    /// when the level it shows changed.
    pub(crate) fn count_energy(&mut self, now: SimTime) {
        self.meter = self.meter_at(now);
        self.show_battery_level(now);
    }

    /// The meter with what was drawn from the last input to `now` counted (listening while
    /// running, the sleep floor otherwise, charging, the flash's and the CPU's work).
    fn meter_at(&self, now: SimTime) -> Meter {
        let model = self.cfg.energy;
        let mut m = self.meter.clone();
        let from = m.counted_until;
        if now > from {
            let us = (now - from).saturating_mul(1000);
            let listening = matches!(self.power, Power::Running) && !self.asleep;
            let ua = if listening {
                model.listen_ua
            } else {
                model.sleep_ua
            };
            let nj = model.nj(ua, us);
            let charged: u64 = self
                .cfg
                .battery
                .charging
                .iter()
                .map(|c| {
                    // Each period's share of the interval.
                    let start = from.millis().max(c.from_ms);
                    let end = now.millis().min(c.until_ms.unwrap_or(u64::MAX));
                    model.nj(c.ua, end.saturating_sub(start).saturating_mul(1000))
                })
                .fold(0, u64::saturating_add);
            if listening {
                m.spent.listen_nj = m.spent.listen_nj.saturating_add(nj);
            } else {
                m.spent.sleep_nj = m.spent.sleep_nj.saturating_add(nj);
            }
            m.draw(nj);
            m.level_nj = m.level_nj.saturating_add(charged).min(m.capacity_nj);
            m.counted_until = now;
        }
        let work = self.work_done();
        let seen = m.work_seen;
        let flash_nj = model.nj(model.flash_ua, work.flash_us.saturating_sub(seen.flash_us));
        let cpu_nj = model.nj(model.cpu_ua, work.cpu_us.saturating_sub(seen.cpu_us));
        m.spent.flash_nj = m.spent.flash_nj.saturating_add(flash_nj);
        m.spent.cpu_nj = m.spent.cpu_nj.saturating_add(cpu_nj);
        m.draw(flash_nj.saturating_add(cpu_nj));
        m.work_seen = work;
        m
    }

    /// The flash's work meter as far as the work has happened: while the bootloader works,
    /// as it was when it began (the work is counted when it is over, or as far as a power cut
    /// let it go).
    fn work_done(&self) -> WorkMeter {
        match &self.power {
            Power::BootWork(work) => work.meter_before(),
            _ => self.boot.flash().meter(),
        }
    }

    /// A datagram of `len` bytes went out (`sent`) or came in.
    pub(crate) fn count_radio(&mut self, len: usize, sent: bool) {
        let model = self.cfg.energy;
        let (bps, ua) = if sent {
            (model.uplink_bps, model.tx_ua)
        } else {
            (model.downlink_bps, model.rx_ua)
        };
        let us = model.airtime_us(len, bps);
        let nj = model.nj(ua, us);
        if sent {
            self.meter.spent.radio_tx_nj = self.meter.spent.radio_tx_nj.saturating_add(nj);
        } else {
            self.meter.spent.radio_rx_nj = self.meter.spent.radio_rx_nj.saturating_add(nj);
        }
        self.meter.spent.airtime_us = self.meter.spent.airtime_us.saturating_add(us);
        self.meter.draw(nj);
    }

    /// A scenario's sample set the battery (a charger, a new battery).
    pub(crate) fn set_battery_percent(&mut self, percent: i64) {
        self.meter.set_percent(percent);
    }

    fn show_battery_level(&mut self, now: SimTime) {
        let percent = self.meter.percent();
        if !matches!(self.power, Power::Running) {
            return;
        }
        if percent != self.meter.shown_percent {
            self.meter.shown_percent = percent;
            self.notify(now, &[Path::resource(3, 0, 9)]);
        }
        self.battery_changed(now);
    }

    /// While an update waits for the battery (BAT-1): when the charge in force would bring the
    /// level back to the threshold, so that the device's fuel gauge wakes it then, not at the
    /// next datagram. Counted again at that time, should a charging period have ended.
    pub(crate) fn battery_timer(&self) -> Option<SimTime> {
        if !self.waiting_for_battery {
            return None;
        }
        self.battery_reaches(self.cfg.battery.min_update_percent)
    }

    /// When the level reads `percent` again, given the charging periods ahead and the
    /// listening draw while the device waits; `None` when nothing will charge it enough.
    fn battery_reaches(&self, percent: u8) -> Option<SimTime> {
        let model = self.cfg.energy;
        let now = self.meter.counted_until.millis();
        let charging = &self.cfg.battery.charging;
        let target = self.meter.level_of(percent);
        let mut level = self.meter.level_nj;
        if level >= target {
            return Some(SimTime(now + 1));
        }
        // The moments the charge changes, from now on: each segment between two has one rate.
        let mut bounds: Vec<u64> = charging
            .iter()
            .flat_map(|c| [Some(c.from_ms), c.until_ms])
            .flatten()
            .filter(|&t| t > now)
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut t = now;
        for end in bounds.into_iter().map(Some).chain([None]) {
            let ua: u64 = charging
                .iter()
                .filter(|c| c.from_ms <= t && c.until_ms.is_none_or(|u| u > t))
                .map(|c| c.ua)
                .fold(0, u64::saturating_add);
            let gain_per_ms = model.nj(ua, 1000) as i128 - model.nj(model.listen_ua, 1000) as i128;
            let deficit = i128::from(target - level);
            if gain_per_ms > 0 {
                let needed = (deficit + gain_per_ms - 1) / gain_per_ms;
                if end.is_none_or(|e| t as i128 + needed <= e as i128) {
                    return Some(SimTime(t + needed as u64));
                }
            }
            let end = end?;
            let moved = gain_per_ms * i128::from(end - t);
            level = (i128::from(level) + moved).clamp(0, i128::from(target)) as u64;
            t = end;
        }
        None
    }

    /// The Max-Age of a download refused for the battery (BAT-2): seconds until the charge in
    /// force brings it back to the download threshold, or an hour when nothing charges it.
    pub(crate) fn download_retry_s(&self) -> u32 {
        let now = self.meter.counted_until;
        self.battery_reaches(self.cfg.battery.min_download_percent)
            .map_or(3600, |t| ((t - now).div_ceil(1000)).clamp(1, 3600) as u32)
    }

    /// A download the battery cannot afford becomes a refusal (BAT-2).
    pub(crate) fn gated_by_battery(&self, trigger: Trigger) -> Trigger {
        let starts_download = matches!(
            trigger,
            Trigger::WriteUri(UriKind::Supported) | Trigger::WritePackageStart
        );
        let low = self.meter.level_nj < self.meter.level_of(self.cfg.battery.min_download_percent);
        if starts_download && low && self.state == fota_lwm2m::FwState::Idle {
            Trigger::DownloadOnLowBattery
        } else {
            trigger
        }
    }

    /// The next moment a charging period begins or ends: the device counts its energy then, so
    /// that the level's curve bends where the charge changes, not at the next datagram.
    pub(crate) fn charging_timer(&self) -> Option<SimTime> {
        let now = self.meter.counted_until.millis();
        self.cfg
            .battery
            .charging
            .iter()
            .flat_map(|c| [Some(c.from_ms), c.until_ms])
            .flatten()
            .filter(|&t| t > now)
            .min()
            .map(SimTime)
    }

    /// Below the update threshold: the level itself, not /3/0/9's rounding, decides, so that
    /// once the update starts /3/0/9 reads the threshold and goes on reading it.
    pub(crate) fn battery_too_low_to_update(&self) -> bool {
        self.meter.level_nj < self.meter.level_of(self.cfg.battery.min_update_percent)
    }

    /// An update waiting for the battery starts once it is back at the threshold (BAT-1).
    fn battery_changed(&mut self, now: SimTime) {
        if self.waiting_for_battery && !self.battery_too_low_to_update() {
            self.waiting_for_battery = false;
            // A moment of its own, so that the page shows the run at this instant.
            self.events
                .push_back(crate::events::DeviceEvent::BatteryRecovered {
                    percent: self.battery_percent(),
                });
            self.apply(
                now,
                fota_lwm2m::transitions::Trigger::BatteryRecovered,
                None,
            );
        }
    }

    /// What /3/0/9 would read at `now` (the time of the latest input or later): the level as
    /// the device's fuel gauge has it then, whether or not an input made it count.
    pub fn battery_percent_at(&self, now: SimTime) -> i64 {
        self.meter_at(now.max(self.meter.counted_until)).percent()
    }

    /// The battery level the run began with, in hundredths of a percent.
    pub fn battery_start_centi(&self) -> u64 {
        self.meter.start_centi
    }

    /// /3/0/9 Battery Level.
    pub fn battery_percent(&self) -> i64 {
        self.meter.percent()
    }

    /// The energy spent up to `now` (the time of the latest input or later), by part, and
    /// the battery level then in hundredths of a percent.
    pub fn energy_at(&self, now: SimTime) -> (EnergySpent, u64) {
        let m = self.meter_at(now.max(self.meter.counted_until));
        (m.spent(), m.centi_percent())
    }
}
