//! Rewind and branch: a run kept as checkpoints (clones of the world every so many events,
//! cheap because traces and flash are shared copy-on-write) plus replay from the nearest one.
//! Going to any event, backwards or forwards, replays at most one interval.

use crate::position::Position;
use crate::scenario::Fault;
use crate::world::World;
use std::sync::Arc;

/// Events between checkpoints: replaying this many takes well under a frame.
pub const CHECKPOINT_EVERY: u64 = 128;

#[derive(Clone, Debug)]
pub struct Timeline {
    /// Worlds at steps 0, N, 2N, ...: the start and every N-th event reached so far. Shared:
    /// a clone of the timeline (the UI makes one per action) copies no world but the current.
    checkpoints: Arc<Vec<World>>,
    current: World,
}

impl Timeline {
    pub fn new(start: World) -> Timeline {
        Timeline {
            checkpoints: Arc::new(vec![start.clone()]),
            current: start,
        }
    }

    pub fn world(&self) -> &World {
        &self.current
    }

    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Keeps a checkpoint when the current world is at a multiple of the interval for the
    /// first time.
    fn remember(&mut self) {
        let step = self.current.steps();
        let next = self.checkpoints.len() as u64 * CHECKPOINT_EVERY;
        if step == next {
            Arc::make_mut(&mut self.checkpoints).push(self.current.clone());
        }
    }

    /// One event forward. False when the run is finished.
    pub fn step(&mut self) -> bool {
        let moved = self.current.step_event();
        if moved {
            self.remember();
        }
        moved
    }

    /// Forward until one more datagram is on the ladder. False when the run is finished.
    pub fn step_datagram(&mut self) -> bool {
        let rows = self.current.trace().len();
        while self.current.trace().len() == rows {
            if !self.step() {
                return false;
            }
        }
        true
    }

    pub fn run_to_end(&mut self) {
        while self.step() {}
    }

    /// Goes to the world after `step` events (or the end of the run, if it ends before).
    pub fn seek(&mut self, step: u64) {
        self.seek_until(|w| w.steps() >= step);
    }

    /// Goes to the first moment `rows` datagrams are on the ladder (or the end of the run).
    pub fn seek_rows(&mut self, rows: usize) {
        self.seek_until(|w| w.trace().len() >= rows);
    }

    /// Goes to a position: the first world with `at.rows` datagrams on the ladder and
    /// `at.moments` of the device's moments behind it. A moment inside an event (boot steps
    /// done at one instant) is shown by the world after that event; the moment says what of it
    /// to show.
    pub fn seek_position(&mut self, at: Position) {
        // Stepping between the moments of one event (boot steps at one instant) stays on its
        // world.
        let w = &self.current;
        let here = at.moments > 0
            && w.trace().len() == at.rows
            && w.moments()
                .get(at.moments - 1)
                .is_some_and(|m| m.step == w.steps() && m.rows == at.rows);
        if !here {
            self.seek_until(|w| w.trace().len() >= at.rows && w.moments().len() >= at.moments);
        }
    }

    /// Goes to the earliest world for which `reached` holds, `reached` being false up to a
    /// point of the run and true from it on.
    fn seek_until(&mut self, reached: impl Fn(&World) -> bool) {
        // The checkpoints before the target; the last of them is where replay starts.
        let before = self.checkpoints.partition_point(|w| !reached(w));
        match before.checked_sub(1) {
            // The target is the start itself.
            None => self.current = self.checkpoints[0].clone(),
            Some(i) => {
                let start = &self.checkpoints[i];
                // Replay from the checkpoint unless the current world lies between it and
                // the target (stepping forward from here is then shorter).
                if reached(&self.current) || self.current.steps() < start.steps() {
                    self.current = start.clone();
                }
            }
        }
        while !reached(&self.current) && self.step() {}
    }

    /// A branch in which the datagram of row `row` (already on the ladder, or not) meets
    /// `fault`: the run goes back to just before that datagram and on from there.
    pub fn branch_at_row(&self, row: usize, fault: Fault) -> Option<Timeline> {
        let mut at = self.clone();
        at.seek_rows(row);
        if at.world().trace().len() != row {
            return None;
        }
        at.branch(fault)
    }

    /// When a fault or a request added now takes effect: 1 ms after the instant shown. Some
    /// events of this instant are already handled, others not; a change at the instant itself
    /// would meet them in one order here and in another when the branch is replayed from an
    /// earlier checkpoint (or run afresh from its scenario), and the runs would differ.
    pub fn branch_at_ms(&self) -> u64 {
        self.current.now().millis() + 1
    }

    /// A branch with an operator request sent now (see `branch_at_ms`).
    pub fn branch_with_operation(&self, mut op: crate::scenario::Operation) -> Option<Timeline> {
        op.at_ms = op.at_ms.max(self.branch_at_ms());
        self.branch_by(|w| {
            w.add_operation(op.clone());
            true
        })
    }

    /// A new run that is this one up to now, then goes on with `fault` added: "what if this
    /// block had been lost?". This timeline is left as it is, to compare. None when the fault
    /// comes too late (a datagram already on the ladder).
    pub fn branch(&self, fault: Fault) -> Option<Timeline> {
        // A fault at a past moment or at this instant happens now (see `branch_at_ms`), the
        // same in every checkpoint.
        let now = self.branch_at_ms();
        let fault = match fault.at_ms() {
            Some(at) if at < now => fault.moved_to(now),
            _ => fault,
        };
        self.branch_by(|w| w.add_fault(fault.clone()))
    }

