//! The app's one store: the run as a timeline (so any moment can be shown, backwards or
//! forwards), the run it branched from, and what the student is doing with it. Every control
//! dispatches an `Action`; components read the store through a context.

use crate::following::Following;
use crate::working::Working;
use fota_course::challenge::{Challenge, Progress};
use fota_course::lesson::Lesson;
use fota_sim::cow::CowVec;
use fota_sim::scenario::{Fault, Operation};
use fota_sim::{Moment, Position, Scenario, Timeline, World};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Pause between two steps (datagrams or moments) while playing, in milliseconds of wall time.
pub const SPEEDS: [(u32, &str); 5] = [
    (800, "0.25×"),
    (400, "0.5×"),
    (200, "1×"),
    (50, "4×"),
    (10, "20×"),
];
pub const DEFAULT_SPEED_MS: u32 = 200;

/// A run: its timeline, how many datagrams it has in all, and its block-wise transfers.
#[derive(Clone)]
pub struct Run {
    pub timeline: Timeline,
    /// Where the student is: the datagrams shown and the device's moments shown.
    pub at: Position,
    pub total_rows: usize,
    /// The device's moments over the whole run (resets, boot steps, an image failing): the
    /// steps of the timeline between datagrams.
    pub moments: CowVec<Moment>,
    pub groups: Rc<Vec<crate::groups::Group>>,
    /// The device's energy and battery over the whole run, for the Cost panel's chart.
    pub energy: CowVec<fota_sim::history::EnergyPoint>,
    /// How the run ends.
    pub report: Rc<fota_sim::RunReport>,
    /// Each row's ladder label and tooltip, made when the row is first drawn: stepping
    /// redraws the same rows, and `explain` need not run again for them.
    pub labels: Rc<RefCell<Vec<Option<Label>>>>,
}

/// A ladder row's text and its tooltip.
pub type Label = Rc<(String, String)>;

impl Run {
    /// Computes the whole run once (so the scrubber knows its length), then shows `at` rows.
    fn computed(mut timeline: Timeline, at: usize) -> Run {
        timeline.run_to_end();
        let total_rows = timeline.world().trace().len();
        let moments = timeline.world().moments().clone();
        let groups = Rc::new(crate::groups::block_runs(timeline.world().trace()));
        let energy = timeline.world().energy_points().clone();
        let report = Rc::new(fota_sim::RunReport::of(timeline.world()));
        let mut run = Run {
            at: Position::end(total_rows, &moments),
            timeline,
            total_rows,
            moments,
            groups,
            energy,
            report,
            labels: Rc::new(RefCell::new(vec![None; total_rows])),
        };
        run.go(run.rows_position(at));
        run
    }

    /// The end of the run: every datagram and every moment.
    pub fn end(&self) -> Position {
        Position::end(self.total_rows, &self.moments)
    }

    /// The first moment `rows` datagrams are on the ladder; the end for the last one, since
    /// later events (moments included) belong to it.
    pub fn rows_position(&self, rows: usize) -> Position {
        if rows >= self.total_rows {
            self.end()
        } else {
            Position::at_rows(rows, &self.moments)
        }
    }

    /// Shows the run at `at`.
    pub fn go(&mut self, at: Position) {
        let at = at.min(self.end());
        if at == self.end() {
            // The end of the run, not merely its last datagram: later events count too.
            self.timeline.run_to_end();
        } else {
            self.timeline.seek_position(at);
        }
        self.at = at;
    }

    /// The moment shown last, when it comes after the last datagram shown.
    pub fn moment(&self) -> Option<&Moment> {
        self.at.moment(&self.moments)
    }

    pub fn new(world: World, at: usize) -> Run {
        Run::computed(Timeline::new(world), at)
    }

    pub fn world(&self) -> &World {
        self.timeline.world()
    }

    /// The run as it ends: replayed from the checkpoint nearest its last row, then on to
    /// the events after it (the last datagrams' deliveries).
    pub fn end_world(&self) -> World {
        let mut end = self.timeline.clone();
        end.seek_rows(self.total_rows);
        end.run_to_end();
        end.world().clone()
    }

