//! The filter language: a subset of Wireshark's display filters over the sandbox's trace, with
//! LwM2M fields (the /5 values a message carries) and the sandbox's own (fate, peers, rules).
//! `parse` reads it, `evaluate` runs it over a world's rows, `to_wireshark` writes the same
//! filter for the exported pcap. The browser and the CLI call these same functions.

mod ast;
mod carried;
mod eval;
mod fields;
mod lexer;
mod names;
mod parser;
mod rows;
mod show;
mod value;
mod why;
mod wireshark;

pub use ast::{CmpOp, Filter, Value};
pub use eval::evaluate;
pub use fields::{Field, Kind};
pub use parser::parse;
pub use rows::{RowFacts, Rows};
pub use why::Why;
pub use wireshark::to_wireshark;
