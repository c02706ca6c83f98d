//! The sidecar drafted for a sign made from an exported post: pure text, no I/O.
//!
//! It sits beside the cover photo and lists the carousel's other photos (`photos:`),
//! says when the post was published (`published:`) and where it came from
//! (`origin:`, which a re-run looks for with [`origin_of`]). Comments say what is a
//! guess (a position taken from the caption's city) and keep the caption as it was
//! written, so nothing of the post is lost.

use chrono::{DateTime, SecondsFormat, Utc};

use super::naming::{format_date, one_line, yaml_chars, yaml_string};
use crate::metadata::SignDate;

/// Where a sign's position comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Position {
    /// The photo's GPS (its EXIF, or the export's record of it).
    Gps { lat: f64, lon: f64 },
    /// The named city's position, from the caption.
    City {
        lat: f64,
        lon: f64,
        city: String,
        country: String,
    },
    /// None, and why (a comment): "Springfield" names several places.
    Unknown(String),
}

/// Where the sign's date comes from, said in a comment when it is not the photo's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateFrom {
    /// The photo's own capture time (EXIF, or the export's record of it).
    Photo,
    /// The post's time: the photo has none.
    Post,
}

/// One photo after the cover.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct OtherPhoto {
    pub file: String,
    pub alt: Option<String>,
    /// Its own caption in the export (WordPress), kept as a comment.
    pub caption: Option<String>,
}

/// Everything the sidecar says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    /// "Instagram", "WordPress".
    pub from: &'static str,
    pub published: Option<DateTime<Utc>>,
    pub title: Option<String>,
    pub place: Option<String>,
    pub city: Option<String>,
    /// ISO code and English name.
    pub country: Option<(String, String)>,
    pub position: Option<Position>,
    pub date: Option<(SignDate, DateFrom)>,
    pub tags: Vec<String>,
    /// Markdown.
    pub caption: Option<String>,
    pub alt: Option<String>,
    /// The cover's own caption in the export, kept as a comment.
    pub cover_caption: Option<String>,
    pub photos: Vec<OtherPhoto>,
    pub origin: String,
    pub draft: bool,
    /// The post's text as exported.
    pub original: Option<String>,
    /// The site's languages, the default first.
    pub languages: Vec<String>,
}

/// The sidecar's text.
pub(crate) fn text(d: &Draft) -> String {
    let mut s = String::new();
    let when = d
        .published
        .map(|t| format!(", post of {}", t.format("%Y-%m-%d")))
        .unwrap_or_default();
    let kept = if d.original.is_some() {
        " (caption kept verbatim below)"
    } else {
        ""
    };
    s.push_str(&format!("# Imported from {}{when}{kept}.\n", d.from));
    translations(&mut s, &d.languages);
    match &d.title {
        Some(t) => line(&mut s, "title", t),
        None => s.push_str("# title: \n"),
    }
    if let Some(p) = &d.place {
        line(&mut s, "place", p);
    }
    if let Some(c) = &d.city {
        line(&mut s, "city", c);
    }
    if let Some((code, name)) = &d.country {
        s.push_str(&format!("country: {code}   # {}\n", one_line(name)));
    }
    position(&mut s, d.position.as_ref());
    match &d.date {
        Some((date, from)) => {
            if *from == DateFrom::Post {
                s.push_str(
                    "# date: when the post was published; the photo has no date of its own.\n",
                );
            }
            s.push_str(&format!("date: {}\n", format_date(date)));
        }
        None => s.push_str("# date: YYYY-MM-DD (neither the photo nor the post has a date)\n"),
    }
    if !d.tags.is_empty() {
        let tags: Vec<String> = d.tags.iter().map(|t| yaml_string(t)).collect();
        s.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    }
    if let Some(c) = d.caption.as_deref().filter(|c| !c.trim().is_empty()) {
        block(&mut s, "caption", c);
    }
    match &d.alt {
        Some(a) => line(&mut s, "alt", a),
        None => s.push_str("# alt: describe the sign for people who cannot see it\n"),
    }
    if let Some(c) = &d.cover_caption {
        s.push_str(&format!(
            "# The cover photo's own caption: {}\n",
            one_line(c)
        ));
    }
    photos(&mut s, &d.photos);
    if let Some(t) = d.published {
        let t = t.to_rfc3339_opts(SecondsFormat::Secs, true);
        s.push_str(&format!("published: {t}\n"));
    }
    s.push_str(&format!("origin: {}\n", quoted(&d.origin)));
    if d.draft {
        s.push_str("draft: true\n");
    }
    if let Some(o) = &d.original {
        s.push_str("# Original caption:\n");
        for l in yaml_chars(o).lines() {
            match l.trim_end() {
                "" => s.push_str("#\n"),
                l => s.push_str(&format!("# {l}\n")),
            }
        }
    }
    s
}

