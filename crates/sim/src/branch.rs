//! Branching a run: a fault or an operator request added from now on ("what if this block had
//! been lost?"). The world goes on from where it is, with the change in its timeline.

use crate::scenario::{Fault, Operation};
use crate::world::World;

impl World {
    /// Adds a fault from now on: a branch of the run ("what if this block had been lost?").
    /// A timed fault earlier than now happens now; a datagram fault must name a row not yet
    /// on the ladder. Returns false when it comes too late to matter.
    pub fn add_fault(&mut self, fault: Fault) -> bool {
        match (fault.at_ms(), fault.row()) {
            (Some(at), _) => {
                let at = at.max(self.now().millis());
                let fault = fault.moved_to(at);
                let pos = self.faults_done
                    + self.timed_faults[self.faults_done..]
                        .iter()
                        .take_while(|f| f.at_ms() <= Some(at))
                        .count();
                self.network.add_fault(&fault);
                self.timed_faults.insert(pos, fault.clone());
                self.scenario.faults.push(fault);
                true
            }
            (None, Some(row)) if row >= self.trace().len() => {
                self.network.add_fault(&fault);
                self.scenario.faults.push(fault);
                true
            }
            _ => false,
        }
    }

    /// Adds an operator request from now on, as a branch of the run does: the server sends
    /// it at `at_ms` or now, whichever is later.
    pub fn add_operation(&mut self, mut op: Operation) {
        op.at_ms = op.at_ms.max(self.now().millis());
        let pos = self.operations_done
            + self.scenario.operations[self.operations_done..]
                .iter()
                .take_while(|o| o.at_ms <= op.at_ms)
                .count();
        self.scenario.operations.insert(pos, op);
    }
}
