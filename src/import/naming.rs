//! Names and drafted sidecars for imported photos: pure functions, no I/O.

use std::collections::HashSet;

use crate::metadata::SignDate;

/// Words cameras, phones and apps put in file names; a name made only of these and
/// numbers says nothing about the sign.
const CAMERA_WORDS: &[&str] = &[
    "img",
    "image",
    "images",
    "dsc",
    "dscn",
    "dscf",
    "pxl",
    "mvimg",
    "gopr",
    "gp",
    "dji",
    "photo",
    "photos",
    "pic",
    "pict",
    "picture",
    "screenshot",
    "screen",
    "shot",
    "whatsapp",
    "signal",
    "telegram",
    "burst",
    "cover",
    "edited",
    "edit",
    "copy",
    "export",
    "exported",
    "scan",
    "sam",
    "cimg",
    "imgp",
    "hpim",
    "sdc",
    "pano",
    "portrait",
    "raw",
    "vid",
    "mov",
    "original",
    "file",
    "untitled",
    "camera",
    "snapshot",
    "at",
    "am",
    "pm",
    "hdr",
    "dcim",
    "wa",
    "fb",
    "insta",
    "instagram",
    "mmexport",
    "received",
    "resized",
    "heic",
    "jpg",
    "jpeg",
    "png",
    "webp",
    "final",
    "new",
    "top",
    "main",
];

/// Whether a file stem is what a camera or app made up (`IMG_1234`, `DSCN0010`,
/// `PXL_20230101_123456789`, `WhatsApp Image 2023-01-01 at 12.00.00`, a UUID) rather
/// than a name a person gave.
pub fn is_camera_name(stem: &str) -> bool {
    let lower = stem.to_lowercase();
    let compact: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if compact.len() >= 16 && compact.chars().all(|c| c.is_ascii_hexdigit()) {
        return true; // a hash or UUID
    }
    let mut words = Vec::new();
    let mut current = String::new();
    let mut letters = None;
    for c in lower.chars() {
        let is_letter = c.is_alphabetic();
        let boundary = !c.is_alphanumeric() || letters.is_some_and(|l| l != is_letter);
        if boundary && !current.is_empty() {
            words.push((std::mem::take(&mut current), letters == Some(true)));
        }
        if c.is_alphanumeric() {
            current.push(c);
            letters = Some(is_letter);
        } else {
            letters = None;
        }
    }
    if !current.is_empty() {
        words.push((current, letters == Some(true)));
    }
    !words.iter().any(|(w, is_letters)| {
        *is_letters && w.chars().count() >= 3 && !CAMERA_WORDS.contains(&w.as_str())
    })
}

/// The readable part of an imported photo's name: where it is, or what it was called.
pub fn place_part(city: Option<&str>, country: Option<&str>, stem: &str) -> Option<String> {
    let from = city
        .or(country)
        .map(str::to_string)
        .or_else(|| (!is_camera_name(stem)).then(|| stem.to_string()))?;
    let s = slug::slugify(from);
    // Leave room for the date and a `-NN` suffix within the slug limit.
    let s: String = s.chars().take(60).collect();
    let s = s.trim_end_matches('-').to_string();
    (!s.is_empty()).then_some(s)
}

/// `2017-06-03-mississauga`, `2017-06-03`, `mississauga` or `sign`.
pub fn base_name(date: Option<&SignDate>, place: Option<&str>) -> String {
    match (date, place) {
        (Some(d), Some(p)) => format!("{}-{p}", d.date.format("%Y-%m-%d")),
        (Some(d), None) => d.date.format("%Y-%m-%d").to_string(),
        (None, Some(p)) => p.to_string(),
        (None, None) => "sign".to_string(),
    }
}

/// `base`, or `base-2`, `base-3`… whichever is not `taken` (compared as slugs).
pub fn unique(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken.contains(c))
        .expect("some suffix is free")
}

/// What is known of a photo for its drafted sidecar.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub original: String,
    pub date: Option<SignDate>,
    pub location: Option<(f64, f64)>,
    pub city: Option<String>,
    /// ISO code and English name.
    pub country: Option<(String, String)>,
    pub camera: Option<String>,
    /// The day the photo joins the archive (`published:`): the day of the import.
    pub published: Option<chrono::NaiveDate>,
    /// The site's languages, the default first: with more than one, the placeholders
    /// are one per language (`title: {en: …, es: …}`).
    pub languages: Vec<String>,
}

