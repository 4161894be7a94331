//! Grading: the student's changes applied to the challenge's scenario, run on every seed the
//! challenge names, and each goal said in plain words, passed or not ("Update Result is 4;
//! this challenge wants 8"). Grade the result, not the input: any changes the challenge allows
//! that make the goals hold solve it.

use super::changes::{apply, touched};
use super::format::{Challenge, ChallengeError, Goal};
use fota_sim::{RunReport, Scenario, World};
use serde_json::Value;

/// One goal over all the seeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalGrade {
    /// Seeds on which it held, of `seeds`.
    pub held: u64,
    pub seeds: u64,
    /// In words, for the first seed it failed on, or for the last one if it always held.
    pub told: String,
}

impl GoalGrade {
    pub fn passed(&self) -> bool {
        self.held == self.seeds
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    pub goals: Vec<GoalGrade>,
}

impl Grade {
    pub fn solved(&self) -> bool {
        self.goals.iter().all(GoalGrade::passed)
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

/// Runs the started scenario with `changes` on every seed and grades each goal.
pub fn grade(challenge: &Challenge, changes: &Value) -> Result<Grade, ChallengeError> {
    for path in touched(changes) {
        if !challenge.allows(&path) {
            return Err(ChallengeError {
                path: path.clone(),
                why: format!("this challenge does not let you change `{path}`"),
            });
        }
    }
    let scenario = apply(&started(challenge)?, changes, "changes")?;
    let seeds: Vec<u64> = match challenge.seeds {
        Some(s) => (s.from..s.from.saturating_add(s.count)).collect(),
        None => vec![scenario.seed],
    };
    let mut goals: Vec<GoalGrade> = challenge
        .goals
        .iter()
        .map(|_| GoalGrade {
            held: 0,
            seeds: seeds.len() as u64,
            told: String::new(),
        })
        .collect();
    for &seed in &seeds {
        let mut world = World::new(scenario.clone(), seed);
        world.run_to_end();
        for (goal, g) in challenge.goals.iter().zip(goals.iter_mut()) {
            let (held, words) = check(goal, &world);
            let on_seed = if seeds.len() > 1 {
                format!(" (seed {seed})")
            } else {
                String::new()
            };
            if held {
                g.held += 1;
                if g.held == g.seeds {
                    g.told = words;
                }
            } else if g.told.is_empty() || g.held + 1 == g.seeds {
                g.told = format!("{words}{on_seed}");
            }
        }
    }
    Ok(Grade { goals })
}

/// Whether `goal` holds on this run, and what the run did, in words.
fn check(goal: &Goal, world: &World) -> (bool, String) {
    let report = RunReport::of(world);
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
        Goal::Budget {
            max_datagrams,
            max_bytes_fetched,
            max_virtual_s,
        } => {
            let mut told = Vec::new();
            let mut held = true;
            let mut within = |what: &str, max: Option<u64>, got: u64| {
                if let Some(max) = max {
                    held &= got <= max;
                    told.push(format!("{got} {what} (at most {max})"));
                }
            };
            within(
                "datagrams",
                max_datagrams.map(|m| m as u64),
                report.datagrams as u64,
            );
            within(
                "bytes from the repository",
                max_bytes_fetched.map(|m| m as u64),
                report.bytes_fetched as u64,
            );
            within("virtual seconds", *max_virtual_s, report.virtual_ms / 1000);
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
        let start = grade(&c, &json!({})).unwrap();
        assert!(!start.solved());
        assert_eq!(
            start.goals[0].told,
            "State is 0, as wanted; Update Result is 1; this challenge wants 7"
        );
        assert_eq!(
            start.goals[1].told,
            "the repository answered 4.04: not in this run"
        );
        let solved = grade(&c, &c.solution).unwrap();
        assert!(solved.solved(), "{solved:?}");
        assert!(solved.goals[1]
            .told
            .starts_with("the repository answered 4.04: yes, at #"));
    }

    #[test]
    fn a_change_the_challenge_does_not_allow_is_refused_naming_it() {
        let c = result_7();
        let err = grade(&c, &json!({"network": {"loss_percent": 50}})).unwrap_err();
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
        let g = grade(&c, &json!({"network": {"loss_percent": 0}})).unwrap();
        assert_eq!((g.goals[0].held, g.goals[0].seeds), (3, 3));
    }

    #[test]
    fn a_bad_challenge_file_names_its_field() {
        let err = Challenge::from_json(
            &json!({"version": 1, "id": "x", "title": "x", "scenario": "pull-success", "task": "t",
                    "may_change": [], "goals": [{"kind": "trace", "filter": "coap.code ==", "says": "s"}],
                    "explanation": "e", "solution": {}})
            .to_string(),
        )
        .unwrap_err();
        assert_eq!(err.path, "goals[0].filter");
        let err = Challenge::from_json(r#"{"version": 1, "id": "x", "colour": 1}"#).unwrap_err();
        assert!(err.why.contains("colour"), "{err}");
    }
}
