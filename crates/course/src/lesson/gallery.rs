//! The States and Results gallery: for each Update Result from 1 to 11, the built-in scenario
//! that produces it, opened at the moment the device reports it.

use super::format::Anchor;
use fota_lwm2m::UpdateResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GalleryEntry {
    pub result: UpdateResult,
    pub scenario: &'static str,
}

impl GalleryEntry {
    /// The moment the device first reports this Result.
    pub fn anchor(&self) -> Anchor {
        Anchor::Change {
            state: None,
            result: Some(self.result.code()),
        }
    }
}

const PRODUCED_BY: [(u8, &str); 11] = [
    (1, "pull-success"),
    (2, "flash-full"),
    (3, "out-of-ram"),
    (4, "connection-lost"),
    (5, "corrupt-image"),
    (6, "wrong-package"),
    (7, "invalid-uri"),
    (8, "rollback"),
    (9, "unsupported-protocol"),
    (10, "cancelled"),
    (11, "deferred"),
];

pub fn results_gallery() -> Vec<GalleryEntry> {
    PRODUCED_BY
        .iter()
        .filter_map(|&(code, scenario)| {
            Some(GalleryEntry {
                result: UpdateResult::from_code(code)?,
                scenario,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::resolve;
    use fota_sim::{Scenario, World};

    #[test]
    fn each_result_from_1_to_11_happens_in_the_scenario_the_gallery_opens() {
        let gallery = results_gallery();
        assert_eq!(
            gallery.iter().map(|e| e.result.code()).collect::<Vec<_>>(),
            (1..=11).collect::<Vec<_>>()
        );
        for e in gallery {
            let s = Scenario::by_id(e.scenario).unwrap();
            let mut w = World::new(s.clone(), s.seed);
            w.run_to_end();
            assert!(
                resolve(&e.anchor(), &w).is_some(),
                "{} never reports Result {}",
                e.scenario,
                e.result.code()
            );
        }
    }
}
