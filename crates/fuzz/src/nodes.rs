//! The node targets: a mutant put on the wire to the device, the server or the repository,
//! from the peer that talks to it, in a world taken part-way through a scenario; then the
//! world runs on, so that whatever the node made of the mutant (a retry, a state change, a
//! half-written slot) meets the rest of the run, and every row since is explained as the
//! ladder shows it.

use crate::snapshots::Snapshot;
use fota_coap::Addr;
use fota_sim::NodeId;

/// How long the world runs on after the mutant: past a CoAP exchange's lifetime of
/// retransmissions (2 s doubling, 4 retries: 45 s), so that a broken exchange ends.
pub const RUN_ON_S: u64 = 60;

/// Events at one instant of virtual time past which the world is taken to be stuck: the
/// nodes are answering each other (or themselves) without the clock ever moving.
const STUCK_AT_ONE_INSTANT: u64 = 10_000;

/// Injects `bytes` from `from` to `node` in a copy of the snapshot's world and runs it on
/// for `RUN_ON_S` seconds; an error when the world stops advancing in time.
pub fn inject(snapshot: &Snapshot, node: NodeId, from: Addr, bytes: Vec<u8>) -> Result<(), String> {
    let mut w = snapshot.world.clone();
    w.inject(from, node.addr(), bytes);
    let until = w.now().plus_ms(RUN_ON_S * 1000);
    let (mut instant, mut events) = (w.now(), 0u64);
    while w.now() < until {
        // Once the run is over (the campaign settled or its time limit passed) `step_event`
        // stops; `run_until` goes on with what is still scheduled, as after a campaign.
        if !w.step_event() {
            w.run_until(until);
            break;
        }
        if w.now() == instant {
            events += 1;
            if events > STUCK_AT_ONE_INSTANT {
                return Err(format!(
                    "the world is stuck: {events} events at {} ms without the clock moving",
                    instant.millis()
                ));
            }
        } else {
            (instant, events) = (w.now(), 0);
        }
    }
    // What the ladder and the inspector show of each row since: the explanation (with the
    // request a response answers) and the rules met, the mutant's own row among them.
    let trace = w.trace();
    for e in trace.iter().skip(snapshot.rows) {
        let request = e
            .answers
            .and_then(|r| trace.get(r))
            .map(|r| r.bytes.as_slice());
        let _ = fota_lwm2m::explain(&e.arriving_bytes(), request);
        let _ = w.row_rules(e.id);
    }
    Ok(())
}
