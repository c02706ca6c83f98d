//! YAML parsing with errors a curator can act on: line, column, what was expected, a hint.
//!
//! Shared by `config` (site.yaml) and `metadata` (sidecars, front matter). The YAML crate
//! is serde_norway, a maintained fork of serde_yaml with the same data model and
//! positioned errors; serde_path_to_error adds which key a type error belongs to.

use serde::de::DeserializeOwned;

use crate::diag::{suggest, Diagnostic};

mod position;
pub use position::{item_positions, key_position, path_position};
use position::{key_lines, value_position};

/// Parse `text` as a `T`. `text` may start with a BOM, use CRLF, or be empty (or only
/// comments), which parses as an empty mapping so every field takes its default.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if is_blank(text) { "{}" } else { text };
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, T>(de).map_err(|e| within(text, explain(text, e)))
}

/// The parser reports the end of the text as a line past the last one; an editor
/// cannot go there, so point at the end of the last line instead. Lines end at `\n`,
/// `\r\n` or a lone `\r`, as in YAML and in editors.
fn within(text: &str, mut d: Diagnostic) -> Diagnostic {
    let lines: Vec<&str> = text
        .split("\r\n")
        .flat_map(|l| l.split(['\n', '\r']))
        .collect();
    let last = match lines.last() {
        Some(l) if l.is_empty() && lines.len() > 1 => lines.len() - 1,
        _ => lines.len(),
    };
    if d.line.is_some_and(|l| l > last && last > 0) {
        d.line = Some(last);
        d.column = Some(lines[last - 1].chars().count() + 1);
    }
    d
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

fn explain(text: &str, err: serde_path_to_error::Error<serde_norway::Error>) -> Diagnostic {
    let path = err.path().to_string();
    let inner = err.into_inner();
    // serde_norway's own position (one-based line, column in characters).
    let mut pos = inner.location().map(|l| (l.line(), l.column()));
    // Errors raised after a value was read (a date that is not a date) point at the
    // enclosing mapping; the key's own line is more useful.
    if let Some(own) = path_position(text, &path) {
        if pos.is_none_or(|(line, _)| line < own.0) {
            pos = Some(value_position(text, &path, own));
        }
    }
    let raw = strip_position(&inner.to_string());
    // serde_norway prefixes nested errors with a path (sometimes the parent's only);
    // we print our own, so keep the message from its first known phrase on.
    let raw = [
        "unknown field `",
        "invalid type: ",
        "invalid value: ",
        "missing field `",
        "duplicate field `",
    ]
    .iter()
    .filter_map(|phrase| raw.find(phrase))
    .min()
    .map_or_else(
        || {
            // The prefix may be the full path or only its parent (`location: `).
            let parent = path.rsplit_once('.').map(|(p, _)| p);
            raw.strip_prefix(&format!("{path}: "))
                .or_else(|| parent.and_then(|p| raw.strip_prefix(&format!("{p}: "))))
                .unwrap_or(&raw)
                .to_string()
        },
        |i| raw[i..].to_string(),
    );
    // An unclosed quote is only noticed at the end of the text; point at where it opens.
    if raw.contains("quoted scalar") {
        if let Some(open) = unclosed_quote(text) {
            return Diagnostic::error("this quoted value is never closed")
                .at(open.0, open.1)
                .hint("add the closing quote at the end of the value, or remove the opening one");
        }
    }
    // A duplicate key is reported at its mapping; the second occurrence is the one to fix.
    if let Some(key) = raw
        .strip_prefix("duplicate field `")
        .and_then(|r| r.split('`').next())
    {
        // Only at the top level, where the path is `.` or the key itself.
        if path
            .rsplit_once('.')
            .is_none_or(|(parent, _)| parent.is_empty())
        {
            pos = key_lines(text, key).nth(1).map(|line| (line, 1)).or(pos);
        }
    }
    let (message, mut hint) = reword(&raw, &path, pos.and_then(|(l, _)| text.lines().nth(l - 1)));
    // Our own checks say "what is wrong; what to write": the second half is the hint.
    let message = match (hint.is_none(), message.split_once("; ")) {
        (true, Some((what, todo))) => {
            hint = Some(todo.to_string());
            what.to_string()
        }
        _ => message,
    };
    let d = Diagnostic::error(message).at_opt(pos.or_else(|| {
        let top = path.split('.').next()?;
        key_position(text, top)
    }));
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// Where a quote that is never closed opens (one-based line and column), by a scan that
/// knows YAML's quoting and comments well enough for sidecars.
fn unclosed_quote(text: &str) -> Option<(usize, usize)> {
    let mut open: Option<(char, usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            match open {
                Some((q, ..)) => {
                    if q == '"' && c == '\\' {
                        j += 1;
                    } else if c == q {
                        if q == '\'' && chars.get(j + 1) == Some(&'\'') {
                            j += 1;
                        } else {
                            open = None;
                        }
                    }
                }
                None => {
                    let starts_value = j == 0 || matches!(chars[j - 1], ' ' | '[' | '{' | ',');
                    if c == '#' && starts_value {
                        break;
                    }
                    if (c == '"' || c == '\'') && starts_value {
                        open = Some((c, i + 1, j + 1));
                    }
                }
            }
            j += 1;
        }
    }
    open.map(|(_, line, col)| (line, col))
}

/// serde_norway appends " at line L column C" to its messages; we print the position
/// ourselves. This only cleans the text: the position itself is `Error::location()`.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

fn reword(raw: &str, path: &str, line: Option<&str>) -> (String, Option<String>) {
    let field = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("`{path}`: ")
    };
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default();
        let known = backticked(rest.split_once("expected").map_or("", |x| x.1));
        let parent = path.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
        let within = if parent.is_empty() || parent == "?" {
            String::new()
        } else {
            format!(" in `{parent}`")
        };
        let message = format!("unknown key `{key}`{within}");
        let list = known.join(", ");
        // With two or three choices (`lat`/`lon`) a looser guess is still a good one.
        let guess = suggest(key, known.iter().map(String::as_str)).or_else(|| {
            (known.len() <= 3)
                .then(|| {
                    known
                        .iter()
                        .max_by(|a, b| strsim::jaro(key, a).total_cmp(&strsim::jaro(key, b)))
                })
                .flatten()
                .map(String::as_str)
        });
        let hint = match guess {
            Some(s) => format!("did you mean `{s}`? Known keys: {list}"),
            None => format!("known keys: {list}"),
        };
        return (message, Some(hint));
    }
    // serde says "invalid type" for a string where a list goes and "invalid value" for
    // a number out of range; the curator is told the same either way.
    let wrong = ["invalid type: ", "invalid value: "];
    if let Some(rest) = wrong.iter().find_map(|p| raw.strip_prefix(p)) {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            format!(
                "{field}expected {}, found {found}",
                plain_expected(expected)
            ),
            Some(example_for(expected)),
        );
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        return (
            format!("{field}missing `{key}`"),
            Some(format!("add `{key}:` here")),
        );
    }
    if let Some(rest) = raw.strip_prefix("duplicate field `") {
        let key = rest.trim_end_matches('`');
        return (
            format!("the key `{key}` appears twice"),
            Some("keep one of them; YAML keys must be unique".into()),
        );
    }
    if raw.contains("duplicate entry") {
        return (
            raw.replace("duplicate entry with key", "the same key appears twice:"),
            Some("keep one of them; YAML keys must be unique".into()),
        );
    }
    if line.is_some_and(|l| l.contains('\t')) || raw.contains("cannot start any token") {
        return (
            format!("{field}{raw}"),
            Some("YAML indentation uses spaces; replace the tab characters".into()),
        );
    }
    if raw.contains("quoted scalar") {
        return (
            raw.to_string(),
            Some("a quote is not closed: add the closing \" or '".into()),
        );
    }
    if raw.contains("mapping values are not allowed") {
        return (
            raw.to_string(),
            Some("a value contains `: `; put the value in quotes".into()),
        );
    }
    (format!("{field}{raw}"), None)
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, w)| w.to_string())
        .collect()
}

