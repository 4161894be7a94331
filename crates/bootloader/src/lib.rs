//! A simulated MCUboot-style bootloader. The device owns it and calls it directly; it never
//! sees the network.

pub mod builder;
pub mod flash;
pub mod image;
pub mod inspect;
pub mod keys;
pub mod manifest;
pub mod slots;
pub mod swap_move;
pub mod sweep;
pub mod validate;
pub mod view;

pub use builder::{build_image, ImageBuilder};
pub use image::ImageVersion;
pub use keys::KeyChoice;
pub use manifest::{Behaviour, Manifest};
pub use slots::{BootOutcome, Bootloader, SlotError, Strategy};
pub use validate::{validate, Check, ImageInfo, Verdict};
