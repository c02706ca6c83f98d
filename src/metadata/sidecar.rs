//! The sidecar schema (`<name>.yaml` beside `<name>.jpg`), as README.md's "A sidecar"
//! describes it to curators.
//!
//! Value checks that need a position (a latitude out of range, a date that is not a
//! date) happen while deserialising, so their errors carry the YAML line and column.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::photos::{photo_list, PhotoItem};
use super::text::Text;
use crate::diag::Diagnostic;
use crate::yaml;

/// The keys whose value may be a text per language (`caption: {en: …, es: …}`).
pub(crate) const TEXT_KEYS: &[&str] = &["title", "alt", "caption", "place", "city"];

pub(crate) const SIDECAR_KEYS: &[&str] = &[
    "title",
    "alt",
    "caption",
    "place",
    "city",
    "country",
    "location",
    "date",
    "tags",
    "credit",
    "slug",
    "draft",
    "photos",
    "published",
    "origin",
];

/// A sidecar as written; every key is optional and unknown keys are errors.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Sidecar {
    /// The sign's title (else `place`, else the file name).
    pub title: Option<Text>,
    /// What the sign shows, for screen readers.
    pub alt: Option<Text>,
    /// Markdown.
    pub caption: Option<Text>,
    /// Where the sign is (a shop, a station).
    pub place: Option<Text>,
    /// The city, instead of the one found from the position.
    pub city: Option<Text>,
    /// ISO 3166-1 alpha-2 code or English name; resolved by `geo`.
    pub country: Option<String>,
    /// Absent: the photo's EXIF GPS is used. `location: null` (or `~`) publishes no
    /// location at all, even when the photo has GPS.
    #[serde(deserialize_with = "present")]
    pub location: Option<Option<LatLon>>,
    /// When the photo was taken, instead of the EXIF date.
    pub date: Option<SignDate>,
    /// The sign's styles, as written.
    #[serde(deserialize_with = "tag_list")]
    pub tags: Vec<String>,
    /// Who took the photo.
    pub credit: Option<String>,
    /// The sign's URL name, instead of one made from the file name.
    pub slug: Option<String>,
    /// Only in previews and `--drafts` builds.
    pub draft: bool,
    /// The sign's other photos, in order, after the cover beside the sidecar.
    #[serde(deserialize_with = "photo_list")]
    pub photos: Vec<PhotoItem>,
    /// When the sign was first published (an Instagram post's time).
    #[serde(deserialize_with = "published")]
    pub published: Option<SignDate>,
    /// Where the sign was imported from, kept so a re-import can skip it.
    #[serde(deserialize_with = "one_line")]
    pub origin: Option<String>,
    /// Where each top-level key is, for problems found after parsing.
    #[serde(skip)]
    pub(crate) positions: BTreeMap<String, (usize, usize)>,
}

impl Sidecar {
    pub(crate) fn position(&self, key: &str) -> Option<(usize, usize)> {
        self.positions.get(key).copied()
    }

    /// The texts written per language, by key: `("caption", &text)` for each of
    /// `TEXT_KEYS` and `("photos[2].alt", &text)` for a listed photo's own alt.
    pub(crate) fn texts(&self) -> Vec<(String, &Text)> {
        let fields = [
            &self.title,
            &self.alt,
            &self.caption,
            &self.place,
            &self.city,
        ];
        let own = TEXT_KEYS
            .iter()
            .zip(fields)
            .filter_map(|(k, t)| Some((k.to_string(), t.as_ref()?)));
        let photos = self
            .photos
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((format!("photos[{i}].alt"), p.alt.as_ref()?)));
        own.chain(photos).collect()
    }
}

/// Parse a sidecar's text. The error has a position but no file: the caller adds it.
pub fn parse_sidecar(text: &str) -> Result<Sidecar, Diagnostic> {
    let mut sidecar: Sidecar = yaml::parse(text)?;
    for key in SIDECAR_KEYS {
        if let Some(pos) = yaml::key_position(text, key) {
            sidecar.positions.insert((*key).to_string(), pos);
        }
    }
    // Each entry's own position when the text shows every entry, else the key's.
    let entries = yaml::item_positions(text, "photos");
    let whole = entries.len() == sidecar.photos.len();
    let key = sidecar.position("photos");
    for (i, p) in sidecar.photos.iter_mut().enumerate() {
        p.at = if whole { Some(entries[i]) } else { key };
    }
    language_keys(text, &mut sidecar)?;
    Ok(sidecar)
}

