//! A simulated MCUboot-style bootloader. The device owns it and calls it directly; it never
//! sees the network.

pub mod flash;
pub mod image;
pub mod inspect;
pub mod keys;
pub mod manifest;
pub mod slots;
pub mod swap_move;
pub mod sweep;
pub mod view;

pub use image::{build_image, validate, Check, ImageBuilder, ImageInfo, ImageVersion, Verdict};
pub use keys::KeyChoice;
pub use manifest::{Behaviour, Manifest};
pub use slots::{BootOutcome, Bootloader, SlotError, Strategy};
