//! A challenge being worked on: which one, the scenario it starts from, the hints shown, the
//! messages picked, and its grading (under way a slice at a time, or done). The attempt graded
//! is always the run shown: its scenario against the challenge's start.

use fota_course::challenge::{changes_between, Attempt, Challenge, Grade, Grading};
use fota_sim::Scenario;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Clone)]
pub struct Working {
    pub challenge: Rc<Challenge>,
    /// The built-in scenario with the challenge's `start`: what changes are counted from.
    pub started: Rc<Scenario>,
    /// The seed the page shows (the first the challenge names).
    pub seed: u64,
    pub hints_shown: usize,
    /// Presses of "Show the solution": it shows at the second.
    pub solution_asks: u8,
    /// The message picked for each pick goal, by the goal's index.
    pub picks: BTreeMap<usize, usize>,
    pub grading: Option<Rc<RefCell<Grading>>>,
    /// The last grade finished, and of which run (`Run::id`).
    pub graded: Option<(usize, Rc<Grade>)>,
    /// The run the grading under way (or the last one) is of.
    pub grading_run: Option<usize>,
    /// Why the current attempt cannot be graded (a change the challenge does not allow).
    pub error: Option<String>,
    /// The attempt counted last: checking the same one again is not another attempt.
    pub counted: Option<Attempt>,
}

impl Working {
    pub fn new(challenge: Rc<Challenge>) -> Result<Working, String> {
        let started = fota_course::challenge::started(&challenge).map_err(|e| e.to_string())?;
        let seed = challenge.seed_list(started.seed)[0];
        Ok(Working {
            challenge,
            started: Rc::new(started),
            seed,
            hints_shown: 0,
            solution_asks: 0,
            picks: BTreeMap::new(),
            grading: None,
            graded: None,
            grading_run: None,
            error: None,
            counted: None,
        })
    }

    /// The attempt the run shown makes.
    pub fn attempt(&self, shown: &Scenario) -> Attempt {
        Attempt {
            changes: changes_between(&self.started, shown),
            picks: self.picks.clone(),
        }
    }

    /// Starts grading the run shown (`run` is its id).
    pub fn start(&mut self, shown: &Scenario, run: usize) {
        self.grading_run = Some(run);
        match Grading::new(&self.challenge, &self.attempt(shown)) {
            Ok(g) => {
                self.error = None;
                self.grading = Some(Rc::new(RefCell::new(g)));
            }
            Err(e) => {
                self.grading = None;
                self.graded = None;
                self.error = Some(e.to_string());
            }
        }
    }

    /// Seeds graded so far, of all, while a grading is under way.
    pub fn under_way(&self) -> Option<(u64, u64)> {
        self.grading.as_ref().map(|g| {
            let g = g.borrow().grade();
            (g.seeds_run, g.seeds)
        })
    }

    /// A new run is shown (settings applied, another branch): what was picked on the old one
    /// names other messages, and its grade is of another run.
    pub fn forget_run(&mut self) {
        self.picks.clear();
        self.grading = None;
        self.graded = None;
        self.grading_run = None;
        self.error = None;
    }
}
