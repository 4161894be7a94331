//! The lesson being followed on the run shown: the step the student is at, and the lesson as
//! told on that run (each step's moment and its text quoting the run). Told again whenever
//! the run shown changes (a branch, the other run of a comparison), so the narration always
//! follows the run on screen; as the run plays or steps, the step follows it.

use crate::store::Run;
use fota_course::lesson::{reached, tell, Lesson, ToldStep};
use std::rc::Rc;

#[derive(Clone)]
pub struct Following {
    pub lesson: Rc<Lesson>,
    /// The step shown, from 0.
    pub step: usize,
    /// The lesson told on the run `told_on` names.
    pub told: Rc<Vec<ToldStep>>,
    told_on: Option<usize>,
    /// The lesson told on the other run of a comparison, when there is one: what a step
    /// whose moment the run shown lacks said there.
    pub told_other: Option<Rc<Vec<ToldStep>>>,
    other_on: Option<usize>,
}

impl Following {
    pub fn new(lesson: Rc<Lesson>) -> Following {
        Following {
            lesson,
            step: 0,
            told: Rc::new(Vec::new()),
            told_on: None,
            told_other: None,
            other_on: None,
        }
    }

    /// Tells the lesson on `run`, and on `other` (the other run of a comparison), unless they
    /// are the runs it was last told on.
    pub fn retell(&mut self, run: &Run, other: Option<&Run>) {
        let other_id = other.map(Run::id);
        // A branch makes the run told on the other one, and showing the other run of a
        // comparison swaps them: what was told is kept, not told again.
        if self.other_on == Some(run.id()) && other_id == self.told_on {
            std::mem::swap(&mut self.told_on, &mut self.other_on);
            if let Some(there) = self.told_other.as_mut() {
                std::mem::swap(&mut self.told, there);
            }
        } else if self.told_on != Some(run.id()) && other_id == self.told_on {
            self.told_other = Some(self.told.clone());
            self.other_on = self.told_on;
        }
        if self.told_on != Some(run.id()) {
            self.told = Rc::new(tell(&self.lesson, &run.end_world()));
            self.told_on = Some(run.id());
        }
        if self.other_on != other_id {
            self.told_other = other.map(|o| Rc::new(tell(&self.lesson, &o.end_world())));
            self.other_on = other_id;
        }
    }

    /// What the current step says on the other run, when the run shown lacks its moment and
    /// the other has it.
    pub fn in_other_run(&self) -> Option<&ToldStep> {
        let here = self.current()?;
        let there = self.told_other.as_ref()?.get(self.step)?;
        (here.missing && !there.missing).then_some(there)
    }

    /// The step the run has reached once it shows position `at`.
    pub fn follow(&mut self, at: fota_sim::Position) {
        self.step = reached(&self.told, at, self.step);
    }

    pub fn current(&self) -> Option<&ToldStep> {
        self.told.get(self.step)
    }
}