    pub fn rows(&self) -> usize {
        self.world().trace().len()
    }

    /// Which run this is: every run computed (the start, a branch) has its own.
    pub fn id(&self) -> usize {
        Rc::as_ptr(&self.groups) as usize
    }
}

#[derive(Clone)]
pub struct Store {
    pub run: Run,
    /// The other run of a comparison, and what the branch changed: the original while the
    /// branch is shown, the branch while the original is shown.
    pub other: Option<(Run, String)>,
    /// Whether `run` is the branch (else the original) while there is an `other`.
    pub showing_branch: bool,
    pub playing: bool,
    pub selected: Option<usize>,
    pub speed_ms: u32,
    /// First rows of block-wise runs the student has folded.
    pub folded: Vec<usize>,
    /// A message for the student (a file that could not be opened, a branch that came too
    /// late), shown until dismissed.
    pub notice: Option<String>,
    /// The help panel (keyboard, glossary, rules) is open.
    pub help: bool,
    /// The ladder's filter as the student typed it, and whether the rows it does not match
    /// are hidden (else dimmed).
    pub filter: String,
    pub hide_unmatched: bool,
    /// The lesson being followed, told on the run shown.
    pub tour: Option<Following>,
    /// The challenge being worked on.
    pub working: Option<Working>,
    /// What the student has solved, kept in the browser.
    pub progress: Rc<Progress>,
    /// Why progress is not kept (storage blocked or full), told on screen.
    pub storage_problem: Option<String>,
    /// The challenge list is open.
    pub challenges_open: bool,
}

#[derive(Clone)]
pub enum Action {
    Play,
    Pause,
    /// Play or pause (the space bar).
    Toggle,
    /// One step forward (a button press): a datagram, or a moment of the device between two.
    Step,
    StepBack,
    /// One step forward while playing; stops playing at the end.
    Tick,
    Home,
    End,
    /// Show the run with this many datagrams on the ladder.
    SeekRows(usize),
    Select(usize),
    SetSpeed(u32),
    Fold(usize),
    Unfold(usize),
    /// Row `row` meets `fault`: the run is computed again from just before it.
    BranchAtRow(usize, Fault, String),
    /// A fault from now on (power cut now, a link down now, new link settings).
    BranchNow(Fault, String),
    /// An operator request sent now.
    Operate(Operation, String),
    /// Show the other run of the comparison, at the same position.
    SwapRuns,
    /// Keep the run shown and forget the other.
    KeepShown,
    /// Open another scenario (from the picker or a file), telling a lesson on it (else its
    /// own tour).
    Load(Box<Scenario>, u64, Option<Rc<Lesson>>),
    /// Open a built-in scenario at the moment `anchor` finds (the Results gallery).
    LoadAt(Box<Scenario>, fota_course::lesson::Anchor),
    Notice(String),
    DismissNotice,
    ToggleHelp,
    CloseHelp,
    SetFilter(String),
    HideUnmatched(bool),
    /// Go to this step of the lesson: to its moment of the run shown, with its message open.
    TourStep(usize),
    /// Work on this challenge: its scenario as it starts, at its first seed.
    OpenChallenge(Rc<Challenge>),
    /// Leave the challenge, keeping the run shown.
    LeaveChallenge,
    /// Start the challenge's run again with these settings (a merge patch of its start).
    ApplySettings(serde_json::Value),
    /// Grade the run shown.
    Check,
    /// Go on grading for a slice of time.
    GradeSlice,
    ShowHint,
    AskSolution,
    /// The selected message is the answer to this pick goal.
    Pick(usize),
    ToggleChallenges,
    /// Show the challenge's run on this seed, with the changes of the run shown.
    ShowSeed(u64),
    /// Progress from a pasted code, merged into this browser's.
    ImportProgress(Progress, String),
}

