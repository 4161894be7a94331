//! Grading: the student's changes applied to the challenge's scenario, run on every seed the
//! challenge names, and each goal said in plain words, passed or not ("Update Result is 4;
//! this challenge wants 8"). Grade the result, not the input: any changes the challenge allows
//! that make the goals hold solve it.

use super::changes::{apply, count_changes, touched};
use super::format::{Challenge, ChallengeError, Goal};
use fota_sim::{RunReport, Scenario, World};
use serde_json::Value;
use std::collections::BTreeMap;

/// What the student did: the changes to the started scenario, and the message picked for each
/// pick goal (by the goal's index, a row of the run shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub changes: Value,
    pub picks: BTreeMap<usize, usize>,
}

/// No changes, no picks: the challenge as started.
impl Default for Attempt {
    fn default() -> Attempt {
        Attempt::changes(Value::Object(Default::default()))
    }
}

impl Attempt {
    pub fn changes(changes: Value) -> Attempt {
        Attempt {
            changes,
            picks: BTreeMap::new(),
        }
    }

    /// The challenge's reference solution, with each pick the first message its answer
    /// matches on the solved run.
    pub fn solution(challenge: &Challenge) -> Result<Attempt, ChallengeError> {
        let mut attempt = Attempt::changes(challenge.solution.clone());
        let scenario = apply(&started(challenge)?, &challenge.solution, "solution")?;
        let seed = challenge.seed_list(scenario.seed)[0];
        let mut world = World::new(scenario, seed);
        world.run_to_end();
        for (i, g) in challenge.goals.iter().enumerate() {
            if let Goal::Pick { answer, .. } = g {
                let row = crate::filter::parse(answer)
                    .map(|f| crate::filter::evaluate(&f, &world))
                    .unwrap_or_default()
                    .first()
                    .copied();
                if let Some(row) = row {
                    attempt.picks.insert(i, row);
                }
            }
        }
        Ok(attempt)
    }
}

/// One goal over all the seeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalGrade {
    /// Seeds on which it held, of `seeds`.
    pub held: u64,
    pub seeds: u64,
    /// In words, for the first seed it failed on, or for the last one if it always held.
    pub told: String,
    /// The first seed it failed on.
    pub failed_on: Option<u64>,
}

impl GoalGrade {
    pub fn passed(&self) -> bool {
        self.held == self.seeds
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    pub goals: Vec<GoalGrade>,
    /// The changes the attempt made, counted as `par` counts them.
    pub changes: u32,
    /// Seeds run so far, of all the challenge names.
    pub seeds_run: u64,
    pub seeds: u64,
    /// Seeds on which every goal held.
    pub seeds_held: u64,
}

impl Grade {
    pub fn solved(&self) -> bool {
        self.seeds_run == self.seeds && self.goals.iter().all(GoalGrade::passed)
    }
}

/// The scenario the student works on: the built-in one with the challenge's own start.
pub fn started(challenge: &Challenge) -> Result<Scenario, ChallengeError> {
    let base = Scenario::by_id(&challenge.scenario).map_err(|e| ChallengeError {
        path: "scenario".into(),
        why: e.to_string(),
    })?;
    apply(&base, &challenge.start, "start")
}

/// Runs the started scenario with the attempt's changes on every seed and grades each goal.
pub fn grade(challenge: &Challenge, attempt: &Attempt) -> Result<Grade, ChallengeError> {
    let mut grading = Grading::new(challenge, attempt)?;
    while !grading.advance(usize::MAX) {}
    Ok(grading.grade())
}

/// A grading under way, a run at a time and a slice of a run at a time, so that a page can
/// grade twenty seeds without freezing: `advance` does a bounded amount of work.
#[derive(Clone)]
pub struct Grading {
    challenge: Challenge,
    attempt: Attempt,
    scenario: Scenario,
    seeds: Vec<u64>,
    /// The run of `seeds[next]`, while it is under way.
    world: Option<World>,
    next: usize,
    seeds_held: u64,
    goals: Vec<GoalGrade>,
    /// Per goal, the pressure of the seed told so far (see `pressure`).
    pressure: Vec<u64>,
    changes: u32,
}

impl Grading {
    pub fn new(challenge: &Challenge, attempt: &Attempt) -> Result<Grading, ChallengeError> {
        for path in touched(&attempt.changes) {
            if !challenge.allows(&path) {
                return Err(ChallengeError {
                    why: format!(
                        "this challenge does not let you change `{path}` (it lets you change {})",
                        allowed_words(challenge)
                    ),
                    path,
                });
            }
        }
        let started = started(challenge)?;
        let scenario = apply(&started, &attempt.changes, "changes")?;
        let seeds = challenge.seed_list(scenario.seed);
        let goals: Vec<GoalGrade> = challenge
            .goals
            .iter()
            .map(|_| GoalGrade {
                held: 0,
                seeds: seeds.len() as u64,
                told: String::new(),
                failed_on: None,
            })
            .collect();
        Ok(Grading {
            challenge: challenge.clone(),
            attempt: attempt.clone(),
            changes: count_changes(&started, &attempt.changes),
            scenario,
            seeds,
            world: None,
            next: 0,
            seeds_held: 0,
            pressure: vec![0; goals.len()],
            goals,
        })
    }

