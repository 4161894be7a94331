//! Finding a step's moment in a run: the rows the ladder must show for it to be there, the
//! message to open, if the anchor is one, and what happened there, for the step's text to
//! quote.

use super::format::Anchor;
use crate::filter::{parse, Rows};
use fota_coap::SimTime;
use fota_sim::{BootRecord, FirmwareChange, World};

/// Where a step takes the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    /// Rows on the ladder once the moment has happened.
    pub rows: usize,
    /// The message the step is about, to open.
    pub message: Option<usize>,
    /// The virtual time it happened at.
    pub at: SimTime,
}

/// What the anchor found: the message's row, or the change, boot event or phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Message(usize),
    Change(FirmwareChange),
    Boot(BootRecord),
    Phase(String),
}

/// The moment `anchor` names in `world` (a whole run), or `None` when the run has no such
/// moment, as a branch may not.
pub fn resolve(anchor: &Anchor, world: &World) -> Option<Moment> {
    find(anchor, world, &Rows::of(world)).map(|(m, _)| m)
}

/// `resolve`, with the rows already decoded and what was found.
pub fn find(anchor: &Anchor, world: &World, rows: &Rows) -> Option<(Moment, Subject)> {
    let trace = world.trace();
    // A change that sits after `n` rows is known once the input that made it has been
    // handled, which the ladder shows with the row after it (or at the run's end).
    let after = |n: usize, at: SimTime| Moment {
        rows: (n + 1).min(trace.len()),
        message: None,
        at,
    };
    match anchor {
        Anchor::Message { filter, nth } => {
            let filter = parse(filter).ok()?;
            let row = *rows.matching(&filter, world).get(nth.checked_sub(1)?)?;
            let moment = Moment {
                rows: row + 1,
                message: Some(row),
                at: trace.get(row)?.sent_at,
            };
            Some((moment, Subject::Message(row)))
        }
        Anchor::Change { state, result } => world
            .firmware_changes()
            .iter()
            .find(|c| {
                state.is_none_or(|s| c.state.code() == s)
                    && result.is_none_or(|r| c.result.code() == r)
            })
            .map(|c| (after(c.after_datagrams, c.at), Subject::Change(c.clone()))),
        Anchor::Phase { phase } => world
            .campaign_phases()
            .iter()
            .find(|r| r.phase.name() == phase)
            .map(|r| {
                (
                    after(r.after_datagrams, r.at),
                    Subject::Phase(r.phase.name().to_string()),
                )
            }),
        Anchor::Boot { event } => world
            .boot_events()
            .iter()
            .find(|r| event_name(&r.event).as_deref() == Some(event.as_str()))
            .map(|r| (after(r.after_datagrams, r.at), Subject::Boot(r.clone()))),
    }
}

/// A boot event's kind as the trace file names it (its serde tag).
pub(crate) fn event_name(event: &fota_bootloader::BootEvent) -> Option<String> {
    let value = serde_json::to_value(event).ok()?;
    value.get("event")?.as_str().map(str::to_string)
}
