//! SHA-256 that remembers. A run hashes one image several times over: the builder signs it,
//! the repository takes its ETag from the whole file, the device checks it when the download
//! ends and again at boot. A device hashes each time; a simulator may remember, as long as
//! every digest is the one a fresh hash gives. The large inputs hashed last are kept whole
//! with the hash state after them: an input equal to one of them costs a comparison, and an
//! input that begins with one (the whole file after its hashed part) hashes only what follows.
//! Nothing on the wire or in a boot decision changes; only the time a run takes.

use sha2::{Digest, Sha256};
use std::cell::RefCell;

/// Inputs shorter than this are hashed afresh: remembering them saves nothing.
const WORTH_REMEMBERING: usize = 4096;

/// How many inputs are kept: a run hashes a handful of large ones (the new image and the
/// running one, each as signed and as a whole file).
const KEPT: usize = 6;

struct Remembered {
    bytes: Vec<u8>,
    /// The hash state after `bytes`, before finishing.
    state: Sha256,
}

std::thread_local! {
    /// The newest first.
    static RECENT: RefCell<Vec<Remembered>> = const { RefCell::new(Vec::new()) };
}

/// The SHA-256 of `data`, from what is remembered when `data` is (or begins with) an input
/// hashed lately.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    if data.len() < WORTH_REMEMBERING {
        return sha256_afresh(data);
    }
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        // The longest remembered input that `data` begins with: compared whole, so no two
        // inputs can be taken for each other.
        let best = recent
            .iter()
            .enumerate()
            .filter(|(_, r)| data.starts_with(&r.bytes))
            .max_by_key(|(_, r)| r.bytes.len())
            .map(|(i, _)| i);
        let (mut state, from) = match best {
            Some(i) => (recent[i].state.clone(), recent[i].bytes.len()),
            None => (Sha256::new(), 0),
        };
        state.update(&data[from..]);
        match best {
            Some(i) if from == data.len() => {
                let hit = recent.remove(i);
                recent.insert(0, hit);
            }
            _ => {
                recent.insert(
                    0,
                    Remembered {
                        bytes: data.to_vec(),
                        state: state.clone(),
                    },
                );
                recent.truncate(KEPT);
            }
        }
        state.finalize().into()
    })
}

/// The SHA-256 of `data`, hashed now whatever was hashed before (what a device does; a floor
/// to measure against).
pub fn sha256_afresh(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Forgets every input remembered, so that what follows hashes only its own.
pub fn forget() {
    RECENT.with(|r| r.borrow_mut().clear());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(n: usize, seed: u8) -> Vec<u8> {
        (0..n)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn every_digest_is_the_one_a_fresh_hash_gives() {
        forget();
        let image = bytes(20_000, 1);
        let mut file = image.clone();
        file.extend_from_slice(b"and a tail after the hashed part");
        let other = bytes(20_000, 2);
        let mut changed = image.clone();
        changed[19_999] ^= 1;
        for data in [
            &image,
            &file,
            &image,
            &other,
            &changed,
            &file,
            &image[..5000].to_vec(),
        ] {
            assert_eq!(sha256(data), sha256_afresh(data));
        }
    }

    #[test]
    fn small_inputs_are_not_kept() {
        forget();
        sha256(&bytes(100, 3));
        assert_eq!(RECENT.with(|r| r.borrow().len()), 0);
        sha256(&bytes(5000, 3));
        assert_eq!(RECENT.with(|r| r.borrow().len()), 1);
    }

    #[test]
    fn only_the_newest_inputs_are_kept() {
        forget();
        for seed in 0..10 {
            sha256(&bytes(5000, seed));
        }
        assert_eq!(RECENT.with(|r| r.borrow().len()), KEPT);
    }
}
