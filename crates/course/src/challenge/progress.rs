//! A student's progress: what is solved, the fewest changes it took, how many attempts and
//! seeds. The page keeps it in localStorage under a versioned key; a progress code carries it
//! to another machine or to a workshop leader's class table. A code is plain data with a
//! check against copying mistakes, not a proof: a student can write any code.

use super::grade::Grade;
use base64::Engine;
use core::fmt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Where the page keeps progress; a new format gets a new key, so old progress is never
/// misread.
pub const STORAGE_KEY: &str = "fota-sandbox.progress.v1";

const CODE_PREFIX: &str = "FOTA1.";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub challenges: BTreeMap<String, Record>,
}

/// One challenge's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Record {
    pub solved: bool,
    /// The fewest changes a solving attempt made.
    pub best: Option<u32>,
    /// Attempts graded to the end.
    pub attempts: u32,
    /// The most seeds every goal held on in one attempt, of `seeds`.
    pub seeds_held: u64,
    pub seeds: u64,
}

/// A pasted code that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeError {
    NotACode,
    Damaged,
    Unreadable(String),
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::NotACode => write!(f, "this is not a progress code: a code starts with {CODE_PREFIX}"),
            CodeError::Damaged => write!(f, "this progress code is damaged (part of it is missing or changed): copy it again, whole"),
            CodeError::Unreadable(why) => write!(f, "this progress code cannot be read: {why}"),
        }
    }
}

/// What a code holds: a name and the progress.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Code {
    name: String,
    progress: Progress,
}

fn check_of(payload: &str) -> String {
    Sha256::digest(payload.as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Progress {
    /// Reads what the page stored; `why` names the field that is wrong.
    pub fn from_json(text: &str) -> Result<Progress, String> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Stored {
            version: u32,
            challenges: BTreeMap<String, Record>,
        }
        let stored: Stored = fota_sim::json_read::read(text).map_err(|e| e.to_string())?;
        if stored.version != 1 {
            return Err(format!("version {} is not 1", stored.version));
        }
        Ok(Progress {
            challenges: stored.challenges,
        })
    }

    pub fn to_json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(m) = v.as_object_mut() {
            m.insert("version".into(), 1.into());
        }
        v.to_string()
    }

    /// Counts a graded attempt; true when it solved the challenge for the first time.
    pub fn record(&mut self, id: &str, grade: &Grade) -> bool {
        let r = self.challenges.entry(id.to_string()).or_default();
        r.attempts += 1;
        r.seeds = grade.seeds;
        r.seeds_held = r.seeds_held.max(grade.seeds_held);
        let first = grade.solved() && !r.solved;
        if grade.solved() {
            r.solved = true;
            r.best = Some(r.best.map_or(grade.changes, |b| b.min(grade.changes)));
        }
        first
    }

    /// Takes in progress from elsewhere (a pasted code): solved stays solved, the best and the
    /// most seeds are kept, attempts are the larger count.
    pub fn merge(&mut self, other: &Progress) {
        for (id, o) in &other.challenges {
            let r = self.challenges.entry(id.clone()).or_default();
            r.solved |= o.solved;
            r.best = match (r.best, o.best) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            r.attempts = r.attempts.max(o.attempts);
            if o.seeds_held >= r.seeds_held {
                r.seeds_held = o.seeds_held;
                r.seeds = o.seeds;
            }
        }
    }

    pub fn solved(&self) -> usize {
        self.challenges.values().filter(|r| r.solved).count()
    }

    /// The progress as one line of text to copy, with the student's name.
    pub fn code(&self, name: &str) -> String {
        let json = serde_json::to_string(&Code {
            name: name.trim().to_string(),
            progress: self.clone(),
        })
        .unwrap_or_default();
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let check = check_of(&payload);
        format!("{CODE_PREFIX}{payload}.{check}")
    }

    /// The name and progress a code carries; spaces and line breaks in it are ignored.
    pub fn from_code(code: &str) -> Result<(String, Progress), CodeError> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let rest = code.strip_prefix(CODE_PREFIX).ok_or(CodeError::NotACode)?;
        let (payload, check) = rest.rsplit_once('.').ok_or(CodeError::Damaged)?;
        if check_of(payload) != check {
            return Err(CodeError::Damaged);
        }
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| CodeError::Damaged)?;
        let text = String::from_utf8(json).map_err(|_| CodeError::Damaged)?;
        let c: Code =
            fota_sim::json_read::read(&text).map_err(|e| CodeError::Unreadable(e.to_string()))?;
        Ok((c.name, c.progress))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenge::GoalGrade;

    fn graded(solved: bool, changes: u32) -> Grade {
        Grade {
            goals: vec![GoalGrade {
                held: u64::from(solved),
                seeds: 1,
                told: String::new(),
                failed_on: None,
            }],
            changes,
            seeds_run: 1,
            seeds: 1,
            seeds_held: u64::from(solved),
        }
    }

    #[test]
    fn attempts_best_and_a_first_solve_are_recorded() {
        let mut p = Progress::default();
        assert!(!p.record("result-7", &graded(false, 0)));
        assert!(p.record("result-7", &graded(true, 3)));
        assert!(!p.record("result-7", &graded(true, 1)));
        let r = &p.challenges["result-7"];
        assert_eq!((r.solved, r.best, r.attempts), (true, Some(1), 3));
        assert_eq!(Progress::from_json(&p.to_json()).unwrap(), p);
    }

    #[test]
    fn a_code_carries_name_and_progress_and_a_damaged_one_is_told() {
        let mut p = Progress::default();
        p.record("result-7", &graded(true, 1));
        let code = p.code("Ada Lovelace");
        let (name, back) = Progress::from_code(&format!("  {code}\n")).unwrap();
        assert_eq!((name.as_str(), &back), ("Ada Lovelace", &p));
        let cut = &code[..code.len() - 12];
        assert_eq!(Progress::from_code(cut), Err(CodeError::Damaged));
        assert_eq!(Progress::from_code("hello"), Err(CodeError::NotACode));
    }

    #[test]
    fn stored_progress_of_another_version_or_shape_is_refused_naming_the_field() {
        assert!(Progress::from_json(r#"{"version": 2, "challenges": {}}"#)
            .unwrap_err()
            .contains("version 2"));
        let e = Progress::from_json(r#"{"version": 1, "challenges": {"a": {"solved": 3}}}"#)
            .unwrap_err();
        assert!(e.contains("challenges.a.solved"), "{e}");
    }

    #[test]
    fn merging_keeps_solved_the_best_and_the_most_attempts() {
        let mut a = Progress::default();
        a.record("x", &graded(true, 4));
        let mut b = Progress::default();
        b.record("x", &graded(false, 0));
        b.record("x", &graded(true, 2));
        b.record("y", &graded(false, 0));
        a.merge(&b);
        assert_eq!(a.challenges["x"].best, Some(2));
        assert_eq!(a.challenges["x"].attempts, 2);
        assert_eq!(a.solved(), 1);
        assert!(a.challenges.contains_key("y"));
    }
}