impl Store {
    pub fn new(world: World, at: usize) -> Store {
        Store {
            run: Run::new(world, at),
            other: None,
            showing_branch: false,
            playing: false,
            selected: None,
            speed_ms: DEFAULT_SPEED_MS,
            folded: Vec::new(),
            notice: None,
            help: false,
            filter: String::new(),
            hide_unmatched: false,
            tour: None,
            working: None,
            progress: Rc::new(Progress::default()),
            storage_problem: None,
            challenges_open: false,
        }
    }

    /// What outlives opening another run: the progress and what is known of storage.
    fn carried(mut self, from: &Store) -> Store {
        self.progress = from.progress.clone();
        self.storage_problem = from.storage_problem.clone();
        self
    }

    /// Keeps the progress in the browser, telling the student when it cannot.
    fn keep_progress(&mut self) {
        if let Err(why) = crate::progress_storage::save(&self.progress) {
            self.storage_problem = Some(why);
        }
    }

    /// The challenge's run again from its start with `patch` (or as started).
    fn restart_challenge(&mut self, mut w: Working, patch: &serde_json::Value) {
        match fota_course::challenge::apply(&w.started, patch, "changes") {
            Ok(scenario) => {
                let world = World::new(scenario, w.seed);
                *self = Store::opened(world, 0, None).carried(self);
                // The challenge is the task on screen; its lesson is a link away.
                self.tour = None;
                w.forget_run();
                self.working = Some(w);
            }
            Err(e) => {
                // The scenario's loader names the field; where in its JSON text is no help here.
                let why = match e.why.rfind(" at line ") {
                    Some(i) => &e.why[..i],
                    None => e.why.as_str(),
                };
                let why = why.trim_start_matches("scenario file is not valid ");
                self.notice = Some(format!("That change cannot be used: {why}."));
                self.working = Some(w);
            }
        }
    }

    /// A grading slice: about a frame's worth of simulation, so the page keeps answering.
    fn grade_slice(&mut self) {
        let Some(w) = self.working.as_mut() else {
            return;
        };
        let Some(grading) = w.grading.clone() else {
            return;
        };
        let began = js_sys::Date::now();
        let done = loop {
            if grading.borrow_mut().advance(2_000) {
                break true;
            }
            if js_sys::Date::now() - began > 12.0 {
                break false;
            }
        };
        if !done {
            return;
        }
        let grade = grading.borrow().grade();
        let attempt = grading.borrow().attempt().clone();
        w.grading = None;
        let run = w.grading_run.unwrap_or_default();
        // The start as it is, or the same attempt checked again, is not another try.
        let tried = (grade.changes > 0 || !w.picks.is_empty() || grade.solved())
            && w.counted.as_ref() != Some(&attempt);
        if tried {
            w.counted = Some(attempt);
        }
        let id = w.challenge.id.clone();
        w.graded = Some((run, Rc::new(grade.clone())));
        if tried {
            let mut progress = (*self.progress).clone();
            let first = progress.record(&id, &grade);
            let r = progress.challenges.get(&id).cloned().unwrap_or_default();
            self.progress = Rc::new(progress);
            self.keep_progress();
            if grade.solved() {
                crate::embed::challenge_solved(&id, r.best, r.attempts, first);
            }
        }
    }

    /// The store for `world`, telling `lesson` on it, or else the scenario's own tour when
    /// the world is a built-in scenario as shipped.
    pub fn opened(world: World, at: usize, lesson: Option<Rc<Lesson>>) -> Store {
        let lesson = lesson.or_else(|| {
            let id = &world.scenario().id;
            let builtin = fota_sim::Scenario::by_id(id).ok()?;
            (&builtin == world.scenario())
                .then(|| fota_course::lesson::tour_of(id))
                .flatten()
                .map(Rc::new)
        });
        let mut s = Store::new(world, at);
        s.tour = lesson.map(Following::new);
        let shown = s.run.at;
        if let Some(t) = s.tour.as_mut() {
            t.retell(&s.run, None);
            t.follow(shown);
        }
        s
    }

    pub fn world(&self) -> &World {
        self.run.world()
    }

    /// /5/0/3, /5/0/5 and /3/0/3 as of the datagrams and moments shown.
    pub fn values(&self) -> (fota_lwm2m::FwState, fota_lwm2m::UpdateResult, String) {
        self.world().values_at(self.run.at)
    }

