//! The LwM2M server (registration directory and a firmware campaign) and the firmware
//! repository, each a sans-IO node.

pub mod campaign;
mod cleanup;
mod deadlines;
mod delivery;
mod directory;
pub mod events;
mod machine;
mod observations;
pub mod operator;
mod paths;
pub mod repository;
mod requests;
mod responses;
pub mod server;
mod values;

pub use campaign::{CampaignConfig, CampaignPhase, Delivery};
pub use events::ServerEvent;
pub use operator::{OperatorOp, OperatorRequest};
pub use repository::Repository;
pub use server::Server;
