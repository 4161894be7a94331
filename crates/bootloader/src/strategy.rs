//! How an upgrade reaches the primary slot (BOOT-4): MCUboot's swap-move or overwrite-only.
//! The choice also sets how much of a slot an image may take.

use crate::layout::SlotLayout;
use crate::{overwrite, swap_move};

/// `swap-move` (with revert) or `overwrite` (no way back; `overwrite-only` also reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Swap the images sector by sector, so an unconfirmed image can be swapped back.
    SwapMove,
    /// Copy the new image over the old one: no way back.
    #[serde(alias = "overwrite-only")]
    Overwrite,
}

impl Strategy {
    pub fn parse(text: &str) -> Option<Strategy> {
        match text {
            "swap-move" => Some(Strategy::SwapMove),
            "overwrite" | "overwrite-only" => Some(Strategy::Overwrite),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Strategy::SwapMove => "swap-move",
            Strategy::Overwrite => "overwrite",
        }
    }

    /// Bytes an image may take in a slot of `layout` with this strategy, on flash that writes
    /// `align` bytes at a time (the swap-move status records take one write each).
    pub(crate) fn capacity(self, layout: SlotLayout, align: usize) -> usize {
        match self {
            Strategy::Overwrite => overwrite::capacity(layout),
            Strategy::SwapMove => swap_move::capacity(layout, align),
        }
    }
}
