//! Block-wise transfers in a trace: the long runs of Block2 (or Block1) messages on one path
//! that the ladder can fold into one line, as "Block2 × 128 /fw/app.bin".

use fota_coap::message::{decode, uri_path};
use fota_coap::CoapOption;
use fota_sim::cow::CowVec;
use fota_sim::{NodeId, TraceEntry};

/// Fewer messages than this are not worth folding.
const MIN_RUN: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// First row, and the row after the last.
    pub start: usize,
    pub end: usize,
    /// `Block2` or `Block1`.
    pub kind: &'static str,
    pub path: String,
    /// The two nodes the transfer runs between, so its folded line sits in their lanes.
    pub ends: (Option<NodeId>, Option<NodeId>),
}

impl Group {
    pub fn label(&self, shown_end: usize) -> String {
        let n = self.end.min(shown_end) - self.start;
        format!("{} × {n} {}", self.kind, self.path)
    }
}

/// The block option and path a datagram belongs to; a response takes its request's path.
fn key(trace: &CowVec<TraceEntry>, e: &TraceEntry) -> Option<(&'static str, String)> {
    let p = decode(&e.bytes).ok()?;
    let kind = if p.get_first_option(CoapOption::Block2).is_some() {
        "Block2"
    } else if p.get_first_option(CoapOption::Block1).is_some() {
        "Block1"
    } else {
        return None;
    };
    let path = match e.answers {
        Some(i) => uri_path(&decode(&trace.get(i)?.bytes).ok()?),
        None => uri_path(&p),
    };
    Some((kind, path))
}

pub fn block_runs(trace: &CowVec<TraceEntry>) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut open: Option<Group> = None;
    for e in trace {
        let k = key(trace, e);
        let continues = matches!((&open, &k), (Some(g), Some((kind, path))) if g.kind == *kind && g.path == *path);
        if continues {
            if let Some(g) = open.as_mut() {
                g.end = e.id + 1;
            }
            continue;
        }
        if let Some(g) = open.take().filter(|g| g.end - g.start >= MIN_RUN) {
            groups.push(g);
        }
        open = k.map(|(kind, path)| Group {
            start: e.id,
            end: e.id + 1,
            kind,
            path,
            ends: (e.from_node, e.to_node),
        });
    }
    groups.extend(open.filter(|g| g.end - g.start >= MIN_RUN));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_sim::{Scenario, World};

    #[test]
    fn a_pull_is_one_block2_run_and_a_push_one_block1_run() {
        let mut w = World::new(Scenario::by_id("pull-success").unwrap(), 1);
        w.run_to_end();
        let g = block_runs(w.trace());
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(
            (g[0].kind, g[0].path.as_str()),
            ("Block2", "/fw/app-2.0.0.bin")
        );
        // 64 requests and 64 answers, but the first request goes out beside the State
        // notification, which is no part of the transfer.
        assert_eq!(g[0].end - g[0].start, 127);
        assert_eq!(g[0].label(usize::MAX), "Block2 × 127 /fw/app-2.0.0.bin");
        assert_eq!(g[0].label(g[0].start + 10), "Block2 × 10 /fw/app-2.0.0.bin");
        let mut w = World::new(Scenario::by_id("push-success").unwrap(), 1);
        w.run_to_end();
        let g = block_runs(w.trace());
        assert_eq!((g[0].kind, g[0].path.as_str()), ("Block1", "/5/0/0"));
        // A PUSH runs between the server and the device, not the device and the repository.
        assert_eq!(g[0].ends, (Some(NodeId::Server), Some(NodeId::Device)));
    }
}
