//! Challenges: a task on a built-in scenario that the page and the CLI grade by themselves. A
//! challenge is data (JSON): the scenario, what the student may change, goals over the run's
//! outcome, its trace (a filter that must match, or never) and its cost, optionally on many
//! seeds so that a lucky run does not pass, hints, an explanation and a reference solution.
//! The student's changes and the solution are JSON merge patches (RFC 7396) of the scenario.

mod changes;
mod draft;
mod field_help;
mod format;
mod grade;

mod builtin;
mod progress;
mod settings;

pub use builtin::{builtin, by_id};
pub use changes::{apply, changes_between, count_changes, touched};
pub use draft::draft;
pub use field_help::{field_help, FieldHelp};
#[cfg(feature = "schema")]
pub use format::json_schema;
pub use format::{Challenge, ChallengeError, Goal, Seeds, WrongPick};
pub use grade::{grade, started, Attempt, GoalGrade, Grade, Grading};
pub use progress::{CodeError, Progress, Record, STORAGE_KEY};
pub use settings::{patch_of, settings, value_of, Setting};
