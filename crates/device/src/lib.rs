//! The device: an LwM2M client with the /5 Firmware Update object, a PULL downloader and a
//! bootloader, as one sans-IO node.

pub mod config;
pub mod download;
pub mod fsm;
mod observation;
mod push;
mod registration;
mod resources;
pub mod uri;
mod write;

pub use config::DeviceConfig;

use download::Download;
use fota_bootloader::{Behaviour, BootOutcome, Bootloader, ImageVersion};
use fota_coap::block1::Block1Receiver;
use fota_coap::block2_client::{FetchError, FetchProgress, FetchStep};
use fota_coap::message::{self, set_content_format};
use fota_coap::messenger::Token;
use fota_coap::{
    Addr, CoapEvent, CoapOption, Datagram, MessageClass, Messenger, Packet, RequestType,
    ResponseType, SimRng, SimTime,
};
use fota_lwm2m::attributes::NotificationAttributes;
use fota_lwm2m::{firmware, FwState, Node, NodeEvent, Path, UpdateResult};
use fsm::{BootVerdict, Outcome, Trigger, UriKind};
use observation::Observer;
use registration::Registration;
use std::collections::VecDeque;

/// How long after boot a crashing image takes the device down (the watchdog's reset).
const CRASH_RESET_MS: u64 = 300;
/// The watchdog's timeout: a hung image is reset after this.
const WATCHDOG_MS: u64 = 8_000;
/// How long after registering an image that fails its health check is reset unconfirmed.
pub(crate) const HEALTH_CHECK_MS: u64 = 3_000;

/// Time between the 2.04 to Execute Update and the reboot, so that the answer and the
/// State=3 notification leave the device first (FU-T9).
const REBOOT_DELAY_MS: u64 = 1_000;

#[derive(Clone, Debug)]
enum Power {
    Booting {
        until: SimTime,
    },
    Running,
    /// Nothing bootable: the device stays silent.
    Halted,
}

#[derive(Clone, Debug)]
pub struct Device {
    cfg: DeviceConfig,
    rng: SimRng,
    messenger: Messenger,
    boot: Bootloader,
    power: Power,
    registration: Registration,
    reboot_at: Option<SimTime>,
    state: FwState,
    result: UpdateResult,
    package_uri: String,
    last_state_change: SimTime,
    /// The time of the latest input, for /3/0/13 Current Time.
    clock: SimTime,
    running: Option<ImageVersion>,
    /// The running image was just upgraded and has not confirmed itself yet.
    awaiting_confirm: bool,
    /// How the running image behaves, from its manifest.
    behaviour: Behaviour,
    /// The user has deferred an update once already.
    deferred_once: bool,
    /// When a deferred update starts by itself.
    defer_until: Option<SimTime>,
    download: Option<(Download, Token)>,
    /// Requests for the current block that timed out so far (FU-D4).
    block_retries: u32,
    /// Where a PULL download got, kept in NV flash block by block so that a reboot can
    /// resume it (FU-P2).
    nv_download: Option<(uri::PackageUri, FetchProgress)>,
    /// /3 and /4 samples already applied.
    samples_applied: usize,
    push: Block1Receiver,
    observers: Vec<Observer>,
    /// Notification attributes written by the server, per path.
    attributes: Vec<(Path, NotificationAttributes)>,
    events: VecDeque<NodeEvent>,
}

impl Device {
    /// A device that powers on at time 0 with its factory image.
    pub fn new(mut cfg: DeviceConfig, mut rng: SimRng) -> Device {
        let messenger = Messenger::new(cfg.addr, rng.fork(1));
        let mut boot = Bootloader::with_geometry(
            cfg.strategy,
            cfg.slot_size,
            cfg.flash_align,
            cfg.flash_erased,
            &cfg.factory_image,
        );
        // It is in flash now: a world's checkpoints need not copy it again.
        cfg.factory_image = Vec::new();
        // The factory image left the factory confirmed: its security counter is in NV flash.
        boot.confirm();
        boot.take_log();
        let push = Block1Receiver::new(boot.capacity(), cfg.download_buffer);
        let power = Power::Booting {
            until: SimTime(cfg.boot_ms),
        };
        Device {
            cfg,
            rng,
            messenger,
            boot,
            power,
            registration: Registration::None { retry_at: None },
            reboot_at: None,
            state: FwState::Idle,
            result: UpdateResult::Initial,
            package_uri: String::new(),
            last_state_change: SimTime::ZERO,
            clock: SimTime::ZERO,
            running: None,
            awaiting_confirm: false,
            behaviour: Behaviour::Healthy,
            deferred_once: false,
            defer_until: None,
            download: None,
            block_retries: 0,
            nv_download: None,
            samples_applied: 0,
            push,
            observers: Vec::new(),
            attributes: Vec::new(),
            events: VecDeque::new(),
        }
    }

