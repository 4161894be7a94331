//! Every challenge file shipped fails on its unchanged start (a challenge solved before the
//! student begins is a defect) and passes with its reference solution on every seed it names.

use fota_course::challenge::{grade, Challenge};

#[test]
fn every_shipped_challenge_fails_as_started_and_passes_with_its_solution() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/challenges");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let text = std::fs::read_to_string(&path).unwrap();
        let c = Challenge::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let start = grade(&c, &serde_json::json!({})).unwrap();
        assert!(!start.solved(), "{} is solved before it starts", c.id);
        let solved = grade(&c, &c.solution).unwrap();
        assert!(solved.solved(), "{}: its solution fails: {solved:?}", c.id);
        checked += 1;
    }
    assert!(checked >= 1);
}
