//! A simulated MCUboot-style bootloader. The device owns it and calls it directly; it never
//! sees the network.

pub mod image;
pub mod slots;

pub use image::{build_image, parse_image, ImageError, ImageInfo, ImageVersion};
pub use slots::{BootOutcome, Bootloader, SlotError};