    pub fn fw_state(&self) -> FwState {
        self.state
    }

    pub fn fw_result(&self) -> UpdateResult {
        self.result
    }

    /// /3/0/3: the version of the running image ("" before the first boot).
    pub fn firmware_version(&self) -> String {
        self.running.map(|v| v.to_string()).unwrap_or_default()
    }

    /// True while the device has work in progress: an unacknowledged message, a download, a
    /// pending reboot or registration.
    pub fn is_busy(&self) -> bool {
        self.messenger.is_busy()
            || self.download.is_some()
            || self.reboot_at.is_some()
            || !matches!(self.power, Power::Running | Power::Halted)
            || self.registration.in_progress()
    }

    pub fn is_registered(&self) -> bool {
        self.registration.location().is_some()
    }

    /// The server's Location-Path for this device's registration, once registered.
    pub fn registration_location(&self) -> Option<&str> {
        self.registration.location()
    }

    /// The /3 and /4 values in force now.
    pub fn sample_now(&self) -> config::Sample {
        self.sample()
    }

    pub fn bootloader(&self) -> &Bootloader {
        &self.boot
    }

    fn log(&mut self, text: impl Into<String>, rule: Option<&'static str>) {
        self.events.push_back(NodeEvent::Log {
            text: text.into(),
            rule,
        });
    }

    // ---- /5 state changes -------------------------------------------------------------

    /// Applies a transition decided by `fsm::step` and tells observers.
    fn commit(&mut self, now: SimTime, o: Outcome) {
        let result = o.result.unwrap_or(self.result);
        if (o.state, result) == (self.state, self.result) {
            return;
        }
        let state_changed = o.state != self.state;
        if state_changed {
            self.last_state_change = now;
        }
        let result_changed = result != self.result;
        self.state = o.state;
        self.result = result;
        self.events.push_back(NodeEvent::Firmware {
            state: o.state,
            result,
            rule: o.rule,
            sent_before: self.messenger.queued(),
        });
        let mut changed = Vec::new();
        if state_changed {
            changed.push(Path::resource(5, 0, firmware::STATE));
            changed.push(Path::resource(5, 0, 12));
        }
        if result_changed {
            changed.push(Path::resource(5, 0, firmware::UPDATE_RESULT));
        }
        self.notify(now, &changed);
    }

    fn fire(&mut self, now: SimTime, trigger: Trigger) -> Option<Outcome> {
        let o = fsm::step(self.state, trigger)?;
        self.commit(now, o);
        Some(o)
    }

    // ---- resources ----------------------------------------------------------------------

    // ---- requests from the server -----------------------------------------------------------

    fn answer(&mut self, to: Addr, req: &Packet, code: ResponseType) {
        self.messenger.respond(to, req, message::response(code));
    }

