//! Every built-in challenge fails on its unchanged start (a challenge solved before the
//! student begins is a defect) and passes with its reference solution on every seed it names,
//! within its par; each pick's right answer is not also one of its wrong picks.

use fota_course::challenge::{builtin, grade, started, Attempt, Goal};
use fota_sim::World;

#[test]
fn every_built_in_challenge_fails_as_started_and_passes_with_its_solution() {
    let all = builtin();
    assert!(all.len() >= 18, "{} built-in challenges", all.len());
    for c in &all {
        let start = grade(c, &Attempt::default()).unwrap();
        assert!(!start.solved(), "{} is solved before it starts", c.id);
        let solution = Attempt::solution(c).unwrap();
        let solved = grade(c, &solution).unwrap();
        assert!(solved.solved(), "{}: its solution fails: {solved:?}", c.id);
        assert!(
            solved.changes <= c.par,
            "{}: par {} < {}",
            c.id,
            c.par,
            solved.changes
        );
    }
}

#[test]
fn a_right_pick_is_never_also_a_wrong_one() {
    for c in builtin() {
        let mut world = World::new(started(&c).unwrap(), c.seed_list(1)[0]);
        world.run_to_end();
        for g in &c.goals {
            let Goal::Pick { answer, wrong, .. } = g else {
                continue;
            };
            let rows = |f: &str| fota_course::evaluate(&fota_course::parse(f).unwrap(), &world);
            let right = rows(answer);
            assert!(!right.is_empty(), "{}: nothing answers {answer}", c.id);
            for w in wrong {
                let tempting = rows(&w.filter);
                assert!(!tempting.is_empty(), "{}: no message is {}", c.id, w.filter);
                assert!(
                    tempting.iter().all(|r| !right.contains(r)),
                    "{}: {} is both right and wrong",
                    c.id,
                    w.filter
                );
            }
        }
    }
}
