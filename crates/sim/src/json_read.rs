//! Reading a JSON document into a type, with the field that is wrong named by its path
//! (`faults[1].kind`). serde_json says where in the text it stopped (a line and a column); the
//! path is that of the value whose text holds that place, found by walking the text up to it.
//! Types are read by serde_json alone: a path-tracking deserialiser would compile a second
//! reader of every type into the browser's download (about 16 KB gzipped).

use serde::de::DeserializeOwned;

/// Where in the document the text is wrong (empty for the document as a whole), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misread {
    pub path: String,
    pub why: String,
}

/// Reads `text` as one `T`; text after the document is refused, since it is a damaged or
/// pasted-together file.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, Misread> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut *de).map_err(|e| Misread {
        path: path_at_error(text, &e),
        why: e.to_string(),
    })?;
    de.end().map_err(|e| Misread {
        path: String::new(),
        why: e.to_string(),
    })?;
    Ok(value)
}

/// "at `challenges.a.solved`: invalid type …", or the reason alone for the whole document.
impl core::fmt::Display for Misread {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.why)
        } else {
            write!(f, "at `{}`: {}", self.path, self.why)
        }
    }
}

/// The path of the value serde_json was reading when it failed. Its position is the byte it
/// would read next: the failing value's last byte comes just before it (a string, a number, or
/// the `}` of an object that lacks a field), or it is the `{` or `[` of a value that should
/// have been something else. A key belongs to the object that holds it, as an unknown field
/// is that object's fault.
fn path_at_error(text: &str, e: &serde_json::Error) -> String {
    if e.line() == 0 {
        return String::new();
    }
    let next = offset_of(text, e.line(), e.column());
    let bytes = text.as_bytes();
    let at = match bytes.get(next) {
        Some(b'{' | b'[') => next,
        _ => next.saturating_sub(1),
    };
    let mut walk = Walk {
        bytes,
        i: 0,
        at,
        path: Vec::new(),
    };
    match walk.value() {
        Err(Found(path)) => path,
        Ok(()) => String::new(),
    }
}

/// The byte offset of serde_json's line (counted from 1) and column (bytes before it on
/// that line).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + column).min(text.len())
}

/// One step of a path: a field of an object or an element of an array.
enum Segment {
    Key(String),
    Index(usize),
}

/// The path where the walk stopped: the byte looked for is in the value it names.
struct Found(String);

/// A walk over JSON text that stops at byte `at` and says which value holds it.
struct Walk<'a> {
    bytes: &'a [u8],
    i: usize,
    at: usize,
    path: Vec<Segment>,
}

