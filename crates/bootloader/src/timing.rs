//! How long the bootloader's work takes in virtual time: erasing and programming the flash
//! (a part's datasheet figures) and the CPU's hashing and signature check of an image. The
//! flash keeps the sum on its `WorkMeter`, so a swap of sixteen sectors takes seconds, as on a
//! device, and a power cut placed by time lands at the operation that was under way.

use serde::{Deserialize, Serialize};

/// The part the default figures come from.
pub const DEFAULT_PART: &str = "Nordic nRF52840";

/// Time per flash operation and per image check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct FlashTiming {
    /// Microseconds to erase one 4 KiB sector (page). Default 85,000: the nRF52840 Product
    /// Specification's tERASEPAGE, its maximum.
    pub erase_sector_us: u64,
    /// Microseconds to program one word. Default 41: the nRF52840's tWRITE, its maximum.
    pub program_word_us: u64,
    /// Bytes in the word the flash programs at once: 4 on the nRF52840 (full 32-bit words).
    pub word_bytes: u64,
    /// Bytes of image the CPU hashes with SHA-256 per millisecond. Default 1,000 (about
    /// 1 MB/s): our estimate for a software SHA-256 on a 64 MHz Cortex-M4, not a datasheet
    /// figure.
    pub hash_bytes_per_ms: u64,
    /// Microseconds for one ed25519 signature check. Default 50,000: our estimate for a
    /// software ed25519 on a 64 MHz Cortex-M4, not a datasheet figure.
    pub verify_signature_us: u64,
}

impl Default for FlashTiming {
    fn default() -> Self {
        FlashTiming {
            erase_sector_us: 85_000,
            program_word_us: 41,
            word_bytes: 4,
            hash_bytes_per_ms: 1_000,
            verify_signature_us: 50_000,
        }
    }
}

impl FlashTiming {
    /// Work that takes no time at all: for tests of the boot decision alone.
    pub const INSTANT: FlashTiming = FlashTiming {
        erase_sector_us: 0,
        program_word_us: 0,
        word_bytes: 4,
        hash_bytes_per_ms: 0,
        verify_signature_us: 0,
    };

    pub fn erase_us(&self) -> u64 {
        self.erase_sector_us
    }

    /// Programming `len` bytes: whole words, the last one counted when partly used.
    pub fn program_us(&self, len: usize) -> u64 {
        (len as u64)
            .div_ceil(self.word_bytes.max(1))
            .saturating_mul(self.program_word_us)
    }

    /// Hashing `len` bytes (0 when no throughput is given: hashing takes no time).
    pub fn hash_us(&self, len: usize) -> u64 {
        if self.hash_bytes_per_ms == 0 {
            return 0;
        }
        (len as u64)
            .saturating_mul(1000)
            .div_ceil(self.hash_bytes_per_ms)
    }
}

/// The work done on the flash since the factory, as time: the device's energy model reads it,
/// and the boot log stamps each operation with `elapsed_us`. (What was erased is the flash's
/// own erase counts.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorkMeter {
    /// Microseconds the flash spent erasing and programming.
    pub flash_us: u64,
    /// Microseconds the CPU spent hashing images and checking signatures.
    pub cpu_us: u64,
}

impl WorkMeter {
    /// The work's own clock: flash and CPU time, one after the other.
    pub fn elapsed_us(&self) -> u64 {
        self.flash_us.saturating_add(self.cpu_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sector_copy_takes_what_the_datasheet_says() {
        let t = FlashTiming::default();
        // Erase a 4 KiB sector and program it whole: 85 ms + 1024 words of 41 µs.
        assert_eq!(t.erase_us() + t.program_us(4096), 85_000 + 41_984);
        assert_eq!(t.program_us(5), 82, "a partial word is still a word");
        assert_eq!(t.hash_us(65_536), 65_536);
        assert_eq!(FlashTiming::INSTANT.hash_us(65_536), 0);
    }
}
