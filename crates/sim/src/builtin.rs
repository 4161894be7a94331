//! The built-in scenarios, one JSON file each in `crates/sim/scenarios/`, read with the same
//! loader as any scenario file.

use crate::scenario::Scenario;
use crate::scenario_error::ScenarioError;

const BUILTIN: &[&str] = &[
    include_str!("../scenarios/pull-success.json"),
    include_str!("../scenarios/flash-full.json"),
    include_str!("../scenarios/connection-lost.json"),
    include_str!("../scenarios/bad-signature.json"),
    include_str!("../scenarios/corrupt-image.json"),
    include_str!("../scenarios/wrong-package.json"),
    include_str!("../scenarios/downgrade-rejected.json"),
    include_str!("../scenarios/invalid-uri.json"),
    include_str!("../scenarios/rollback.json"),
    include_str!("../scenarios/rollback-health-check.json"),
    include_str!("../scenarios/unsupported-protocol.json"),
    include_str!("../scenarios/cancelled.json"),
    include_str!("../scenarios/deferred.json"),
    include_str!("../scenarios/powercut-during-swap.json"),
    include_str!("../scenarios/push-success.json"),
    include_str!("../scenarios/push-waits-for-signal.json"),
    include_str!("../scenarios/out-of-ram.json"),
    include_str!("../scenarios/resume-after-reboot.json"),
    include_str!("../scenarios/lossy-link.json"),
    include_str!("../scenarios/rejected-at-boot.json"),
    include_str!("../scenarios/early-execute.json"),
    include_str!("../scenarios/push-powercut-downloaded.json"),
    include_str!("../scenarios/damaged-update-ack.json"),
    include_str!("../scenarios/late-success.json"),
    include_str!("../scenarios/server-gives-up.json"),
    include_str!("../scenarios/overwrite-bricked.json"),
    include_str!("../scenarios/flash-align-16.json"),
    include_str!("../scenarios/pull-senml-cbor.json"),
    include_str!("../scenarios/low-battery-defers.json"),
    include_str!("../scenarios/low-battery-refuses-download.json"),
    include_str!("../scenarios/slow-radio-pull-64.json"),
    include_str!("../scenarios/slow-radio-pull-1024.json"),
    include_str!("../scenarios/slow-radio-push-1024.json"),
    include_str!("../scenarios/long-download-drains.json"),
    include_str!("../scenarios/queue-mode.json"),
];

impl Scenario {
    /// Every built-in scenario, read from its file once: the page and the course ask for them
    /// at every turn (a challenge's start, a branch's original, the picker).
    pub fn builtins() -> &'static [Scenario] {
        static READ: std::sync::OnceLock<Vec<Scenario>> = std::sync::OnceLock::new();
        READ.get_or_init(|| {
            BUILTIN
                .iter()
                .filter_map(|text| Scenario::from_json(text).ok())
                .collect()
        })
    }

    pub fn builtin() -> Vec<Scenario> {
        Scenario::builtins().to_vec()
    }

    pub fn builtin_ids() -> Vec<String> {
        Scenario::builtins().iter().map(|s| s.id.clone()).collect()
    }

    pub fn by_id(id: &str) -> Result<Scenario, ScenarioError> {
        let all = Scenario::builtins();
        match all.iter().find(|s| s.id == id) {
            Some(s) => Ok(s.clone()),
            None => Err(ScenarioError::Unknown {
                id: id.to_string(),
                known: all.iter().map(|s| s.id.clone()).collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse() {
        assert!(Scenario::builtin_ids().contains(&"pull-success".to_string()));
        assert_eq!(
            Scenario::builtin().len(),
            BUILTIN.len(),
            "every built-in scenario is valid"
        );
    }
}
