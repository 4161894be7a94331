//! The fetching side of an RFC 7959 Block2 transfer: asks for block 0 at its preferred size
//! (early negotiation), follows a smaller size the server picks, and checks that ETag and
//! Size2 stay the same on every block (BW-6), so a body that changes mid-transfer is caught.

use crate::block::BlockOpt;
use crate::message::{self, code_name, uint_option};
use coap_lite::{CoapOption, MessageClass, Packet, RequestType, ResponseType};
use core::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// The server answered with an error code.
    Status(MessageClass),
    /// Size2 says the body is larger than the caller can hold.
    TooLarge { size2: u32, limit: usize },
    /// The body changed during the transfer: ETag or Size2 differ from block 0's.
    Changed,
    /// A block that does not fit the transfer (wrong number, bad option, missing option).
    BadBlock(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Status(c) => write!(f, "the server answered {}", code_name(*c)),
            FetchError::TooLarge { size2, limit } => {
                write!(f, "Size2 {size2} exceeds the {limit} bytes available")
            }
            FetchError::Changed => write!(
                f,
                "the body changed during the transfer (ETag or Size2 differ)"
            ),
            FetchError::BadBlock(why) => f.write_str(why),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FetchStep {
    /// Store `data` at `offset`, then send `request()` for the next block.
    More {
        offset: usize,
        data: Vec<u8>,
    },
    /// Store `data` at `offset`; the body is complete.
    Last {
        offset: usize,
        data: Vec<u8>,
    },
    Failed(FetchError),
}

/// How far a fetch got, and what identified the body it was fetching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchProgress {
    pub next_block: u32,
    pub etag: Option<Vec<u8>>,
    pub size2: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct Block2Fetch {
    path: String,
    szx: u8,
    limit: usize,
    next_block: u32,
    etag: Option<Vec<u8>>,
    size2: Option<u32>,
}

impl Block2Fetch {
    /// Fetches `path` in blocks of `block_size` (16..=1024), refusing bodies over `limit`.
    pub fn new(path: &str, block_size: usize, limit: usize) -> Block2Fetch {
        Block2Fetch {
            path: path.to_string(),
            szx: BlockOpt::szx_for(block_size).unwrap_or(6),
            limit,
            next_block: 0,
            etag: None,
            size2: None,
        }
    }

    /// Goes on with a fetch that stopped (a reboot) at `next_block`: the ETag and Size2 seen
    /// before must still hold, else the first answer fails with `FetchError::Changed` (FU-P2).
    pub fn resume(
        path: &str,
        block_size: usize,
        limit: usize,
        progress: FetchProgress,
    ) -> Block2Fetch {
        Block2Fetch {
            next_block: progress.next_block,
            etag: progress.etag,
            size2: progress.size2,
            ..Block2Fetch::new(path, block_size, limit)
        }
    }

    /// What must be kept to resume this fetch later.
    pub fn progress(&self) -> FetchProgress {
        FetchProgress {
            next_block: self.next_block,
            etag: self.etag.clone(),
            size2: self.size2,
        }
    }

    pub fn block_size(&self) -> usize {
        16usize << self.szx
    }

    pub fn next_block(&self) -> u32 {
        self.next_block
    }

    /// The GET for the next block; block 0 already says the size we want.
    pub fn request(&self) -> Packet {
        let mut p = message::request(RequestType::Get, &self.path);
        let block = BlockOpt {
            num: self.next_block,
            more: false,
            szx: self.szx,
        };
        p.add_option(CoapOption::Block2, block.encode());
        p
    }

    pub fn on_response(&mut self, p: &Packet) -> FetchStep {
        let fail = |e| FetchStep::Failed(e);
        if p.header.code != MessageClass::Response(ResponseType::Content) {
            return fail(FetchError::Status(p.header.code));
        }
        let block = match p
            .get_first_option(CoapOption::Block2)
            .map(|v| BlockOpt::decode(v))
        {
            Some(Ok(b)) => b,
            Some(Err(e)) => return fail(FetchError::BadBlock(format!("bad Block2 option: {e}"))),
            // A server may send a small body whole, without Block2.
            None if self.next_block == 0 => BlockOpt {
                num: 0,
                more: false,
                szx: self.szx,
            },
            None => {
                return fail(FetchError::BadBlock(
                    "a later block came without Block2".into(),
                ))
            }
        };
        let etag = p.get_first_option(CoapOption::ETag).cloned();
        let size2 = uint_option(p, CoapOption::Size2);
        if self.next_block == 0 {
            if block.num != 0 || block.szx > self.szx {
                return fail(FetchError::BadBlock(format!(
                    "block 0 answered with block {block}"
                )));
            }
            // The server may pick a smaller block than we asked for: go on at its size.
            self.szx = block.szx;
            self.etag = etag;
            self.size2 = size2;
            if let Some(total) = size2.filter(|&t| t as usize > self.limit) {
                return fail(FetchError::TooLarge {
                    size2: total,
                    limit: self.limit,
                });
            }
        } else {
            if block.num != self.next_block || block.szx != self.szx {
                return fail(FetchError::BadBlock(format!(
                    "asked for block {}, got block {block}",
                    self.next_block
                )));
            }
            if etag != self.etag || (size2.is_some() && size2 != self.size2) {
                return fail(FetchError::Changed);
            }
        }
        let offset = block.offset();
        if offset + p.payload.len() > self.limit {
            return fail(FetchError::TooLarge {
                size2: (offset + p.payload.len()) as u32,
                limit: self.limit,
            });
        }
        self.next_block += 1;
        let data = p.payload.clone();
        if block.more {
            FetchStep::More { offset, data }
        } else {
            FetchStep::Last { offset, data }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{response, set_uint_option};

    fn block(num: u32, more: bool, size: usize, etag: &[u8], size2: u32, payload: &[u8]) -> Packet {
        let mut p = response(ResponseType::Content);
        p.add_option(CoapOption::ETag, etag.to_vec());
        p.add_option(
            CoapOption::Block2,
            BlockOpt::new(num, more, size).unwrap().encode(),
        );
        set_uint_option(&mut p, CoapOption::Size2, size2);
        p.payload = payload.to_vec();
        p
    }

    #[test]
    fn early_negotiation_then_following_a_smaller_server_size() {
        let mut f = Block2Fetch::new("/fw", 1024, 10_000);
        let first = f.request();
        let asked = BlockOpt::decode(first.get_first_option(CoapOption::Block2).unwrap()).unwrap();
        assert_eq!(
            (asked.num, asked.size()),
            (0, 1024),
            "block 0 already carries our size"
        );
        assert_eq!(
            f.on_response(&block(0, true, 256, b"e", 600, &[1; 256])),
            FetchStep::More {
                offset: 0,
                data: vec![1; 256]
            }
        );
        assert_eq!(f.block_size(), 256);
        let next =
            BlockOpt::decode(f.request().get_first_option(CoapOption::Block2).unwrap()).unwrap();
        assert_eq!((next.num, next.size()), (1, 256));
        f.on_response(&block(1, true, 256, b"e", 600, &[2; 256]));
        assert_eq!(
            f.on_response(&block(2, false, 256, b"e", 600, &[3; 88])),
            FetchStep::Last {
                offset: 512,
                data: vec![3; 88]
            }
        );
    }

    #[test]
    fn fu_p2_a_resumed_fetch_starts_at_its_block_and_checks_the_etag() {
        let mut f = Block2Fetch::new("/fw", 64, 10_000);
        f.on_response(&block(0, true, 64, b"a", 200, &[0; 64]));
        f.on_response(&block(1, true, 64, b"a", 200, &[0; 64]));
        let kept = f.progress();
        let mut same = Block2Fetch::resume("/fw", 64, 10_000, kept.clone());
        let asked =
            BlockOpt::decode(same.request().get_first_option(CoapOption::Block2).unwrap()).unwrap();
        assert_eq!(asked.num, 2);
        assert_eq!(
            same.on_response(&block(2, true, 64, b"a", 200, &[5; 64])),
            FetchStep::More {
                offset: 128,
                data: vec![5; 64]
            }
        );
        let mut changed = Block2Fetch::resume("/fw", 64, 10_000, kept);
        assert_eq!(
            changed.on_response(&block(2, true, 64, b"z", 200, &[5; 64])),
            FetchStep::Failed(FetchError::Changed)
        );
    }

    #[test]
    fn bw6_a_changed_etag_or_size2_stops_the_transfer() {
        let mut f = Block2Fetch::new("/fw", 64, 10_000);
        f.on_response(&block(0, true, 64, b"a", 200, &[0; 64]));
        assert_eq!(
            f.on_response(&block(1, true, 64, b"b", 200, &[0; 64])),
            FetchStep::Failed(FetchError::Changed)
        );
        let mut f = Block2Fetch::new("/fw", 64, 10_000);
        f.on_response(&block(0, true, 64, b"a", 200, &[0; 64]));
        assert_eq!(
            f.on_response(&block(1, true, 64, b"a", 300, &[0; 64])),
            FetchStep::Failed(FetchError::Changed)
        );
    }

    #[test]
    fn too_large_wrong_block_and_errors() {
        let mut f = Block2Fetch::new("/fw", 64, 100);
        assert_eq!(
            f.on_response(&block(0, true, 64, b"a", 5000, &[0; 64])),
            FetchStep::Failed(FetchError::TooLarge {
                size2: 5000,
                limit: 100
            })
        );
        let mut f = Block2Fetch::new("/fw", 64, 1000);
        f.on_response(&block(0, true, 64, b"a", 200, &[0; 64]));
        assert!(matches!(
            f.on_response(&block(3, true, 64, b"a", 200, &[0; 64])),
            FetchStep::Failed(FetchError::BadBlock(_))
        ));
        let mut f = Block2Fetch::new("/fw", 64, 1000);
        assert_eq!(
            f.on_response(&response(ResponseType::NotFound)),
            FetchStep::Failed(FetchError::Status(MessageClass::Response(
                ResponseType::NotFound
            )))
        );
    }
}
