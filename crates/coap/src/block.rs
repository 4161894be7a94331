//! The Block1 / Block2 option value of RFC 7959 §2.2, with all 20 bits of the block number
//! (rule BW-7). coap-lite's own type goes through a `u16` and wraps past block 4095.

use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockOpt {
    /// Block number, `0..=MAX_NUM`.
    pub num: u32,
    /// M: more blocks follow.
    pub more: bool,
    /// SZX: block size is `2^(szx + 4)`, `0..=6` (7 is BERT, reserved for CoAP over TCP).
    pub szx: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockError {
    /// The option value is longer than 3 bytes.
    TooLong(usize),
    /// SZX 7 is reserved outside BERT.
    ReservedSzx,
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockError::TooLong(n) => write!(f, "block option of {n} bytes (at most 3)"),
            BlockError::ReservedSzx => write!(f, "block option with reserved SZX 7"),
        }
    }
}

impl BlockOpt {
    pub const MAX_NUM: u32 = (1 << 20) - 1;

    pub fn new(num: u32, more: bool, size: usize) -> Option<BlockOpt> {
        let szx = Self::szx_for(size)?;
        (num <= Self::MAX_NUM).then_some(BlockOpt { num, more, szx })
    }

    /// SZX for a block size in bytes: 16, 32, ... 1024.
    pub fn szx_for(size: usize) -> Option<u8> {
        (0u8..=6).find(|&szx| 16usize << szx == size)
    }

    pub fn size(self) -> usize {
        16usize << self.szx
    }

    /// Byte offset of this block in the whole body.
    pub fn offset(self) -> usize {
        self.num as usize * self.size()
    }

    /// The option value, in the fewest bytes (an all-zero value is the empty string).
    pub fn encode(self) -> Vec<u8> {
        crate::message::uint_bytes(
            (self.num << 4) | (u32::from(self.more) << 3) | u32::from(self.szx & 7),
        )
    }

    pub fn decode(value: &[u8]) -> Result<BlockOpt, BlockError> {
        let v = crate::message::uint_value(value)
            .filter(|_| value.len() <= 3)
            .ok_or(BlockError::TooLong(value.len()))?;
        let szx = (v & 7) as u8;
        if szx == 7 {
            return Err(BlockError::ReservedSzx);
        }
        Ok(BlockOpt {
            num: v >> 4,
            more: v & 8 != 0,
            szx,
        })
    }
}

impl fmt::Display for BlockOpt {
    /// The usual `NUM/M/SIZE` notation, as in Wireshark and libcoap.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.num, u8::from(self.more), self.size())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rfc7959_examples() {
        // RFC 7959 §2.2: block 0, no more, 16 bytes is the zero-length value.
        assert_eq!(
            BlockOpt::new(0, false, 16).unwrap().encode(),
            Vec::<u8>::new()
        );
        // Block 1 of 512 bytes with more: (1<<4)|8|5 = 0x1d.
        assert_eq!(BlockOpt::new(1, true, 512).unwrap().encode(), vec![0x1d]);
    }

    #[test]
    fn bw7_block_numbers_use_all_twenty_bits() {
        for num in [4095, 4096, 5000, BlockOpt::MAX_NUM] {
            let b = BlockOpt::new(num, true, 1024).unwrap();
            let bytes = b.encode();
            assert!(bytes.len() <= 3);
            assert_eq!(BlockOpt::decode(&bytes).unwrap(), b);
        }
        assert_eq!(
            BlockOpt::decode(&[0xff, 0xff, 0xfe]).unwrap().num,
            BlockOpt::MAX_NUM
        );
        assert!(BlockOpt::new(BlockOpt::MAX_NUM + 1, false, 16).is_none());
    }

    #[test]
    fn rejects_long_values_and_bert() {
        assert_eq!(BlockOpt::decode(&[1, 2, 3, 4]), Err(BlockError::TooLong(4)));
        assert_eq!(BlockOpt::decode(&[0x07]), Err(BlockError::ReservedSzx));
    }

    #[test]
    fn offset_and_size() {
        let b = BlockOpt::new(3, true, 512).unwrap();
        assert_eq!((b.size(), b.offset()), (512, 1536));
        assert_eq!(b.to_string(), "3/1/512");
    }
}
