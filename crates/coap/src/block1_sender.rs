//! The sending side of an RFC 7959 Block1 transfer: a body cut into blocks, following the
//! receiver's smaller block size when its first 2.31 asks for one (BW-5), and stopping on
//! 4.13 with the Size1 the receiver can take.

use crate::block::BlockOpt;
use crate::message::{code_name, set_uint_option, uint_option};
use coap_lite::{CoapOption, MessageClass, Packet, ResponseType};

#[derive(Clone, Debug, PartialEq)]
pub enum SendStep {
    /// Send this next block.
    Next(Packet),
    /// The receiver took the whole body; its final answer.
    Done(Packet),
    /// An answer that does not fit the block in flight (a 2.31 for a block not sent, a code
    /// no receiver gives, an error for a request that may have been damaged on the way): the
    /// block in flight stays where it was, to be sent again.
    Unexpected { code: MessageClass, why: String },
    /// The receiver refused: `code`, and with 4.13 the size it can take.
    Failed {
        code: MessageClass,
        size1: Option<u32>,
        why: String,
    },
}

#[derive(Clone, Debug)]
pub struct Block1Sender {
    template: Packet,
    /// Shared, so that cloning a sender (a world's checkpoint) does not copy the image.
    body: std::sync::Arc<Vec<u8>>,
    szx: u8,
    /// Offset of the block in flight: 0, or inside the body (`on_response` moves it only there).
    offset: usize,
    /// Keep our block size even when the receiver asks for a smaller one: a sender that does
    /// not renegotiate, as some servers do (FU-D3).
    insist: bool,
}

impl Block1Sender {
    /// `template` is the request without payload (method, path, Content-Format).
    pub fn new(
        template: Packet,
        body: impl Into<std::sync::Arc<Vec<u8>>>,
        block_size: usize,
    ) -> Block1Sender {
        Block1Sender {
            template,
            body: body.into(),
            szx: BlockOpt::szx_for(block_size).unwrap_or(6),
            offset: 0,
            insist: false,
        }
    }

    /// A sender that ignores the receiver's smaller block size.
    pub fn insisting(mut self) -> Block1Sender {
        self.insist = true;
        self
    }

    pub fn total(&self) -> usize {
        self.body.len()
    }

    pub fn block_size(&self) -> usize {
        16usize << self.szx
    }

    /// Bytes acknowledged so far (the offset of the block in flight).
    pub fn sent(&self) -> usize {
        self.offset
    }

    /// Back to block 0, which restarts the transfer at the receiver (RFC 7959 §2.5, BW-4): for
    /// a receiver that lost track of it and answers 4.08.
    pub fn restart(&mut self) {
        self.offset = 0;
    }

    /// The request carrying the block at the current offset.
    pub fn request(&self) -> Packet {
        let size = self.block_size();
        let end = (self.offset + size).min(self.body.len());
        let num = (self.offset / size) as u32;
        let mut p = self.template.clone();
        p.add_option(
            CoapOption::Block1,
            BlockOpt {
                num,
                more: end < self.body.len(),
                szx: self.szx,
            }
            .encode(),
        );
        if self.offset == 0 {
            set_uint_option(&mut p, CoapOption::Size1, self.body.len() as u32);
        }
        p.payload = self.body[self.offset..end].to_vec();
        p
    }

