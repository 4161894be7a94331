//! The device: an LwM2M client with the /5 Firmware Update object, a PULL downloader and a
//! bootloader, as one sans-IO node.

mod apply;
mod battery;
mod boot_work;
mod bricked;
pub mod config;
pub mod download;
pub mod energy;
pub mod events;
mod observation;
mod power;
mod pull;
mod push;
mod queue;
mod registration;
mod requests;
mod resources;
mod samples;
pub mod uri;
mod write;

pub use config::DeviceConfig;
pub use events::{DeviceEvent, ResetCause};

use download::Download;
use fota_bootloader::{Behaviour, Bootloader, ImageVersion};
use fota_coap::block1::Block1Receiver;
use fota_coap::block2_client::FetchProgress;
use fota_coap::messenger::Token;
use fota_coap::{Addr, CoapEvent, Datagram, Messenger, SimRng, SimTime};
use fota_lwm2m::attributes::NotificationAttributes;
use fota_lwm2m::transitions::Trigger;
use fota_lwm2m::{FwState, Node, Path, UpdateResult};
use observation::Observer;
use registration::Registration;
use std::collections::VecDeque;

/// How long after registering an image that fails its health check is reset unconfirmed.
pub(crate) const HEALTH_CHECK_MS: u64 = 3_000;

#[derive(Clone, Debug)]
pub(crate) enum Power {
    Booting {
        until: SimTime,
    },
    /// The bootloader works on the flash; the firmware runs once it is done.
    BootWork(Box<boot_work::BootWork>),
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
    /// Why the device will reboot at `reboot_at`.
    reboot_cause: events::ResetCause,
    state: FwState,
    result: UpdateResult,
    package_uri: String,
    /// The URI of the write in hand, until the table says whether /5/0/1 keeps it.
    uri_written: String,
    last_state_change: SimTime,
    /// The time of the latest input, for /3/0/13 Current Time.
    clock: SimTime,
    running: Option<ImageVersion>,
    /// The running image was just upgraded and has not confirmed itself yet.
    awaiting_confirm: bool,
    /// The version the update in progress installs, persisted with State (FU-P1).
    installing: Option<ImageVersion>,
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
    events: VecDeque<DeviceEvent>,
    /// The energy spent and the battery left.
    meter: battery::Meter,
    /// An Execute Update waits for the battery to reach the update threshold (BAT-1).
    waiting_for_battery: bool,
    /// Queue mode: the device sleeps with its radio off.
    asleep: bool,
    /// The last datagram sent or received, from which a queue-mode device stays awake.
    last_traffic: SimTime,
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
        let _ = boot.confirm();
        boot.take_events();
        // Work from now on takes time; the factory's took none.
        boot.set_timing(cfg.flash_timing);
        let push = Block1Receiver::new(boot.capacity(), cfg.download_buffer);
        let start_percent = cfg
            .samples
            .first()
            .copied()
            .unwrap_or_default()
            .battery_level;
        let meter = battery::Meter::new(
            &cfg.battery,
            &cfg.energy,
            start_percent,
            boot.flash().meter(),
        );
        let power = Power::Booting {
            until: SimTime(cfg.boot_ms),
        };
        Device {
            cfg,
            rng,
            messenger,
            boot,
            power,
            registration: Registration::default(),
            reboot_at: None,
            reboot_cause: events::ResetCause::Reset,
            state: FwState::Idle,
            result: UpdateResult::Initial,
            package_uri: String::new(),
            uri_written: String::new(),
            last_state_change: SimTime::ZERO,
            clock: SimTime::ZERO,
            running: None,
            awaiting_confirm: false,
            installing: None,
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
            meter,
            waiting_for_battery: false,
            asleep: false,
            last_traffic: SimTime::ZERO,
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

    /// The bootloader and its flash as they are now. While the bootloader works, as they were
    /// when the work began: its steps show as they happen, each with the flash it left
    /// (`DeviceEvent::Boot`), and none of the work shows before it is done.
    pub fn bootloader(&self) -> &Bootloader {
        match &self.power {
            Power::BootWork(work) => work.before(),
            _ => &self.boot,
        }
    }

    fn log(&mut self, text: impl Into<String>, rule: Option<&'static str>) {
        self.events.push_back(DeviceEvent::Log {
            text: text.into(),
            rule,
        });
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
    type Event = DeviceEvent;

    fn addr(&self) -> Addr {
        self.cfg.addr
    }

    fn handle_datagram(&mut self, now: SimTime, from: Addr, bytes: &[u8]) {
        self.clock = now;
        self.count_energy(now);
        // The network brought it, but nothing runs to hear it: say so, or the ladder's
        // "delivered" would read as heard.
        let deaf = match self.power {
            Power::Running if self.asleep => {
                Some("the device sleeps with its radio off (queue mode)")
            }
            Power::Running => None,
            Power::Booting { .. } | Power::BootWork(_) => {
                Some("the device is off or in its bootloader")
            }
            Power::Halted => Some("no image runs on the device"),
        };
        if let Some(why) = deaf {
            let what = match fota_coap::message::decode(bytes) {
                Ok(p) => format!(
                    "{} {}",
                    fota_coap::message::type_name(p.header.get_type()),
                    fota_coap::message::code_name(p.header.code)
                ),
                Err(_) => "a datagram".to_string(),
            };
            return self.log(
                format!("{what} from {from} arrives while {why}: nobody hears it"),
                None,
            );
        }
        self.count_radio(bytes.len(), false);
        self.traffic(now);
        self.messenger.handle_datagram(now, from, bytes);
        self.process_coap_events(now);
        self.count_energy(now);
    }

    fn handle_timeout(&mut self, now: SimTime) {
        self.clock = now;
        self.count_energy(now);
        self.on_power_timer(now);
        self.count_energy(now);
    }

    fn poll_transmit(&mut self) -> Option<Datagram> {
        let d = self.messenger.poll_transmit()?;
        self.traffic(self.clock);
        self.count_radio(d.bytes.len(), true);
        Some(d)
    }

    fn poll_timeout(&self) -> Option<SimTime> {
        match self.power {
            Power::Booting { until } => Some(until),
            Power::BootWork(ref work) => Some(work.next_deadline()),
            Power::Halted => None,
            Power::Running => [
                self.messenger.poll_timeout(),
                self.reboot_at,
                self.defer_until,
                self.registration_timer(),
                self.observation_timer(),
                self.sample_timer(),
                self.battery_timer(),
                self.charging_timer(),
                self.sleep_timer(),
            ]
            .into_iter()
            .flatten()
            .min(),
        }
    }

    fn poll_event(&mut self) -> Option<DeviceEvent> {
        self.events.pop_front()
    }
}

impl Device {
    fn on_power_timer(&mut self, now: SimTime) {
        match self.power {
            Power::Booting { until } if until <= now => self.begin_boot_work(now),
            Power::BootWork(_) => self.on_boot_work_timer(now),
            Power::Running => {
                if self.reboot_at.is_some_and(|t| t <= now) {
                    self.reboot_at = None;
                    self.power_off_and_on(now, self.reboot_cause);
                    return;
                }
                self.on_registration_timer(now);
                if self.defer_until.is_some_and(|t| t <= now) {
                    self.defer_until = None;
                    self.apply(now, Trigger::DeferEnded, None);
                }
                self.on_sample_timer(now);
                self.on_observation_timer(now);
                self.messenger.handle_timeout(now);
                self.process_coap_events(now);
                self.on_sleep_timer(now);
            }
            _ => {}
        }
    }
}
