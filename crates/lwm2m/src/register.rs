//! The Registration interface: Register query parameters and the link-format object list.

use crate::path::Path;

pub const RD_PATH: &str = "/rd";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterParams {
    pub endpoint: String,
    pub lifetime_s: u32,
    pub lwm2m: String,
    pub binding: String,
}

impl RegisterParams {
    pub fn to_queries(&self) -> Vec<String> {
        vec![
            format!("ep={}", self.endpoint),
            format!("lt={}", self.lifetime_s),
            format!("lwm2m={}", self.lwm2m),
            format!("b={}", self.binding),
        ]
    }

    /// Reads Register queries the way a tolerant server does: `ep` is required; `lt` defaults
    /// to 86400, `lwm2m` to 1.0 and `b` to U.
    pub fn from_queries(queries: &[String]) -> Result<RegisterParams, String> {
        let get = |key: &str| {
            queries
                .iter()
                .find_map(|q| q.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
        };
        let endpoint = get("ep").ok_or("Register without the mandatory ep parameter")?;
        if endpoint.is_empty() {
            return Err("Register with an empty endpoint name".into());
        }
        let lifetime_s = match get("lt") {
            Some(v) => v
                .parse()
                .map_err(|_| format!("lifetime lt={v} is not a number"))?,
            None => 86_400,
        };
        Ok(RegisterParams {
            endpoint: endpoint.to_string(),
            lifetime_s,
            lwm2m: get("lwm2m").unwrap_or("1.0").to_string(),
            binding: get("b").unwrap_or("U").to_string(),
        })
    }
}

/// One entry of a link-format payload: `</5/0>` or `</5>;ver=1.1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub attributes: Vec<(String, String)>,
}

impl Link {
    pub fn path(&self) -> Option<Path> {
        Path::parse(&self.target)
    }
}

pub fn write_links(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| {
            let mut s = format!("<{}>", l.target);
            for (k, v) in &l.attributes {
                s.push(';');
                s.push_str(k);
                if !v.is_empty() {
                    s.push('=');
                    s.push_str(v);
                }
            }
            s
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses RFC 6690 link-format as LwM2M uses it (no commas inside quoted values are expected,
/// but they are handled).
pub fn parse_links(text: &str) -> Result<Vec<Link>, String> {
    let mut links = Vec::new();
    for entry in split_outside_quotes(text, ',') {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        let mut parts = split_outside_quotes(entry, ';').into_iter();
        let target = parts.next().unwrap_or_default();
        let target = target
            .trim()
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .ok_or_else(|| format!("link `{entry}` does not start with <target>"))?;
        let attributes = parts
            .map(|a| match a.split_once('=') {
                Some((k, v)) => (k.trim().to_string(), v.trim().trim_matches('"').to_string()),
                None => (a.trim().to_string(), String::new()),
            })
            .collect();
        links.push(Link {
            target: target.to_string(),
            attributes,
        });
    }
    Ok(links)
}

fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            out.push(&text[start..i]);
            start = i + 1;
        }
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_queries_round_trip_with_defaults() {
        let p = RegisterParams {
            endpoint: "sbx-001".into(),
            lifetime_s: 300,
            lwm2m: "1.1".into(),
            binding: "U".into(),
        };
        assert_eq!(RegisterParams::from_queries(&p.to_queries()).unwrap(), p);
        let anjay = RegisterParams::from_queries(&["ep=x".into(), "lwm2m=1.2".into()]).unwrap();
        assert_eq!((anjay.binding.as_str(), anjay.lifetime_s), ("U", 86_400));
        assert!(RegisterParams::from_queries(&["lt=3".into()]).is_err());
    }

    #[test]
    fn links_round_trip_quoted_or_not() {
        let text = r#"</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</5>;ver=1.1,</5/0>"#;
        let links = parse_links(text).unwrap();
        assert_eq!(links.len(), 5);
        assert_eq!(links[3].attributes, vec![("ver".into(), "1.1".into())]);
        assert_eq!(links[0].attributes[0], ("rt".into(), "oma.lwm2m".into()));
        assert_eq!(links[4].path(), Some(Path::instance(5, 0)));
        let quoted = parse_links(r#"</5>;ver="1.1""#).unwrap();
        assert_eq!(quoted[0].attributes[0].1, "1.1");
        assert!(parse_links("5/0").is_err());
    }
}
