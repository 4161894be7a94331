//! A fuzz harness on stable Rust: inputs from the built-in scenarios' runs, mutated by a
//! seeded mutator, into every decoder of the project and into the device, the server and the
//! repository at moments along the scenarios; panics are caught and reported with their input.
//!
//! `corpus` collects the inputs, `mutate` changes them (`layout` splits a CoAP message for
//! the option mutators), `snapshots` takes the worlds, `decoders` and `nodes` are the
//! targets (`target` lists them), `catch` catches a panic, `campaign` runs executions and
//! `report` counts them and keeps the findings.

mod campaign;
mod catch;
pub mod corpus;
pub mod decoders;
pub mod layout;
pub mod mutate;
pub mod nodes;
pub mod report;
pub mod snapshots;
pub mod target;

pub use campaign::{exec_seed, Execution, Fuzzer};
pub use catch::{catch, quiet_panics};
pub use mutate::Mutator;
pub use report::{Finding, Report};
pub use target::Target;
