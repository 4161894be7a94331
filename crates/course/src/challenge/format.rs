//! The challenge file: what it names and how it is read. Errors name the field, as lesson and
//! scenario errors do.

use core::fmt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// The format's version: 1.
    pub version: u32,
    pub id: String,
    pub title: String,
    /// The lesson it belongs to, by id.
    #[serde(default)]
    pub lesson: Option<String>,
    /// The built-in scenario it starts from.
    pub scenario: String,
    /// Changes the challenge itself makes to the scenario before the student starts (a merge
    /// patch); the student cannot undo them unless `may_change` allows it.
    #[serde(default = "empty_patch")]
    pub start: Value,
    /// The task, as the student reads it while working.
    pub task: String,
    /// The scenario paths the student may change, dotted: `network`, `server.method`,
    /// `device.download_retries`, `faults`. A path allows everything under it.
    pub may_change: Vec<String>,
    pub goals: Vec<Goal>,
    /// The fewest changes that solve it: each setting changed counts one, each fault or
    /// operator request added counts one. A student's best is compared with it.
    pub par: u32,
    /// Every goal must hold on each of these seeds; absent, on the scenario's own seed.
    #[serde(default)]
    pub seeds: Option<Seeds>,
    /// Revealed one at a time.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Shown once solved: why the solution works.
    pub explanation: String,
    /// A set of changes that solves it (a merge patch of the started scenario).
    pub solution: Value,
}

fn empty_patch() -> Value {
    Value::Object(Default::default())
}

/// Seeds `from`, `from + 1`, ... `from + count - 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Seeds {
    pub from: u64,
    pub count: u64,
}

/// What must hold at the end of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Goal {
    /// The final /5/0/3 State, /5/0/5 Update Result, /3/0/3 and the campaign's verdict
    /// (`succeeded`, `succeeded (late)`, `failed`); what is left out is not checked.
    Outcome {
        #[serde(default)]
        state: Option<u8>,
        #[serde(default)]
        result: Option<u8>,
        #[serde(default)]
        firmware_version: Option<String>,
        #[serde(default)]
        campaign: Option<String>,
    },
    /// A display filter (docs/filters.md) that some datagram must match, or with `never`
    /// that none may; `says` is the goal in words ("a 4.08 was sent").
    Trace {
        filter: String,
        #[serde(default)]
        never: bool,
        says: String,
    },
    /// A moment of the run, named as a lesson step names one (docs/lessons.md): a change of
    /// /5, a campaign phase, a bootloader event, a message; it must happen, or with `never`
    /// it must not. What the device did between datagrams (a swap resumed after a power cut)
    /// is graded this way.
    Moment {
        anchor: crate::lesson::Anchor,
        #[serde(default)]
        never: bool,
        says: String,
    },
    /// The student picks the message that answers `question` on the ladder; a pick is right
    /// when `answer` (a filter) matches it. `wrong` says why a tempting wrong pick is wrong,
    /// the first whose filter matches it. A pick is graded on the run shown, one seed.
    Pick {
        question: String,
        answer: String,
        /// Why the right message answers it, shown once picked.
        says: String,
        #[serde(default)]
        wrong: Vec<WrongPick>,
    },
    /// At most this many datagrams, bytes sent (every datagram's CoAP bytes, by every node),
    /// bytes of the image from the repository, virtual seconds, or millijoules the device
    /// spent (its energy meter: radio, listening, flash, CPU; docs/energy.md).
    Budget {
        #[serde(default)]
        max_datagrams: Option<usize>,
        #[serde(default)]
        max_bytes_sent: Option<usize>,
        #[serde(default)]
        max_bytes_fetched: Option<usize>,
        #[serde(default)]
        max_virtual_s: Option<u64>,
        #[serde(default)]
        max_energy_mj: Option<u64>,
    },
}

/// What to tell a student who picked a message this filter matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WrongPick {
    pub filter: String,
    pub why: String,
}

/// A challenge file that cannot be used: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeError {
    pub path: String,
    pub why: String,
}

impl fmt::Display for ChallengeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "challenge is not usable: {}", self.why)
        } else {
            write!(
                f,
                "challenge is not usable at `{}`: {}",
                self.path, self.why
            )
        }
    }
}

impl Challenge {
    /// Reads and checks a challenge file: what the CLI and the page both call.
    pub fn from_json(text: &str) -> Result<Challenge, ChallengeError> {
        let c: Challenge = fota_sim::json_read::read(text)
            .map_err(|fota_sim::json_read::Misread { path, why }| ChallengeError { path, why })?;
        c.check()?;
        Ok(c)
    }

