use core::fmt;
use serde::{Deserialize, Serialize};

/// What the operator asked for: which image to deliver and which version proves success.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignConfig {
    pub package_uri: String,
    pub target_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignPhase {
    WaitingForDevice,
    /// Reading the device's version and subscribing to its firmware state.
    Preparing,
    Downloading,
    Updating,
    /// The device registered again after the update; checking Result and version.
    Verifying,
    Succeeded,
    Failed(String),
}

impl CampaignPhase {
    pub fn is_over(&self) -> bool {
        matches!(self, CampaignPhase::Succeeded | CampaignPhase::Failed(_))
    }
}

impl fmt::Display for CampaignPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CampaignPhase::WaitingForDevice => write!(f, "waiting for the device to register"),
            CampaignPhase::Preparing => write!(f, "reading the device"),
            CampaignPhase::Downloading => write!(f, "device downloading"),
            CampaignPhase::Updating => write!(f, "device updating"),
            CampaignPhase::Verifying => write!(f, "verifying the new firmware"),
            CampaignPhase::Succeeded => write!(f, "succeeded"),
            CampaignPhase::Failed(why) => write!(f, "failed: {why}"),
        }
    }
}