    fn on_request(&mut self, now: SimTime, from: Addr, req: Packet) {
        let MessageClass::Request(method) = req.header.code else {
            return;
        };
        let Some(path) = Path::parse(&message::uri_path(&req)) else {
            return self.answer(from, &req, ResponseType::NotFound);
        };
        let fw = |r| path == Path::resource(5, 0, r);
        // Execute arguments that do not parse are refused before anything happens (4.00).
        if method == RequestType::Post && path.resource.is_some() {
            if let Err(why) = fota_lwm2m::execute::parse_args(&req.payload) {
                self.log(format!("Execute refused: {why}"), None);
                return self.answer(from, &req, ResponseType::BadRequest);
            }
        }
        let accept = message::uint_option(&req, CoapOption::Accept);
        let attribute_write = req.payload.is_empty() && !message::uri_queries(&req).is_empty();
        match method {
            RequestType::Get if accept == Some(u32::from(fota_lwm2m::content::LINK_FORMAT)) => {
                self.on_discover(from, &req, path)
            }
            RequestType::Get if fw(firmware::PACKAGE) => {
                self.answer(from, &req, ResponseType::MethodNotAllowed)
            }
            RequestType::Get => self.on_read(now, from, &req, path),
            RequestType::Put if attribute_write => self.on_write_attributes(from, &req, path),
            RequestType::Put if fw(firmware::PACKAGE_URI) => {
                let uri = req.payload.clone();
                self.on_write_uri(now, from, &req, &uri)
            }
            RequestType::Put | RequestType::Post
                if path.resource.is_none() && path.instance.is_some() =>
            {
                self.on_write_instance(now, from, &req, path)
            }
            RequestType::Put if fw(firmware::PACKAGE) => self.on_write_package(now, from, &req),
            RequestType::Post if fw(firmware::UPDATE) => {
                // The device's user defers the first update when a defer period is set (FU-T10).
                let deferred = self.cfg.defer_s > 0 && !self.deferred_once;
                match self
                    .decide(now, from, &req, Trigger::ExecuteUpdate { deferred })
                    .map(|o| o.rule)
                {
                    Some("FU-T9") => self.start_update(now),
                    Some("FU-T10") => {
                        self.deferred_once = true;
                        self.defer_until = Some(now + u64::from(self.cfg.defer_s) * 1000);
                        self.log(
                            format!("the user defers the update for {} s", self.cfg.defer_s),
                            Some("FU-T10"),
                        );
                    }
                    _ => {}
                }
            }
            RequestType::Post if fw(firmware::CANCEL) => {
                if self
                    .decide(now, from, &req, Trigger::Cancel)
                    .is_some_and(|o| o.rule == "FU-T8")
                {
                    self.stop_download();
                }
            }
            _ if self.exists(&path) => self.answer(from, &req, ResponseType::MethodNotAllowed),
            _ => self.answer(from, &req, ResponseType::NotFound),
        }
    }

    /// Runs a request through the state machine: answer first, then the state change, so the
    /// response precedes any notification it causes.
    fn decide(
        &mut self,
        now: SimTime,
        from: Addr,
        req: &Packet,
        trigger: Trigger,
    ) -> Option<Outcome> {
        let Some(o) = fsm::step(self.state, trigger) else {
            self.answer(from, req, ResponseType::MethodNotAllowed);
            return None;
        };
        if let Some(code) = o.answer {
            self.answer(from, req, code);
        }
        if o.rule == "FU-T7" {
            self.stop_download();
        }
        self.commit(now, o);
        Some(o)
    }

    fn on_read(&mut self, now: SimTime, from: Addr, req: &Packet, path: Path) {
        let accept = message::uint_option(req, CoapOption::Accept);
        let (format, value) = match self.render(&path, accept) {
            Ok(rendered) => rendered,
            Err(code) => return self.answer(from, req, code),
        };
        let mut resp = message::response(ResponseType::Content);
        set_content_format(&mut resp, format);
        self.observe_on_read(now, from, req, path, &mut resp);
        resp.payload = value;
        self.messenger.respond(from, req, resp);
    }

