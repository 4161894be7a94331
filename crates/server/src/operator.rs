//! What an operator asks the server to do: the one spelling that a scenario's timeline, the
//! UI's operator panel and the server share. In a scenario file it reads
//! `{"op": "write", "path": "/5/0/1", "value": "coap://..."}`.

use fota_lwm2m::path::text;
use fota_lwm2m::Path;
use serde::{Deserialize, Serialize};

/// The operation: `read`, `write`, `execute`, `observe`, `write-attributes` or `push`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum OperatorOp {
    /// Read the path.
    Read,
    /// Write `value`, as text, to the resource.
    Write,
    /// Execute the resource (/5/0/2 Update, /5/0/10 Cancel).
    Execute,
    /// Observe the path.
    Observe,
    /// Write-Attributes: `value` such as `pmin=5&gt=-80`.
    WriteAttributes,
    /// Write the campaign's image to /5/0/0 now, whatever the radio says (the path is not
    /// used).
    Push,
}

impl OperatorOp {
    pub const ALL: [OperatorOp; 6] = [
        OperatorOp::Read,
        OperatorOp::Write,
        OperatorOp::Execute,
        OperatorOp::Observe,
        OperatorOp::WriteAttributes,
        OperatorOp::Push,
    ];

    /// The name a scenario file gives it.
    pub fn name(self) -> &'static str {
        match self {
            OperatorOp::Read => "read",
            OperatorOp::Write => "write",
            OperatorOp::Execute => "execute",
            OperatorOp::Observe => "observe",
            OperatorOp::WriteAttributes => "write-attributes",
            OperatorOp::Push => "push",
        }
    }

    pub fn parse(name: &str) -> Option<OperatorOp> {
        OperatorOp::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Whether `value` means something for this operation.
    pub fn takes_value(self) -> bool {
        matches!(self, OperatorOp::Write | OperatorOp::WriteAttributes)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OperatorRequest {
    pub op: OperatorOp,
    /// `/o`, `/o/i` or `/o/i/r`.
    #[serde(with = "text")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub path: Path,
    /// What `write` writes, or the attributes of `write-attributes`.
    #[serde(default)]
    pub value: String,
}

impl OperatorRequest {
    /// The field names, as a scenario file spells them.
    pub const FIELDS: [&'static str; 3] = ["op", "path", "value"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_reads_by_its_name() {
        for op in OperatorOp::ALL {
            let text = format!("\"{}\"", op.name());
            assert_eq!(serde_json::from_str::<OperatorOp>(&text).ok(), Some(op));
            assert_eq!(OperatorOp::parse(op.name()), Some(op));
        }
    }
}