    /// Runs at most `events` events of the simulation (a run's event is a datagram sent or
    /// delivered, a timer, a boot step). True when every seed has been graded.
    pub fn advance(&mut self, mut events: usize) -> bool {
        while self.next < self.seeds.len() {
            let seed = self.seeds[self.next];
            let world = self
                .world
                .get_or_insert_with(|| World::new(self.scenario.clone(), seed));
            while events > 0 {
                if !world.step_event() {
                    break;
                }
                events -= 1;
            }
            if events == 0 && !world.is_finished() {
                return false;
            }
            let Some(world) = self.world.take() else {
                return false;
            };
            self.judge(seed, &world);
            self.next += 1;
            if events == 0 {
                break;
            }
        }
        self.next == self.seeds.len()
    }

    fn judge(&mut self, seed: u64, world: &World) {
        let several = self.seeds.len() > 1;
        // One report per run, for every goal: it runs the queue-mode counterpart, if any.
        let report = RunReport::of(world);
        let mut all = true;
        for (i, (goal, g)) in self
            .challenge
            .goals
            .iter()
            .zip(self.goals.iter_mut())
            .enumerate()
        {
            let (held, words) = check(goal, world, &report, self.attempt.picks.get(&i).copied());
            all &= held;
            let on_seed = if several {
                format!(" (seed {seed})")
            } else {
                String::new()
            };
            if held {
                g.held += 1;
                let p = pressure(goal, world, &report);
                if g.failed_on.is_none() && p >= self.pressure[i] {
                    self.pressure[i] = p;
                    g.told = if several && p > 0 {
                        format!("{words} (seed {seed}, the nearest to a limit)")
                    } else {
                        words
                    };
                }
            } else if g.failed_on.is_none() {
                // The first seed it failed on is the one told.
                g.failed_on = Some(seed);
                g.told = format!("{words}{on_seed}");
            }
        }
        self.seeds_held += u64::from(all);
    }

    /// What is being graded.
    pub fn attempt(&self) -> &Attempt {
        &self.attempt
    }

