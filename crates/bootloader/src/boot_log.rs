//! The boot log as it is recorded: the flash operations the journal holds, each with the part
//! of the flash it touched, interleaved with the decisions in the order they happened (each
//! with a snapshot of the flash right after it, for a view that steps through the boot), and
//! a closing count of the operations when the log is taken.

use crate::events::{BootEvent, FlashEvent};
use crate::flash::{Flash, FlashOp};
use crate::layout::{SlotLayout, SECTOR_SIZE};
use crate::snapshot::Snapshot;
use crate::strategy::Strategy;

/// A boot event, and for a decision the flash as it was right after it.
pub type Logged = (BootEvent, Option<Snapshot>);

#[derive(Clone, Debug, Default)]
pub(crate) struct BootLog {
    events: Vec<Logged>,
    /// Flash operations in the log since it was last taken, for its closing count.
    erases: usize,
    writes: usize,
}

impl BootLog {
    /// Appends the flash operations done so far, so that each decision recorded after them
    /// follows the operations that led to it.
    pub fn flash_ops(&mut self, ops: Vec<FlashOp>, layout: SlotLayout) {
        for op in ops {
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
            self.events.push((BootEvent::Flash(event), None));
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
        self.events.push((event, Some(snapshot)));
    }

    /// Everything since the last call, oldest first, closed by the count of flash operations
    /// when there were any.
    pub fn take(&mut self) -> Vec<Logged> {
        let (erases, writes) = (
            std::mem::take(&mut self.erases),
            std::mem::take(&mut self.writes),
        );
        if erases + writes > 0 {
            self.events
                .push((BootEvent::FlashCount { erases, writes }, None));
        }
        std::mem::take(&mut self.events)
    }
}