fn plain_expected(expected: &str) -> String {
    match expected {
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i64" | "i32" => "a whole number".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        e if e.starts_with("struct ") => "a mapping of keys to values".into(),
        e => e.to_string(),
    }
}

fn example_for(expected: &str) -> String {
    let hint = match expected {
        "f64" | "f32" => "write a plain number such as 43.5931",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i64" | "i32" => "write a whole number such as 3",
        "a boolean" => "write true or false",
        "a sequence" => "write a list such as [pictogram, art]",
        "struct LatLon" => "write `location: { lat: 43.5931, lon: -79.6424 }`",
        "a string" => {
            "write text; put it in quotes if it starts with a special character or contains `: `"
        }
        other => return format!("write {} here", plain_expected(other)),
    };
    hint.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Demo {
        title: Option<String>,
        tags: Vec<String>,
        draft: bool,
    }

    #[test]
    fn unknown_key_names_it_and_suggests() {
        let err = parse::<Demo>("title: x\ntgas: [a]\n").unwrap_err();
        assert_eq!(err.message, "unknown key `tgas`");
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
        assert!(err.hint.unwrap().starts_with("did you mean `tags`?"));
    }

    #[test]
    fn wrong_type_names_the_key() {
        let err = parse::<Demo>("draft: maybe\n").unwrap_err();
        assert!(
            err.message.starts_with("`draft`: expected true or false"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn nested_unknown_keys_and_wrong_shapes_get_hints() {
        let err = crate::metadata::parse_sidecar("location: {lat: 1, lng: 2}\n").unwrap_err();
        assert_eq!(err.message, "unknown key `lng` in `location`");
        assert!(err.hint.unwrap().starts_with("did you mean `lon`?"));
        let err = crate::metadata::parse_sidecar("location: [1, 2]\n").unwrap_err();
        assert!(err.hint.unwrap().contains("lat: 43.5931"));
        let err = parse::<Demo>("title: [x, y]\n").unwrap_err();
        assert!(
            err.message.starts_with("`title`: expected a string"),
            "{}",
            err.message
        );
        assert!(err.hint.is_some());
    }

    #[test]
    fn empty_bom_and_crlf_parse() {
        assert!(parse::<Demo>("").unwrap().title.is_none());
        assert!(parse::<Demo>("# only a comment\n").unwrap().tags.is_empty());
        let d = parse::<Demo>("\u{feff}title: Hi\r\ndraft: true\r\n").unwrap();
        assert_eq!(d.title.as_deref(), Some("Hi"));
        assert!(d.draft);
    }

    #[test]
    fn an_unclosed_quote_is_shown_where_it_opens() {
        let e = parse::<Demo>("title: \"Open\ntags: x\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(8)));
        let e = parse::<Demo>("title: 'it''s' # and 'this\ntags: ['a', 'open]\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(13)), "{e:?}");
    }

    #[test]
    fn tabs_and_quotes_get_hints() {
        let err = parse::<Demo>("title: x\n\ttags: [a]\n").unwrap_err();
        assert!(err.hint.unwrap().contains("tab"));
        let err = parse::<Demo>("title: \"open\ntags: []\n").unwrap_err();
        assert!(err.line.is_some());
    }

    #[test]
    fn positions_stay_inside_the_text() {
        // Found by fuzzing: a lone CR ends a line for YAML, and the end of the text was
        // reported as a line past the last.
        let e = parse::<Demo>("title: x\ntags:\r=6/../date").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(11)), "{e:?}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse::<Demo>("title: a\ntags: []\ntitle: b\n").unwrap_err();
        assert!(err.message.contains("twice"), "{}", err.message);
        assert_eq!((err.line, err.column), (Some(3), Some(1)), "the second one");
    }
}
