//! The flash model (BOOT-3): uniform sectors, a write alignment, an erased value, erase before
//! write enforced, erase counts per sector, an operation counter, and a power cut that can be
//! armed before any erase or write. Sectors are shared between clones until one is written
//! (copy on write), so cloning a whole device for rewind costs little. Each operation takes the
//! time its `FlashTiming` gives, summed on a `WorkMeter`.

use crate::timing::{FlashTiming, WorkMeter};
use core::fmt;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub sector_size: usize,
    pub sectors: usize,
    /// Writes start on and cover a multiple of this many bytes.
    pub align: usize,
    /// What an erased byte reads as (0xFF for NOR flash, 0x00 for some others).
    pub erased: u8,
}

impl Default for Geometry {
    fn default() -> Self {
        Geometry {
            sector_size: 4096,
            sectors: 20,
            align: 8,
            erased: 0xff,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlashError {
    /// The power went before this operation: nothing of it happened.
    PowerLoss,
    Misaligned {
        offset: usize,
        len: usize,
        align: usize,
    },
    OutOfRange {
        offset: usize,
        len: usize,
    },
    /// Writing over a byte that was not erased first.
    NotErased {
        offset: usize,
    },
}

impl fmt::Display for FlashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlashError::PowerLoss => write!(f, "power lost"),
            FlashError::Misaligned { offset, len, align } => {
                write!(
                    f,
                    "write of {len} bytes at {offset} is not aligned to {align}"
                )
            }
            FlashError::OutOfRange { offset, len } => {
                write!(f, "{len} bytes at {offset} are outside the flash")
            }
            FlashError::NotErased { offset } => {
                write!(f, "byte {offset} written without an erase first")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlashOp {
    Erase { sector: usize },
    Write { offset: usize, len: usize },
}

#[derive(Clone, Debug)]
pub struct Flash {
    geometry: Geometry,
    sectors: Vec<Arc<Vec<u8>>>,
    erase_counts: Vec<u32>,
    ops: u64,
    /// The operation number before which the power goes.
    cut_before: Option<u64>,
    powered: bool,
    /// Operations since the journal was last taken, for the boot log, each with the meter's
    /// `elapsed_us` once it was done.
    journal: Vec<(FlashOp, u64)>,
    timing: FlashTiming,
    meter: WorkMeter,
}

impl Flash {
    /// Flash fresh from the factory: every sector erased. A sector size of 0 means 1, and the
    /// alignment is kept between 1 and the sector size (no flash writes more than a sector at
    /// once), so that no geometry makes the arithmetic divide by zero or overflow.
    pub fn new(mut geometry: Geometry) -> Flash {
        geometry.sector_size = geometry.sector_size.max(1);
        geometry.align = geometry.align.clamp(1, geometry.sector_size);
        let blank = Arc::new(vec![geometry.erased; geometry.sector_size]);
        Flash {
            geometry,
            sectors: vec![blank; geometry.sectors],
            erase_counts: vec![0; geometry.sectors],
            ops: 0,
            cut_before: None,
            powered: true,
            journal: Vec::new(),
            timing: FlashTiming::INSTANT,
            meter: WorkMeter::default(),
        }
    }

    /// From now on each operation takes the time `timing` gives.
    pub fn set_timing(&mut self, timing: FlashTiming) {
        self.timing = timing;
    }

    pub fn timing(&self) -> FlashTiming {
        self.timing
    }

    /// The work done so far: busy time, erases, bytes programmed.
    pub fn meter(&self) -> WorkMeter {
        self.meter
    }

    /// The CPU spent `us` on the flash's contents (hashing, a signature check): the work's
    /// clock moves on.
    pub fn charge_cpu(&mut self, us: u64) {
        self.meter.cpu_us = self.meter.cpu_us.saturating_add(us);
    }

    pub fn geometry(&self) -> Geometry {
        self.geometry
    }

    pub fn size(&self) -> usize {
        self.geometry.sector_size * self.geometry.sectors
    }

    /// Erases and writes done so far (operations refused by a power cut do not count).
    pub fn ops(&self) -> u64 {
        self.ops
    }

    pub fn erase_counts(&self) -> &[u32] {
        &self.erase_counts
    }

    /// Arms a power cut before operation number `op` (as counted by `ops`).
    pub fn cut_power_before(&mut self, op: u64) {
        self.cut_before = Some(op);
    }

    /// Withdraws an armed cut that has not happened yet.
    pub fn disarm(&mut self) {
        self.cut_before = None;
    }

    /// Power comes back: operations work again (the cut is used up).
    pub fn power_on(&mut self) {
        self.powered = true;
    }

    pub fn is_powered(&self) -> bool {
        self.powered
    }

    fn begin(&mut self) -> Result<(), FlashError> {
        if !self.powered || self.cut_before == Some(self.ops) {
            self.cut_before = None;
            self.powered = false;
            return Err(FlashError::PowerLoss);
        }
        Ok(())
    }

    pub fn erase(&mut self, sector: usize) -> Result<(), FlashError> {
        if sector >= self.geometry.sectors {
            return Err(FlashError::OutOfRange {
                offset: sector * self.geometry.sector_size,
                len: self.geometry.sector_size,
            });
        }
        self.begin()?;
        self.sectors[sector] = Arc::new(vec![self.geometry.erased; self.geometry.sector_size]);
        self.erase_counts[sector] += 1;
        self.ops += 1;
        self.meter.flash_us = self.meter.flash_us.saturating_add(self.timing.erase_us());
        self.journal
            .push((FlashOp::Erase { sector }, self.meter.elapsed_us()));
        Ok(())
    }

    pub fn write(&mut self, offset: usize, data: &[u8]) -> Result<(), FlashError> {
        let g = self.geometry;
        if offset % g.align != 0 || data.len() % g.align != 0 {
            return Err(FlashError::Misaligned {
                offset,
                len: data.len(),
                align: g.align,
            });
        }
        if offset
            .checked_add(data.len())
            .is_none_or(|end| end > self.size())
        {
            return Err(FlashError::OutOfRange {
                offset,
                len: data.len(),
            });
        }
        let mut at = offset;
        for span in self.spans(offset, data.len()) {
            if let Some(i) = first_unerased(span, g.erased) {
                return Err(FlashError::NotErased { offset: at + i });
            }
            at += span.len();
        }
        self.begin()?;
        let mut at = offset;
        for chunk in data.chunks(g.sector_size) {
            let mut rest = chunk;
            while !rest.is_empty() {
                let (sector, within) = (at / g.sector_size, at % g.sector_size);
                let take = (g.sector_size - within).min(rest.len());
                Arc::make_mut(&mut self.sectors[sector])[within..within + take]
                    .copy_from_slice(&rest[..take]);
                at += take;
                rest = &rest[take..];
            }
        }
        self.ops += 1;
        self.meter.flash_us = self
            .meter
            .flash_us
            .saturating_add(self.timing.program_us(data.len()));
        self.journal.push((
            FlashOp::Write {
                offset,
                len: data.len(),
            },
            self.meter.elapsed_us(),
        ));
        Ok(())
    }

    /// Flips the bits of `mask` in the byte at `offset` without a flash operation: a
    /// disturbed or worn cell, as a fault to inject. Out of range does nothing.
    pub fn disturb(&mut self, offset: usize, mask: u8) {
        if offset < self.size() {
            let g = self.geometry;
            Arc::make_mut(&mut self.sectors[offset / g.sector_size])[offset % g.sector_size] ^=
                mask;
        }
    }

    /// The operations done since the last call, oldest first, each with the meter's
    /// `elapsed_us` once it was done.
    pub fn take_journal(&mut self) -> Vec<(FlashOp, u64)> {
        std::mem::take(&mut self.journal)
    }

    pub fn read(&self, offset: usize, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len.min(self.size().saturating_sub(offset)));
        self.spans(offset, len)
            .for_each(|s| out.extend_from_slice(s));
        out
    }

    /// Whether every byte of sector `index` reads erased (false for a sector out of range).
    pub fn sector_erased(&self, index: usize) -> bool {
        let erased = self.geometry.erased;
        self.sectors
            .get(index)
            .is_some_and(|s| s.iter().all(|&b| b == erased))
    }

    /// The bytes of `offset..offset + len` (cut at the end of the flash), sector by sector,
    /// where they lie: looking at them copies nothing.
    fn spans(&self, offset: usize, len: usize) -> impl Iterator<Item = &[u8]> {
        let size = self.geometry.sector_size;
        let end = offset.saturating_add(len).min(self.size());
        let mut at = offset;
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            let (sector, within) = (at / size, at % size);
            let take = (size - within).min(end - at);
            at += take;
            Some(&self.sectors[sector][within..within + take])
        })
    }

    /// Whether sector `i` is still shared with `other` (copy on write not yet triggered).
    pub fn shares_sector_with(&self, other: &Flash, i: usize) -> bool {
        Arc::ptr_eq(&self.sectors[i], &other.sectors[i])
    }
}

/// Where the first byte of `span` that is not `erased` lies. Every write checks its whole span
/// (a swap rewrites each sector it moves): blocks are compared whole against erased bytes (a
/// `memcmp`, many bytes a step), and only a block that differs is searched byte by byte.
fn first_unerased(span: &[u8], erased: u8) -> Option<usize> {
    const BLOCK: usize = 256;
    let blank = [erased; BLOCK];
    span.chunks(BLOCK).enumerate().find_map(|(n, block)| {
        (block != &blank[..block.len()])
            .then(|| block.iter().position(|&b| b != erased))
            .flatten()
            .map(|i| n * BLOCK + i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(align: usize, erased: u8) -> Flash {
        Flash::new(Geometry {
            sector_size: 64,
            sectors: 4,
            align,
            erased,
        })
    }

    #[test]
    fn boot3_a_write_over_one_written_byte_names_that_byte() {
        // Sectors of 256 bytes, so that a span holds several of the check's blocks.
        for erased in [0xff, 0x00] {
            for written in [0, 1, 63, 64, 65, 127, 200, 255, 256, 511] {
                let mut f = Flash::new(Geometry {
                    sector_size: 256,
                    sectors: 2,
                    align: 1,
                    erased,
                });
                f.write(written, &[!erased]).unwrap();
                assert_eq!(
                    f.write(0, &[!erased; 512]),
                    Err(FlashError::NotErased { offset: written }),
                    "byte {written} written, erased {erased:#x}"
                );
                assert_eq!(f.write(written + 1, &vec![!erased; 511 - written]), Ok(()));
            }
        }
    }

    #[test]
    fn boot3_erase_before_write_and_alignment() {
        for erased in [0xff, 0x00] {
            let mut f = small(8, erased);
            let data = [!erased; 8];
            f.write(8, &data).unwrap();
            assert_eq!(f.write(8, &data), Err(FlashError::NotErased { offset: 8 }));
            assert_eq!(
                f.write(3, &data),
                Err(FlashError::Misaligned {
                    offset: 3,
                    len: 8,
                    align: 8
                })
            );
            assert_eq!(
                f.write(0, &[1; 5]),
                Err(FlashError::Misaligned {
                    offset: 0,
                    len: 5,
                    align: 8
                })
            );
            assert!(matches!(
                f.write(256, &data),
                Err(FlashError::OutOfRange { .. })
            ));
            f.erase(0).unwrap();
            f.write(8, &data).unwrap();
            assert_eq!(f.read(8, 8), data);
            assert_eq!((f.ops(), f.erase_counts()[0]), (3, 1));
        }
    }

    #[test]
    fn boot3_a_power_cut_stops_the_operation_and_all_after_it() {
        let mut f = small(1, 0xff);
        f.cut_power_before(1);
        f.write(0, &[1]).unwrap();
        assert_eq!(f.write(1, &[2]), Err(FlashError::PowerLoss));
        assert_eq!(f.erase(0), Err(FlashError::PowerLoss), "no power, no erase");
        assert_eq!(f.read(0, 2), vec![1, 0xff], "the cut write left nothing");
        f.power_on();
        f.write(1, &[2]).unwrap();
        assert_eq!(f.ops(), 2);
    }

    #[test]
    fn clones_share_sectors_until_written() {
        let mut a = small(1, 0xff);
        a.write(0, &[7]).unwrap();
        let mut b = a.clone();
        assert!((0..4).all(|i| a.shares_sector_with(&b, i)));
        b.write(64, &[9]).unwrap();
        assert!(a.shares_sector_with(&b, 0) && !a.shares_sector_with(&b, 1));
        assert_eq!(a.read(64, 1), vec![0xff]);
    }
}
