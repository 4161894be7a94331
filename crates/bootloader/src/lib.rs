//! A simulated MCUboot-style bootloader. The device owns it and calls it directly; it never
//! sees the network.
//!
//! The files follow MCUboot's own split: `layout` (the flash map), `trailer` (a slot's
//! trailer), `swap_move` and `overwrite` (the two strategies' flash work), `security_counter`
//! (the NV anti-rollback counter), `loader` (the boot decision), and `bootloader` (what the
//! device holds: the flash, the slots' I/O and the boot log), `events` (the boot log's typed
//! events); the image format is in `image`,
//! `builder` and `validate`.

mod boot_log;
mod bootloader;
pub mod builder;
pub mod compared;
pub mod events;
pub mod flash;
pub mod image;
pub mod inspect;
pub mod keys;
pub mod layout;
mod loader;
pub mod manifest;
mod overwrite;
mod security_counter;
pub mod snapshot;
mod strategy;
mod swap_move;
pub mod sweep;
pub mod timing;
mod trailer;
pub mod validate;
pub mod view;

pub use boot_log::Logged;
pub use bootloader::{Bootloader, SlotError};
pub use builder::{build_image, ImageBuilder};
pub use compared::{Compared, Sha256Value, TrustedKey};
pub use events::{BootEvent, FlashEvent, PowerLostDuring, SectorCopy};
pub use image::ImageVersion;
pub use keys::KeyChoice;
pub use layout::{SectorRole, Slot, SECTOR_SIZE};
pub use loader::BootOutcome;
pub use manifest::{Behaviour, Manifest};
pub use snapshot::Snapshot;
pub use strategy::Strategy;
pub use timing::{FlashTiming, WorkMeter};
pub use trailer::SwapType;
pub use validate::{forget_verdicts, validate, validate_afresh, Check, ImageInfo, Verdict};
