//! The LwM2M server (registration directory and a firmware campaign) and the firmware
//! repository, each a sans-IO node.

pub mod campaign;
pub mod repository;
pub mod server;

pub use campaign::{CampaignConfig, CampaignPhase};
pub use repository::Repository;
pub use server::{OperatorRequest, Server};
