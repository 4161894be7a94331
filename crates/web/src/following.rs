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
}

impl Following {
    pub fn new(lesson: Rc<Lesson>) -> Following {
        Following {
            lesson,
            step: 0,
            told: Rc::new(Vec::new()),
            told_on: None,
        }
    }

    /// Tells the lesson on `run` unless it is the run it was last told on.
    pub fn retell(&mut self, run: &Run) {
        if self.told_on != Some(run.id()) {
            self.told = Rc::new(tell(&self.lesson, &run.end_world()));
            self.told_on = Some(run.id());
        }
    }

    /// The step the run has reached once it shows `rows` datagrams.
    pub fn follow(&mut self, rows: usize) {
        self.step = reached(&self.told, rows, self.step);
    }

    pub fn current(&self) -> Option<&ToldStep> {
        self.told.get(self.step)
    }
}
