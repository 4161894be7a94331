//! The receiving side of an RFC 7959 Block1 transfer, streaming: each accepted block is handed
//! to the caller with its offset (a device writes it to flash at once) and only the next
//! expected offset is kept. Transfers are keyed by peer and path, not token (BW-1).

use crate::addr::Addr;
use crate::block::BlockOpt;
use crate::message;
use coap_lite::{CoapOption, Packet, ResponseType};

#[derive(Clone, Debug, PartialEq)]
pub enum Block1Step {
    /// The request carries no Block1 option: an ordinary request.
    NotBlockwise,
    /// A new block to store at `offset`. Answer 2.31 with `ack` while `last` is false; on the
    /// last block the caller answers (2.04) with `ack`.
    Data {
        offset: usize,
        data: Vec<u8>,
        first: bool,
        last: bool,
        ack: BlockOpt,
    },
    /// The block was stored already (a retry with a new message id): answer 2.31 with `ack`
    /// again and store nothing (BW-2).
    Duplicate { ack: BlockOpt },
    /// A later block larger than the buffer: the client kept its block size after we asked
    /// for a smaller one. Answer 4.13 with `max`, the Block1 size we can take (RFC 7959
    /// §2.9.3); the transfer is over (FU-D3).
    BlockTooLarge { max: BlockOpt, why: String },
    /// Refuse with `code`; `size1` tells the client how much the receiver can take.
    Refuse {
        code: ResponseType,
        size1: Option<u32>,
        why: String,
    },
}

#[derive(Clone, Debug)]
struct Transfer {
    peer: Addr,
    path: String,
    /// Bytes received so far: the offset the next block must start at.
    next_offset: usize,
    /// The last accepted block, to recognise a retry of it.
    last_block: (usize, usize),
}

#[derive(Clone, Debug)]
pub struct Block1Receiver {
    max_body: usize,
    max_szx: u8,
    transfers: Vec<Transfer>,
}

impl Block1Receiver {
    /// `max_block` is the largest block the receiver's buffer takes (a power of two, 16..=1024).
    pub fn new(max_body: usize, max_block: usize) -> Block1Receiver {
        Block1Receiver {
            max_body,
            max_szx: BlockOpt::szx_for(max_block).unwrap_or(6),
            transfers: Vec::new(),
        }
    }

    pub fn in_progress(&self, peer: Addr, path: &str) -> bool {
        self.transfers
            .iter()
            .any(|t| t.peer == peer && t.path == path)
    }

    /// Whether any transfer is under way.
    pub fn any_in_progress(&self) -> bool {
        !self.transfers.is_empty()
    }

    pub fn abort(&mut self, peer: Addr, path: &str) {
        self.transfers
            .retain(|t| !(t.peer == peer && t.path == path));
    }

    pub fn abort_all(&mut self) {
        self.transfers.clear();
    }

