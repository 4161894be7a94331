//! The parsed filter: plain data (serde) so the browser can keep, show or send it.

use super::fields::Field;
pub use super::lexer::CmpOp;
use serde::Serialize;

/// A value a field is compared with, already resolved for that field: `2.31` and `Continue`
/// are both `Number(95)` for `coap.code`, `ca:fe` is `Bytes` for `coap.token`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Number(u64),
    Text(String),
    Bytes(Vec<u8>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Filter {
    And {
        left: Box<Filter>,
        right: Box<Filter>,
    },
    Or {
        left: Box<Filter>,
        right: Box<Filter>,
    },
    Not {
        inner: Box<Filter>,
    },
    /// A bare field: the row has it.
    Present {
        field: Field,
        at: usize,
    },
    Compare {
        field: Field,
        op: CmpOp,
        value: Value,
        /// Where the field is written, for messages about it.
        at: usize,
    },
    /// Plain text, searched in the row's label (case-insensitive).
    Text {
        text: String,
        at: usize,
    },
}

impl Filter {
    /// True when some part of the filter satisfies `test`: the evaluator asks this to skip
    /// work no part needs (explaining every row, collecting rules).
    pub fn any(&self, test: &impl Fn(&Filter) -> bool) -> bool {
        test(self)
            || match self {
                Filter::And { left, right } | Filter::Or { left, right } => {
                    left.any(test) || right.any(test)
                }
                Filter::Not { inner } => inner.any(test),
                _ => false,
            }
    }

    /// Whether the filter names `field`.
    pub fn uses(&self, field: Field) -> bool {
        self.any(&|f| {
            matches!(f, Filter::Present { field: g, .. } | Filter::Compare { field: g, .. } if *g == field)
        })
    }

    /// Whether the filter searches plain text.
    pub fn searches_text(&self) -> bool {
        self.any(&|f| matches!(f, Filter::Text { .. }))
    }
}
