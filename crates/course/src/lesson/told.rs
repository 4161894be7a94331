//! A lesson told on one run: for each step, its moment in that run (or none), and its text
//! with the run's own values quoted. Made once per run shown, so the page can follow the run
//! as it plays without searching it again at every step.

use super::anchor::{find, Moment};
use super::format::Lesson;
use super::text::fill;
use crate::filter::Rows;
use fota_coap::SimTime;
use fota_sim::{Position, World};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToldStep {
    /// Where the step takes the run; `None` for a step without an anchor, and for one whose
    /// moment this run does not have (`missing`).
    pub moment: Option<Moment>,
    pub missing: bool,
    pub text: String,
    /// Placeholders the run had no value for.
    pub unfilled: Vec<String>,
}

/// Every step of `lesson` on `world`, a whole run.
pub fn tell(lesson: &Lesson, world: &World) -> Vec<ToldStep> {
    let rows = Rows::of(world);
    lesson
        .steps
        .iter()
        .map(|step| {
            let found = step.anchor.as_ref().map(|a| find(a, world, &rows));
            let (moment, subject) = match &found {
                Some(Some((m, s))) => (Some(*m), Some(s)),
                _ => (None, None),
            };
            let at = moment.map_or(SimTime::ZERO, |m| m.at);
            let (text, unfilled) = fill(&step.text, subject, at, world, &rows);
            ToldStep {
                moment,
                missing: matches!(found, Some(None)),
                text,
                unfilled,
            }
        })
        .collect()
}

/// The step a run shown up to position `at` has reached: the first step of the latest
/// moment at or before `at` (steps without an anchor belong to the moment before them), or
/// `current` when it is one of that moment's steps, so that Next within a moment holds.
pub fn reached(told: &[ToldStep], at: Position, current: usize) -> usize {
    // The moment each step belongs to: its own, else the one of the step before (the start
    // first); a step whose moment this run lacks is never reached by playing.
    let mut belongs: Vec<Option<Position>> = Vec::with_capacity(told.len());
    let mut last = Position::default();
    for t in told {
        if let Some(m) = t.moment {
            last = m.position;
        }
        belongs.push((!t.missing).then_some(last));
    }
    let Some(target) = belongs.iter().flatten().copied().filter(|&m| m <= at).max() else {
        return current;
    };
    let target = Some(target);
    if belongs.get(current) == Some(&target) {
        return current;
    }
    belongs.iter().position(|&m| m == target).unwrap_or(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rows: Option<usize>, missing: bool) -> ToldStep {
        ToldStep {
            moment: rows.map(|rows| Moment {
                position: Position { rows, moments: 0 },
                rows,
                message: None,
                at: SimTime::ZERO,
            }),
            missing,
            text: String::new(),
            unfilled: Vec::new(),
        }
    }

    fn p(rows: usize) -> Position {
        Position { rows, moments: 0 }
    }

    #[test]
    fn the_step_follows_the_run_and_next_within_a_moment_holds() {
        // intro, message at 3, two steps at 10, a missing one, the end at 20.
        let told = [
            at(None, false),
            at(Some(3), false),
            at(Some(10), false),
            at(None, false),
            at(None, true),
            at(Some(20), false),
        ];
        assert_eq!(reached(&told, p(0), 0), 0);
        assert_eq!(reached(&told, p(2), 0), 0);
        assert_eq!(reached(&told, p(3), 0), 1);
        assert_eq!(reached(&told, p(12), 1), 2);
        assert_eq!(reached(&told, p(12), 3), 3, "Next within the moment holds");
        assert_eq!(reached(&told, p(25), 3), 5, "a missing step is passed over");
        assert_eq!(reached(&told, p(5), 5), 1, "stepping back goes back");
    }
}