    pub fn on_response(&mut self, resp: &Packet) -> SendStep {
        let code = resp.header.code;
        let ack = resp
            .get_first_option(CoapOption::Block1)
            .and_then(|v| BlockOpt::decode(v).ok());
        match code {
            MessageClass::Response(ResponseType::Continue) => {
                let Some(ack) = ack else {
                    return SendStep::Unexpected {
                        code,
                        why: "2.31 without a Block1 option".into(),
                    };
                };
                if ack.szx > self.szx {
                    return SendStep::Unexpected {
                        code,
                        why: "the receiver asked for a larger block".into(),
                    };
                }
                // The receiver may have taken less than we sent: go on from what it took, at
                // its block size.
                let taken_end = (ack.num as usize + 1) * ack.size();
                if taken_end <= self.offset || taken_end > self.offset + self.block_size() {
                    return SendStep::Unexpected {
                        code,
                        why: format!("2.31 acknowledges block {} which was not sent", ack.num),
                    };
                }
                let (szx, offset) = if self.insist {
                    (self.szx, self.offset + self.block_size())
                } else {
                    (ack.szx, taken_end)
                };
                // Checked before moving on, so that a refused step leaves the block in flight
                // where it was and `request()` keeps its offset inside the body.
                if offset >= self.body.len() {
                    return SendStep::Unexpected {
                        code,
                        why: "2.31 after the last block".into(),
                    };
                }
                self.szx = szx;
                self.offset = offset;
                SendStep::Next(self.request())
            }
            MessageClass::Response(ResponseType::Changed | ResponseType::Created) => {
                SendStep::Done(resp.clone())
            }
            // The one answer that settles it: the body does not fit (FU-D2, FU-D3).
            MessageClass::Response(ResponseType::RequestEntityTooLarge) => SendStep::Failed {
                code,
                size1: uint_option(resp, CoapOption::Size1),
                why: format!("the receiver answered {}", code_name(code)),
            },
            _ => SendStep::Unexpected {
                code,
                why: format!("the receiver answered {}", code_name(code)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addr::Addr;
    use crate::block1::{block1_response, refusal, Block1Receiver, Block1Step};
    use crate::message::request;
    use coap_lite::RequestType;

    const PEER: Addr = Addr::new([192, 0, 2, 1], 5683);

    /// Runs a sender against a receiver; returns what the receiver stored, or the failure.
    fn transfer(
        body: Vec<u8>,
        send_block: usize,
        recv_block: usize,
        room: usize,
    ) -> Result<Vec<u8>, SendStep> {
        let sender = Block1Sender::new(request(RequestType::Put, "/5/0/0"), body, send_block);
        run(sender, recv_block, room)
    }

    fn run(mut sender: Block1Sender, recv_block: usize, room: usize) -> Result<Vec<u8>, SendStep> {
        let mut receiver = Block1Receiver::new(room, recv_block);
        let mut stored = vec![0u8; room];
        let mut end = 0;
        let mut req = sender.request();
        loop {
            let answer = match receiver.on_request(PEER, &req) {
                Block1Step::Data {
                    offset,
                    data,
                    last,
                    ack,
                    ..
                } => {
                    stored[offset..offset + data.len()].copy_from_slice(&data);
                    end = offset + data.len();
                    block1_response(
                        if last {
                            ResponseType::Changed
                        } else {
                            ResponseType::Continue
                        },
                        ack,
                    )
                }
                Block1Step::Duplicate { ack } => block1_response(ResponseType::Continue, ack),
                Block1Step::Refuse { code, size1, .. } => refusal(code, size1),
                Block1Step::BlockTooLarge { max, .. } => {
                    block1_response(ResponseType::RequestEntityTooLarge, max)
                }
                Block1Step::NotBlockwise => unreachable!("the sender always sends Block1"),
            };
            match sender.on_response(&answer) {
                SendStep::Next(next) => req = next,
                SendStep::Done(_) => return Ok(stored[..end].to_vec()),
                failed => return Err(failed),
            }
        }
    }

    #[test]
    fn a_body_arrives_whole_at_equal_block_sizes() {
        let body: Vec<u8> = (0..5000u32).map(|i| i as u8).collect();
        assert_eq!(transfer(body.clone(), 512, 512, 8192).unwrap(), body);
    }

    #[test]
    fn bw5_the_sender_follows_a_smaller_block_size() {
        let body: Vec<u8> = (0..3000u32).map(|i| (i * 3) as u8).collect();
        assert_eq!(transfer(body.clone(), 1024, 64, 8192).unwrap(), body);
    }

    #[test]
    fn fu_d3_a_sender_that_insists_on_its_size_is_refused_with_4_13() {
        let sender =
            Block1Sender::new(request(RequestType::Put, "/5/0/0"), vec![7; 3000], 1024).insisting();
        match run(sender, 256, 8192) {
            Err(SendStep::Failed { code, .. }) => assert_eq!(
                code,
                MessageClass::Response(ResponseType::RequestEntityTooLarge)
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fu_d2_too_large_stops_with_size1() {
        match transfer(vec![1; 3000], 512, 512, 1000) {
            Err(SendStep::Failed { code, size1, .. }) => {
                assert_eq!(
                    code,
                    MessageClass::Response(ResponseType::RequestEntityTooLarge)
                );
                assert_eq!(size1, Some(1000));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn first_block_carries_size1_and_later_ones_do_not() {
        let mut s = Block1Sender::new(request(RequestType::Put, "/5/0/0"), vec![0; 100], 64);
        assert_eq!(uint_option(&s.request(), CoapOption::Size1), Some(100));
        let ack = block1_response(ResponseType::Continue, BlockOpt::new(0, true, 64).unwrap());
        let SendStep::Next(second) = s.on_response(&ack) else {
            panic!()
        };
        assert_eq!(uint_option(&second, CoapOption::Size1), None);
        assert_eq!(second.payload.len(), 36);
        assert_eq!(s.sent(), 64);
    }

    #[test]
    fn a_continue_after_the_last_block_is_unexpected_and_leaves_the_sender_usable() {
        let mut s = Block1Sender::new(request(RequestType::Put, "/5/0/0"), vec![0; 100], 64);
        let ack = block1_response(ResponseType::Continue, BlockOpt::new(0, true, 64).unwrap());
        assert!(matches!(s.on_response(&ack), SendStep::Next(_)));
        // The receiver says "continue" after the last block: there is nothing left to send.
        let ack = block1_response(ResponseType::Continue, BlockOpt::new(1, true, 64).unwrap());
        assert!(matches!(s.on_response(&ack), SendStep::Unexpected { .. }));
        assert!(s.sent() <= s.total());
        // The block in flight can still be built (it used to panic on the slice).
        assert_eq!(s.request().payload.len(), 36);
    }

    #[test]
    fn only_4_13_refuses_the_body_other_answers_leave_the_block_in_flight() {
        let mut s = Block1Sender::new(request(RequestType::Put, "/5/0/0"), vec![0; 100], 64);
        let too_large = crate::message::response(ResponseType::RequestEntityTooLarge);
        assert!(matches!(s.on_response(&too_large), SendStep::Failed { .. }));
        for code in [
            ResponseType::NotFound,
            ResponseType::BadOption,
            ResponseType::Valid,
        ] {
            let answer = crate::message::response(code);
            assert!(
                matches!(s.on_response(&answer), SendStep::Unexpected { .. }),
                "{code:?}"
            );
            assert_eq!(s.sent(), 0, "the block in flight stays where it was");
        }
    }
}
