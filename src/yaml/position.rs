//! Where things are in a YAML text: top-level keys, nested keys by path, the entries of
//! a sequence. For problems found after parsing (an unknown country, a listed photo that
//! is not there) and for parse errors whose own position is the enclosing mapping's.

/// The one-based (line, column) of a top-level `key:` in `text`, for problems found after
/// parsing (an unknown country, a clashing slug) that should still point at the line.
/// When the value is on the key's line, the position is the value's.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let line = key_lines(text, key).next()?;
    Some(value_position(text, key, (line, 1)))
}

/// The one-based lines on which a top-level `key:` appears.
pub(super) fn key_lines<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = usize> + 'a {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().enumerate().filter_map(move |(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some(i + 1)
    })
}

/// Where the value of the key at `at` starts, when it is on the key's own line (a date
/// that is not a date is the value's fault, not the key's).
pub(super) fn value_position(text: &str, path: &str, at: (usize, usize)) -> (usize, usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
