//! Lessons: a guided path through a built-in scenario, told on the live run. A lesson is data
//! (JSON, `docs/lessons.md`): a scenario and its steps, each anchored to something that
//! happens in the run (the n-th message a filter matches, a /5 change, a campaign phase, a
//! boot event), so that the page can go to that moment and open it, on the original run or on
//! a branch of it, and the step's text can quote what the run did there.

mod anchor;
mod builtin;
mod format;
mod gallery;
mod text;
mod told;

pub use anchor::{find, resolve, Moment, Subject};
pub use builtin::{builtin, by_id, path, tour_of};
#[cfg(feature = "schema")]
pub use format::json_schema;
pub use format::{Anchor, Lesson, LessonError, Step};
pub use gallery::{results_gallery, GalleryEntry};
pub use told::{reached, tell, ToldStep};
