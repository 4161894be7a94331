//! Reading and writing scenario files: JSON through serde (errors name the field, by
//! `json_read`), then the checks of `validate`; and the JSON Schema of the format.

use crate::scenario::Scenario;
use crate::scenario_error::ScenarioError;

impl Scenario {
    /// Reads and checks a scenario file: what the CLI's `validate` and the browser's file
    /// picker both call.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let s: Scenario =
            crate::json_read::read(text).map_err(|crate::json_read::Misread { path, why }| {
                ScenarioError::Parse { path, why }
            })?;
        crate::validate::check(&s)?;
        Ok(s)
    }

    /// The scenario as the JSON of its format, pretty-printed.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The JSON Schema of the scenario format, made from its types.
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Scenario);
    // A schema is plain JSON: serialising it cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_gets_a_clear_message() {
        let e = Scenario::by_id("nope").unwrap_err().to_string();
        assert!(
            e.contains("no scenario named \"nope\"") && e.contains("pull-success"),
            "{e}"
        );
        let e = Scenario::from_json("{").unwrap_err().to_string();
        assert!(e.starts_with("scenario file is not valid"), "{e}");
        let mut s = Scenario::by_id("pull-success").unwrap();
        s.device.block_size = 500;
        let e = Scenario::from_json(&s.to_json()).unwrap_err().to_string();
        assert_eq!(
            e,
            "scenario is not usable at `device.block_size`: 500 is not one of 16, 32, 64, 128, 256, 512, 1024"
        );
        let unknown = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":100,"path":"/a"},"colour":1}"#;
        let e = Scenario::from_json(unknown).unwrap_err().to_string();
        assert!(e.contains("unknown field `colour`"), "{e}");
    }

    #[test]
    fn parse_errors_name_the_field_and_what_was_expected() {
        let text = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":"big","path":"/a"}}"#;
        let e = Scenario::from_json(text).unwrap_err().to_string();
        assert!(e.contains("at `image.size`"), "{e}");
        assert!(e.contains("expected usize"), "{e}");
        let text = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":9000,"path":"/a"},
            "faults":[{"kind":"reboot","at_ms":5},{"kind":"explode","at_ms":6}]}"#;
        let e = Scenario::from_json(text).unwrap_err().to_string();
        assert!(e.contains("at `faults[1].kind`"), "{e}");
        assert!(e.contains("unknown variant `explode`"), "{e}");
        let base = r#"{"id":"x","title":"x","image":{"version":"2.0.0","size":9000,"path":"/a"},"#;
        let moon = format!(r#"{base}"network":{{"links":[{{"from":"device","to":"moon"}}]}}}}"#);
        let e = Scenario::from_json(&moon).unwrap_err().to_string();
        assert!(
            e.contains("at `network.links[0].to`")
                && e.contains("\"moon\" is not server, repository or device"),
            "{e}"
        );
        // A field the link settings do not have is named, though serde cannot see it.
        let typo = format!(
            r#"{base}"network":{{"links":[{{"from":"device","to":"server","loss_percnt":5}}]}}}}"#
        );
        let e = Scenario::from_json(&typo).unwrap_err().to_string();
        assert!(
            e.contains("at `network.links[0].loss_percnt`") && e.contains("unknown field"),
            "{e}"
        );
        let typo = format!(r#"{base}"faults":[{{"kind":"set-network","at_ms":5,"latency":9}}]}}"#);
        let e = Scenario::from_json(&typo).unwrap_err().to_string();
        assert!(e.contains("at `faults[0].latency`"), "{e}");
        let op = format!(r#"{base}"operations":[{{"at_ms":5,"op":"reed","path":"/5/0/3"}}]}}"#);
        let e = Scenario::from_json(&op).unwrap_err().to_string();
        assert!(
            e.contains("operations[0]") && e.contains("unknown variant `reed`"),
            "{e}"
        );
        let op = format!(
            r#"{base}"operations":[{{"at_ms":5,"op":"read","path":"/5/0/3","valu":"1"}}]}}"#
        );
        let e = Scenario::from_json(&op).unwrap_err().to_string();
        assert!(
            e.contains("at `operations[0].valu`") && e.contains("unknown field `valu`"),
            "{e}"
        );
        let op = format!(r#"{base}"operations":[{{"at_ms":5,"op":"read","path":"5/0/3"}}]}}"#);
        let e = Scenario::from_json(&op).unwrap_err().to_string();
        assert!(e.contains("\"5/0/3\" is not a path"), "{e}");
        let odd =
            format!(r#"{base}"device":{{"boot_strategy":"overwrite-only","delivery":"pull"}}}}"#);
        let s = Scenario::from_json(&odd).expect("the spellings accepted before still read");
        assert_eq!(s.device.boot_strategy, fota_bootloader::Strategy::Overwrite);
        let version = format!(r#"{base}"device":{{"lwm2m_version":"1.0"}}}}"#);
        let e = Scenario::from_json(&version).unwrap_err().to_string();
        assert!(
            e.contains("at `device.lwm2m_version`") && e.contains("unknown variant `1.0`"),
            "{e}"
        );
        let upper = format!(r#"{base}"network":{{"outages":[{{"node":"Device","from_ms":1}}]}}}}"#);
        assert!(
            Scenario::from_json(&upper).is_ok(),
            "node names read as before"
        );
    }

    #[test]
    fn a_scenario_survives_writing_and_reading_unchanged() {
        for s in Scenario::builtin() {
            assert_eq!(Scenario::from_json(&s.to_json()), Ok(s));
        }
    }
}
