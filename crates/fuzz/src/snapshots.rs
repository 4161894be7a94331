//! Worlds taken along each built-in scenario at the moments a node's state changes (just
//! registered, downloading, pushing, rebooted and registering again, finished) and a little
//! into each of them (mid-download, mid-push), where the node targets inject their mutants.

use crate::corpus::Sent;
use fota_sim::{Scenario, World};

/// A world part-way through a scenario, and the datagrams its run carries around that point.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// `pull-success #57 (downloading; device Downloading, registered)`.
    pub label: String,
    pub scenario: String,
    /// Datagrams on the ladder when it was taken: a test that replays it steps the world
    /// of the scenario (seed 1) until the trace has this many rows.
    pub rows: usize,
    pub world: World,
    /// The run's datagrams just before and after this point.
    pub nearby: Vec<Sent>,
    /// The answers still to come to requests already sent: a mutant of one, injected now,
    /// arrives before the real answer and is the one the waiting node takes.
    pub awaited: Vec<Sent>,
}

/// Rows before and after a snapshot kept as its nearby datagrams.
const BEFORE: usize = 8;
const AFTER: usize = 24;

/// Datagrams into one situation after which it is taken again: a step into a download or a
/// push, and a longer one.
const INTO: [usize; 2] = [6, 30];

/// What changes between the snapshots of a run: the campaign's phase, the device's /5 State,
/// whether it is registered, and its moments (a reset, a boot).
fn situation(w: &World) -> (String, &'static str, bool, usize) {
    (
        w.server().phase().name().to_string(),
        w.device().fw_state().name(),
        w.device().is_registered(),
        w.moments().len(),
    )
}

/// The snapshots of one scenario run with seed 1.
pub fn along(scenario: &Scenario) -> Vec<Snapshot> {
    let mut w = World::new(scenario.clone(), 1);
    let mut taken: Vec<(usize, World, String)> = Vec::new();
    let mut last = None;
    let mut since = 0;
    loop {
        let now = situation(&w);
        if last.as_ref() != Some(&now) {
            since = 0;
        }
        if since == 0 || INTO.contains(&since) {
            let (phase, state, registered, _) = &now;
            let registered = if *registered {
                "registered"
            } else {
                "not registered"
            };
            let rows = w.trace().len();
            let label = format!(
                "{} #{rows} ({phase}; device {state}, {registered})",
                scenario.id
            );
            taken.push((rows, w.clone(), label));
        }
        last = Some(now);
        since += 1;
        if !w.step_datagram() {
            break;
        }
    }
    let trace = w.trace();
    taken
        .into_iter()
        .map(|(rows, world, label)| {
            let from = rows.saturating_sub(BEFORE);
            let to = (rows + AFTER).min(trace.len());
            let sent = |e: &fota_sim::TraceEntry| Sent {
                from: e.from,
                to: e.to,
                bytes: e.bytes.clone(),
            };
            let nearby = (from..to).filter_map(|i| trace.get(i)).map(sent).collect();
            let awaited = (rows..to)
                .filter_map(|i| trace.get(i))
                .filter(|e| e.answers.is_some_and(|r| r < rows))
                .map(sent)
                .collect();
            Snapshot {
                label,
                scenario: scenario.id.clone(),
                rows,
                world,
                nearby,
                awaited,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pull_is_caught_registered_downloading_and_rebooted() {
        let snaps = along(&Scenario::by_id("pull-success").unwrap());
        let labels: Vec<&str> = snaps.iter().map(|s| s.label.as_str()).collect();
        let has = |what: &str| labels.iter().any(|l| l.contains(what));
        assert!(has("preparing; device Idle, registered"), "{labels:#?}");
        assert!(
            has("downloading; device Downloading, registered"),
            "{labels:#?}"
        );
        assert!(
            has("device Updating, not registered"),
            "the reboot: {labels:#?}"
        );
        // Mid-download: a step into the Downloading state, with blocks on either side.
        let mid = snaps
            .iter()
            .filter(|s| s.label.contains("device Downloading"))
            .nth(1)
            .unwrap();
        assert!(mid.nearby.len() == BEFORE + AFTER);
        // The answer to the Block2 request last sent is still to come.
        assert!(!mid.awaited.is_empty());
        assert_eq!(mid.world.trace().len(), mid.rows);
    }
}
