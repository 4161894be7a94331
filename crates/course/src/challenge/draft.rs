//! Author mode: a challenge file drafted from a run, for a workshop leader to edit and share.
//! The built-in scenario it started from becomes the challenge's scenario, what the run shown
//! changed becomes the reference solution (and what the student may change), and how the run
//! ended becomes an outcome goal.

use super::changes::{changes_between, count_changes, touched};
use fota_sim::{RunReport, Scenario};
use serde_json::json;

/// The draft as JSON text; `base` is the built-in scenario, `shown` the run's scenario.
pub fn draft(base: &Scenario, shown: &Scenario, report: &RunReport) -> String {
    let solution = changes_between(base, shown);
    // A student may change what the solution changes, at the level of its section.
    let mut may_change: Vec<String> = touched(&solution)
        .into_iter()
        .map(|p| p.split('.').take(2).collect::<Vec<_>>().join("."))
        .collect();
    may_change.dedup();
    let v = &report.final_values;
    let doc = json!({
        "version": 1,
        "id": format!("my-{}", base.id),
        "title": format!("My challenge on \"{}\"", base.title),
        "scenario": base.id,
        "task": "Say what the student must achieve and what they may change.",
        "may_change": may_change,
        "goals": [{
            "kind": "outcome",
            "state": v.state,
            "result": v.result,
            "firmware_version": v.firmware_version,
            "campaign": report.campaign,
        }],
        "par": count_changes(base, &solution),
        "hints": ["A first hint.", "A closer one.", "One that nearly gives it away."],
        "explanation": "Say why the solution works, with the rule ids the run cites.",
        "solution": solution,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenge::{grade, Attempt, Challenge};
    use fota_sim::World;

    #[test]
    fn a_draft_reads_back_as_a_challenge_its_solution_solves_and_its_start_does_not() {
        let base = Scenario::by_id("pull-success").unwrap();
        let mut shown = base.clone();
        shown.image.corrupt = true;
        let mut world = World::new(shown.clone(), shown.seed);
        world.run_to_end();
        let text = draft(&base, &shown, &RunReport::of(&world));
        let c = Challenge::from_json(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(c.may_change, ["image.corrupt"]);
        assert_eq!(c.par, 1);
        assert!(grade(&c, &Attempt::solution(&c).unwrap()).unwrap().solved());
        assert!(!grade(&c, &Attempt::default()).unwrap().solved());
    }
}