/// Record where each language key of a text map is (`caption.es`), for problems found
/// with the site's languages, and refuse a key that is no language at all.
fn language_keys(text: &str, sidecar: &mut Sidecar) -> Result<(), Diagnostic> {
    let mut found = Vec::new();
    for (key, t) in sidecar.texts() {
        for code in t.languages() {
            let path = format!("{key}.{code}");
            let at = yaml::path_position(text, &path).or_else(|| {
                let top = key.split(['.', '[']).next().unwrap_or(&key);
                sidecar.position(top)
            });
            if !crate::i18n::is_language_code(code) {
                return Err(Diagnostic::error(format!(
                    "`{code}` in `{key}` is not a language code"
                ))
                .at_opt(at)
                .hint(format!(
                    "key each text by its two-letter ISO 639-1 language code, such as `{key}: {{en: …, es: …}}`, or write one text for every language"
                )));
            }
            found.push((path, at));
        }
    }
    for (path, at) in found {
        if let Some(at) = at {
            sidecar.positions.insert(path, at);
        }
    }
    Ok(())
}

/// A position in degrees (WGS 84), range-checked while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatLon {
    /// Latitude, −90 to 90.
    #[serde(deserialize_with = "latitude")]
    pub lat: f64,
    /// Longitude, −180 to 180.
    #[serde(deserialize_with = "longitude")]
    pub lon: f64,
}

/// A key that is present: `null` becomes `Some(None)`, unlike plain `Option`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

fn latitude<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    coordinate(d, 90.0, "latitude", "north, negative south")
}

fn longitude<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    coordinate(d, 180.0, "longitude", "east, negative west")
}

fn coordinate<'de, D: Deserializer<'de>>(
    d: D,
    limit: f64,
    what: &str,
    sign: &str,
) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if !v.is_finite() || v.abs() > limit {
        return Err(de::Error::custom(format!(
            "{what} must be between -{limit} and {limit}, found {v}; write decimal degrees, positive {sign}"
        )));
    }
    Ok(v)
}

/// A day, maybe with a time of day and a UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignDate {
    /// The day.
    pub date: NaiveDate,
    /// The local time of day, when known.
    pub time: Option<NaiveTime>,
    /// The UTC offset of `time`, when known.
    pub offset: Option<FixedOffset>,
}

impl SignDate {
    pub(crate) fn day(date: NaiveDate) -> Self {
        SignDate {
            date,
            time: None,
            offset: None,
        }
    }

    /// Parse the forms people and cameras write: `2017-06-03`, `2017-06-03 14:30`,
    /// `2017-06-03T14:30:00`, `2017:06:03 14:30:00` (EXIF).
    pub(crate) fn parse(s: &str) -> Option<SignDate> {
        let s = s.trim();
        if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Some(SignDate::day(date));
        }
        for fmt in [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
            "%Y:%m:%d %H:%M:%S",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
                return Some(SignDate {
                    date: dt.date(),
                    time: Some(dt.time()),
                    offset: None,
                });
            }
        }
        // With a UTC offset: RFC 3339 (`2017-06-03T14:30:00+02:00`) or `… 14:30:00 +0200`.
        let with_offset = chrono::DateTime::parse_from_rfc3339(s)
            .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z"))
            .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%z"))
            .ok()?;
        Some(SignDate {
            date: with_offset.date_naive(),
            time: Some(with_offset.time()),
            offset: Some(*with_offset.offset()),
        })
    }
}

impl SignDate {
    /// A publication time: RFC 3339, or a plain `YYYY-MM-DD` day. Stricter than `parse`
    /// (which reads what cameras write), because importers write it, not people.
    pub(crate) fn parse_published(s: &str) -> Option<SignDate> {
        let s = s.trim();
        if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Some(SignDate::day(date));
        }
        let at = chrono::DateTime::parse_from_rfc3339(s).ok()?;
        Some(SignDate {
            date: at.date_naive(),
            time: Some(at.time()),
            offset: Some(*at.offset()),
        })
    }
}

