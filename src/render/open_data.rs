//! `signs.json`, the catalog as open data: every published sign in the catalog's order.
//!
//! The top-level texts (`title`, `place`, `city`, `alt`, `country_name`) are the default
//! language's, as they were before languages existed, so a one-language site's file is
//! unchanged. A site of several languages adds `translations`: for each other language,
//! the texts the sign has in it (its own words, no fallback), so a reader of the file
//! knows what is translated and falls back to the top level itself.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{ImageRef, Location, SignView};
use crate::catalog::{Catalog, Sign};

#[derive(Serialize)]
struct OpenSign<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a Location>,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    alt: &'a str,
    images: &'a [ImageRef],
    photos: Vec<OpenPhoto<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    translations: BTreeMap<&'a str, BTreeMap<&'static str, &'a str>>,
}

#[derive(Serialize)]
struct OpenPhoto<'a> {
    images: &'a [ImageRef],
    #[serde(skip_serializing_if = "str::is_empty")]
    alt: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    translations: BTreeMap<&'a str, BTreeMap<&'static str, &'a str>>,
}

/// A language → field → text map of what a sign has in each language but the default.
type Translations<'a> = BTreeMap<&'a str, BTreeMap<&'static str, &'a str>>;

/// The sign's own texts in each other language; the country's name there too.
fn translations<'a>(sign: &'a Sign, langs: &'a [String]) -> Translations<'a> {
    let m = &sign.meta;
    let mut out = Translations::new();
    for lang in langs.iter().skip(1) {
        let mut texts = BTreeMap::new();
        for field in ["title", "place", "city", "alt"] {
            let own = m
                .texts
                .get(field)
                .filter(|t| !matches!(t, crate::metadata::Text::All(_)));
            if let Some((text, None)) = own.map(|t| t.resolve(lang, &langs[0])) {
                texts.insert(field, text);
            }
        }
        let code = sign.place.country.as_ref().map(|c| c.code);
        if let Some(name) = code.and_then(|c| crate::locale::country_name(c, lang)) {
            texts.insert("country_name", name);
        }
        if !texts.is_empty() {
            out.insert(lang.as_str(), texts);
        }
    }
    out
}

/// A photo's own alt text in each other language.
fn photo_translations<'a>(
    photo: &'a crate::metadata::Photo,
    langs: &'a [String],
) -> Translations<'a> {
    let mut out = Translations::new();
    let Some(alt) = photo
        .alt
        .as_ref()
        .filter(|t| !matches!(t, crate::metadata::Text::All(_)))
    else {
        return out;
    };
    for lang in langs.iter().skip(1) {
        if let (text, None) = alt.resolve(lang, &langs[0]) {
            out.insert(lang.as_str(), BTreeMap::from([("alt", text)]));
        }
    }
    out
}

/// `signs.json`: every published sign, in the catalog's order: its slug, URL, title,
/// date, place, city, country (code and name), coordinates as published (rounded to
/// `location_precision`), style slugs, alt text and renditions (the cover's), and every
/// photo (the cover first) with its renditions and alt text; absent values are left out.
/// `views` are the catalog's signs, in its order; `langs` the site's, the default first.
pub(super) fn signs_json(views: &[SignView], catalog: &Catalog, langs: &[String]) -> Vec<u8> {
    let signs: Vec<OpenSign> = views
        .iter()
        .zip(&catalog.signs)
        .map(|(v, sign)| OpenSign {
            slug: &v.slug,
            url: &v.url,
            title: &v.title,
            date: v.date.as_deref(),
            place: v.place.as_deref(),
            city: v.city.as_deref(),
            country: v.country.as_ref().map(|c| c.code.as_str()),
            country_name: v.country.as_ref().map(|c| c.name.as_str()),
            location: v.location.as_ref(),
            tags: v.tags.iter().map(|t| t.slug.as_str()).collect(),
            alt: &v.alt,
            images: &v.image.renditions,
            photos: v
                .photos
                .iter()
                .zip(sign.meta.photos())
                .map(|(p, photo)| OpenPhoto {
                    images: &p.image.renditions,
                    alt: &p.alt,
                    translations: photo_translations(photo, langs),
                })
                .collect(),
            translations: translations(sign, langs),
        })
        .collect();
    #[derive(Serialize)]
    struct Doc<'a> {
        signs: Vec<OpenSign<'a>>,
    }
    // Compact: the map and search read it on phones, and it grows with the archive.
    let mut out = serde_json::to_vec(&Doc { signs }).expect("serialisable");
    out.push(b'\n');
    out
}