    pub fn on_request(&mut self, peer: Addr, req: &Packet) -> Block1Step {
        let Some(raw) = req.get_first_option(CoapOption::Block1) else {
            return Block1Step::NotBlockwise;
        };
        let block = match BlockOpt::decode(raw) {
            Ok(b) => b,
            Err(e) => {
                return Block1Step::Refuse {
                    code: ResponseType::BadOption,
                    size1: None,
                    why: e.to_string(),
                }
            }
        };
        let path = message::uri_path(req);
        let max_body = self.max_body;
        let too_large = |why: String| Block1Step::Refuse {
            code: ResponseType::RequestEntityTooLarge,
            size1: Some(max_body as u32),
            why,
        };
        if let Some(size1) = message::uint_option(req, CoapOption::Size1) {
            if size1 as usize > self.max_body {
                self.abort(peer, &path);
                return too_large(format!(
                    "Size1 {size1} exceeds the {max_body} bytes available"
                ));
            }
        }
        if block.szx > self.max_szx && block.num > 0 {
            self.abort(peer, &path);
            let max = BlockOpt {
                num: 0,
                more: false,
                szx: self.max_szx,
            };
            return Block1Step::BlockTooLarge {
                why: format!(
                    "block {} of {} bytes does not fit the {}-byte download buffer",
                    block.num,
                    block.size(),
                    max.size()
                ),
                max,
            };
        }
        // A first block larger than our buffer: take the part that fits and answer with our
        // SZX, so the client continues at that size (RFC 7959 §2.5, BW-5).
        let (szx, mut data) = if block.szx > self.max_szx {
            let size = 16usize << self.max_szx;
            (
                self.max_szx,
                req.payload[..req.payload.len().min(size)].to_vec(),
            )
        } else {
            (block.szx, req.payload.clone())
        };
        let shrunk = szx != block.szx;
        let offset = block.offset();
        let more = block.more || (shrunk && data.len() < req.payload.len());
        if block.more && !shrunk && data.len() != block.size() {
            return Block1Step::Refuse {
                code: ResponseType::BadRequest,
                size1: None,
                why: format!(
                    "block {} carries {} bytes, not {}",
                    block.num,
                    data.len(),
                    block.size()
                ),
            };
        }
        let first = block.num == 0;
        if first {
            // Block 0 starts the transfer again, whatever was in progress (BW-4).
            self.abort(peer, &path);
            self.transfers.push(Transfer {
                peer,
                path: path.clone(),
                next_offset: 0,
                last_block: (usize::MAX, 0),
            });
        }
        let Some(t) = self
            .transfers
            .iter_mut()
            .find(|t| t.peer == peer && t.path == path)
        else {
            return Block1Step::Refuse {
                code: ResponseType::RequestEntityIncomplete,
                size1: None,
                why: format!("block {} without block 0 first", block.num),
            };
        };
        let ack_num = (offset / (16usize << szx)) as u32;
        let ack = BlockOpt {
            num: ack_num,
            more,
            szx,
        };
        if (offset, data.len()) == t.last_block {
            return Block1Step::Duplicate { ack };
        }
        if offset != t.next_offset {
            let expected = t.next_offset;
            self.abort(peer, &path);
            return Block1Step::Refuse {
                code: ResponseType::RequestEntityIncomplete,
                size1: None,
                why: format!("block at offset {offset}, expected offset {expected}"),
            };
        }
        if offset + data.len() > max_body {
            self.abort(peer, &path);
            return too_large(format!("the body passes the {max_body} bytes available"));
        }
        t.next_offset = offset + data.len();
        t.last_block = (offset, data.len());
        if !more {
            self.abort(peer, &path);
        }
        Block1Step::Data {
            offset,
            data: std::mem::take(&mut data),
            first,
            last: !more,
            ack,
        }
    }
}

/// The 2.31 Continue (or other) answer carrying a Block1 option.
pub fn block1_response(code: ResponseType, ack: BlockOpt) -> Packet {
    let mut p = message::response(code);
    p.add_option(CoapOption::Block1, ack.encode());
    p
}