impl Walk<'_> {
    fn here(&self) -> Found {
        let mut s = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Segment::Index(n) => s.push_str(&format!("[{n}]")),
            }
        }
        Found(s)
    }

    /// Stops in the value being read when the byte looked for is before `i`.
    fn passed(&self) -> Result<(), Found> {
        if self.at < self.i {
            Err(self.here())
        } else {
            Ok(())
        }
    }

    fn skip_space(&mut self) {
        while self
            .bytes
            .get(self.i)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.i += 1;
        }
    }

    /// Reads one value and the path into it; text that is not JSON ends the walk where it is.
    fn value(&mut self) -> Result<(), Found> {
        match self.bytes.get(self.i) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                self.string();
                self.passed()
            }
            Some(_) => {
                let start = self.i;
                while self
                    .bytes
                    .get(self.i)
                    .is_some_and(|b| !b",:]} \t\r\n".contains(b))
                {
                    self.i += 1;
                }
                if self.i == start {
                    // A comma, colon or bracket where a value should be.
                    return Err(self.here());
                }
                self.passed()
            }
            None => Err(self.here()),
        }
    }

    /// Moves past a string, escapes included.
    fn string(&mut self) {
        self.i += 1;
        while let Some(&b) = self.bytes.get(self.i) {
            self.i += if b == b'\\' { 2 } else { 1 };
            if b == b'"' {
                return;
            }
        }
    }

    /// Reads one member of an object or an array, named `segment`, and the comma after it.
    fn member(&mut self, segment: Segment) -> Result<(), Found> {
        self.path.push(segment);
        self.value()?;
        self.path.pop();
        self.passed()?;
        self.skip_space();
        if self.bytes.get(self.i) == Some(&b',') {
            self.i += 1;
            self.passed()?;
        }
        Ok(())
    }

    fn object(&mut self) -> Result<(), Found> {
        self.i += 1;
        self.passed()?;
        loop {
            self.skip_space();
            match self.bytes.get(self.i) {
                Some(b'}') => {
                    self.i += 1;
                    return self.passed();
                }
                Some(b'"') => {
                    let start = self.i + 1;
                    self.string();
                    let end = self.i.saturating_sub(1).max(start);
                    let key = String::from_utf8_lossy(&self.bytes[start..end]).into_owned();
                    self.passed()?;
                    self.skip_space();
                    if self.bytes.get(self.i) != Some(&b':') {
                        return Err(self.here());
                    }
                    self.i += 1;
                    self.passed()?;
                    self.skip_space();
                    self.member(Segment::Key(key))?;
                }
                _ => return Err(self.here()),
            }
        }
    }

    fn array(&mut self) -> Result<(), Found> {
        self.i += 1;
        self.passed()?;
        let mut index = 0;
        loop {
            self.skip_space();
            match self.bytes.get(self.i) {
                Some(b']') => {
                    self.i += 1;
                    return self.passed();
                }
                Some(_) => {
                    self.member(Segment::Index(index))?;
                    index += 1;
                }
                None => return Err(self.here()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        table: BTreeMap<String, Item>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        size: u8,
        #[serde(default)]
        kind: Option<Kind>,
        #[serde(default)]
        inner: Option<Box<Item>>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Small,
        Large,
    }

    fn path(text: &str) -> String {
        read::<Doc>(text).unwrap_err().path
    }

    #[test]
    fn each_kind_of_mistake_is_named_by_the_value_that_holds_it() {
        let cases = [
            (r#"{"name": 5}"#, "name"),
            (
                r#"{"name": "a", "items": [{"size": 300}]}"#,
                "items[0].size",
            ),
            (
                r#"{"name": "a", "items": [{"size": 1}, {"size": "big"}]}"#,
                "items[1].size",
            ),
            (r#"{"name": "a", "items": [{"size": 1}, {}]}"#, "items[1]"),
            (
                r#"{"name": "a", "items": [{"size": 1, "colour": 2}]}"#,
                "items[0]",
            ),
            (
                r#"{"name": "a", "items": [{"size": 1, "kind": "huge"}]}"#,
                "items[0].kind",
            ),
            (
                r#"{"name": "a", "items": [{"size": 1, "kind": {"x": 1}}]}"#,
                "items[0].kind",
            ),
            (r#"{"name": "a", "items": {"size": 1}}"#, "items"),
            (
                r#"{"name": "a", "items": [{"size": 1, "inner": {"size": -1}}]}"#,
                "items[0].inner.size",
            ),
            (
                r#"{"name": "a", "table": {"k.1": {"size": null}}}"#,
                "table.k.1.size",
            ),
            (r#"{"items": []}"#, ""),
            (
                r#"{"name": "a\"b", "items": [{"size": true}]}"#,
                "items[0].size",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(path(text), want, "{text}");
        }
    }

    #[test]
    fn pretty_printed_documents_are_walked_line_by_line() {
        let text = "{\n  \"name\": \"a\",\n  \"items\": [\n    {\n      \"size\": 1\n    },\n    {\n      \"size\": \"big\"\n    }\n  ]\n}\n";
        assert_eq!(path(text), "items[1].size");
        let missing = "{\n  \"name\": \"a\",\n  \"items\": [\n    {\n      \"kind\": \"small\"\n    }\n  ]\n}";
        assert_eq!(path(missing), "items[0]");
    }

    #[test]
    fn text_that_is_not_json_is_named_where_it_breaks_and_never_panics() {
        assert_eq!(
            path(r#"{"name": "a", "items": [{"size": 1,}]}"#),
            "items[0]"
        );
        assert_eq!(
            path(r#"{"name": "a", "items": [{"size": 1"#),
            "items[0].size"
        );
        for text in [
            "", "{", "[", "\"", "{\"", "{\"a\"", "{\"a\":", "{\"a\":[", "x", "{]}", "\\",
        ] {
            let _ = read::<Doc>(text);
        }
        let e = read::<Doc>(r#"{"name": "a"} {}"#).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.to_string().contains("trailing")),
            ("", true)
        );
    }
}
