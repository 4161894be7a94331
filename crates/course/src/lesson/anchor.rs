//! Finding a step's moment in a run: the rows the ladder must show for it to be there, the
//! message to open, if the anchor is one, and what happened there, for the step's text to
//! quote.

use super::format::Anchor;
use crate::filter::{parse, Rows};
use fota_coap::SimTime;
use fota_sim::{BootRecord, FirmwareChange, Position, World};

/// Where a step takes the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    /// The position of the timeline at which it has happened: its datagrams and the device's
    /// moments (a boot step, a reset) shown.
    pub position: Position,
    /// Rows on the ladder once the moment has happened (`position.rows`).
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
    let moments = world.moments();
    let at_rows = |rows: usize| Position::at_rows(rows, moments);
    // A fact that sits after `n` rows and `k` moments of the device. When a moment came
    // before it after those rows (a boot), it is there at that moment, the same event of the
    // world; otherwise it is known once the input that made it has been handled, which the
    // ladder shows with the row after it (or at the run's end).
    let after = |n: usize, k: usize, at: SimTime| {
        let position = if k > at_rows(n).moments {
            Position {
                rows: n,
                moments: k,
            }
        } else {
            at_rows((n + 1).min(trace.len()))
        };
        Moment {
            position,
            rows: position.rows,
            message: None,
            at,
        }
    };
    match anchor {
        Anchor::Message { filter, nth } => {
            let filter = parse(filter).ok()?;
            let row = *rows.matching(&filter, world).get(nth.checked_sub(1)?)?;
            let moment = Moment {
                position: at_rows(row + 1),
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
            .map(|c| {
                let m = after(c.after_datagrams, c.moments_before, c.at);
                (m, Subject::Change(c.clone()))
            }),
        Anchor::Phase { phase } => world
            .campaign_phases()
            .iter()
            .find(|r| r.phase.name() == phase)
            .map(|r| {
                // The server's phases are no moments of the device: the row after them.
                (
                    after(r.after_datagrams, 0, r.at),
                    Subject::Phase(r.phase.name().to_string()),
                )
            }),
        Anchor::Boot { event, nth } => world
            .boot_events()
            .iter()
            .filter(|r| event_name(&r.event).as_deref() == Some(event.as_str()))
            .nth(nth.checked_sub(1)?)
            .map(|r| {
                // A decision of the bootloader is a moment of its own: the step showing it.
                let own = usize::from(fota_sim::Moment::is_boot_step(&r.event));
                let m = after(r.after_datagrams, r.moments_before + own, r.at);
                (m, Subject::Boot(r.clone()))
            }),
    }
}

/// A boot event's kind as the trace file names it (its serde tag).
pub(crate) fn event_name(event: &fota_bootloader::BootEvent) -> Option<String> {
    let value = serde_json::to_value(event).ok()?;
    value.get("event")?.as_str().map(str::to_string)
}
