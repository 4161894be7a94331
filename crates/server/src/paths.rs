//! The device's resources the campaign reads, writes, observes and executes, named once so
//! that the directory, the request queue, the delivery and the judgement agree on them.

use fota_lwm2m::{firmware, Path};

/// The Firmware Update object instance, observed for State and Update Result.
pub(crate) const FIRMWARE: Path = Path::instance(5, 0);
pub(crate) const PACKAGE: Path = Path::resource(5, 0, firmware::PACKAGE);
pub(crate) const PACKAGE_URI: Path = Path::resource(5, 0, firmware::PACKAGE_URI);
pub(crate) const UPDATE: Path = Path::resource(5, 0, firmware::UPDATE);
pub(crate) const RESULT: Path = Path::resource(5, 0, firmware::UPDATE_RESULT);
pub(crate) const PROTOCOLS: Path = Path::resource(5, 0, firmware::PROTOCOL_SUPPORT);
pub(crate) const DELIVERY: Path = Path::resource(5, 0, firmware::DELIVERY_METHOD);
/// Device: Firmware Version, which proves the update (SRV-5).
pub(crate) const VERSION: Path = Path::resource(3, 0, 3);
/// Connectivity Monitoring: Radio Signal Strength and Link Quality, which gate a PUSH (SRV-3).
pub(crate) const SIGNAL: Path = Path::resource(4, 0, 2);
pub(crate) const LINK_QUALITY: Path = Path::resource(4, 0, 3);
/// Cancel, which leaves a device that holds part or all of an image Idle (FU-T8, SRV-10).
pub(crate) const CANCEL: Path = Path::resource(5, 0, firmware::CANCEL);
