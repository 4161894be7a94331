//! The fixed addresses of the simulated network. They look like a real capture: the TEST-NET-1
//! range (RFC 5737) and the CoAP port.

use fota_coap::Addr;
use serde::{Deserialize, Serialize};

pub const SERVER_ADDR: Addr = Addr::new([192, 0, 2, 1], 5683);
pub const REPOSITORY_ADDR: Addr = Addr::new([192, 0, 2, 2], 5683);
pub const DEVICE_ADDR: Addr = Addr::new([192, 0, 2, 10], 56830);
pub const REPOSITORY_HOST: &str = "repo.sandbox";

/// One of the three nodes: `server`, `repository` or `device` in a scenario file (read in
/// any case, as scenario files have always been).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum NodeId {
    Server,
    Repository,
    Device,
}

/// Any case of a node's name. Checked as the string is read (a visitor, not a `String` read
/// first), so that a reader's error is placed at this value and names its field.
impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<NodeId, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = NodeId;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("server, repository or device")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<NodeId, E> {
                NodeId::ALL
                    .into_iter()
                    .find(|n| n.name().eq_ignore_ascii_case(name))
                    .ok_or_else(|| {
                        E::custom(format!("\"{name}\" is not server, repository or device"))
                    })
            }
        }
        d.deserialize_str(Name)
    }
}

impl NodeId {
    pub const ALL: [NodeId; 3] = [NodeId::Server, NodeId::Repository, NodeId::Device];

    pub fn addr(self) -> Addr {
        match self {
            NodeId::Server => SERVER_ADDR,
            NodeId::Repository => REPOSITORY_ADDR,
            NodeId::Device => DEVICE_ADDR,
        }
    }

    pub fn of(addr: Addr) -> Option<NodeId> {
        NodeId::ALL.into_iter().find(|n| n.addr() == addr)
    }

    pub fn name(self) -> &'static str {
        match self {
            NodeId::Server => "Server",
            NodeId::Repository => "Repository",
            NodeId::Device => "Device",
        }
    }
}