    pub fn finished(&self) -> bool {
        self.run.at == self.run.end() && self.world().is_finished()
    }

    fn seek(&mut self, rows: usize) {
        let at = self.run.rows_position(rows);
        self.run.go(at);
    }

    /// One step forward: the next datagram or the next moment of the device.
    fn step(&mut self) {
        if let Some(at) = self.run.at.next(self.run.total_rows, &self.run.moments) {
            self.run.go(at);
        }
    }

    /// Puts `branch` in place, keeping the current run as the original to compare with.
    fn adopt(&mut self, branch: Option<Timeline>, what: String) {
        let rows = self.run.rows();
        match branch {
            Some(t) => {
                let previous = std::mem::replace(&mut self.run, Run::computed(t, rows));
                match (self.other.as_mut(), self.showing_branch) {
                    // A branch of the branch: the original stays what it is compared with.
                    (Some((_, w)), true) => *w = format!("{w}, then {what}"),
                    _ => self.other = Some((previous, what)),
                }
                self.showing_branch = true;
                self.playing = false;
                // Picks name messages of the run they were made on.
                if let Some(w) = self.working.as_mut() {
                    w.picks.clear();
                }
            }
            None => {
                self.notice = Some(format!(
                    "That comes too late: \"{what}\" would change what is already on the ladder."
                ))
            }
        }
    }
}

