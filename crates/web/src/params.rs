//! The page's URL parameters: `scenario=<id>`, `seed=<n>`, `autoplay=1`. Bad values become a
//! message on screen, never a panic.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    pub scenario: String,
    pub seed: Option<u64>,
    pub autoplay: bool,
}

pub const DEFAULT_SCENARIO: &str = "pull-success";

/// Reads the parameters from `(name, value)` pairs as the browser's URLSearchParams gives them.
pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Params, String> {
    let mut p = Params {
        scenario: DEFAULT_SCENARIO.into(),
        seed: None,
        autoplay: false,
    };
    for (name, value) in pairs {
        match name {
            "scenario" => p.scenario = value.to_string(),
            "seed" => {
                p.seed = Some(value.parse().map_err(|_| {
                    format!("seed=\"{value}\" is not a whole number from 0 to 18446744073709551615")
                })?)
            }
            "autoplay" => {
                p.autoplay = match value {
                    "1" | "true" | "" => true,
                    "0" | "false" => false,
                    other => return Err(format!("autoplay=\"{other}\" must be 1 or 0")),
                }
            }
            // Unknown parameters belong to the embedding page (analytics, LMS ids): ignore them.
            _ => {}
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let p = parse([]).unwrap();
        assert_eq!(
            (p.scenario.as_str(), p.seed, p.autoplay),
            (DEFAULT_SCENARIO, None, false)
        );
        let p = parse([
            ("scenario", "x"),
            ("seed", "42"),
            ("autoplay", "1"),
            ("utm", "y"),
        ])
        .unwrap();
        assert_eq!(
            (p.scenario.as_str(), p.seed, p.autoplay),
            ("x", Some(42), true)
        );
    }

    #[test]
    fn bad_values_get_messages() {
        assert!(parse([("seed", "-1")]).unwrap_err().contains("seed=\"-1\""));
        assert!(parse([("autoplay", "yes")])
            .unwrap_err()
            .contains("autoplay"));
    }
}
