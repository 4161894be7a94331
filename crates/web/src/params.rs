//! The page's URL parameters. Bad values become a message on screen, never a panic.
//!
//! - `scenario=<id>` and `seed=<n>`: which run;
//! - `lesson=<id>`: a built-in lesson, told on its scenario;
//! - `challenge=<id>`: a built-in challenge, on its scenario as it starts;
//! - `at=<rows>`: open at that position (a share link);
//! - `autoplay=1`: go to the end at once;
//! - `view=compact|full`: compact fits a course page's iframe;
//! - `panels=ladder,inspector,device,server,faults`: which panels to show;
//! - `theme=light|dark`: the colours, whatever the reader's setting (else it is followed).

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    pub scenario: String,
    pub lesson: Option<String>,
    pub challenge: Option<String>,
    pub seed: Option<u64>,
    pub at: Option<usize>,
    pub autoplay: bool,
    pub compact: bool,
    pub panels: Panels,
    /// `light` or `dark`; none follows the reader's setting.
    pub theme: Option<&'static str>,
}

/// Which panels the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panels {
    pub ladder: bool,
    pub inspector: bool,
    pub device: bool,
    pub server: bool,
    pub faults: bool,
    /// Energy, battery and flash erases over the run.
    pub cost: bool,
}

impl Panels {
    pub const ALL: Panels = Panels {
        ladder: true,
        inspector: true,
        device: true,
        server: true,
        faults: true,
        cost: true,
    };

    const NAMES: &'static str = "ladder, inspector, device, server, faults, cost";

    fn parse(list: &str) -> Result<Panels, String> {
        let mut p = Panels {
            ladder: false,
            inspector: false,
            device: false,
            server: false,
            faults: false,
            cost: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "ladder" => p.ladder = true,
                "inspector" => p.inspector = true,
                "device" => p.device = true,
                "server" => p.server = true,
                "faults" => p.faults = true,
                "cost" => p.cost = true,
                other => {
                    return Err(format!(
                        "panels=\"{list}\": \"{other}\" is not one of {}",
                        Panels::NAMES
                    ))
                }
            }
        }
        Ok(p)
    }
}

pub const DEFAULT_SCENARIO: &str = "pull-success";

/// Reads the parameters from `(name, value)` pairs as the browser's URLSearchParams gives them.
pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Params, String> {
    let mut p = Params {
        scenario: DEFAULT_SCENARIO.into(),
        lesson: None,
        challenge: None,
        seed: None,
        at: None,
        autoplay: false,
        compact: false,
        panels: Panels::ALL,
        theme: None,
    };
    let flag = |name: &str, value: &str| match value {
        "1" | "true" | "" => Ok(true),
        "0" | "false" => Ok(false),
        other => Err(format!("{name}=\"{other}\" must be 1 or 0")),
    };
    for (name, value) in pairs {
        match name {
            "scenario" => p.scenario = value.to_string(),
            "lesson" => p.lesson = Some(value.to_string()),
            "challenge" => p.challenge = Some(value.to_string()),
            "seed" => {
                p.seed = Some(value.parse().map_err(|_| {
                    format!("seed=\"{value}\" is not a whole number from 0 to 18446744073709551615")
                })?)
            }
            "at" => {
                p.at = Some(value.parse().map_err(|_| {
                    format!("at=\"{value}\" is not a number of messages (0, 1, 2, ...)")
                })?)
            }
            "autoplay" => p.autoplay = flag(name, value)?,
            "view" => {
                p.compact = match value {
                    "compact" => true,
                    "full" => false,
                    other => return Err(format!("view=\"{other}\" must be compact or full")),
                }
            }
            "panels" => p.panels = Panels::parse(value)?,
            "theme" => {
                p.theme = Some(match value {
                    "light" => "light",
                    "dark" => "dark",
                    other => return Err(format!("theme=\"{other}\" must be light or dark")),
                })
            }
            // Unknown parameters belong to the embedding page (analytics, LMS ids): ignore them.
            _ => {}
        }
    }
    Ok(p)
}

/// The query string that reopens `scenario` with `seed` at `rows` messages.
pub fn share_query(scenario: &str, seed: u64, rows: usize) -> String {
    format!("?scenario={scenario}&seed={seed}&at={rows}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let p = parse([]).unwrap();
        assert_eq!(
            (p.scenario.as_str(), p.seed, p.autoplay, p.compact),
            (DEFAULT_SCENARIO, None, false, false)
        );
        assert_eq!(p.panels, Panels::ALL);
        let p = parse([
            ("scenario", "x"),
            ("seed", "42"),
            ("autoplay", "1"),
            ("utm", "y"),
            ("at", "17"),
            ("view", "compact"),
            ("panels", "ladder,device"),
        ])
        .unwrap();
        assert_eq!(
            (p.scenario.as_str(), p.seed, p.autoplay, p.at, p.compact),
            ("x", Some(42), true, Some(17), true)
        );
        assert!(p.panels.ladder && p.panels.device && !p.panels.inspector);
        assert_eq!(share_query("x", 42, 17), "?scenario=x&seed=42&at=17");
    }

    #[test]
    fn bad_values_get_messages() {
        assert!(parse([("seed", "-1")]).unwrap_err().contains("seed=\"-1\""));
        assert!(parse([("autoplay", "yes")])
            .unwrap_err()
            .contains("autoplay"));
        assert!(parse([("view", "tiny")])
            .unwrap_err()
            .contains("compact or full"));
        let e = parse([("panels", "ladder,chat")]).unwrap_err();
        assert!(e.contains("\"chat\" is not one of"), "{e}");
        assert!(parse([("at", "x")]).unwrap_err().contains("at=\"x\""));
        assert!(parse([("theme", "blue")])
            .unwrap_err()
            .contains("theme=\"blue\" must be light or dark"));
        assert_eq!(parse([("theme", "dark")]).unwrap().theme, Some("dark"));
    }
}