impl<'de> Deserialize<'de> for SignDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SignDate::parse(&s).ok_or_else(|| {
            de::Error::custom(format!(
                "`{s}` is not a date; write it as YYYY-MM-DD, such as 2017-06-03"
            ))
        })
    }
}

/// `published` is a moment in RFC 3339 (`2024-07-07T20:15:31Z`) or a day.
fn published<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SignDate>, D::Error> {
    let s = String::deserialize(d)?;
    SignDate::parse_published(&s).map(Some).ok_or_else(|| {
        de::Error::custom(format!(
            "`{s}` is not a date and time; write it as RFC 3339, such as 2024-07-07T20:15:31Z, or as a day, such as 2024-07-07"
        ))
    })
}

/// One line of text that says something (`origin`).
fn one_line<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    let s = s.trim();
    if s.is_empty() || s.contains(['\n', '\r']) {
        return Err(de::Error::custom(
            "expected one line of text; write where the sign came from, such as instagram:media/posts/202407/12345_n_678.jpg, or remove the key",
        ));
    }
    Ok(Some(s.to_string()))
}

/// `tags` is a list, or one string; a string with commas is several tags, since
/// `tags: art, humorous` clearly means two.
fn tag_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Tags;
    impl<'de> Visitor<'de> for Tags {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a tag or a list of tags, such as [pictogram, art]")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(tag) = seq.next_element::<TagItem>()? {
                out.push(tag.0);
            }
            Ok(out)
        }
    }
    d.deserialize_any(Tags)
}

/// One tag: a string, or a number people write as a tag (`1970s` parses as a string, `1970` does not).
struct TagItem(String);

