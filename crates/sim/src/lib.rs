//! The world of the FOTA Sandbox: it owns the nodes and the network, runs them on virtual
//! time, and records every datagram in the trace.

mod branch;
mod build;
mod builtin;
pub mod chaos;
/// The copy-on-write vector of the trace and history (kept in fota-coap, whose dedup list uses
/// it too).
pub use fota_coap::cow;
pub mod energy_report;
pub mod history;
pub mod json_read;
pub mod link;
mod load;
pub mod moments;
pub mod network;
pub mod pcap;
pub mod position;
pub mod report;
pub mod scenario;
pub mod scenario_error;
mod timed_faults;
pub mod timeline;
pub mod topology;
pub mod trace;
pub mod trace_file;
mod validate;
mod validate_cost;
pub mod world;

pub use history::{BootRecord, FirmwareChange, LogEntry, PhaseRecord, Said};
#[cfg(feature = "schema")]
pub use load::json_schema;
pub use moments::Moment;
pub use position::Position;
pub use report::RunReport;
pub use scenario::{Scenario, ScenarioError};
pub use timeline::Timeline;
pub use topology::NodeId;
pub use trace::{Fate, TraceEntry};
pub use trace_file::TraceFile;
pub use world::World;
