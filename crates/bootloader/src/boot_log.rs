//! The boot log as it is recorded: the flash operations the journal holds, each with the part
//! of the flash it touched, interleaved with the decisions in the order they happened, and a
//! closing count of the operations when the log is taken.

use crate::events::{BootEvent, FlashEvent};
use crate::flash::FlashOp;
use crate::layout::{SlotLayout, SECTOR_SIZE};

#[derive(Clone, Debug, Default)]
pub(crate) struct BootLog {
    events: Vec<BootEvent>,
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
            self.events.push(BootEvent::Flash(event));
        }
    }

    pub fn decision(&mut self, event: BootEvent) {
        self.events.push(event);
    }

    /// Everything since the last call, oldest first, closed by the count of flash operations
    /// when there were any.
    pub fn take(&mut self) -> Vec<BootEvent> {
        let (erases, writes) = (
            std::mem::take(&mut self.erases),
            std::mem::take(&mut self.writes),
        );
        if erases + writes > 0 {
            self.events.push(BootEvent::FlashCount { erases, writes });
        }
        std::mem::take(&mut self.events)
    }
}
