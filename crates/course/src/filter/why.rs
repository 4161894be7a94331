//! Why a filter was refused: a plain-words reason, the character it points at (counted from 1,
//! as a student counts), and a hint when we can guess what was meant.

use core::fmt;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Why {
    /// What is wrong, e.g. "unknown field `coap.tpye`".
    pub what: String,
    /// The character position (1 = the first character of the filter).
    pub at: usize,
    /// What the student probably meant, e.g. "did you mean `coap.type`?".
    pub hint: Option<String>,
}

impl Why {
    pub fn new(what: impl Into<String>, at: usize) -> Why {
        Why {
            what: what.into(),
            at,
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Why {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.what, self.at)?;
        if let Some(h) = &self.hint {
            write!(f, ": {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Why {}

/// The candidate closest to `word` (case-insensitive edit distance), when it is close enough
/// to be a likely typo: at most a third of the word's length, and never more than 3 edits.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (distance(&word, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, with a swap of two neighbours counted as one edit (`tpye`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_a_sentence_with_position_and_hint() {
        let w = Why::new("unknown field `coap.tpye`", 1).hint("did you mean `coap.type`?");
        assert_eq!(
            w.to_string(),
            "unknown field `coap.tpye` at 1: did you mean `coap.type`?"
        );
    }

    #[test]
    fn suggests_near_words_only() {
        let fields = ["coap.type", "coap.code", "fate"];
        assert_eq!(closest("coap.tpye", fields), Some("coap.type"));
        assert_eq!(closest("FAET", fields), Some("fate"));
        assert_eq!(closest("banana", fields), None);
    }
}