    fn check(&self) -> Result<(), ChallengeError> {
        let bad = |path: String, why: String| Err(ChallengeError { path, why });
        if self.version != 1 {
            return bad("version".into(), format!("{} is not 1", self.version));
        }
        if let Err(e) = fota_sim::Scenario::by_id(&self.scenario) {
            return bad("scenario".into(), e.to_string());
        }
        if self.goals.is_empty() {
            return bad("goals".into(), "a challenge needs at least one goal".into());
        }
        if let Some(lesson) = &self.lesson {
            if crate::lesson::by_id(lesson).is_none() {
                return bad(
                    "lesson".into(),
                    format!("\"{lesson}\" is not a built-in lesson"),
                );
            }
        }
        let several_seeds = self.seeds.is_some_and(|s| s.count > 1);
        for (i, g) in self.goals.iter().enumerate() {
            let filters: Vec<(String, &String)> = match g {
                Goal::Trace { filter, .. } => vec![("filter".into(), filter)],
                Goal::Moment { anchor, .. } => match anchor {
                    crate::lesson::Anchor::Message { filter, nth } if *nth > 0 => {
                        vec![("anchor.filter".into(), filter)]
                    }
                    crate::lesson::Anchor::Change {
                        state: None,
                        result: None,
                    } => {
                        return bad(
                            format!("goals[{i}].anchor"),
                            "a change anchor names a state, a result or both".into(),
                        )
                    }
                    crate::lesson::Anchor::Boot { nth: 0, .. }
                    | crate::lesson::Anchor::Message { nth: 0, .. } => {
                        return bad(format!("goals[{i}].anchor.nth"), "counted from 1".into())
                    }
                    _ => Vec::new(),
                },
                Goal::Pick { answer, wrong, .. } => {
                    if several_seeds {
                        return bad(
                            format!("goals[{i}]"),
                            "a pick is graded on the run shown: give the challenge one seed".into(),
                        );
                    }
                    std::iter::once(("answer".into(), answer))
                        .chain(
                            wrong
                                .iter()
                                .enumerate()
                                .map(|(w, p)| (format!("wrong[{w}].filter"), &p.filter)),
                        )
                        .collect()
                }
                _ => Vec::new(),
            };
            for (field, filter) in filters {
                if let Err(why) = crate::filter::parse(filter) {
                    return bad(format!("goals[{i}].{field}"), why.to_string());
                }
            }
        }
        if let Some(s) = self.seeds {
            if s.count == 0 || s.count > 1000 {
                return bad(
                    "seeds.count".into(),
                    format!("{} is not 1 to 1000", s.count),
                );
            }
        }
        if self.hints.len() > 3 {
            return bad(
                "hints".into(),
                format!(
                    "{} hints: at most three, revealed one at a time",
                    self.hints.len()
                ),
            );
        }
        for (kind, patch) in [("start", &self.start), ("solution", &self.solution)] {
            if !patch.is_object() {
                return bad(
                    kind.into(),
                    "must be an object of scenario fields (a merge patch)".into(),
                );
            }
        }
        for path in super::touched(&self.solution) {
            if !allows(&self.may_change, &path) {
                return bad(
                    "solution".into(),
                    format!("changes `{path}`, which `may_change` does not allow"),
                );
            }
        }
        let started = super::started(self)?;
        super::apply(&started, &self.solution, "solution")?;
        let needs = super::count_changes(&started, &self.solution);
        if needs > self.par {
            return bad(
                "par".into(),
                format!(
                    "{} is fewer than the {needs} changes of the solution",
                    self.par
                ),
            );
        }
        Ok(())
    }

    /// The seeds every goal must hold on, in order; the first is the run the page shows.
    pub fn seed_list(&self, scenario_seed: u64) -> Vec<u64> {
        match self.seeds {
            Some(s) => (s.from..s.from.saturating_add(s.count)).collect(),
            None => vec![scenario_seed],
        }
    }

    /// Whether the student may change `path`.
    pub fn allows(&self, path: &str) -> bool {
        allows(&self.may_change, path)
    }
}

fn allows(may: &[String], path: &str) -> bool {
    may.iter().any(|m| {
        path == m
            || path
                .strip_prefix(m.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The JSON Schema of challenge files, made from these types.
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Challenge);
    // A schema is plain JSON: serialising it cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
