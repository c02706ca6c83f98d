//! An Instagram caption, read for `glyph import`: the archive's old signs are posts
//! whose first line names the place ("Simons (Square One) – Mississauga, Canada."),
//! then words, then hashtags.
//!
//! `parse` splits one into the place line's parts, the rest as Markdown-safe text,
//! and the hashtags as the project's tag slugs. It never fails: a caption with no
//! recognisable place line keeps all of its words as text.

use std::collections::HashSet;

use unicode_normalization::char::is_combining_mark;

use crate::geo::country_by_any_name;

/// A place line longer than this is a sentence, not a place.
const MAX_PLACE_LINE: usize = 200;
/// A city of more words than this is more likely a sentence ending in a country
/// ("We loved this one, Canada"); "San Cristóbal de las Casas" has five.
const MAX_CITY_WORDS: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Caption {
    /// The venue: "Simons (Square One)".
    pub place: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<&'static str>,
    /// The caption without its place line and its trailing hashtags, as Markdown that
    /// renders as the text it is.
    pub text: String,
    /// Every hashtag, as the project's tag slug, first use first, each once.
    pub tags: Vec<String>,
    /// The caption as given.
    pub original: String,
}

/// What a place line says.
#[derive(Debug, PartialEq, Eq)]
struct PlaceLine {
    place: Option<String>,
    city: String,
    country: &'static str,
}

pub(crate) fn parse(caption: &str) -> Caption {
    let unix = caption
        .trim_start_matches('\u{FEFF}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let lines: Vec<&str> = unix.lines().collect();
    let first = lines.iter().position(|l| !only_blank(l));
    let (body, place) = match first.and_then(|i| Some((i, place_at_start(lines[i])?))) {
        Some((i, (p, rest))) => {
            let rest = (!rest.is_empty()).then_some(rest);
            (
                rest.into_iter()
                    .chain(lines[i + 1..].iter().copied())
                    .collect(),
                Some(p),
            )
        }
        None => (lines, None),
    };
    let (place, city, country) = match place {
        Some(p) => (p.place, Some(p.city), Some(p.country)),
        None => (None, None, None),
    };
    Caption {
        place,
        city,
        country,
        text: markdown(without_trailing_tags(&body)),
        tags: tags(&unix),
        original: caption.to_string(),
    }
}

/// The place line at the start of a caption's first line, and the rest of that line:
/// the whole line, else the longest start of it that ends where a sentence, an emoji
/// or a mention or hashtag begins ("Bar Pinotxo - Barcelona, España. *Senyores*…",
/// "Museo del Oro – Bogotá, Colombia 🇨🇴 @museodeloro").
fn place_at_start(line: &str) -> Option<(PlaceLine, &str)> {
    if let Some(p) = place_line(line) {
        return Some((p, ""));
    }
    let mut cuts = Vec::new();
    let mut prev = ' ';
    for (i, c) in line.char_indices().take(MAX_PLACE_LINE) {
        let next = line[i + c.len_utf8()..].chars().next();
        let ends = matches!(prev, '.' | '!' | '…') || is_emoji(prev);
        if c.is_whitespace() && (ends || matches!(next, Some('@' | '#'))) {
            cuts.push(i);
        }
        prev = c;
    }
    cuts.into_iter()
        .rev()
        .find_map(|i| Some((place_line(&line[..i])?, line[i..].trim_start())))
}

/// "Place – City, Country", "Place, City, Country" or "City, Country", when the last
/// part names a country. The last separator splits off the country, the one before
/// it the city, and everything before that is the place, as written.
fn place_line(line: &str) -> Option<PlaceLine> {
    let line = trim_decoration(strip_trailing_hashtags(line));
    if line.chars().count() > MAX_PLACE_LINE {
        return None;
    }
    let seps = separators(line);
    let n = seps.len();
    if n == 0 {
        return None;
    }
    // The part between separator k-1 and separator k (the last part when k == n).
    let part = |k: usize| {
        let from = if k == 0 { 0 } else { seps[k - 1].1 };
        let to = if k == n { line.len() } else { seps[k].0 };
        line[from..to].trim()
    };
    let country = country_by_any_name(part(n))?.code;
    let mut ci = n - 1;
    // "Mississauga, ON, Canada": a state or province code is not the city.
    if ci > 0 && is_region_code(part(ci)) {
        ci -= 1;
    }
    let city = part(ci);
    if !plausible_city(city) {
        return None;
    }
    let place = if ci == 0 {
        ""
    } else {
        line[..seps[ci - 1].0].trim()
    };
    Some(PlaceLine {
        place: (!place.is_empty()).then(|| place.to_string()),
        city: city.to_string(),
        country,
    })
}

/// Byte ranges of the separators of a place line: commas (also the Japanese and
/// full-width ones), en and em dashes, and a hyphen only with space on both sides,
/// so "Saint-Denis" stays whole.
fn separators(line: &str) -> Vec<(usize, usize)> {
    let mut seps = Vec::new();
    let mut prev = ' ';
    let mut it = line.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map_or(' ', |&(_, n)| n);
        let sep = match c {
            ',' | '、' | '，' | '–' | '—' => true,
            '-' => prev.is_whitespace() && next.is_whitespace(),
            _ => false,
        };
        if sep {
            seps.push((i, i + c.len_utf8()));
        }
        prev = c;
    }
    seps
}

/// "ON", "IL", "NSW": two or three capital letters.
fn is_region_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// A city is a few words, not a sentence.
fn plausible_city(city: &str) -> bool {
    !city.is_empty()
        && city.split_whitespace().count() <= MAX_CITY_WORDS
        && !city.contains(['!', '?', ':', '#', '@'])
}