/// A sidecar with what the photo says filled in, placeholders for what only the
/// curator knows, and the tags already in use so the vocabulary stays consistent.
/// `tags` is (tag, signs using it), most used first.
pub fn draft_sidecar(k: &Known, tags: &[(String, usize)]) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "# Drafted by `glyph import` from {}.\n# Fill in the title, alt text and tags, then delete `draft: true` to publish.\n",
        one_line(&k.original)
    ));
    placeholders(&mut s, &k.languages);
    s.push_str("# tags: []\n");
    if tags.is_empty() {
        s.push_str("#   (no tags in the archive yet)\n");
    } else {
        s.push_str("#   tags in use:");
        let mut width = 80;
        for (tag, n) in tags {
            let item = format!(" {tag} ({n}),");
            if width + item.len() > 80 {
                s.push_str("\n#  ");
                width = 3;
            }
            s.push_str(&item);
            width += item.len();
        }
        if s.ends_with(',') {
            s.pop();
        }
        s.push('\n');
    }
    match &k.date {
        Some(d) => s.push_str(&format!("date: {}\n", format_date(d))),
        None => s.push_str("# date: YYYY-MM-DD (the photo has no date)\n"),
    }
    match k.location {
        Some((lat, lon)) => s.push_str(&format!("location: {{lat: {lat:.6}, lon: {lon:.6}}}\n")),
        None => s.push_str("# location: {lat: …, lon: …} (the photo has no GPS position)\n"),
    }
    if let Some(city) = &k.city {
        s.push_str(&format!("city: {}\n", yaml_string(city)));
    }
    if let Some((code, name)) = &k.country {
        s.push_str(&format!("country: {code}   # {name}\n"));
    }
    if let Some(camera) = &k.camera {
        s.push_str(&format!("# camera: {}\n", one_line(camera)));
    }
    if let Some(day) = k.published {
        s.push_str(&format!(
            "published: {day}   # the day it joined the archive (orders the feed)\n"
        ));
    }
    s.push_str("draft: true\n");
    s
}

/// The commented-out title, alt and caption to fill in: one text, or one per language.
fn placeholders(s: &mut String, langs: &[String]) {
    if langs.len() < 2 {
        s.push_str("# title: \n# alt: describe the sign for people who cannot see it\n");
        s.push_str("# caption: |\n#   Markdown: where it was, what makes it special.\n");
        return;
    }
    s.push_str("# Write each text in every language (the first is the site's default):\n");
    for (key, hint) in [
        ("title", ""),
        ("alt", " describe the sign for people who cannot see it"),
    ] {
        s.push_str(&format!("# {key}:\n"));
        for lang in langs {
            s.push_str(&format!("#   {lang}:{hint}\n"));
        }
    }
    s.push_str("# caption:\n");
    for lang in langs {
        s.push_str(&format!(
            "#   {lang}: |\n#     Markdown: where it was, what makes it special.\n"
        ));
    }
}

pub(super) fn format_date(d: &SignDate) -> String {
    match (d.time, d.offset) {
        (Some(t), Some(o)) => format!("{}T{}{}", d.date, t.format("%H:%M:%S"), o),
        (Some(t), None) => format!("{} {}", d.date, t.format("%H:%M:%S")),
        _ => d.date.to_string(),
    }
}

