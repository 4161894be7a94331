//! Finding a step's moment in a run: the rows the ladder must show for it to be there, and
//! the message to open, if the anchor is one.

use super::format::Anchor;
use crate::filter::{parse, Rows};
use fota_sim::World;

/// Where a step takes the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    /// Rows on the ladder once the moment has happened.
    pub rows: usize,
    /// The message the step is about, to open.
    pub message: Option<usize>,
}

/// The moment `anchor` names in `world` (a whole run), or `None` when the run has no such
/// moment, as a branch may not.
pub fn resolve(anchor: &Anchor, world: &World) -> Option<Moment> {
    // A change that sits after `n` rows is known once the input that made it has been
    // handled, which the ladder shows with the row after it (or at the run's end).
    let after = |n: usize| Moment {
        rows: (n + 1).min(world.trace().len()),
        message: None,
    };
    match anchor {
        Anchor::Message { filter, nth } => {
            let filter = parse(filter).ok()?;
            let row = *Rows::of(world)
                .matching(&filter, world)
                .get(nth.checked_sub(1)?)?;
            Some(Moment {
                rows: row + 1,
                message: Some(row),
            })
        }
        Anchor::Change { state, result } => world
            .firmware_changes()
            .iter()
            .find(|c| c.state.code() == *state && result.is_none_or(|r| c.result.code() == r))
            .map(|c| after(c.after_datagrams)),
        Anchor::Phase { phase } => world
            .campaign_phases()
            .iter()
            .find(|(_, p)| p.name() == phase)
            .map(|(rows, _)| after(*rows)),
        Anchor::Boot { event } => world
            .boot_events()
            .iter()
            .find(|r| event_name(&r.event).as_deref() == Some(event.as_str()))
            .map(|r| after(r.after_datagrams)),
    }
}

/// A boot event's kind as the trace file names it (its serde tag).
fn event_name(event: &fota_bootloader::BootEvent) -> Option<String> {
    let value = serde_json::to_value(event).ok()?;
    value.get("event")?.as_str().map(str::to_string)
}
