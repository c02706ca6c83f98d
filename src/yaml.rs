//! YAML parsing with errors a curator can act on: line, column, what was expected, a hint.
//!
//! Shared by `config` (site.yaml) and `metadata` (sidecars, front matter). The YAML crate
//! is serde_norway, a maintained fork of serde_yaml with the same data model and
//! positioned errors; serde_path_to_error adds which key a type error belongs to.

use serde::de::DeserializeOwned;

use crate::diag::{suggest, Diagnostic};

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

/// The one-based (line, column) of a top-level `key:` in `text`, for problems found after
/// parsing (an unknown country, a clashing slug) that should still point at the line.
/// When the value is on the key's line, the position is the value's.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let line = key_lines(text, key).next()?;
    Some(value_position(text, key, (line, 1)))
}

/// The one-based lines on which a top-level `key:` appears.
fn key_lines<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = usize> + 'a {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().enumerate().filter_map(move |(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some(i + 1)
    })
}

/// Where the value of the key at `at` starts, when it is on the key's own line (a date
/// that is not a date is the value's fault, not the key's).
fn value_position(text: &str, path: &str, at: (usize, usize)) -> (usize, usize) {
    let key = path.rsplit('.').next().unwrap_or(path);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(line) = text.lines().nth(at.0 - 1) else {
        return at;
    };
    let from = at.1.saturating_sub(1).min(line.len());
    let found = line[from..].find(key).and_then(|i| {
        let after = from + i + key.len();
        let rest = line[after..].trim_start().strip_prefix(':')?;
        let value = rest.trim_start();
        (!value.is_empty() && !value.starts_with('#')).then(|| line.len() - value.len())
    });
    match found {
        Some(byte) => (at.0, line[..byte].chars().count() + 1),
        None => at,
    }
}

/// The position of a nested key such as `location.lat`, following indentation (block
/// style) or the same line (flow style, `location: { lat: 1 }`). An index on the first
/// key (`photos[1].file`) leads into that entry of its sequence.
pub fn path_position(text: &str, path: &str) -> Option<(usize, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut segments = path.split('.').filter(|s| !s.is_empty());
    let (first, index) = match segments.next()?.split_once('[') {
        Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
        None => (path.split('.').next()?, None),
    };
    let (mut line, mut col, mut indent) = match index {
        Some(i) => {
            let (line, col) = *item_positions(text, first).get(i)?;
            // An entry's own keys are indented at least as far as its first character.
            (line, col, col.saturating_sub(2))
        }
        None => (key_position(text, first)?.0, 1, 0),
    };
    for seg in segments
        .filter_map(|s| s.split('[').next())
        .filter(|s| !s.is_empty())
    {
        let current = lines.get(line - 1)?;
        // Flow style, or an entry's first key: the key is later on the same line (from
        // one character before the entry, which `find_key` wants to see).
        let from = byte_at(current, col.saturating_sub(1).max(1));
        if let Some(i) = find_key(&current[from..], seg) {
            col = current[..from + i].chars().count() + 1;
            continue;
        }
        let mut found = None;
        for (i, l) in lines.iter().enumerate().skip(line) {
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let ind = l.len() - t.len();
            if ind <= indent {
                break;
            }
            if t.strip_prefix(seg)
                .is_some_and(|r| r.trim_start().starts_with(':'))
            {
                found = Some((i + 1, ind + 1));
                indent = ind;
                break;
            }
        }
        (line, col) = found?;
    }
    Some((line, col))
}

/// The byte offset of one-based character column `col` in `line` (its end when past it).
fn byte_at(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

/// Where each entry of the top-level sequence `key` starts: the one-based line and
/// column of its first character (after a block entry's `- `), in block style or in
/// flow style (`key: [a, b]`, over several lines too). Empty when `key` holds no
/// sequence. For problems found after parsing that belong to one entry.
pub fn item_positions(text: &str, key: &str) -> Vec<(usize, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(line) = key_lines(text, key).next() else {
        return Vec::new();
    };
    let start = line_offset(text, line);
    let key_line = text[start..].lines().next().unwrap_or_default();
    let colon = key_line[key.len()..]
        .find(':')
        .map_or(0, |i| key.len() + i + 1);
    let value = key_line[colon..].trim_start();
    if value.starts_with('[') {
        let open = start + key_line.len() - value.len();
        flow_items(text, open)
    } else if value.is_empty() || value.starts_with('#') {
        block_items(text, line)
    } else {
        Vec::new()
    }
}

/// The byte offset where one-based `line` starts.
fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum()
}

