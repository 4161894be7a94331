//! The PULL downloader: a Block2 fetch of the Package URI into the secondary slot, with each
//! way it can fail mapped to its Update Result (SPEC §3).

use crate::uri::PackageUri;
use fota_coap::block2_client::{Block2Fetch, FetchError, FetchProgress};
use fota_coap::{MessageClass, ResponseType};
use fota_lwm2m::UpdateResult;

#[derive(Clone, Debug)]
pub struct Download {
    pub uri: PackageUri,
    pub fetch: Block2Fetch,
    /// Resumed after a reboot and no block received yet: a changed ETag restarts it (FU-P2).
    pub resumed: bool,
}

impl Download {
    pub fn new(uri: PackageUri, block_size: usize, slot_size: usize) -> Download {
        let fetch = Block2Fetch::new(&uri.path, block_size, slot_size);
        Download {
            uri,
            fetch,
            resumed: false,
        }
    }

    pub fn resume(
        uri: PackageUri,
        block_size: usize,
        slot_size: usize,
        progress: FetchProgress,
    ) -> Download {
        let fetch = Block2Fetch::resume(&uri.path, block_size, slot_size, progress);
        Download {
            uri,
            fetch,
            resumed: true,
        }
    }
}

/// The Update Result a failed fetch ends with.
/// The rule that says why a download ends with `result` (FU-D2 to FU-D7); FU-T6, the change
/// back to Idle, for a Result no download rule names.
pub fn cause_rule(result: UpdateResult) -> &'static str {
    match result {
        UpdateResult::NotEnoughFlash => "FU-D2",
        UpdateResult::OutOfRam => "FU-D3",
        UpdateResult::ConnectionLost => "FU-D4",
        UpdateResult::IntegrityFailure => "FU-D5",
        UpdateResult::UnsupportedPackage => "FU-D6",
        UpdateResult::InvalidUri => "FU-D7",
        _ => "FU-T6",
    }
}

pub fn result_of(e: &FetchError) -> UpdateResult {
    match e {
        // FU-D7: the repository does not have it (4.04), or refuses it.
        FetchError::Status(MessageClass::Response(ResponseType::NotFound))
        | FetchError::Status(_) => UpdateResult::InvalidUri,
        // FU-D2: it would not fit the slot.
        FetchError::TooLarge { .. } => UpdateResult::NotEnoughFlash,
        // FU-D4: the transfer broke (BW-6 and block order).
        FetchError::Changed | FetchError::BadBlock(_) => UpdateResult::ConnectionLost,
    }
}
