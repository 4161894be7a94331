//! The built-in challenges, one JSON file each in `crates/course/challenges/`, read with the
//! same loader as a challenge file a workshop leader writes, listed in the course's order.

use super::format::Challenge;

const BUILTIN: &[&str] = &[
    include_str!("../../challenges/block-size-fastest.json"),
    include_str!("../../challenges/cancel-mid-download.json"),
    include_str!("../../challenges/energy-block-size.json"),
    include_str!("../../challenges/lossy-30.json"),
    include_str!("../../challenges/overwrite-vs-swap.json"),
    include_str!("../../challenges/pick-download-complete.json"),
    include_str!("../../challenges/pick-package-uri.json"),
    include_str!("../../challenges/push-wait-signal.json"),
    include_str!("../../challenges/queue-mode-sleep.json"),
    include_str!("../../challenges/result-10.json"),
    include_str!("../../challenges/result-11.json"),
    include_str!("../../challenges/result-2.json"),
    include_str!("../../challenges/result-3.json"),
    include_str!("../../challenges/result-4.json"),
    include_str!("../../challenges/result-5.json"),
    include_str!("../../challenges/result-6.json"),
    include_str!("../../challenges/result-7.json"),
    include_str!("../../challenges/result-8.json"),
    include_str!("../../challenges/result-9.json"),
    include_str!("../../challenges/swap-powercut.json"),
];

/// Every built-in challenge, read from its file once, in the order of the lessons they belong
/// to.
fn read() -> &'static [Challenge] {
    static READ: std::sync::OnceLock<Vec<Challenge>> = std::sync::OnceLock::new();
    READ.get_or_init(|| {
        let order: Vec<String> = crate::lesson::path().into_iter().map(|l| l.id).collect();
        let mut all: Vec<Challenge> = BUILTIN
            .iter()
            .filter_map(|text| Challenge::from_json(text).ok())
            .collect();
        all.sort_by_key(|c| {
            c.lesson
                .as_ref()
                .and_then(|l| order.iter().position(|o| o == l))
                .unwrap_or(order.len())
        });
        all
    })
}

/// Every built-in challenge, in the order of the lessons they belong to.
pub fn builtin() -> Vec<Challenge> {
    read().to_vec()
}

pub fn by_id(id: &str) -> Option<Challenge> {
    read().iter().find(|c| c.id == id).cloned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_in_the_folder_is_built_in_and_reads() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/challenges");
        let files = std::fs::read_dir(dir).unwrap().flatten().count();
        assert_eq!(
            super::BUILTIN.len(),
            files,
            "list each file of {dir} in BUILTIN"
        );
        assert_eq!(
            super::builtin().len(),
            files,
            "a built-in challenge does not read"
        );
    }
}
