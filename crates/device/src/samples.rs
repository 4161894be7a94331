//! The /3 and /4 values over time: the scenario's samples take effect at their times, and
//! observers hear of each value that changed (SRV-3's radio gating watches them).

use crate::Device;
use fota_coap::SimTime;
use fota_lwm2m::Path;

impl Device {
    pub(crate) fn sample_timer(&self) -> Option<SimTime> {
        self.cfg
            .samples
            .get(self.samples_applied.max(1))
            .map(|r| SimTime(r.at_ms))
    }

    /// Takes the samples now due and tells the observers of what changed.
    pub(crate) fn on_sample_timer(&mut self, now: SimTime) {
        let before = self.sample();
        while self.sample_timer().is_some_and(|t| t <= now) {
            self.samples_applied = self.samples_applied.max(1) + 1;
        }
        let after = self.sample();
        if before.battery_level != after.battery_level {
            // A charger or a new battery: the level is what the sample says.
            self.set_battery_percent(after.battery_level);
        }
        let changed: Vec<Path> = [
            (
                before.signal_dbm != after.signal_dbm,
                Path::resource(4, 0, 2),
            ),
            (
                before.link_quality != after.link_quality,
                Path::resource(4, 0, 3),
            ),
            (
                before.link_utilization != after.link_utilization,
                Path::resource(4, 0, 6),
            ),
            (
                before.battery_level != after.battery_level,
                Path::resource(3, 0, 9),
            ),
            (
                before.memory_free_kib != after.memory_free_kib,
                Path::resource(3, 0, 10),
            ),
        ]
        .into_iter()
        .filter_map(|(differs, path)| differs.then_some(path))
        .collect();
        if !changed.is_empty() {
            self.log(
                format!(
                    "radio: {} dBm, link quality {}; battery {} %",
                    after.signal_dbm, after.link_quality, after.battery_level
                ),
                None,
            );
            self.notify(now, &changed);
        }
    }
}