    /// A Package URI write, whether on /5/0/1 itself or inside a write on /5/0; `bytes` is the
    /// URI as it came.
    pub(crate) fn on_write_uri(&mut self, now: SimTime, from: Addr, req: &Packet, bytes: &[u8]) {
        if self.cfg.delivery == firmware::DELIVERY_PUSH && !bytes.is_empty() {
            self.log("this device fetches nothing (/5/0/9 is 1)", None);
            return self.answer(from, req, ResponseType::MethodNotAllowed);
        }
        let text = std::str::from_utf8(bytes).unwrap_or("\u{fffd}");
        let (kind, target) = match std::str::from_utf8(bytes) {
            Ok(t) => uri::classify(t, &self.cfg.hosts),
            Err(_) => (UriKind::Invalid, None),
        };
        // /5/0/1 holds the accepted URI (cleared by a reset write) before State changes, so the
        // notification of the change carries it.
        match fsm::step(self.state, Trigger::WriteUri(kind)).map(|o| o.rule) {
            Some("FU-T2") => self.package_uri = text.to_string(),
            Some("FU-T7" | "FU-T15") => self.package_uri.clear(),
            _ => {}
        }
        let Some(o) = self.decide(now, from, req, Trigger::WriteUri(kind)) else {
            return;
        };
        if o.rule != "FU-T2" {
            return;
        }
        match target {
            Some(target) => {
                self.log(
                    format!("PULL download of {} starts", self.package_uri),
                    Some("FU-T2"),
                );
                self.start_fetch(now, target);
            }
            None => {
                self.log("the repository host does not resolve", Some("FU-D7"));
                self.fire(now, Trigger::DownloadFailed(UpdateResult::InvalidUri));
            }
        }
    }

    // ---- the PULL download --------------------------------------------------------------

    /// Erases the slot and fetches the image from block 0.
    fn start_fetch(&mut self, now: SimTime, target: uri::PackageUri) {
        self.nv_download = None;
        if !self.erase_for_download(now) {
            return;
        }
        let d = Download::new(target, self.cfg.block_size, self.boot.capacity());
        self.send_block_request(now, d);
    }

