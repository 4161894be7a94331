//! The boot log as it is recorded: the flash operations the journal holds, each with the part
//! of the flash it touched, interleaved with the decisions in the order they happened (each
//! with a snapshot of the flash right after it, for a view that steps through the boot), and
//! a closing count of the operations when the log is taken. Every entry carries the work
//! meter's clock when it happened, so that a device can show the boot as it unfolds in time.

use crate::events::{BootEvent, FlashEvent};
use crate::flash::{Flash, FlashOp};
use crate::layout::{SlotLayout, SECTOR_SIZE};
use crate::snapshot::Snapshot;
use crate::strategy::Strategy;

/// A boot event, for a decision the flash as it was right after it, and when it happened.
#[derive(Clone, Debug)]
pub struct Logged {
    pub event: BootEvent,
    pub snapshot: Option<Snapshot>,
    /// The flash's `WorkMeter::elapsed_us` once the event was done: the difference between
    /// two events is the virtual time between them.
    pub at_us: u64,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct BootLog {
    events: Vec<Logged>,
    /// Flash operations in the log since it was last taken, for its closing count.
    erases: usize,
    writes: usize,
    /// The clock of the latest entry, for the closing count.
    last_us: u64,
}

impl BootLog {
    /// Appends the flash operations done so far, so that each decision recorded after them
    /// follows the operations that led to it.
    pub fn flash_ops(&mut self, ops: Vec<(FlashOp, u64)>, layout: SlotLayout) {
        for (op, at_us) in ops {
            let event = match op {
                FlashOp::Erase { sector } => {
                    self.erases += 1;
                    FlashEvent::Erase {
                        sector,
                        role: layout.role(sector),
                    }
                }
                FlashOp::Write { offset, len } => {
                    self.writes += 1;
                    let sector = offset / SECTOR_SIZE;
                    FlashEvent::Write {
                        offset,
                        len,
                        sector,
                        role: layout.role(sector),
                    }
                }
            };
            self.push(BootEvent::Flash(event), None, at_us);
        }
    }

    /// A decision, after the flash operations that came before it, with the flash as it is
    /// now.
    pub fn note(
        &mut self,
        flash: &mut Flash,
        layout: SlotLayout,
        strategy: Strategy,
        event: BootEvent,
    ) {
        self.flash_ops(flash.take_journal(), layout);
        let snapshot = Snapshot::of(flash, layout, strategy);
        self.push(event, Some(snapshot), flash.meter().elapsed_us());
    }

    fn push(&mut self, event: BootEvent, snapshot: Option<Snapshot>, at_us: u64) {
        self.last_us = at_us;
        self.events.push(Logged {
            event,
            snapshot,
            at_us,
        });
    }

    /// Everything since the last call, oldest first, closed by the count of flash operations
    /// when there were any.
    pub fn take(&mut self) -> Vec<Logged> {
        let (erases, writes) = (
            std::mem::take(&mut self.erases),
            std::mem::take(&mut self.writes),
        );
        if erases + writes > 0 {
            self.push(BootEvent::FlashCount { erases, writes }, None, self.last_us);
        }
        std::mem::take(&mut self.events)
    }
}
