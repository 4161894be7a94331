//! The ladder's filter: the student's text read by the course layer's filter language, the
//! rows of the whole run it matches, and the same filter for Wireshark. Computed once per
//! filter and run, over the run's end, so stepping costs nothing more.

use fota_course::filter::{parse, to_wireshark, Rows, Why};
use fota_sim::World;

/// What a filter the student typed makes of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matches {
    /// For each row of the run, whether the filter matches it.
    pub rows: Vec<bool>,
    pub count: usize,
    /// The same filter for the exported pcap, or why there is none.
    pub wireshark: Result<String, String>,
}

impl Matches {
    pub fn matched(&self, row: usize) -> bool {
        self.rows.get(row).copied().unwrap_or(false)
    }

    /// Matching rows among `start..end`.
    pub fn count_in(&self, start: usize, end: usize) -> usize {
        self.rows
            .get(start..end.min(self.rows.len()))
            .map_or(0, |r| r.iter().filter(|&&m| m).count())
    }
}

/// The rows of `world` that `text` matches; `None` for an empty filter, the reason (with its
/// position) for one that does not read.
pub fn matches(text: &str, world: &World) -> Option<Result<Matches, Why>> {
    if text.trim().is_empty() {
        return None;
    }
    Some(parse(text).map(|filter| {
        let mut rows = vec![false; world.trace().len()];
        for row in Rows::of(world).matching(&filter, world) {
            rows[row] = true;
        }
        Matches {
            count: rows.iter().filter(|&&m| m).count(),
            rows,
            wireshark: to_wireshark(&filter).map_err(|why| why.to_string()),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_sim::Scenario;

    fn run(id: &str) -> World {
        let mut w = World::new(Scenario::by_id(id).unwrap(), 1);
        w.run_to_end();
        w
    }

    #[test]
    fn a_filter_marks_the_rows_it_matches_and_says_it_for_wireshark() {
        let w = run("push-success");
        let m = matches("coap.code == 2.31", &w).unwrap().unwrap();
        assert!(m.count > 20 && m.count < w.trace().len());
        assert_eq!(m.wireshark.as_deref(), Ok("coap.code == 95"));
        let first = m.rows.iter().position(|&x| x).unwrap();
        assert!(explain_summary(&w, first).contains("2.31 Continue"));
        assert_eq!(m.count_in(0, w.trace().len()), m.count);
    }

    #[test]
    fn an_empty_filter_is_none_and_a_mistake_says_where() {
        let w = run("pull-success");
        assert!(matches("  ", &w).is_none());
        let why = matches("coap.tpye == 0", &w).unwrap().unwrap_err();
        assert_eq!(why.at, 1);
        assert!(why.to_string().contains("coap.type"), "{why}");
        let m = matches("rule == \"FU-T5\"", &w).unwrap().unwrap();
        assert_eq!(m.count, 1);
        assert!(
            m.wireshark.is_err(),
            "a sandbox field has no Wireshark name"
        );
    }

    fn explain_summary(w: &World, row: usize) -> String {
        fota_lwm2m::explain(&w.trace()[row].bytes, None).summary
    }
}
