//! The flash as it was right after one step of a boot, so that a view can show the slots as
//! they were at that step and not only as the boot left them. Flash sectors are shared
//! between clones until written (copy on write), so a snapshot costs a vector of pointers and
//! the erase counts; the slot view, which validates both images, is made only when shown.

use crate::flash::Flash;
use crate::layout::SlotLayout;
use crate::strategy::Strategy;
use crate::view::{slots_view, SlotView};
use std::sync::Arc;

/// Shared, so that an event carrying one stays small and copies of it cost a pointer.
#[derive(Clone, Debug)]
pub struct Snapshot(Arc<Taken>);

#[derive(Debug)]
struct Taken {
    flash: Flash,
    layout: SlotLayout,
    strategy: Strategy,
}

impl Snapshot {
    pub(crate) fn of(flash: &Flash, layout: SlotLayout, strategy: Strategy) -> Snapshot {
        Snapshot(Arc::new(Taken {
            flash: flash.clone(),
            layout,
            strategy,
        }))
    }

    pub fn flash(&self) -> &Flash {
        &self.0.flash
    }

    /// The anti-rollback counter (BOOT-7) as the NV sector held it at that step.
    pub fn nv_security_counter(&self) -> u32 {
        crate::security_counter::read(&self.0.flash, self.0.layout)
    }

    /// The primary and secondary slots as they were at that step.
    pub fn slots_view(&self) -> [SlotView; 2] {
        slots_view(&self.0.flash, self.0.layout, self.0.strategy)
    }
}

/// Two snapshots are the same when they hold the same sectors (shared, not merely equal
/// bytes) with the same wear: a cheap comparison for events that carry one.
impl PartialEq for Snapshot {
    fn eq(&self, other: &Snapshot) -> bool {
        let (a, b) = (self.flash(), other.flash());
        let g = a.geometry();
        g == b.geometry()
            && (0..g.sectors).all(|i| a.shares_sector_with(b, i))
            && a.erase_counts() == b.erase_counts()
    }
}

impl Eq for Snapshot {}