/// `key: value` on one line.
/// On a site of several languages: the post's words are in one of them, written once
/// below so they serve every language until the curator translates them.
fn translations(s: &mut String, langs: &[String]) {
    if langs.len() < 2 {
        return;
    }
    let each: Vec<String> = langs.iter().map(|l| format!("{l}: …")).collect();
    s.push_str(&format!(
        "# The texts below serve every language. To translate one, write it per language:\n#   title: {{{}}}\n#   caption:\n",
        each.join(", ")
    ));
    for lang in langs {
        s.push_str(&format!("#     {lang}: |\n#       …\n"));
    }
}

fn line(s: &mut String, key: &str, value: &str) {
    s.push_str(&format!("{key}: {}\n", yaml_string(value)));
}

/// `key: |` and the text indented below it, which YAML reads back as written.
fn block(s: &mut String, key: &str, text: &str) {
    s.push_str(&format!("{key}: |\n"));
    for l in yaml_chars(text).trim_end().lines() {
        let l = l.trim_end();
        if l.is_empty() {
            s.push('\n');
        } else {
            s.push_str(&format!("  {l}\n"));
        }
    }
}

fn position(s: &mut String, p: Option<&Position>) {
    match p {
        Some(Position::Gps { lat, lon }) => {
            s.push_str(&format!("location: {{lat: {lat:.6}, lon: {lon:.6}}}\n"));
        }
        Some(Position::City {
            lat,
            lon,
            city,
            country,
        }) => {
            s.push_str(&format!(
                "# location: the position of {}, {}, from the caption — not of the door.\n",
                one_line(city),
                one_line(country)
            ));
            s.push_str(&format!("location: {{lat: {lat:.3}, lon: {lon:.3}}}\n"));
        }
        Some(Position::Unknown(why)) => {
            s.push_str(&format!(
                "# location: {{lat: …, lon: …}} ({})\n",
                one_line(why)
            ));
        }
        None => s.push_str(
            "# location: {lat: …, lon: …} (neither the photo nor the caption says where)\n",
        ),
    }
}

fn photos(s: &mut String, photos: &[OtherPhoto]) {
    if photos.is_empty() {
        return;
    }
    s.push_str("photos:\n");
    for p in photos {
        match &p.alt {
            Some(alt) => {
                s.push_str(&format!("  - file: {}\n", yaml_string(&p.file)));
                s.push_str(&format!("    alt: {}\n", yaml_string(alt)));
            }
            None => s.push_str(&format!("  - {}\n", yaml_string(&p.file))),
        }
        if let Some(c) = &p.caption {
            s.push_str(&format!("    # its own caption: {}\n", one_line(c)));
        }
    }
}

/// A double-quoted YAML string (JSON's escapes are YAML's).
fn quoted(s: &str) -> String {
    serde_json::to_string(&one_line(s)).unwrap_or_default()
}

/// The `origin:` a sidecar records, read from its text alone: a re-run must recognise
/// its own sidecars even where this build cannot parse all of them.
pub(crate) fn origin_of(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Origin {
        origin: String,
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let line = text.lines().find(|l| l.starts_with("origin:"))?;
    let o: Origin = serde_norway::from_str(line).ok()?;
    Some(o.origin.trim().to_string()).filter(|o| !o.is_empty())
}

#[cfg(test)]
#[path = "post_sidecar_tests.rs"]
mod tests;
