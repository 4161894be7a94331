//! The lesson file format, read with serde (errors name the field) and then checked: the
//! scenario exists, every step has text, every filter reads.

use core::fmt;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// The format's version: 1.
    #[serde(default = "one")]
    pub version: u32,
    pub id: String,
    pub title: String,
    /// The built-in scenario the lesson is told on.
    pub scenario: String,
    /// The seed to run it with; by default the scenario's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Its place (1 to 8) on the course's path of lessons; a lesson without one is the tour
    /// of its scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<u8>,
    pub steps: Vec<Step>,
}

/// One step: what to read, and the moment of the run it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub text: String,
    /// Where the run goes for this step; none keeps the moment where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
    /// What to say when a branch of the run has no such moment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// The field of the step's message to light in its details and its bytes, by its filter
    /// name (`coap.opt.block_number`, `uri`, `coap.mid` ...); by default the first field the
    /// text quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub light: Option<String>,
    /// Shows the Results gallery beside the text: each Update Result from 1 to 11, opening
    /// the scenario that produces it at that moment.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gallery: bool,
}

/// A moment of the run, found by what happens in it rather than by a row number, so it stays
/// true on a branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Anchor {
    /// The `nth` message (from 1) that `filter` matches, in the filter language.
    Message {
        filter: String,
        #[serde(default = "one_usize")]
        nth: usize,
    },
    /// The first change of /5 to this State and Result (either may be left out, not both).
    Change {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<u8>,
    },
    /// The moment the campaign begins this phase (`downloading`, `updating`, ...).
    Phase { phase: String },
    /// The `nth` bootloader event (from 1) of this kind (`validated`, `swap-started`,
    /// `sector-copied`, `jump-to-primary`, `reverted`, `upgrade-refused`, `power-lost`, ...),
    /// as the trace file names them. The device's first boot, at power-on, counts too.
    Boot {
        event: String,
        #[serde(default = "one_usize")]
        nth: usize,
    },
}

fn one() -> u32 {
    1
}

fn one_usize() -> usize {
    1
}

/// Why a lesson cannot be used; `path` names the field, as in `steps[2].anchor.filter`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    pub path: String,
    pub why: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            write!(f, "lesson is not usable: {}", self.why)
        } else {
            write!(f, "lesson is not usable at `{}`: {}", self.path, self.why)
        }
    }
}

impl Step {
    /// The field of the step's message to light: `light`, else the first field its text
    /// quotes, for a step about a message.
    pub fn lit_field(&self) -> Option<crate::filter::Field> {
        if !matches!(self.anchor, Some(Anchor::Message { .. })) {
            return None;
        }
        match &self.light {
            Some(name) => crate::filter::Field::lookup(name),
            None => super::text::quoted_fields(&self.text).into_iter().next(),
        }
    }
}

impl Lesson {
    /// Reads and checks a lesson file: what the CLI's `lesson check` and the page both call.
    pub fn from_json(text: &str) -> Result<Lesson, LessonError> {
        let lesson: Lesson = fota_sim::json_read::read(text)
            .map_err(|fota_sim::json_read::Misread { path, why }| LessonError { path, why })?;
        lesson.check()?;
        Ok(lesson)
    }

    fn check(&self) -> Result<(), LessonError> {
        let bad = |path: String, why: String| Err(LessonError { path, why });
        if self.version != 1 {
            return bad(
                "version".into(),
                format!("{} is not a version this build reads (1)", self.version),
            );
        }
        if fota_sim::Scenario::by_id(&self.scenario).is_err() {
            return bad(
                "scenario".into(),
                format!("no built-in scenario is called \"{}\"", self.scenario),
            );
        }
        if self.part.is_some_and(|p| !(1..=8).contains(&p)) {
            return bad(
                "part".into(),
                "the path has parts 1 to 8; leave `part` out for a scenario's tour".into(),
            );
        }
        if self.steps.is_empty() {
            return bad("steps".into(), "a lesson needs at least one step".into());
        }
        for (i, step) in self.steps.iter().enumerate() {
            if step.text.trim().is_empty() {
                return bad(format!("steps[{i}].text"), "the step says nothing".into());
            }
            if let Err(why) = super::text::check(&step.text, step.anchor.as_ref()) {
                return bad(format!("steps[{i}].text"), why);
            }
            if let Some(name) = &step.light {
                if crate::filter::Field::lookup(name).is_none() {
                    return bad(
                        format!("steps[{i}].light"),
                        format!("`{name}` is not a field of the filter language (docs/filters.md)"),
                    );
                }
                if !matches!(step.anchor, Some(Anchor::Message { .. })) {
                    return bad(
                        format!("steps[{i}].light"),
                        "only a step anchored to a message has fields to light".into(),
                    );
                }
            }
            if let Some(Anchor::Change {
                state: None,
                result: None,
            }) = &step.anchor
            {
                return bad(
                    format!("steps[{i}].anchor"),
                    "a change anchor names a state, a result or both".into(),
                );
            }
            if let Some(Anchor::Boot { nth: 0, .. }) = &step.anchor {
                return bad(
                    format!("steps[{i}].anchor.nth"),
                    "boot events are counted from 1".into(),
                );
            }
            if let Some(Anchor::Message { filter, nth }) = &step.anchor {
                if let Err(why) = crate::filter::parse(filter) {
                    return bad(format!("steps[{i}].anchor.filter"), why.to_string());
                }
                if *nth == 0 {
                    return bad(
                        format!("steps[{i}].anchor.nth"),
                        "messages are counted from 1".into(),
                    );
                }
            }
        }
        Ok(())
    }
}

/// The JSON Schema of lesson files, made from these types.
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Lesson);
    // A schema is plain JSON: serialising it cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