/// The entries of a block sequence below the key on `key_line`.
fn block_items(text: &str, key_line: usize) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut dash_indent = None;
    for (i, l) in text.lines().enumerate().skip(key_line) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = l.len() - t.len();
        let is_entry = t == "-" || t.starts_with("- ");
        match dash_indent {
            None if is_entry => dash_indent = Some(ind),
            None => break,
            Some(d) if ind < d || (ind == d && !is_entry) => break,
            Some(d) if ind > d => continue,
            Some(_) => {}
        }
        let content = t[1..].trim_start();
        let at = if content.is_empty() || content.starts_with('#') {
            ind
        } else {
            l.len() - content.len()
        };
        items.push((i + 1, l[..at].chars().count() + 1));
    }
    items
}

/// The entries of a flow sequence whose `[` is at byte `open`.
fn flow_items(text: &str, open: usize) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut expecting = false;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut chars = text[open..].char_indices().peekable();
    let mut prev = ' ';
    while let Some((i, c)) = chars.next() {
        if comment {
            comment = c != '\n';
        } else if let Some(q) = quote {
            if q == '"' && c == '\\' {
                chars.next();
            } else if c == q && !(q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'')) {
                quote = None;
            } else if c == q {
                chars.next();
            }
        } else if c == '#' && prev.is_whitespace() {
            comment = true;
        } else if !c.is_whitespace() {
            if expecting && depth == 1 && c != ']' && c != ',' {
                items.push(crate::diag::line_col(text, open + i));
                expecting = false;
            }
            match c {
                '[' | '{' => {
                    depth += 1;
                    expecting = depth == 1;
                }
                ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => expecting = true,
                '"' | '\'' => quote = Some(c),
                _ => {}
            }
        }
        prev = c;
    }
    items
}

fn find_key(s: &str, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = s[from..].find(key) {
        let at = from + i;
        let before_ok = at == 0 || s[..at].ends_with(['{', ',', ' ']);
        let after = &s[at + key.len()..];
        if before_ok && at > 0 && after.trim_start().starts_with(':') {
            return Some(at);
        }
        from = at + key.len();
    }
    None
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
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            format!(
                "{field}expected {}, found {found}",
                plain_expected(expected)
            ),
            Some(example_for(expected)),
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid value: ") {
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

    #[test]
    fn finds_nested_keys() {
        let t = "title: x\nlocation:\n  lat: 1\n  lon: 2\ndate: x\n";
        assert_eq!(path_position(t, "location.lon"), Some((4, 3)));
        assert_eq!(path_position(t, "date"), Some((5, 1)));
        assert_eq!(
            path_position("location: { lat: 1, lon: 2 }\n", "location.lon"),
            Some((1, 21))
        );
    }

    #[test]
    fn paths_into_list_entries_and_odd_paths_end() {
        let t = "photos:\n  - a.jpg\n  - file: b.jpg\n    alt: B\n";
        assert_eq!(path_position(t, "photos[1].file"), Some((3, 5)));
        assert_eq!(path_position(t, "photos[1].alt"), Some((4, 5)));
        assert_eq!(path_position(t, "photos[7]"), None);
        // Found by a fuzzing loop: an empty key once searched forever.
        let odd = "photos:\r\n- ..[a, b]published:  published: photos:file: -origin: 2024-07-07";
        assert!(crate::metadata::parse_sidecar(odd).is_err());
        assert_eq!(path_position(t, "photos[0].[1]"), Some((2, 5)));
    }

    #[test]
    fn finds_top_level_keys() {
        assert_eq!(
            key_position("a: 1\ncountry: CA\n", "country"),
            Some((2, 10))
        );
        assert_eq!(
            key_position("tags:\n  - a\n", "tags"),
            Some((1, 1)),
            "value below"
        );
        assert_eq!(key_position("  country: CA\n", "country"), None);
    }
}