/// Every action makes a new store, so identity is equality: contexts re-render on each change
/// without comparing whole worlds.
impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        let rows = s.run.rows();
        // Moves of the run itself, which the lesson's step follows (Next and Back lead it).
        let moves = matches!(
            action,
            Action::Step
                | Action::StepBack
                | Action::Tick
                | Action::Home
                | Action::End
                | Action::SeekRows(_)
        );
        match action {
            Action::Play => s.playing = !s.finished(),
            Action::Pause => s.playing = false,
            Action::Toggle => s.playing = !s.playing && !s.finished(),
            Action::Step => {
                s.playing = false;
                s.step();
            }
            Action::StepBack => {
                s.playing = false;
                if let Some(at) = s.run.at.back(&s.run.moments) {
                    s.run.go(at);
                }
            }
            Action::Tick => {
                if s.playing {
                    s.step();
                    s.playing = !s.finished();
                }
            }
            Action::Home => {
                s.playing = false;
                s.run.go(Position::default());
            }
            Action::End => {
                s.playing = false;
                s.run.go(s.run.end());
            }
            Action::SeekRows(n) => s.seek(n),
            Action::Select(i) => s.selected = (i < s.run.total_rows).then_some(i),
            Action::SetSpeed(ms) => s.speed_ms = ms,
            Action::Fold(row) => {
                if !s.folded.contains(&row) {
                    s.folded.push(row);
                }
            }
            Action::Unfold(row) => s.folded.retain(|&r| r != row),
            Action::BranchAtRow(row, fault, what) => {
                let branch = s.run.timeline.branch_at_row(row, fault);
                s.adopt(branch, what);
                s.selected = Some(row);
            }
            Action::BranchNow(fault, what) => {
                let branch = s.run.timeline.branch(fault);
                s.adopt(branch, what);
            }
            Action::Operate(op, what) => {
                let branch = s.run.timeline.branch_with_operation(op);
                s.adopt(branch, what);
            }
            Action::SwapRuns => {
                if let Some((mut other, what)) = s.other.take() {
                    other.go(other.rows_position(rows));
                    let shown = std::mem::replace(&mut s.run, other);
                    s.other = Some((shown, what));
                    s.showing_branch = !s.showing_branch;
                    s.playing = false;
                }
            }
            Action::KeepShown => s.other = None,
            Action::Load(scenario, seed, lesson) => {
                s = Store::opened(World::new(*scenario, seed), 0, lesson).carried(&s);
            }
            Action::LoadAt(scenario, anchor) => {
                let seed = scenario.seed;
                s = Store::opened(World::new(*scenario, seed), 0, None).carried(&s);
                if let Some(m) = fota_course::lesson::resolve(&anchor, &s.run.end_world()) {
                    s.run.go(m.position);
                }
                let shown = s.run.at;
                if let Some(t) = s.tour.as_mut() {
                    t.follow(shown);
                }
            }
            Action::Notice(text) => s.notice = Some(text),
            Action::ToggleHelp => s.help = !s.help,
            Action::CloseHelp => s.help = false,
            Action::SetFilter(text) => s.filter = text,
            Action::HideUnmatched(hide) => s.hide_unmatched = hide,
            Action::TourStep(i) => {
                let Some(t) = s.tour.as_mut() else {
                    return Rc::new(s);
                };
                let Some(told) = t.told.get(i).cloned() else {
                    return Rc::new(s);
                };
                t.step = i;
                // Found again on the run shown, original or branch; a moment it lacks leaves
                // the run where it is, and the step says so.
                if let Some(m) = told.moment {
                    s.playing = false;
                    s.run.go(m.position);
                    // A step about a message opens it; one about a change closes the last.
                    s.selected = m.message;
                }
            }
            Action::DismissNotice => s.notice = None,
            Action::OpenChallenge(c) => match Working::new(c) {
                Ok(w) => {
                    let patch = serde_json::Value::Object(Default::default());
                    s.restart_challenge(w, &patch);
                    s.challenges_open = false;
                }
                Err(why) => s.notice = Some(why),
            },
            Action::LeaveChallenge => s.working = None,
            Action::ApplySettings(patch) => {
                if let Some(w) = s.working.take() {
                    s.restart_challenge(w, &patch);
                }
            }
            Action::Check => {
                let (shown, run) = (s.world().scenario().clone(), s.run.id());
                if let Some(w) = s.working.as_mut() {
                    w.start(&shown, run);
                }
            }
            Action::GradeSlice => s.grade_slice(),
            Action::ShowHint => {
                if let Some(w) = s.working.as_mut() {
                    w.hints_shown = (w.hints_shown + 1).min(w.challenge.hints.len());
                }
            }
            Action::AskSolution => {
                if let Some(w) = s.working.as_mut() {
                    w.solution_asks = w.solution_asks.saturating_add(1).min(2);
                }
            }
            Action::Pick(goal) => {
                let (shown, run, selected) = (s.world().scenario().clone(), s.run.id(), s.selected);
                if let (Some(w), Some(row)) = (s.working.as_mut(), selected) {
                    w.picks.insert(goal, row);
                    w.start(&shown, run);
                }
            }
            Action::ToggleChallenges => s.challenges_open = !s.challenges_open,
            Action::ShowSeed(seed) => {
                let shown = s.world().scenario().clone();
                if let Some(mut w) = s.working.take() {
                    let patch = fota_course::challenge::changes_between(&w.started, &shown);
                    w.seed = seed;
                    s.restart_challenge(w, &patch);
                }
            }
            Action::ImportProgress(other, name) => {
                let mut progress = (*s.progress).clone();
                progress.merge(&other);
                let solved = other.solved();
                s.progress = Rc::new(progress);
                s.keep_progress();
                let whose = if name.is_empty() {
                    String::new()
                } else {
                    format!(" of {name}")
                };
                s.notice = Some(format!(
                    "The progress code{whose} is taken in: {solved} solved in it, {} solved here now.",
                    s.progress.solved()
                ));
            }
        }
        let shown = s.run.at;
        if let Some(t) = s.tour.as_mut() {
            t.retell(&s.run, s.other.as_ref().map(|(run, _)| run));
            if moves {
                t.follow(shown);
            }
        }
        // A finished run is graded by itself, once.
        let (finished, run) = (s.finished(), s.run.id());
        if finished {
            let scenario = s.world().scenario().clone();
            if let Some(w) = s.working.as_mut() {
                if w.grading_run != Some(run) {
                    w.start(&scenario, run);
                }
            }
        }
        Rc::new(s)
    }
}

pub type StoreHandle = UseReducerHandle<Store>;
