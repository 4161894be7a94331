//! The PULL download (SPEC FU-D1 to FU-D7, FU-P2): Block2 requests to the Package URI, each
//! block written to the secondary slot as it comes, retries of a block that got no answer,
//! resuming after a reboot from the block kept in NV flash, and pre-validation of the whole
//! image before Downloaded (FU-T5).

use crate::download::{self, Download};
use crate::events::DeviceEvent;
use crate::{uri, Device};
use fota_coap::block2_client::{FetchError, FetchStep};
use fota_coap::{Packet, SimTime};
use fota_lwm2m::transitions::Trigger;
use fota_lwm2m::{FwState, UpdateResult};

impl Device {
    /// Erases the slot and fetches the image from block 0.
    pub(crate) fn start_fetch(&mut self, now: SimTime, target: uri::PackageUri) {
        self.nv_download = None;
        if !self.erase_for_download(now) {
            return;
        }
        let d = Download::new(target, self.cfg.block_size, self.boot.capacity());
        self.send_block_request(now, d);
    }

    /// The block request timed out: ask again while the retries allow (FU-D4).
    pub(crate) fn on_block_timeout(&mut self, now: SimTime) {
        let Some((d, _)) = self.download.take() else {
            return;
        };
        if self.block_retries < self.cfg.download_retries {
            self.block_retries += 1;
            self.log(
                format!(
                    "no answer for block {}: asking again ({} of {} retries)",
                    d.fetch.next_block(),
                    self.block_retries,
                    self.cfg.download_retries
                ),
                Some("FU-D4"),
            );
            self.send_block_request(now, d);
        } else {
            self.download_failed(
                now,
                UpdateResult::ConnectionLost,
                "the repository stopped answering".into(),
            );
        }
    }

    /// After a reboot in Downloading: a PULL goes on from the block kept in NV flash, a PUSH
    /// cannot and ends with Result 4 (FU-P2).
    pub(crate) fn resume_download(&mut self, now: SimTime) {
        if self.state != FwState::Downloading || self.download.is_some() {
            return;
        }
        match self.nv_download.clone() {
            Some((target, progress)) => {
                let d =
                    Download::resume(target, self.cfg.block_size, self.boot.capacity(), progress);
                let block = d.fetch.next_block();
                self.log(
                    format!(
                        "resuming the download at block {block} (byte {}), if the ETag is unchanged",
                        block as usize * d.fetch.block_size()
                    ),
                    Some("FU-P2"),
                );
                self.send_block_request(now, d);
            }
            None => self.download_failed(
                now,
                UpdateResult::ConnectionLost,
                "a reboot cut the PUSH transfer; it cannot resume".into(),
            ),
        }
    }

    fn send_block_request(&mut self, now: SimTime, d: Download) {
        let token = self
            .messenger
            .request(now, d.uri.host, d.fetch.request(), false);
        self.download = Some((d, token));
    }

    pub(crate) fn stop_download(&mut self) {
        if let Some((_, token)) = self.download.take() {
            self.messenger.forget(&token);
        }
        self.nv_download = None;
        // Deleting the partial image is best effort: whatever stays behind has no upgrade
        // request, and the next download erases the slot first.
        let _ = self.boot.erase_secondary();
    }

    /// Erases the secondary slot before a download; a flash failure ends it with Result 2
    /// (FU-D2). Returns whether the download may go on.
    pub(crate) fn erase_for_download(&mut self, now: SimTime) -> bool {
        match self.boot.erase_secondary() {
            Ok(()) => true,
            Err(e) => {
                self.download_failed(
                    now,
                    UpdateResult::NotEnoughFlash,
                    format!("erasing the slot failed: {e}"),
                );
                false
            }
        }
    }

    pub(crate) fn on_block(&mut self, now: SimTime, resp: &Packet) {
        let Some((mut d, _)) = self.download.take() else {
            return;
        };
        let resumed = std::mem::take(&mut d.resumed);
        self.block_retries = 0;
        match d.fetch.on_response(resp) {
            FetchStep::More { offset, data } => match self.boot.write_secondary(offset, &data) {
                Ok(()) => {
                    self.nv_download = Some((d.uri.clone(), d.fetch.progress()));
                    self.send_block_request(now, d)
                }
                Err(e) => self.download_failed(now, UpdateResult::NotEnoughFlash, e.to_string()),
            },
            FetchStep::Last { offset, data } => match self.boot.write_secondary(offset, &data) {
                Ok(()) => {
                    self.nv_download = None;
                    self.finish_download(now)
                }
                Err(e) => self.download_failed(now, UpdateResult::NotEnoughFlash, e.to_string()),
            },
            FetchStep::Failed(FetchError::Changed) if resumed => {
                self.log(
                    "the repository's ETag changed while the device was down: the download starts again from block 0",
                    Some("FU-P2"),
                );
                self.start_fetch(now, d.uri);
            }
            FetchStep::Failed(e) => {
                self.download_failed(now, download::result_of(&e), e.to_string())
            }
        }
    }

    pub(crate) fn download_failed(&mut self, now: SimTime, result: UpdateResult, why: String) {
        // The rule of the failure's cause, beside the state change's own (FU-T6).
        let cause = download::cause_rule(result);
        self.met(cause);
        self.log(format!("download failed: {why}"), Some(cause));
        self.apply(now, Trigger::DownloadFailed(result), None);
    }

    /// Pre-validation of the complete image before Downloaded (FU-T5).
    pub(crate) fn finish_download(&mut self, now: SimTime) {
        let verdict = self.boot.check_secondary();
        self.events.push_back(DeviceEvent::Prevalidated {
            checks: verdict.checks.clone(),
        });
        match verdict.info {
            Some(info) if self.running.is_some_and(|r| info.version <= r) => self.download_failed(
                now,
                UpdateResult::UnsupportedPackage,
                format!(
                    "image {} is not newer than the running {}",
                    info.version,
                    self.firmware_version()
                ),
            ),
            Some(info) => {
                self.log(
                    format!(
                        "image {} complete, {} bytes: hash, key, signature and security counter check out",
                        info.version, info.total_len
                    ),
                    Some("FU-T5"),
                );
                self.apply(now, Trigger::DownloadComplete, None);
            }
            None => {
                // Not ours or a downgrade is FU-D6; ours but damaged or badly signed is FU-D5.
                let result = if verdict.is_foreign_or_downgrade() {
                    UpdateResult::UnsupportedPackage
                } else {
                    UpdateResult::IntegrityFailure
                };
                self.download_failed(now, result, format!("image rejected: {verdict}"));
            }
        }
    }
}