/// The refusal for a `Block1Step::Refuse`, with Size1 when given.
pub fn refusal(code: ResponseType, size1: Option<u32>) -> Packet {
    let mut p = message::response(code);
    if let Some(s) = size1 {
        message::set_uint_option(&mut p, CoapOption::Size1, s);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use coap_lite::RequestType;

    const PEER: Addr = Addr::new([192, 0, 2, 1], 5683);
    const OTHER: Addr = Addr::new([192, 0, 2, 9], 5683);

    fn put(num: u32, more: bool, size: usize, payload: Vec<u8>, token: u8) -> Packet {
        let mut p = message::request(RequestType::Put, "/5/0/0");
        p.set_token(vec![token]);
        p.add_option(
            CoapOption::Block1,
            BlockOpt::new(num, more, size).unwrap().encode(),
        );
        p.payload = payload;
        p
    }

    fn data_of(step: Block1Step) -> (usize, usize, bool, bool) {
        match step {
            Block1Step::Data {
                offset,
                data,
                first,
                last,
                ..
            } => (offset, data.len(), first, last),
            other => panic!("expected data, got {other:?}"),
        }
    }

    #[test]
    fn bw1_blocks_with_new_tokens_join_one_transfer() {
        let mut r = Block1Receiver::new(4096, 1024);
        assert_eq!(
            data_of(r.on_request(PEER, &put(0, true, 64, vec![1; 64], 1))),
            (0, 64, true, false)
        );
        assert_eq!(
            data_of(r.on_request(PEER, &put(1, true, 64, vec![2; 64], 2))),
            (64, 64, false, false)
        );
        assert_eq!(
            data_of(r.on_request(PEER, &put(2, false, 64, vec![3; 10], 3))),
            (128, 10, false, true)
        );
        assert!(!r.in_progress(PEER, "/5/0/0"));
    }

    #[test]
    fn bw2_a_repeated_block_is_acknowledged_and_not_stored_again() {
        let mut r = Block1Receiver::new(4096, 1024);
        r.on_request(PEER, &put(0, true, 64, vec![1; 64], 1));
        let again = r.on_request(PEER, &put(0, true, 64, vec![1; 64], 7));
        // Block 0 again restarts (BW-4) rather than being a duplicate.
        assert_eq!(data_of(again), (0, 64, true, false));
        r.on_request(PEER, &put(1, true, 64, vec![2; 64], 2));
        let dup = r.on_request(PEER, &put(1, true, 64, vec![2; 64], 3));
        assert_eq!(
            dup,
            Block1Step::Duplicate {
                ack: BlockOpt::new(1, true, 64).unwrap()
            }
        );
        assert_eq!(
            data_of(r.on_request(PEER, &put(2, false, 64, vec![3; 5], 4))).0,
            128
        );
    }

    #[test]
    fn bw3_a_gap_gets_4_08_and_bw4_block_zero_restarts() {
        let mut r = Block1Receiver::new(4096, 1024);
        r.on_request(PEER, &put(0, true, 64, vec![1; 64], 1));
        let gap = r.on_request(PEER, &put(2, true, 64, vec![1; 64], 2));
        assert!(matches!(
            gap,
            Block1Step::Refuse {
                code: ResponseType::RequestEntityIncomplete,
                ..
            }
        ));
        let orphan = r.on_request(PEER, &put(1, true, 64, vec![1; 64], 3));
        assert!(matches!(
            orphan,
            Block1Step::Refuse {
                code: ResponseType::RequestEntityIncomplete,
                ..
            }
        ));
        assert!(
            data_of(r.on_request(PEER, &put(0, true, 64, vec![1; 64], 4))).2,
            "block 0 starts afresh"
        );
        // Another peer's transfer of the same path is separate.
        assert!(matches!(
            r.on_request(OTHER, &put(1, true, 64, vec![1; 64], 5)),
            Block1Step::Refuse { .. }
        ));
        assert!(r.in_progress(PEER, "/5/0/0"));
    }

    #[test]
    fn fu_d2_too_large_gets_4_13_with_size1() {
        let mut r = Block1Receiver::new(100, 1024);
        let mut p = put(0, true, 64, vec![1; 64], 1);
        message::set_uint_option(&mut p, CoapOption::Size1, 5000);
        assert_eq!(
            r.on_request(PEER, &p),
            Block1Step::Refuse {
                code: ResponseType::RequestEntityTooLarge,
                size1: Some(100),
                why: "Size1 5000 exceeds the 100 bytes available".into()
            }
        );
        r.on_request(PEER, &put(0, true, 64, vec![1; 64], 2));
        assert!(matches!(
            r.on_request(PEER, &put(1, true, 64, vec![1; 64], 3)),
            Block1Step::Refuse {
                code: ResponseType::RequestEntityTooLarge,
                size1: Some(100),
                ..
            }
        ));
    }

    #[test]
    fn fu_d3_a_client_that_keeps_a_block_too_large_for_the_buffer_is_refused() {
        let mut r = Block1Receiver::new(4096, 256);
        let step = r.on_request(PEER, &put(0, true, 1024, vec![1; 1024], 1));
        assert!(matches!(step, Block1Step::Data { ack, .. } if ack.size() == 256));
        // The client ignores our 256 and sends its block 1 of 1024 bytes.
        match r.on_request(PEER, &put(1, true, 1024, vec![2; 1024], 2)) {
            Block1Step::BlockTooLarge { max, why } => {
                assert_eq!(max.size(), 256);
                assert!(why.contains("download buffer"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!r.in_progress(PEER, "/5/0/0"));
    }

    #[test]
    fn a_larger_block_than_the_buffer_is_cut_and_the_client_told_our_size() {
        let mut r = Block1Receiver::new(8192, 256);
        match r.on_request(PEER, &put(0, true, 1024, vec![9; 1024], 1)) {
            Block1Step::Data {
                offset: 0,
                data,
                ack,
                ..
            } => {
                assert_eq!(data.len(), 256);
                assert_eq!((ack.num, ack.more, ack.size()), (0, true, 256));
            }
            other => panic!("{other:?}"),
        }
        // The client continues at 256 bytes from block 1.
        assert_eq!(
            data_of(r.on_request(PEER, &put(1, false, 256, vec![9; 20], 2))),
            (256, 20, false, true)
        );
    }
}
