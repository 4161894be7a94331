//! The PULL downloader: fetches a Package URI with CoAP Block2 into the secondary slot,
//! checking that ETag and Size2 stay the same on every block (BW-6).

use crate::uri::PackageUri;
use fota_coap::message::{self, uint_option};
use fota_coap::{BlockOpt, CoapOption, MessageClass, Packet, RequestType, ResponseType};
use fota_lwm2m::UpdateResult;

#[derive(Clone, Debug)]
pub struct Download {
    pub uri: PackageUri,
    pub block_size: usize,
    pub next_block: u32,
    pub written: usize,
    pub etag: Option<Vec<u8>>,
    pub size2: Option<u32>,
}

/// What one block response means for the download.
#[derive(Debug, PartialEq, Eq)]
pub enum BlockStep {
    /// Write `data` at `offset`, then ask for the next block.
    More {
        offset: usize,
        data: Vec<u8>,
    },
    /// Write `data` at `offset`; the image is complete.
    Last {
        offset: usize,
        data: Vec<u8>,
    },
    Failed {
        result: UpdateResult,
        why: String,
    },
}

impl Download {
    pub fn new(uri: PackageUri, block_size: usize) -> Download {
        Download {
            uri,
            block_size,
            next_block: 0,
            written: 0,
            etag: None,
            size2: None,
        }
    }

    /// The GET for the next block (early negotiation: block 0 already carries our size).
    pub fn request(&self) -> Packet {
        let mut p = message::request(RequestType::Get, &self.uri.path);
        let block = BlockOpt::new(self.next_block, false, self.block_size).unwrap_or(BlockOpt {
            num: self.next_block,
            more: false,
            szx: 6,
        });
        p.add_option(CoapOption::Block2, block.encode());
        p
    }

    pub fn on_response(&mut self, p: &Packet, slot_size: usize) -> BlockStep {
        let fail = |result, why: String| BlockStep::Failed { result, why };
        match p.header.code {
            MessageClass::Response(ResponseType::Content) => {}
            MessageClass::Response(ResponseType::NotFound) => {
                return fail(
                    UpdateResult::InvalidUri,
                    "the repository answered 4.04 Not Found".into(),
                )
            }
            other => {
                return fail(
                    UpdateResult::InvalidUri,
                    format!("the repository answered {}", message::code_name(other)),
                )
            }
        }
        let block = match p
            .get_first_option(CoapOption::Block2)
            .map(|v| BlockOpt::decode(v))
        {
            Some(Ok(b)) => b,
            Some(Err(e)) => {
                return fail(
                    UpdateResult::ConnectionLost,
                    format!("bad Block2 option: {e}"),
                )
            }
            None if self.next_block == 0 => BlockOpt {
                num: 0,
                more: false,
                szx: 6,
            },
            None => {
                return fail(
                    UpdateResult::ConnectionLost,
                    "a later block came without Block2".into(),
                )
            }
        };
        if block.num != self.next_block {
            return fail(
                UpdateResult::ConnectionLost,
                format!(
                    "asked for block {}, got block {}",
                    self.next_block, block.num
                ),
            );
        }
        let etag = p.get_first_option(CoapOption::ETag).cloned();
        let size2 = uint_option(p, CoapOption::Size2);
        if self.next_block == 0 {
            self.etag = etag;
            self.size2 = size2;
            // The server may pick a smaller block than we asked for; follow it.
            self.block_size = block.size();
            if let Some(total) = size2 {
                if total as usize > slot_size {
                    return fail(
                        UpdateResult::NotEnoughFlash,
                        format!("Size2 {total} exceeds the {slot_size}-byte slot"),
                    );
                }
            }
        } else if etag != self.etag || (size2.is_some() && size2 != self.size2) {
            return fail(
                UpdateResult::ConnectionLost,
                "the image changed during the download (ETag or Size2 differ)".into(),
            );
        }
        let offset = block.offset();
        self.written = offset + p.payload.len();
        self.next_block += 1;
        let data = p.payload.clone();
        if block.more {
            BlockStep::More { offset, data }
        } else {
            BlockStep::Last { offset, data }
        }
    }
}