    /// The grade so far: goals over the seeds run.
    pub fn grade(&self) -> Grade {
        Grade {
            goals: self.goals.clone(),
            changes: self.changes,
            seeds_run: self.next as u64,
            seeds: self.seeds.len() as u64,
            seeds_held: self.seeds_held,
        }
    }
}

fn allowed_words(challenge: &Challenge) -> String {
    if challenge.may_change.is_empty() {
        "nothing: pick on the run as it is".into()
    } else {
        challenge
            .may_change
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Each limit of a budget goal with what the run used: (what, at most, used).
fn budget_use(goal: &Goal, world: &World, report: &RunReport) -> Vec<(&'static str, u64, u64)> {
    let Goal::Budget {
        max_datagrams,
        max_bytes_sent,
        max_bytes_fetched,
        max_virtual_s,
        max_energy_mj,
    } = goal
    else {
        return Vec::new();
    };
    let sent: usize = world.trace().iter().map(|e| e.bytes.len()).sum();
    [
        ("datagrams", *max_datagrams, report.datagrams),
        ("bytes sent", *max_bytes_sent, sent),
        (
            "bytes from the repository",
            *max_bytes_fetched,
            report.bytes_fetched,
        ),
    ]
    .into_iter()
    .filter_map(|(what, max, got)| Some((what, max? as u64, got as u64)))
    .chain(max_virtual_s.map(|max| ("virtual seconds", max, report.virtual_ms / 1000)))
    .chain(max_energy_mj.map(|max| {
        let spent_mj = report.energy.spent.total_uj / 1000;
        ("mJ spent by the device", max, spent_mj)
    }))
    .collect()
}

/// How close a run came to a budget's nearest limit, in thousandths of it (0 for other goals):
/// over many seeds the run nearest to a limit is the one told.
fn pressure(goal: &Goal, world: &World, report: &RunReport) -> u64 {
    budget_use(goal, world, report)
        .iter()
        .map(|(_, max, got)| got.saturating_mul(1000) / (*max).max(1))
        .max()
        .unwrap_or(0)
}

/// Whether `goal` holds on this run, and what the run did, in words.
fn check(goal: &Goal, world: &World, report: &RunReport, picked: Option<usize>) -> (bool, String) {
    match goal {
        Goal::Outcome {
            state,
            result,
            firmware_version,
            campaign,
        } => {
            let v = &report.final_values;
            let mut told = Vec::new();
            let mut held = true;
            let mut compare = |what: &str, want: Option<String>, got: String| {
                if let Some(want) = want {
                    if want == got {
                        told.push(format!("{what} is {got}, as wanted"));
                    } else {
                        held = false;
                        told.push(format!("{what} is {got}; this challenge wants {want}"));
                    }
                }
            };
            compare("State", state.map(|s| s.to_string()), v.state.to_string());
            compare(
                "Update Result",
                result.map(|r| r.to_string()),
                v.result.to_string(),
            );
            compare(
                "the firmware version",
                firmware_version.clone(),
                v.firmware_version.clone(),
            );
            compare(
                "the campaign's verdict",
                campaign.clone(),
                report.campaign.clone(),
            );
            (held, told.join("; "))
        }
        Goal::Trace {
            filter,
            never,
            says,
        } => {
            let rows = crate::filter::parse(filter)
                .map(|f| crate::filter::evaluate(&f, world))
                .unwrap_or_default();
            match (rows.first(), never) {
                (Some(row), false) => (true, format!("{says}: yes, at #{row}")),
                (None, false) => (false, format!("{says}: not in this run")),
                (None, true) => (true, format!("never {says}: it did not happen")),
                (Some(row), true) => (false, format!("never {says}: it did, at #{row}")),
            }
        }
        Goal::Moment {
            anchor,
            never,
            says,
        } => {
            let found = crate::lesson::resolve(anchor, world);
            let when = |m: &crate::lesson::Moment| match m.message {
                Some(row) => format!("at #{row}"),
                None => format!("at t = {}", m.at),
            };
            match (found, never) {
                (Some(m), false) => (true, format!("{says}: yes, {}", when(&m))),
                (None, false) => (false, format!("{says}: not in this run")),
                (None, true) => (true, format!("never {says}: it did not happen")),
                (Some(m), true) => (false, format!("never {says}: it did, {}", when(&m))),
            }
        }
        Goal::Pick {
            answer,
            says,
            wrong,
            ..
        } => {
            let matches = |filter: &str| {
                crate::filter::parse(filter)
                    .map(|f| crate::filter::evaluate(&f, world))
                    .unwrap_or_default()
            };
            let Some(row) = picked else {
                return (
                    false,
                    "Nothing picked yet: select a message on the ladder, then press \"Pick message\"."
                        .into(),
                );
            };
            if matches(answer).contains(&row) {
                return (true, format!("#{row}: right. {says}"));
            }
            let why = wrong
                .iter()
                .find(|w| matches(&w.filter).contains(&row))
                .map(|w| w.why.clone())
                .unwrap_or_else(|| "it does not answer the question.".into());
            (false, format!("#{row} is not it: {why}"))
        }
        Goal::Budget { .. } => {
            let used = budget_use(goal, world, report);
            let held = used.iter().all(|(_, max, got)| got <= max);
            let told: Vec<String> = used
                .iter()
                .map(|(what, max, got)| format!("{got} {what} (at most {max})"))
                .collect();
            (held, told.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn result_7() -> Challenge {
        Challenge::from_json(
            &json!({
                "version": 1,
                "id": "produce-result-7",
                "title": "Produce Update Result 7",
                "lesson": "states-results",
                "scenario": "pull-success",
                "task": "Make the device end with Update Result 7 (invalid URI).",
                "may_change": ["package_uri"],
                "goals": [
                    {"kind": "outcome", "state": 0, "result": 7},
                    {"kind": "trace", "filter": "coap.code == 4.04", "says": "the repository answered 4.04"}
                ],
                "par": 1,
                "hints": ["Which URI does the server write to /5/0/1?"],
                "explanation": "A Package URI the repository does not know gets 4.04, and the device ends with Result 7 (FU-D7).",
                "solution": {"package_uri": "coap://repo.sandbox/fw/missing.bin"}
            })
            .to_string(),
        )
        .unwrap()
    }

    #[test]
    fn the_unchanged_start_fails_and_the_solution_passes_in_plain_words() {
        let c = result_7();
        let start = grade(&c, &Attempt::default()).unwrap();
        assert!(!start.solved());
        assert_eq!(
            start.goals[0].told,
            "State is 0, as wanted; Update Result is 1; this challenge wants 7"
        );
        assert_eq!(
            start.goals[1].told,
            "the repository answered 4.04: not in this run"
        );
        let solved = grade(&c, &Attempt::solution(&c).unwrap()).unwrap();
        assert!(solved.solved(), "{solved:?}");
        assert!(solved.goals[1]
            .told
            .starts_with("the repository answered 4.04: yes, at #"));
    }

    #[test]
    fn a_change_the_challenge_does_not_allow_is_refused_naming_it() {
        let c = result_7();
        let err = grade(
            &c,
            &Attempt::changes(json!({"network": {"loss_percent": 50}})),
        )
        .unwrap_err();
        assert_eq!(err.path, "network.loss_percent");
    }

    #[test]
    fn robustness_counts_the_seeds_a_goal_held_on() {
        let mut c = result_7();
        c.scenario = "lossy-link".into();
        c.may_change = vec!["network".into()];
        c.goals = vec![Goal::Outcome {
            state: Some(0),
            result: Some(1),
            firmware_version: None,
            campaign: None,
        }];
        c.seeds = Some(super::super::Seeds { from: 1, count: 3 });
        let g = grade(
            &c,
            &Attempt::changes(json!({"network": {"loss_percent": 0}})),
        )
        .unwrap();
        assert_eq!((g.goals[0].held, g.goals[0].seeds), (3, 3));
    }

    #[test]
    fn a_bad_challenge_file_names_its_field() {
        let err = Challenge::from_json(
            &json!({"version": 1, "id": "x", "title": "x", "scenario": "pull-success", "task": "t",
                    "may_change": [], "par": 0, "goals": [{"kind": "trace", "filter": "coap.code ==", "says": "s"}],
                    "explanation": "e", "solution": {}})
            .to_string(),
        )
        .unwrap_err();
        assert_eq!(err.path, "goals[0].filter");
        let err = Challenge::from_json(r#"{"version": 1, "id": "x", "colour": 1}"#).unwrap_err();
        assert!(err.why.contains("colour"), "{err}");
    }
}
