//! The Registration interface: Register query parameters and the link-format object list.

use crate::path::Path;

pub const RD_PATH: &str = "/rd";

/// The LwM2M enabler version a client registers with (`lwm2m=`). The version decides what
/// the client answers a Read or Observe that names no Accept: a 1.1 client (the default)
/// answers text/plain for a single value and TLV for the rest; a 1.2 client answers SenML
/// CBOR, as Anjay does (SRV-12).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Lwm2mVersion {
    #[default]
    #[serde(rename = "1.1")]
    V1_1,
    #[serde(rename = "1.2")]
    V1_2,
}

impl Lwm2mVersion {
    /// The value of the Register's `lwm2m` query.
    pub fn as_str(self) -> &'static str {
        match self {
            Lwm2mVersion::V1_1 => "1.1",
            Lwm2mVersion::V1_2 => "1.2",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterParams {
    pub endpoint: String,
    pub lifetime_s: u32,
    pub lwm2m: String,
    pub binding: String,
    /// The client runs in queue mode (Q-1): `Q` on its own from LwM2M 1.1 on, a `Q` in the
    /// binding (`b=UQ`) in 1.0.
    pub queue_mode: bool,
}

impl RegisterParams {
    pub fn to_queries(&self) -> Vec<String> {
        let in_binding = self.queue_mode && self.lwm2m == "1.0";
        let mut q = vec![
            format!("ep={}", self.endpoint),
            format!("lt={}", self.lifetime_s),
            format!("lwm2m={}", self.lwm2m),
            format!("b={}{}", self.binding, if in_binding { "Q" } else { "" }),
        ];
        if self.queue_mode && !in_binding {
            q.push("Q".into());
        }
        q
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
        let binding = get("b").unwrap_or("U");
        let queue_mode = queries.iter().any(|q| q == "Q") || binding.contains('Q');
        Ok(RegisterParams {
            endpoint: endpoint.to_string(),
            lifetime_s,
            lwm2m: get("lwm2m").unwrap_or("1.0").to_string(),
            binding: binding.replace('Q', ""),
            queue_mode,
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
                    write_value(&mut s, v);
                }
            }
            s
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// An attribute value as RFC 6690 §2 has it: bare when it is a `ptoken`, otherwise a
/// quoted-string with `"` and `\` escaped, so that commas and semicolons stay in the value.
fn write_value(out: &mut String, value: &str) {
    if value.chars().all(is_ptoken_char) {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// RFC 6690 §2: `ptokenchar = "!" / "#" / "$" / "%" / "&" / "'" / "(" / ")" / "*" / "+" /
/// "-" / "." / "/" / DIGIT / ":" / "<" / "=" / ">" / "?" / "@" / ALPHA / "[" / "]" / "^" /
/// "_" / "`" / "{" / "|" / "}" / "~"`.
fn is_ptoken_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'()*+-./:<=>?@[]^_`{|}~".contains(c)
}

/// Parses RFC 6690 link-format as LwM2M uses it: `<target>` followed by `;name` or
/// `;name=value` attributes, links separated by commas. A value is a bare token or a
/// quoted-string, which may hold commas, semicolons and `\`-escaped quotes.
pub fn parse_links(text: &str) -> Result<Vec<Link>, String> {
    let mut links = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
            continue;
        }
        if rest.is_empty() {
            return Ok(links);
        }
        let target =
            rest.strip_prefix('<')
                .and_then(|r| r.split_once('>'))
                .map(|(target, after)| {
                    rest = after;
                    target
                });
        let Some(target) = target else {
            let entry = rest[..top_level_comma(rest)].trim();
            return Err(format!("link `{entry}` does not start with <target>"));
        };
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() || rest.starts_with(',') {
                break;
            }
            let Some(after) = rest.strip_prefix(';') else {
                return Err(format!("unexpected `{rest}` after the link <{target}>"));
            };
            let (attribute, after) = parse_attribute(after)?;
            attributes.push(attribute);
            rest = after;
        }
        links.push(Link {
            target: target.to_string(),
            attributes,
        });
    }
}

/// `name` or `name=value` at the start of `text` (just after its `;`), and what follows it.
fn parse_attribute(text: &str) -> Result<((String, String), &str), String> {
    let name_end = text.find(['=', ';', ',']).unwrap_or(text.len());
    let name = text[..name_end].trim().to_string();
    let Some(value) = text[name_end..].strip_prefix('=') else {
        return Ok(((name, String::new()), &text[name_end..]));
    };
    let value = value.trim_start();
    let Some(quoted) = value.strip_prefix('"') else {
        let end = value.find([';', ',']).unwrap_or(value.len());
        return Ok(((name, value[..end].trim().to_string()), &value[end..]));
    };
    let mut unquoted = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok(((name, unquoted), &quoted[i + 1..])),
            '\\' => match chars.next() {
                Some((_, escaped)) => unquoted.push(escaped),
                None => break,
            },
            _ => unquoted.push(c),
        }
    }
    Err(format!(
        "the value of `{name}` opens a quote it does not close"
    ))
}

/// Where the link at the start of `text` ends: its first comma outside quotes, or the end.
fn top_level_comma(text: &str) -> usize {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => return i,
            _ => {}
        }
    }
    text.len()
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
            queue_mode: false,
        };
        assert_eq!(RegisterParams::from_queries(&p.to_queries()).unwrap(), p);
        // Q-1: queue mode as its own parameter in 1.1, in the binding in 1.0.
        let queued = RegisterParams {
            queue_mode: true,
            ..p.clone()
        };
        assert!(queued.to_queries().contains(&"Q".to_string()));
        assert_eq!(
            RegisterParams::from_queries(&queued.to_queries()).unwrap(),
            queued
        );
        let old = RegisterParams {
            lwm2m: "1.0".into(),
            ..queued
        };
        assert!(old.to_queries().contains(&"b=UQ".to_string()));
        assert_eq!(
            RegisterParams::from_queries(&old.to_queries()).unwrap(),
            old
        );
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

    #[test]
    fn quoted_values_keep_their_commas_semicolons_and_quotes() {
        let links = vec![Link {
            target: "/3/0".into(),
            attributes: vec![
                ("rt".into(), "a,b".into()),
                ("title".into(), "x; \"y\" \\ z".into()),
                ("ver".into(), "1.1".into()),
            ],
        }];
        let text = write_links(&links);
        assert_eq!(text, r#"</3/0>;rt="a,b";title="x; \"y\" \\ z";ver=1.1"#);
        assert_eq!(parse_links(&text).unwrap(), links);
        let two = parse_links(r#"</a>;rt="a,b",</b>;if="x;y""#).unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].attributes, vec![("rt".into(), "a,b".into())]);
        assert_eq!(two[1].attributes, vec![("if".into(), "x;y".into())]);
        assert!(parse_links(r#"</a>;rt="open"#).is_err());
    }
}
