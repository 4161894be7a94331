//! The bootloader's work takes time. At the end of the power-on delay the device runs the boot
//! decision on its flash at once, then hands on each step of the boot log at the virtual time
//! the flash's work meter gives it, and acts on the outcome only when the work is over. A power
//! cut or a reset in the middle replays the boot from the flash as it was, cut before the
//! operation that was under way: the flash then holds exactly what the work had done by then,
//! and the log shows only the steps that happened.

use crate::events::DeviceEvent;
use crate::{Device, Power};
use fota_bootloader::{BootEvent, BootOutcome, Bootloader, Logged};
use fota_coap::SimTime;
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub(crate) struct BootWork {
    started: SimTime,
    /// The bootloader before the work began: the boot replays from it when cut short.
    before: Bootloader,
    /// Flash operations done before the work began.
    ops_before: u64,
    /// The work meter's clock when the work began.
    start_us: u64,
    /// For each flash operation of the work, the meter's clock once it was done.
    op_done_us: Vec<u64>,
    /// Logged steps not handed on yet, oldest first, each with its time.
    pending: VecDeque<(SimTime, Logged)>,
    outcome: BootOutcome,
    done: SimTime,
}

impl BootWork {
    /// The bootloader as it was when the work began.
    pub(crate) fn before(&self) -> &Bootloader {
        &self.before
    }

    /// The flash's work meter when the work began.
    pub(crate) fn meter_before(&self) -> fota_bootloader::WorkMeter {
        self.before.flash().meter()
    }

    pub(crate) fn next_deadline(&self) -> SimTime {
        self.pending.front().map_or(self.done, |(t, _)| *t)
    }
}

/// The virtual time of a step `us` microseconds into work that began at `started` (rounded
/// up: a step is not shown before it is done).
fn at(started: SimTime, us: u64) -> SimTime {
    started + us.div_ceil(1000)
}

impl Device {
    /// The power-on delay is over: the bootloader works.
    pub(crate) fn begin_boot_work(&mut self, now: SimTime) {
        self.arm_boot_power_cut();
        // The running firmware's own flash work (the download) is not the bootloader's.
        self.boot.flash_mut().take_journal();
        let before = self.boot.clone();
        let ops_before = self.boot.flash().ops();
        let start_us = self.boot.flash().meter().elapsed_us();
        let outcome = self.boot.boot();
        let logged = self.boot.take_logged();
        let op_done_us = logged
            .iter()
            .filter(|l| matches!(l.event, BootEvent::Flash(_)))
            .map(|l| l.at_us - start_us)
            .collect();
        let work_us = self.boot.flash().meter().elapsed_us() - start_us;
        let pending = logged
            .into_iter()
            .map(|l| (at(now, l.at_us - start_us), l))
            .collect();
        self.power = Power::BootWork(Box::new(BootWork {
            started: now,
            before,
            ops_before,
            start_us,
            op_done_us,
            pending,
            outcome,
            done: at(now, work_us),
        }));
        self.on_boot_work_timer(now);
    }

    /// Hands on the steps done by `now`, and once the work is over acts on its outcome.
    pub(crate) fn on_boot_work_timer(&mut self, now: SimTime) {
        let Power::BootWork(work) = &mut self.power else {
            return;
        };
        let mut due = Vec::new();
        while work.pending.front().is_some_and(|(t, _)| *t <= now) {
            if let Some((_, l)) = work.pending.pop_front() {
                due.push(l);
            }
        }
        let finished = work.pending.is_empty() && work.done <= now;
        let outcome = finished.then(|| work.outcome.clone());
        self.hand_on(due);
        if let Some(outcome) = outcome {
            self.boot_done(now, outcome);
        }
    }

    /// The power goes (or the device resets) while the bootloader works: the flash keeps what
    /// was done before `now`, and nothing after.
    pub(crate) fn cut_boot_work(&mut self, now: SimTime) {
        let Power::BootWork(work) = std::mem::replace(&mut self.power, Power::Halted) else {
            return;
        };
        let work = *work;
        let into_us = (now - work.started).saturating_mul(1000);
        let done_ops = work.op_done_us.iter().filter(|&&us| us <= into_us).count() as u64;
        let mut boot = work.before;
        if done_ops < work.op_done_us.len() as u64 {
            boot.flash_mut()
                .cut_power_before(work.ops_before + done_ops);
        }
        // Same flash, same decisions (BOOT-I6): the replay does what the work did, up to the cut.
        boot.boot();
        boot.flash_mut().disarm();
        let logged = boot.take_logged();
        self.boot = boot;
        let happened = logged
            .into_iter()
            .filter(|l| l.at_us - work.start_us <= into_us)
            .collect();
        self.hand_on(happened);
    }

    pub(crate) fn hand_on(&mut self, logged: Vec<Logged>) {
        for l in logged {
            self.events.push_back(DeviceEvent::Boot {
                event: l.event,
                flash: l.snapshot,
            });
        }
    }
}
