//! Object 5 (Firmware Update) vocabulary: resource ids, State and Update Result.

use serde::{Deserialize, Serialize};

pub const OBJECT: u16 = 5;
pub const PACKAGE: u16 = 0;
pub const PACKAGE_URI: u16 = 1;
pub const UPDATE: u16 = 2;
pub const STATE: u16 = 3;
pub const UPDATE_RESULT: u16 = 5;
pub const PKG_NAME: u16 = 6;
pub const PKG_VERSION: u16 = 7;
pub const PROTOCOL_SUPPORT: u16 = 8;
pub const DELIVERY_METHOD: u16 = 9;
pub const CANCEL: u16 = 10;

/// /5/0/8 value for CoAP (RFC 7252).
pub const PROTOCOL_COAP: u8 = 0;
/// /5/0/9: 0 pull only, 1 push only, 2 both.
pub const DELIVERY_PULL: u8 = 0;
pub const DELIVERY_PUSH: u8 = 1;
pub const DELIVERY_BOTH: u8 = 2;

/// What /5/0/9 Firmware Update Delivery Method offers: `pull`, `push` or `both`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeliveryMethod {
    Pull,
    Push,
    #[default]
    Both,
}

impl DeliveryMethod {
    /// The /5/0/9 value.
    pub fn code(self) -> u8 {
        match self {
            DeliveryMethod::Pull => DELIVERY_PULL,
            DeliveryMethod::Push => DELIVERY_PUSH,
            DeliveryMethod::Both => DELIVERY_BOTH,
        }
    }
}

/// /5/0/3 State.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FwState {
    Idle = 0,
    Downloading = 1,
    Downloaded = 2,
    Updating = 3,
}

impl FwState {
    pub const ALL: [FwState; 4] = [
        FwState::Idle,
        FwState::Downloading,
        FwState::Downloaded,
        FwState::Updating,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<FwState> {
        FwState::ALL.get(usize::from(code)).copied()
    }

    pub fn name(self) -> &'static str {
        match self {
            FwState::Idle => "Idle",
            FwState::Downloading => "Downloading",
            FwState::Downloaded => "Downloaded",
            FwState::Updating => "Updating",
        }
    }
}

/// /5/0/5 Update Result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UpdateResult {
    Initial = 0,
    Success = 1,
    NotEnoughFlash = 2,
    OutOfRam = 3,
    ConnectionLost = 4,
    IntegrityFailure = 5,
    UnsupportedPackage = 6,
    InvalidUri = 7,
    UpdateFailed = 8,
    UnsupportedProtocol = 9,
    Cancelled = 10,
    Deferred = 11,
}

impl UpdateResult {
    pub const ALL: [UpdateResult; 12] = [
        UpdateResult::Initial,
        UpdateResult::Success,
        UpdateResult::NotEnoughFlash,
        UpdateResult::OutOfRam,
        UpdateResult::ConnectionLost,
        UpdateResult::IntegrityFailure,
        UpdateResult::UnsupportedPackage,
        UpdateResult::InvalidUri,
        UpdateResult::UpdateFailed,
        UpdateResult::UnsupportedProtocol,
        UpdateResult::Cancelled,
        UpdateResult::Deferred,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<UpdateResult> {
        UpdateResult::ALL.get(usize::from(code)).copied()
    }

    pub fn name(self) -> &'static str {
        match self {
            UpdateResult::Initial => "Initial value",
            UpdateResult::Success => "Firmware updated successfully",
            UpdateResult::NotEnoughFlash => "Not enough flash memory",
            UpdateResult::OutOfRam => "Out of RAM during download",
            UpdateResult::ConnectionLost => "Connection lost during download",
            UpdateResult::IntegrityFailure => "Integrity check failure",
            UpdateResult::UnsupportedPackage => "Unsupported package type",
            UpdateResult::InvalidUri => "Invalid URI",
            UpdateResult::UpdateFailed => "Firmware update failed",
            UpdateResult::UnsupportedProtocol => "Unsupported protocol",
            UpdateResult::Cancelled => "Firmware update cancelled",
            UpdateResult::Deferred => "Firmware update deferred",
        }
    }

    /// What the Result says happened, as the end of a sentence for a student.
    pub fn in_words(self) -> &'static str {
        match self {
            UpdateResult::Initial => "nothing has been tried yet, or the last attempt was reset",
            UpdateResult::Success => "the new firmware is installed and running",
            UpdateResult::NotEnoughFlash => "there was not enough flash for the image",
            UpdateResult::OutOfRam => "the device ran out of RAM during the download",
            UpdateResult::ConnectionLost => "the connection was lost during the download",
            UpdateResult::IntegrityFailure => "the image failed its integrity or signature check",
            UpdateResult::UnsupportedPackage => {
                "the package is not one the device takes (not its image, or not newer)"
            }
            UpdateResult::InvalidUri => "the Package URI could not be used",
            UpdateResult::UpdateFailed => {
                "installing the new firmware failed, and the old one runs"
            }
            UpdateResult::UnsupportedProtocol => {
                "the Package URI's protocol is not one the device speaks"
            }
            UpdateResult::Cancelled => "the update was cancelled",
            UpdateResult::Deferred => "the device's user put the update off",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in FwState::ALL {
            assert_eq!(FwState::from_code(s.code()), Some(s));
        }
        for (i, r) in UpdateResult::ALL.iter().enumerate() {
            assert_eq!(usize::from(r.code()), i);
            assert_eq!(UpdateResult::from_code(r.code()), Some(*r));
        }
        assert_eq!(FwState::from_code(4), None);
        assert_eq!(UpdateResult::from_code(12), None);
    }
}
