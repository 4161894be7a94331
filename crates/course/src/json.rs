//! Reading a JSON file of the course layer (a lesson, a challenge, stored progress): a field that
//! is wrong is named by its path, and text after the document is refused, since it is a damaged
//! or pasted-together file.

use serde::de::DeserializeOwned;

/// Where in the document the text is wrong (empty for the document as a whole), and why.
pub(crate) struct Misread {
    pub path: String,
    pub why: String,
}

pub(crate) fn read<T: DeserializeOwned>(text: &str) -> Result<T, Misread> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut *de).map_err(|e| Misread {
        path: e.path().to_string(),
        why: e.inner().to_string(),
    })?;
    de.end().map_err(|e| Misread {
        path: String::new(),
        why: e.to_string(),
    })?;
    Ok(value)
}

/// "at `challenges.a.solved`: invalid type …", or the reason alone for the whole document.
impl core::fmt::Display for Misread {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.path.is_empty() || self.path == "." {
            f.write_str(&self.why)
        } else {
            write!(f, "at `{}`: {}", self.path, self.why)
        }
    }
}
