//! The built-in lessons, one JSON file each in `crates/course/lessons/`, read with the same
//! loader as a lesson file a course author writes.

use super::format::Lesson;

const BUILTIN: &[&str] = &[
    include_str!("../../lessons/four-steps.json"),
    include_str!("../../lessons/pull.json"),
    include_str!("../../lessons/push.json"),
    include_str!("../../lessons/states-results.json"),
    include_str!("../../lessons/secure-boot.json"),
    include_str!("../../lessons/rollback.json"),
    include_str!("../../lessons/powercut.json"),
    include_str!("../../lessons/limited-resources.json"),
    include_str!("../../lessons/tour-cancelled.json"),
    include_str!("../../lessons/tour-connection-lost.json"),
    include_str!("../../lessons/tour-corrupt-image.json"),
    include_str!("../../lessons/tour-deferred.json"),
    include_str!("../../lessons/tour-downgrade-rejected.json"),
    include_str!("../../lessons/tour-low-battery-defers.json"),
    include_str!("../../lessons/tour-low-battery-refuses-download.json"),
    include_str!("../../lessons/tour-slow-radio-pull-64.json"),
    include_str!("../../lessons/tour-slow-radio-pull-1024.json"),
    include_str!("../../lessons/tour-slow-radio-push-1024.json"),
    include_str!("../../lessons/tour-long-download-drains.json"),
    include_str!("../../lessons/tour-queue-mode.json"),
    include_str!("../../lessons/tour-flash-full.json"),
    include_str!("../../lessons/tour-invalid-uri.json"),
    include_str!("../../lessons/tour-out-of-ram.json"),
    include_str!("../../lessons/tour-push-success.json"),
    include_str!("../../lessons/tour-rejected-at-boot.json"),
    include_str!("../../lessons/tour-resume-after-reboot.json"),
    include_str!("../../lessons/tour-rollback-health-check.json"),
    include_str!("../../lessons/tour-unsupported-protocol.json"),
    include_str!("../../lessons/tour-wrong-package.json"),
    include_str!("../../lessons/tour-early-execute.json"),
    include_str!("../../lessons/tour-push-powercut-downloaded.json"),
    include_str!("../../lessons/tour-damaged-update-ack.json"),
    include_str!("../../lessons/tour-late-success.json"),
    include_str!("../../lessons/tour-server-gives-up.json"),
    include_str!("../../lessons/tour-overwrite-bricked.json"),
    include_str!("../../lessons/tour-flash-align-16.json"),
    include_str!("../../lessons/tour-pull-senml-cbor.json"),
];

/// Every built-in lesson, read from its file once: challenges, the tour and the path ask for
/// them at every turn.
fn read() -> &'static [Lesson] {
    static READ: std::sync::OnceLock<Vec<Lesson>> = std::sync::OnceLock::new();
    READ.get_or_init(|| {
        BUILTIN
            .iter()
            .filter_map(|text| Lesson::from_json(text).ok())
            .collect()
    })
}

pub fn builtin() -> Vec<Lesson> {
    read().to_vec()
}

pub fn by_id(id: &str) -> Option<Lesson> {
    read().iter().find(|l| l.id == id).cloned()
}

/// The lessons of the course's path, in the path's order.
pub fn path() -> Vec<Lesson> {
    let mut lessons: Vec<Lesson> = read()
        .iter()
        .filter(|l| l.part.is_some())
        .cloned()
        .collect();
    lessons.sort_by_key(|l| l.part);
    lessons
}

/// What the page tells on a scenario opened by itself: the scenario's own tour, else the
/// first lesson of the path on it.
pub fn tour_of(scenario: &str) -> Option<Lesson> {
    let on: Vec<&Lesson> = read().iter().filter(|l| l.scenario == scenario).collect();
    on.iter()
        .find(|l| l.part.is_none())
        .or_else(|| on.iter().min_by_key(|l| l.part))
        .map(|l| (*l).clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::resolve;
    use fota_sim::{Scenario, World};

    #[test]
    fn every_builtin_lesson_reads_and_every_anchor_is_found_on_its_scenario() {
        let lessons = builtin();
        assert_eq!(lessons.len(), BUILTIN.len(), "every built-in lesson reads");
        for l in lessons {
            let s = Scenario::by_id(&l.scenario).unwrap();
            let mut w = World::new(s.clone(), l.seed.unwrap_or(s.seed));
            w.run_to_end();
            let mut last = 0;
            for (i, (step, told)) in l.steps.iter().zip(crate::lesson::tell(&l, &w)).enumerate() {
                assert!(
                    told.unfilled.is_empty(),
                    "{} step {i}: {:?}",
                    l.id,
                    told.unfilled
                );
                let Some(anchor) = &step.anchor else { continue };
                let m = resolve(anchor, &w).unwrap_or_else(|| panic!("{} step {i}", l.id));
                assert!(m.rows >= last, "{} step {i} goes back in the run", l.id);
                last = m.rows;
            }
        }
    }

    #[test]
    fn the_path_has_its_eight_parts_and_every_scenario_a_tour_of_three_steps_or_more() {
        let parts: Vec<u8> = path().iter().filter_map(|l| l.part).collect();
        assert_eq!(parts, (1..=8).collect::<Vec<_>>());
        for s in Scenario::builtin() {
            let tour = tour_of(&s.id).unwrap_or_else(|| panic!("{} has no tour", s.id));
            assert!(
                tour.steps.len() >= 3,
                "{}: {} steps",
                s.id,
                tour.steps.len()
            );
        }
    }
}
