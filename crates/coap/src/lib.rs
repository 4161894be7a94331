//! Sans-IO CoAP for the FOTA Sandbox: the wire codec is coap-lite's `Packet`; everything that
//! needs time or randomness (retransmission, message ids, tokens) runs on [`SimTime`] and a
//! seeded [`SimRng`], so the same seed gives the same bytes natively and in wasm.

pub mod addr;
mod awaiting;
pub mod block;
pub mod block1;
pub mod block1_sender;
pub mod block2_client;
pub mod cow;
mod critical;
mod dedup;
mod event;
mod exchange;
pub mod message;
pub mod messenger;
pub mod observe;
pub mod params;
pub mod rng;
pub mod time;

pub use addr::{Addr, Datagram};
pub use block::BlockOpt;
pub use coap_lite::{
    CoapOption, ContentFormat, MessageClass, MessageType, Packet, RequestType, ResponseType,
};
pub use messenger::{CoapEvent, Messenger};
pub use rng::SimRng;
pub use time::SimTime;
