//! Challenges: a task on a built-in scenario that the page and the CLI grade by themselves. A
//! challenge is data (JSON): the scenario, what the student may change, goals over the run's
//! outcome, its trace (a filter that must match, or never) and its cost, optionally on many
//! seeds so that a lucky run does not pass, hints, an explanation and a reference solution.
//! The student's changes and the solution are JSON merge patches (RFC 7396) of the scenario.

mod changes;
mod format;
mod grade;

pub use changes::{apply, touched};
pub use format::{Challenge, ChallengeError, Goal, Seeds};
pub use grade::{grade, started, GoalGrade, Grade};