/// A YAML scalar that reads back as `s` (on one line): plain when safe, else
/// double-quoted.
pub(super) fn yaml_string(s: &str) -> String {
    let s = &one_line(s);
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -'.()".contains(c))
        && !s.starts_with(['-', '\'', ' '])
        && !s.ends_with(' ')
        && !matches!(
            s.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// Text for one line of YAML, a comment or a value: line breaks (YAML 1.1 also breaks
/// lines at U+0085, U+2028 and U+2029) become spaces, and the characters YAML does not
/// allow in a file are dropped.
pub(super) fn one_line(s: &str) -> String {
    yaml_chars(s)
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect()
}

/// `s` with every line break as `\n` and without the characters a YAML file may not
/// hold (controls other than tab, the byte-order mark, non-characters).
pub(super) fn yaml_chars(s: &str) -> String {
    let unix = s.replace("\r\n", "\n");
    unix.chars()
        .filter_map(|c| match c {
            '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some('\n'),
            '\t' | '\n' => Some(c),
            '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::Text;
    use chrono::{FixedOffset, NaiveDate, NaiveTime};

    #[test]
    fn camera_names_are_not_names() {
        for cam in [
            "IMG_1234",
            "IMG_1234 (1)",
            "DSCN0010",
            "DSC01234",
            "PXL_20230101_123456789",
            "20230101_123456",
            "WhatsApp Image 2023-01-01 at 12.00.00",
            "P1000123",
            "GOPR0001",
            "Screenshot 2023-05-01 at 10.11.12",
            "3f2b8c1e-9a7d-4e2b-8f3c-1d2e3f4a5b6c",
            "mmexport1650000000000",
            "IMG_E1234",
            "img-1234-edited",
        ] {
            assert!(is_camera_name(cam), "{cam}");
        }
        for name in [
            "mississauga-mall",
            "Café Zürich",
            "tokyo_haneda_t3",
            "Kodak_CX7530",
        ] {
            assert!(!is_camera_name(name), "{name}");
        }
    }

    #[test]
    fn names_read_well() {
        let d = SignDate::day(NaiveDate::from_ymd_opt(2017, 6, 3).unwrap());
        let place = place_part(Some("Mississauga"), Some("Canada"), "IMG_1");
        assert_eq!(
            base_name(Some(&d), place.as_deref()),
            "2017-06-03-mississauga"
        );
        let place = place_part(None, Some("Côte d'Ivoire"), "IMG_1");
        assert_eq!(place.as_deref(), Some("cote-d-ivoire"));
        assert_eq!(place_part(None, None, "IMG_1"), None);
        assert_eq!(
            place_part(None, None, "Gare du Nord").as_deref(),
            Some("gare-du-nord")
        );
        assert_eq!(base_name(None, None), "sign");
        let taken: HashSet<String> = ["sign", "sign-2"].map(String::from).into();
        assert_eq!(unique("sign", &taken), "sign-3");
        assert_eq!(unique("other", &taken), "other");
    }

    #[test]
    fn drafted_sidecars_parse_and_say_what_is_known() {
        let k = Known {
            original: "IMG_1234.JPG".into(),
            date: Some(SignDate {
                date: NaiveDate::from_ymd_opt(2017, 6, 3).unwrap(),
                time: NaiveTime::from_hms_opt(14, 12, 31),
                offset: FixedOffset::east_opt(-4 * 3600),
            }),
            location: Some((43.589_012, -79.644_123)),
            city: Some("São Paulo: \"centro\"".into()),
            country: Some(("BR".into(), "Brazil".into())),
            camera: Some("Apple iPhone 8".into()),
            published: NaiveDate::from_ymd_opt(2026, 12, 2),
            languages: Vec::new(),
        };
        let tags: Vec<(String, usize)> = (0..30).map(|i| (format!("tag-{i}"), 30 - i)).collect();
        let text = draft_sidecar(&k, &tags);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        let parsed = crate::metadata::parse_sidecar(&text).unwrap();
        assert!(parsed.draft);
        assert_eq!(parsed.date, k.date);
        assert_eq!(parsed.published.map(|p| p.date), k.published);
        assert_eq!(
            parsed.city.as_ref().map(Text::first),
            Some("São Paulo: \"centro\"")
        );
        assert_eq!(parsed.country.as_deref(), Some("BR"));
        let loc = parsed.location.unwrap().unwrap();
        assert!((loc.lat - 43.589_012).abs() < 1e-9 && (loc.lon + 79.644_123).abs() < 1e-9);
        assert!(parsed.title.is_none() && parsed.tags.is_empty());
        assert!(text.contains("tag-0 (30)"));

        let two = Known {
            languages: vec!["en".into(), "es".into()],
            ..Known::default()
        };
        let drafted = draft_sidecar(&two, &[]);
        assert!(drafted.contains("# alt:\n#   en: describe"), "{drafted}");
        assert!(drafted.contains("#   es: |\n#     Markdown"), "{drafted}");
        assert!(
            drafted.contains("# title:\n#   en:\n#   es:\n"),
            "{drafted}"
        );
        let bare = draft_sidecar(&Known::default(), &[]);
        let parsed = crate::metadata::parse_sidecar(&bare).unwrap();
        assert!(parsed.date.is_none() && parsed.location.is_none());
    }
}
