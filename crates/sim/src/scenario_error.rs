//! Why a scenario cannot be used, naming the field it is about.

use core::fmt;

/// Why a scenario cannot be used. `path` names the field, as in `device.block_size` or
/// `faults[2].row`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// No built-in scenario has this id; `known` lists those that do.
    Unknown { id: String, known: Vec<String> },
    /// The text is not a scenario of this format.
    Parse { path: String, why: String },
    /// It reads as a scenario but a value cannot be used.
    Invalid { path: String, why: String },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |path: &str| {
            if path.is_empty() || path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            }
        };
        match self {
            ScenarioError::Unknown { id, known } => {
                write!(
                    f,
                    "no scenario named \"{id}\" (known: {})",
                    known.join(", ")
                )
            }
            ScenarioError::Parse { path, why } => {
                write!(f, "scenario file is not valid{}: {why}", at(path))
            }
            ScenarioError::Invalid { path, why } => {
                write!(f, "scenario is not usable{}: {why}", at(path))
            }
        }
    }
}