impl<'de> Deserialize<'de> for TagItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = TagItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TagItem, E> {
                Ok(TagItem(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_sidecar_parses() {
        let s = parse_sidecar(
            "title: Simons (Square One)\nalt: Two pictograms\ncaption: |\n  Spotted at *Square One*.\n\
             place: Simons\ncity: Mississauga\ncountry: CA\nlocation: { lat: 43.5931, lon: -79.6424 }\n\
             date: 2017-06-03\ntags: [pictogram, gender-neutral]\ncredit: \"@toiletglyphprj\"\n\
             slug: simons-square-one\ndraft: false\n",
        )
        .unwrap();
        assert_eq!(
            s.title.as_ref().map(Text::first),
            Some("Simons (Square One)")
        );
        assert_eq!(
            s.location,
            Some(Some(LatLon {
                lat: 43.5931,
                lon: -79.6424
            }))
        );
        assert_eq!(
            parse_sidecar("location: null").unwrap().location,
            Some(None)
        );
        assert_eq!(parse_sidecar("title: x").unwrap().location, None);
        assert_eq!(
            s.date.unwrap().date,
            NaiveDate::from_ymd_opt(2017, 6, 3).unwrap()
        );
        assert_eq!(s.tags, vec!["pictogram", "gender-neutral"]);
        assert_eq!(s.position("country"), Some((7, 10)), "at the value");
    }

    #[test]
    fn texts_are_a_string_or_one_per_language() {
        let s = parse_sidecar(
            "title: Door\ncaption:\n  en: Spotted *here*.\n  es: Visto *aquí*.\nalt: {en: Two, ES: Dos}\nphotos:\n  - file: b.jpg\n    alt: {es: Otra}\n",
        )
        .unwrap();
        assert_eq!(s.title, Some(Text::from("Door")));
        let caption = s.caption.as_ref().unwrap();
        assert_eq!(caption.resolve("es", "en"), ("Visto *aquí*.", None));
        assert_eq!(s.alt.as_ref().unwrap().resolve("es", "en"), ("Dos", None));
        assert_eq!(s.position("caption.es"), Some((4, 3)), "at the key");
        // A key written in capitals is found at its mapping.
        assert_eq!(s.position("alt.es"), Some((5, 6)));
        assert_eq!(s.position("photos[0].alt.es"), Some((8, 11)));
    }

    #[test]
    fn a_text_keyed_by_no_language_is_an_error_at_its_key() {
        let err = parse_sidecar("title: x\ncaption:\n  en: Hi\n  sp: Hola\n").unwrap_err();
        assert_eq!(err.message, "`sp` in `caption` is not a language code");
        assert_eq!((err.line, err.column), (Some(4), Some(3)));
        assert!(err.hint.unwrap().contains("ISO 639-1"));
        let err = parse_sidecar("place: {en: [a]}\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("expected a string"), "{}", err.message);
    }

    #[test]
    fn tags_accept_one_string_or_commas() {
        assert_eq!(parse_sidecar("tags: art").unwrap().tags, vec!["art"]);
        assert_eq!(
            parse_sidecar("tags: art, humorous").unwrap().tags,
            vec!["art", "humorous"]
        );
        assert_eq!(
            parse_sidecar("tags: [1970, retro]").unwrap().tags,
            vec!["1970", "retro"]
        );
        let err = parse_sidecar("tags: {a: b}").unwrap_err();
        assert!(err.message.contains("list of tags"), "{}", err.message);
    }

    #[test]
    fn out_of_range_latitude_has_position() {
        let err = parse_sidecar("title: x\nlocation:\n  lat: 123\n  lon: 0\n").unwrap_err();
        assert!(
            err.message.contains("latitude must be between -90 and 90"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn words_are_not_coordinates_or_dates() {
        let err = parse_sidecar("location: { lat: north, lon: 1 }").unwrap_err();
        assert!(
            err.message.contains("`location.lat`: expected a number"),
            "{}",
            err.message
        );
        let err = parse_sidecar("date: yesterday\n").unwrap_err();
        assert!(
            err.message.contains("`yesterday` is not a date"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn published_is_rfc3339_or_a_day() {
        let at = |yaml: &str| parse_sidecar(yaml).map(|s| s.published);
        let utc = at("published: 2024-07-07T20:15:31Z\n").unwrap().unwrap();
        assert_eq!(utc.date.to_string(), "2024-07-07");
        assert_eq!(utc.time.unwrap().to_string(), "20:15:31");
        assert_eq!(utc.offset.unwrap().local_minus_utc(), 0);
        let quoted = at("published: '2024-07-07T22:15:31.5+02:00'\n")
            .unwrap()
            .unwrap();
        assert_eq!(quoted.offset.unwrap().local_minus_utc(), 7200);
        let day = at("published: 2024-07-07\n").unwrap().unwrap();
        assert_eq!(
            (day.date.to_string(), day.time),
            ("2024-07-07".into(), None)
        );
        assert_eq!(at("title: x\n").unwrap(), None);
        // What cameras write is a date, not a publication time.
        for bad in [
            "2024:07:07 20:15:31",
            "2024-07-07 20:15",
            "yesterday",
            "2024-13-01",
        ] {
            let err = at(&format!("title: x\npublished: {bad}\n")).unwrap_err();
            assert!(
                err.message.contains("not a date and time"),
                "{bad}: {}",
                err.message
            );
            assert_eq!(err.line, Some(2), "{bad}");
            assert!(err.hint.unwrap().contains("RFC 3339"), "{bad}");
        }
    }

    #[test]
    fn origin_is_one_line_of_text() {
        let s = parse_sidecar("origin: instagram:media/posts/202407/12345_n_678.jpg\n").unwrap();
        assert_eq!(
            s.origin.as_deref(),
            Some("instagram:media/posts/202407/12345_n_678.jpg")
        );
        for bad in ["origin: ''\n", "origin: |\n  two\n  lines\n"] {
            let err = parse_sidecar(bad).unwrap_err();
            assert!(err.message.contains("one line of text"), "{}", err.message);
            assert_eq!(err.line, Some(1));
        }
    }

    #[test]
    fn dates_in_common_forms() {
        for s in [
            "2017-06-03",
            "2017-06-03 14:30",
            "2017-06-03T14:30:00",
            "2017:06:03 14:30:00",
        ] {
            assert_eq!(
                SignDate::parse(s).unwrap().date.to_string(),
                "2017-06-03",
                "{s}"
            );
        }
        assert!(SignDate::parse("2017-13-03").is_none());
        let d = SignDate::parse("2017-06-03T14:30:00+02:00").unwrap();
        assert_eq!(
            (d.date.to_string(), d.offset.unwrap().local_minus_utc()),
            ("2017-06-03".into(), 7200)
        );
        assert!(SignDate::parse("2017-06-03 14:30:00 +0200")
            .unwrap()
            .offset
            .is_some());
    }
}