/// Emoji, a full stop and spaces around a place line: "📍 Harpa – Reykjavík, Ísland 🇮🇸."
fn trim_decoration(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || is_emoji(c))
        .trim_end_matches(|c: char| {
            c.is_whitespace() || is_emoji(c) || matches!(c, '.' | '!' | '…')
        })
}

/// Emoji and the characters that build them (flags, skin tones, joiners, keycaps).
fn is_emoji(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'   // pictographs, flags' regional indicators, skin tones
        | '\u{2600}'..='\u{27BF}'   // symbols and dingbats: ☀ ✨ ❤
        | '\u{2B00}'..='\u{2BFF}'   // ⭐ ⬆
        | '\u{2190}'..='\u{21FF}'   // arrows
        | '\u{2300}'..='\u{23FF}'   // ⌚ ⏰
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors
        | '\u{E0020}'..='\u{E007F}' // tag characters of subdivision flags
        | '\u{200D}' | '\u{20E3}' | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'
        | '\u{00A9}' | '\u{00AE}' | '\u{2122}')
}

/// Where the hashtags of `s` are: (start of `#`, end of the tag, the tag's word).
/// A `#` starts one after a space, punctuation, the start or another hashtag
/// ("#toilet#sign" is two), not after a word ("C#", "&#39;" are none), and the word
/// needs a letter ("#1" is none). Letters of any script count: #baño, #トイレ.
fn hashtags(s: &str) -> Vec<(usize, usize, &str)> {
    let mut found = Vec::new();
    let mut last_end = usize::MAX;
    for (i, _) in s.match_indices('#') {
        let before = s[..i].chars().next_back();
        let glued = before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '&' | '#'));
        if glued && i != last_end {
            continue;
        }
        let word_start = i + 1;
        let len: usize = s[word_start..]
            .chars()
            .take_while(|&c| is_tag_char(c))
            .map(char::len_utf8)
            .sum();
        let word = &s[word_start..word_start + len];
        if word.chars().any(char::is_alphabetic) {
            found.push((i, word_start + len, word));
            last_end = word_start + len;
        }
    }
    found
}

/// Letters, digits, `_`, and the marks and joiners some scripts spell words with.
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c) || matches!(c, '\u{200C}' | '\u{200D}')
}

/// Every hashtag as a tag slug (as sidecar tags are slugged), first use first, once.
fn tags(s: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    hashtags(s)
        .into_iter()
        .map(|(_, _, word)| slug::slugify(word))
        .filter(|t| !t.is_empty() && seen.insert(t.clone()))
        .collect()
}

/// `s` without the hashtags at its end (and the spaces before them), when only
/// hashtags and punctuation follow the last of its words.
fn strip_trailing_hashtags(s: &str) -> &str {
    let mut end = s.len();
    for (a, b, _) in hashtags(s).into_iter().rev() {
        if !only_filler(&s[b..end]) {
            break;
        }
        end = a;
    }
    if end == s.len() {
        s
    } else {
        s[..end].trim_end()
    }
}

/// Spaces, the punctuation between hashtags ("#a, #b.", "#a · #b") and the blank
/// characters Instagram posts use to space lines (U+2800, U+3164).
fn only_filler(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || (c.is_ascii_punctuation() && c != '#')
            || matches!(c, '·' | '•' | '…' | '\u{2800}' | '\u{3164}' | '\u{200B}')
    })
}

/// A line of hashtags only: "#toilet #sign", "#a, #b".
fn is_hashtag_line(line: &str) -> bool {
    let mut at = 0;
    let mut any = false;
    for (a, b, _) in hashtags(line) {
        if !only_filler(&line[at..a]) {
            return false;
        }
        at = b;
        any = true;
    }
    any && only_filler(&line[at..])
}

/// The lines without the caption's closing block of hashtags: the last lines made of
/// hashtags (and the "." spacer lines before them), and hashtags ending the last
/// line after its sentence has ended ("Great sign! #toilet"). A hashtag that is part
/// of a sentence ("seen at the #louvre") stays.
fn without_trailing_tags<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let (mut cut, mut i, mut removed) = (lines.len(), lines.len(), false);
    while i > 0 {
        let line = lines[i - 1];
        if is_hashtag_line(line) {
            removed = true;
        } else if !only_filler(line) {
            break;
        }
        i -= 1;
        if removed {
            cut = i;
        }
    }
    let mut kept = lines[..cut].to_vec();
    if let Some(last) = kept.last_mut() {
        let short = strip_trailing_hashtags(last);
        if short.len() < last.len() && short.ends_with(|c: char| ".!?…)".contains(c) || is_emoji(c))
        {
            *last = short;
        }
    }
    kept
}

/// The lines as Markdown that shows them as written: trimmed, runs of blank lines
/// made one paragraph break, and what would be markup escaped.
fn markdown(lines: Vec<&str>) -> String {
    let mut out = String::new();
    let mut paragraph = false;
    for line in lines.iter().map(|l| l.trim()) {
        if only_blank(line) {
            paragraph = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if paragraph { "\n\n" } else { "\n" });
        }
        paragraph = false;
        escape_line(line, &mut out);
    }
    out
}

fn only_blank(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{2800}' | '\u{3164}' | '\u{200B}'))
}

/// One line, escaped: emphasis, code, links, strikethrough and table characters
/// everywhere, and at the start what would open a heading, quote, list or rule.
fn escape_line(line: &str, out: &mut String) {
    if line.starts_with(['#', '>', '-', '+', '=']) {
        out.push('\\');
    }
    // "1. ", "2019) ": an ordered list item.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let list_mark = (1..=9).contains(&digits)
        && line[digits..].starts_with(['.', ')'])
        && line[digits + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
    for (i, c) in line.char_indices() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '|') || (list_mark && i == digits)
        {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests;