    /// The block request timed out: ask again while the retries allow (FU-D4).
    fn on_block_timeout(&mut self, now: SimTime) {
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
    fn resume_download(&mut self, now: SimTime) {
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

    fn stop_download(&mut self) {
        if let Some((_, token)) = self.download.take() {
            self.messenger.forget(&token);
        }
        self.nv_download = None;
        // Deleting the partial image is best effort: whatever stays behind has no upgrade
        // request, and the next download erases the slot first.
        let _ = self.boot.erase_secondary();
    }

    /// FU-T9 has happened: write the TEST request, then reboot into the bootloader shortly, so
    /// the 2.04 and the State=3 notification leave first.
    fn start_update(&mut self, now: SimTime) {
        match self.boot.request_upgrade() {
            Ok(()) => {
                self.log(
                    "upgrade requested; State and Result persisted before the reboot",
                    Some("FU-P1"),
                );
                self.log("the device reboots into the bootloader", Some("FU-T9"));
                self.reboot_at = Some(now + REBOOT_DELAY_MS);
            }
            Err(e) => {
                self.log(
                    format!("the upgrade request could not be written: {e}"),
                    Some("FU-T12"),
                );
                self.fire(now, Trigger::UpgradeRequestFailed);
            }
        }
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

    fn on_block(&mut self, now: SimTime, resp: &Packet) {
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

    fn download_failed(&mut self, now: SimTime, result: UpdateResult, why: String) {
        self.stop_download();
        self.log(format!("download failed: {why}"), Some("FU-T6"));
        self.fire(now, Trigger::DownloadFailed(result));
    }

    /// Pre-validation of the complete image before Downloaded (FU-T5).
    fn finish_download(&mut self, now: SimTime) {
        let verdict = self.boot.check_secondary();
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
                self.fire(now, Trigger::DownloadComplete);
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

    // ---- power ----------------------------------------------------------------------------

    /// A reset the scenario asks for: RAM is lost, flash stays, the device boots at once.
    pub fn reset(&mut self, now: SimTime) {
        self.power_cut(now, 0);
    }

    /// Power lost for `off_ms`: RAM is lost, flash stays; then the device boots.
    pub fn power_cut(&mut self, now: SimTime, off_ms: u64) {
        self.clock = now;
        self.reboot_at = None;
        self.power_off_and_on(now);
        self.power = Power::Booting {
            until: now + off_ms + self.cfg.boot_ms,
        };
    }

    fn power_off_and_on(&mut self, now: SimTime) {
        self.log("reset: into the bootloader", None);
        if self.state == FwState::Updating && self.cfg.corrupt_secondary_before_boot {
            self.cfg.corrupt_secondary_before_boot = false;
            self.boot.disturb_secondary();
            self.log(
                "a bit of the secondary slot flipped after the download was checked",
                Some("FU-T13"),
            );
        }
        // RAM is lost: exchanges, observations and the registration go; flash and the
        // persisted /5 State and Result stay (FU-P1).
        self.messenger = Messenger::new(self.cfg.addr, self.rng.fork(2));
        self.observers.clear();
        self.attributes.clear();
        self.download = None;
        self.block_retries = 0;
        self.push.abort_all();
        self.registration = Registration::None { retry_at: None };
        self.power = Power::Booting {
            until: now + self.cfg.boot_ms,
        };
    }

    /// When the next /3 and /4 sample of the scenario takes effect.
    fn sample_timer(&self) -> Option<SimTime> {
        self.cfg
            .samples
            .get(self.samples_applied.max(1))
            .map(|r| SimTime(r.at_ms))
    }

    /// Takes the samples now due and tells the observers of what changed.
    fn on_sample_timer(&mut self, now: SimTime) {
        let before = self.sample();
        while self.sample_timer().is_some_and(|t| t <= now) {
            self.samples_applied = self.samples_applied.max(1) + 1;
        }
        let after = self.sample();
        let changed: Vec<Path> = [
            (
                before.signal_dbm != after.signal_dbm,
                Path::resource(4, 0, 2),
            ),
            (
                before.link_quality != after.link_quality,
                Path::resource(4, 0, 3),
            ),
            (
                before.link_utilization != after.link_utilization,
                Path::resource(4, 0, 6),
            ),
            (
                before.battery_level != after.battery_level,
                Path::resource(3, 0, 9),
            ),
            (
                before.memory_free_kib != after.memory_free_kib,
                Path::resource(3, 0, 10),
            ),
        ]
        .into_iter()
        .filter_map(|(differs, path)| differs.then_some(path))
        .collect();
        if !changed.is_empty() {
            self.log(
                format!(
                    "radio: {} dBm, link quality {}; battery {} %",
                    after.signal_dbm, after.link_quality, after.battery_level
                ),
                None,
            );
            self.notify(now, &changed);
        }
    }

    /// /3/0/3 becomes the version of the image the bootloader jumped to.
    fn start_image(&mut self, version: ImageVersion) {
        self.running = Some(version);
        self.events.push_back(NodeEvent::FirmwareVersion {
            version: version.to_string(),
            sent_before: self.messenger.queued(),
        });
    }

    fn boot_done(&mut self, now: SimTime) {
        // A power cut the scenario asks for, during the first upgrade's boot work.
        if self.state == FwState::Updating {
            if let Some(n) = self.cfg.power_cut_at_flash_op.take() {
                let at = self.boot.flash().ops() + n;
                self.boot.flash_mut().cut_power_before(at);
            }
        }
        // The running firmware's own flash work (the download) is not the bootloader's.
        self.boot.flash_mut().take_journal();
        let outcome = self.boot.boot();
        for line in self.boot.take_log() {
            self.log(format!("bootloader: {line}"), None);
        }
        match outcome {
            BootOutcome::Booted { version, upgraded } => {
                self.start_image(version);
                self.awaiting_confirm = upgraded && self.state == FwState::Updating;
                self.power = Power::Running;
                self.behaviour = self
                    .boot
                    .primary_info()
                    .map_or(Behaviour::Healthy, |i| i.manifest.behaviour);
                // What the image does once running comes from its signed manifest (BOOT-2).
                match self.behaviour {
                    Behaviour::Healthy | Behaviour::FailHealthCheck => {
                        self.register(now);
                        self.resume_download(now);
                    }
                    Behaviour::CrashAtBoot => {
                        self.log(format!("firmware {version} crashed at boot; the watchdog resets the device"), Some("BOOT-2"));
                        self.reboot_at = Some(now + CRASH_RESET_MS);
                    }
                    Behaviour::Hang => {
                        self.log(
                            format!("firmware {version} hangs; the watchdog will reset the device"),
                            Some("BOOT-2"),
                        );
                        self.reboot_at = Some(now + WATCHDOG_MS);
                    }
                }
            }
            BootOutcome::UpgradeRejected { version, .. } => {
                self.start_image(version);
                self.fire(now, Trigger::Boot(BootVerdict::Rejected));
                self.power = Power::Running;
                self.register(now);
            }
            BootOutcome::Bricked { reason } => {
                self.log(format!("no bootable image: {reason}"), None);
                self.power = Power::Halted;
            }
            BootOutcome::Reverted { version } => {
                self.start_image(version);
                self.log(
                    "the new image never confirmed itself; the bootloader swapped the old one back",
                    Some("FU-T14"),
                );
                self.fire(now, Trigger::Boot(BootVerdict::Reverted));
                self.power = Power::Running;
                self.register(now);
            }
            BootOutcome::PowerLost => {
                self.log(
                    "power cut during the boot; the next power-on goes on from the flash",
                    Some("BOOT-I1"),
                );
                // The next power-on resumes from what the flash holds.
                self.power = Power::Booting {
                    until: now + self.cfg.boot_ms,
                };
            }
        }
    }

    fn process_coap_events(&mut self, now: SimTime) {
        while let Some(ev) = self.messenger.poll_event() {
            match ev {
                CoapEvent::Request { from, packet } => self.on_request(now, from, packet),
                CoapEvent::Response { packet, .. } => {
                    let token = packet.get_token().to_vec();
                    let ours = self.on_registration_answer(now, &token, Some(&packet));
                    if !ours && self.download.as_ref().is_some_and(|(_, t)| *t == token) {
                        self.on_block(now, &packet);
                    }
                }
                CoapEvent::Timeout { token, .. } | CoapEvent::Reset { token, .. } => {
                    // RST to a notification, or a notification never acknowledged, ends that
                    // observation (RFC 7641 §3.6, §4.5).
                    if self.observers.iter().any(|o| o.token == token) {
                        self.observers.retain(|o| o.token != token);
                        self.log("an observer went away; its observation ends", None);
                    }
                    let ours = self.on_registration_answer(now, &token, None);
                    if !ours && self.download.as_ref().is_some_and(|(_, t)| *t == token) {
                        self.on_block_timeout(now);
                    }
                }
                CoapEvent::Rejected { from, reason } => {
                    self.log(format!("dropped a datagram from {from}: {reason}"), None)
                }
            }
        }
    }
}

impl Node for Device {
    fn addr(&self) -> Addr {
        self.cfg.addr
    }

    fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]) {
        self.clock = now;
        if !matches!(self.power, Power::Running) {
            return;
        }
        self.messenger.handle_datagram(now, from, bytes);
        self.process_coap_events(now);
    }

    fn handle_timeout(&mut self, now: SimTime) {
        self.clock = now;
        match self.power {
            Power::Booting { until } if until <= now => self.boot_done(now),
            Power::Running => {
                if self.reboot_at.is_some_and(|t| t <= now) {
                    self.reboot_at = None;
                    self.power_off_and_on(now);
                    return;
                }
                self.on_registration_timer(now);
                if self.defer_until.is_some_and(|t| t <= now) {
                    self.defer_until = None;
                    if self
                        .fire(now, Trigger::ExecuteUpdate { deferred: false })
                        .is_some_and(|o| o.rule == "FU-T9")
                    {
                        self.start_update(now);
                    }
                }
                self.on_sample_timer(now);
                self.on_observation_timer(now);
                self.messenger.handle_timeout(now);
                self.process_coap_events(now);
            }
            _ => {}
        }
    }

    fn poll_transmit(&mut self) -> Option<Datagram> {
        self.messenger.poll_transmit()
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        match self.power {
            Power::Booting { until } => Some(until),
            Power::Halted => None,
            Power::Running => [
                self.messenger.poll_timeout(),
                self.reboot_at,
                self.defer_until,
                self.registration_timer(),
                self.observation_timer(),
                self.sample_timer(),
            ]
            .into_iter()
            .flatten()
            .min(),
        }
    }

    fn poll_event(&mut self) -> Option<NodeEvent> {
        self.events.pop_front()
    }
}
