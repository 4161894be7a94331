//! The boot log as it is recorded: the flash operations the journal holds, each with the part
//! of the flash it touched, interleaved with the decisions in the order they happened, and a
//! closing count of the operations when the log is taken.

use crate::flash::FlashOp;
use crate::layout::{SlotLayout, SECTOR_SIZE};

#[derive(Clone, Debug, Default)]
pub(crate) struct BootLog {
    lines: Vec<String>,
    /// Flash operations in the log since it was last taken, for its closing count.
    erases: usize,
    writes: usize,
}

impl BootLog {
    /// Appends the flash operations done so far, so that each decision noted after them
    /// follows the operations that led to it.
    pub fn flash_ops(&mut self, ops: Vec<FlashOp>, layout: SlotLayout) {
        for op in ops {
            let line = match op {
                FlashOp::Erase { sector } => {
                    self.erases += 1;
                    format!("flash: erase sector {sector} ({})", layout.role(sector))
                }
                FlashOp::Write { offset, len } => {
                    self.writes += 1;
                    format!(
                        "flash: write {len} bytes at 0x{offset:06x} ({})",
                        layout.role(offset / SECTOR_SIZE)
                    )
                }
            };
            self.lines.push(line);
        }
    }

    pub fn decision(&mut self, line: String) {
        self.lines.push(line);
    }

    /// Everything since the last call, oldest first, closed by the count of flash operations
    /// when there were any.
    pub fn take(&mut self) -> Vec<String> {
        let (erases, writes) = (
            std::mem::take(&mut self.erases),
            std::mem::take(&mut self.writes),
        );
        if erases + writes > 0 {
            self.lines.push(format!(
                "flash: {} operations ({erases} sector erases, {writes} writes)",
                erases + writes
            ));
        }
        std::mem::take(&mut self.lines)
    }
}
