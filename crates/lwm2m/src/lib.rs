//! The LwM2M vocabulary shared by the device, the server and the UI.

pub mod attributes;
pub mod cbor;
pub mod content;
pub mod definitions;
pub mod execute;
pub mod explain;
pub mod firmware;
pub mod node;
pub mod objects;
mod operation;
pub mod path;
pub mod register;
pub mod rules;
pub mod senml;
mod senml_text;
pub mod tlv;
mod tlv_text;
pub mod transitions;
mod triggers;

pub use explain::{explain, Explanation};
pub use firmware::{FwState, UpdateResult};
pub use node::{Fact, Node, NodeEvent};
pub use path::Path;
