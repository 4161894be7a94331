//! The course layer of the FOTA Sandbox: what the browser and the CLI share above the world.
//! For now the filter language: parse a Wireshark-style display filter, evaluate it over a
//! run's trace, and translate it to a filter for the exported pcap.

pub mod challenge;
pub mod filter;
pub mod glossary;
pub mod lesson;

pub use filter::{evaluate, parse, to_wireshark, Filter, Rows, Why};