    /// This run up to now, then on with `change` made to its inputs. The change goes into the
    /// checkpoints too: replaying from any of them must lead to the same branch.
    fn branch_by(&self, change: impl Fn(&mut World) -> bool) -> Option<Timeline> {
        let mut current = self.current.clone();
        if !change(&mut current) {
            return None;
        }
        let checkpoints = self
            .checkpoints
            .iter()
            .take_while(|w| w.steps() <= self.current.steps())
            .map(|w| {
                let mut w = w.clone();
                change(&mut w);
                w
            })
            .collect();
        Some(Timeline {
            checkpoints: Arc::new(checkpoints),
            current,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::trace_digest;
    use crate::Scenario;

    fn lossy() -> World {
        let mut s = Scenario::by_id("lossy-link").unwrap();
        s.image.size = 48 * 1024;
        s.device.slot_size = 128 * 1024;
        World::new(s, 3)
    }

    /// What a student sees of a world: the ladder, the clock, the values.
    fn view(w: &World) -> (usize, u64, String, String) {
        let (state, result, version) = w.visible_values();
        (
            w.trace().len(),
            w.now().millis(),
            trace_digest(w),
            format!("{state:?} {result:?} {version}"),
        )
    }

    /// A fresh run stepped `steps` events.
    fn fresh(steps: u64) -> World {
        let mut w = lossy();
        while w.steps() < steps && w.step_event() {}
        w
    }

    #[test]
    fn seeking_anywhere_backwards_or_forwards_shows_what_a_fresh_run_shows() {
        let mut t = Timeline::new(lossy());
        t.run_to_end();
        let end = t.world().steps();
        assert!(end > 3 * CHECKPOINT_EVERY, "{end} events");
        assert_eq!(t.checkpoints() as u64, end / CHECKPOINT_EVERY + 1);
        for step in [
            end / 2,
            3,
            end - 1,
            0,
            CHECKPOINT_EVERY,
            CHECKPOINT_EVERY + 1,
            end,
        ] {
            t.seek(step);
            assert_eq!(t.world().steps(), step);
            assert_eq!(view(t.world()), view(&fresh(step)), "step {step}");
        }
    }

    #[test]
    fn seeking_to_a_row_stops_where_that_row_appears() {
        let mut t = Timeline::new(lossy());
        t.run_to_end();
        let rows = t.world().trace().len();
        for r in [rows - 1, 10, 1, rows / 2] {
            t.seek_rows(r);
            assert_eq!(t.world().trace().len(), r);
            let mut earlier = t.clone();
            earlier.seek(t.world().steps() - 1);
            assert_eq!(
                earlier.world().trace().len(),
                r - 1,
                "the first such moment"
            );
        }
    }

    #[test]
    fn a_branch_replays_to_itself_and_the_original_stays() {
        let mut t = Timeline::new(World::new(Scenario::by_id("pull-success").unwrap(), 1));
        t.run_to_end();
        let original = view(t.world());
        t.seek_rows(60);
        let mut b = t
            .branch(Fault::Drop { row: 60 })
            .expect("row 60 is not on the ladder yet");
        assert!(t.branch(Fault::Drop { row: 10 }).is_none(), "history");
        b.run_to_end();
        let branched = view(b.world());
        assert_ne!(branched.2, original.2);
        // Rewinding inside the branch, to before the fault, and playing again gives the
        // branch, not the original.
        b.seek(5);
        b.run_to_end();
        assert_eq!(view(b.world()), branched);
        t.run_to_end();
        assert_eq!(view(t.world()), original);
    }

    #[test]
    fn a_branch_now_is_the_same_run_however_it_is_replayed_and_as_a_fresh_run() {
        use crate::scenario::Operation;
        use crate::NodeId;
        let faults = |now: u64| {
            vec![
                Fault::LinkDown {
                    at_ms: now,
                    node: NodeId::Repository,
                    up_at_ms: Some(now + 120_000),
                },
                Fault::PowerCut {
                    at_ms: now,
                    off_ms: 3000,
                },
                Fault::Reboot { at_ms: now },
                Fault::ReplaceImage { at_ms: now },
            ]
        };
        let mut t = Timeline::new(World::new(Scenario::by_id("pull-success").unwrap(), 1));
        t.run_to_end();
        // Row 20 is sent at the instant the answer before it arrives: two events at one time.
        for rows in [20, 21, 40] {
            t.seek_rows(rows);
            let now = t.world().now().millis();
            let cancel: Operation = serde_json::from_value(serde_json::json!(
                {"at_ms": now, "op": "execute", "path": "/5/0/10"}
            ))
            .unwrap();
            let branches = faults(now)
                .into_iter()
                .map(|f| (format!("{f:?}"), t.branch(f).unwrap()))
                .chain([(
                    "cancel".to_string(),
                    t.branch_with_operation(cancel).unwrap(),
                )]);
            for (what, mut b) in branches {
                b.run_to_end();
                let ended = view(b.world());
                b.seek(0);
                b.run_to_end();
                assert_eq!(view(b.world()), ended, "{what} at row {rows}: replayed");
                let mut fresh = World::new(b.world().scenario().clone(), 1);
                fresh.run_to_end();
                assert_eq!(view(&fresh), ended, "{what} at row {rows}: fresh");
            }
        }
    }
}
