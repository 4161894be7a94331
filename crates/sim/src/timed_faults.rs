//! Faults of the timeline that happen at a moment: a reboot, a power cut, another image in
//! the repository, a link down, new network settings. Faults on one datagram are the
//! network's to apply when that datagram is sent.

use crate::history::{LogEntry, Said};
use crate::scenario::Fault;
use crate::topology::NodeId;
use crate::world::World;
use fota_coap::SimTime;

impl World {
    /// A fault of the timeline happens now; returns the node it happens to.
    pub(crate) fn apply(&mut self, at: SimTime, fault: &Fault) -> NodeId {
        let (node, text) = match fault {
            Fault::Reboot { .. } => {
                self.device.reset(at);
                (NodeId::Device, "fault: the device reboots".to_string())
            }
            Fault::PowerCut { off_ms, .. } => {
                self.device.power_cut(at, *off_ms);
                (
                    NodeId::Device,
                    format!("fault: the device loses power for {off_ms} ms"),
                )
            }
            Fault::ReplaceImage { .. } => {
                let image = crate::build::rebuilt_image(&self.scenario, self.seed());
                let path = self.scenario.image.path.clone();
                self.repository.publish(&path, image);
                (
                    NodeId::Repository,
                    format!("fault: another build of {path} is published (a new ETag)"),
                )
            }
            Fault::LinkDown { node, up_at_ms, .. } => {
                let until = up_at_ms.map_or(" for good".to_string(), |t| format!(" until {t} ms"));
                (*node, format!("fault: the link is down{until}"))
            }
            Fault::SetNetwork { settings, .. } => {
                self.network.adjust(|p| settings.apply(p));
                let p = self.network.params(NodeId::Device, NodeId::Server);
                (
                    NodeId::Device,
                    format!(
                        "fault: the network now has {} ms latency, {} % loss, {} % duplication, {} % corruption",
                        p.latency_ms, p.loss_percent, p.duplicate_percent, p.corrupt_percent
                    ),
                )
            }
            // Datagram faults act when their row is recorded.
            _ => return NodeId::Device,
        };
        self.history.log.push(LogEntry {
            at,
            node,
            said: Said::Text(text),
            rule: None,
        });
        node
    }
}
