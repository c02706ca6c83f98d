//! Search: `search.json`, a compact index of every published sign that the search
//! page's script (`js/search.js`) filters in the browser, and the lists of styles and
//! countries its filters offer.
//!
//! The index is columnar and small, because phones download it: styles and countries
//! are listed once and referred to by number, captions are plain text cut to a few
//! sentences, and each sign carries only its thumbnail. At 10,000 signs it is about
//! 2.0 MB, 0.37 MB compressed (`python3 bench/search.py` measures it, and the time to
//! the first result in Chromium).

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{Lang, SignView};
use super::markdown;
use crate::catalog::Catalog;

/// Caption text kept per sign: enough to find a sign by a word of its story.
const CAPTION_CHARS: usize = 280;

/// Bump when the index's shape changes, so the script can tell.
const VERSION: u32 = 2;

#[derive(Serialize)]
struct Index<'a> {
    v: u32,
    /// `[code, name]` of each country.
    countries: Vec<(&'a str, &'a str)>,
    tags: Vec<&'a str>,
    /// `[url, title, place, city, country (index or -1), [tag indexes], caption text,
    /// thumbnail url, width, height, colour, alt text]` of each sign, newest first.
    /// The alt text is where the words on the signs are ("WC", "Damen", "ladies").
    signs: Vec<Entry<'a>>,
}

type Entry<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    i32,
    Vec<usize>,
    String,
    &'a str,
    u32,
    u32,
    &'a str,
    String,
);

/// A style or country the search can filter by, with its number of signs.
#[derive(Debug, Serialize)]
pub struct Facet {
    pub value: String,
    pub name: String,
    pub count: usize,
}

/// The facets of the search page: every style and every country, in the catalog's
/// order (styles by slug, countries by name).
pub fn facets(catalog: &Catalog, lang: &Lang) -> (Vec<Facet>, Vec<Facet>) {
    let tags = catalog
        .tags
        .iter()
        .map(|t| Facet {
            value: t.slug.clone(),
            name: lang.style_name(&t.slug, &t.name).to_string(),
            count: t.signs.len(),
        })
        .collect();
    let countries = catalog
        .countries
        .iter()
        .map(|c| Facet {
            value: c.country.code.to_string(),
            name: c.country.name.to_string(),
            count: c.signs.len(),
        })
        .collect();
    (tags, countries)
}

/// `search.json` for `views`, in catalog order (`catalog` gives their captions).
pub fn index(views: &[SignView], catalog: &Catalog) -> Vec<u8> {
    let mut countries: Vec<(&str, &str)> = Vec::new();
    let mut tags: Vec<&str> = Vec::new();
    let mut country_ix: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tag_ix: BTreeMap<&str, usize> = BTreeMap::new();
    let signs = views
        .iter()
        .zip(&catalog.signs)
        .map(|(v, sign)| {
            let country = v.country.as_ref().map_or(-1, |c| {
                *country_ix.entry(&c.code).or_insert_with(|| {
                    countries.push((&c.code, &c.name));
                    countries.len() - 1
                }) as i32
            });
            let tag_list = v
                .tags
                .iter()
                .map(|t| {
                    *tag_ix.entry(&t.slug).or_insert_with(|| {
                        tags.push(&t.slug);
                        tags.len() - 1
                    })
                })
                .collect();
            let thumb = &v.image.thumb;
            (
                v.url.as_str(),
                v.title.as_str(),
                v.place.as_deref().unwrap_or_default(),
                v.city.as_deref().unwrap_or_default(),
                country,
                tag_list,
                cut(
                    &markdown::to_text(sign.meta.caption.as_deref().unwrap_or_default()),
                    CAPTION_CHARS,
                ),
                thumb.url.as_str(),
                thumb.width,
                thumb.height,
                v.image.color.as_str(),
                alt_text(v),
            )
        })
        .collect();
    let mut out = serde_json::to_vec(&Index {
        v: VERSION,
        countries,
        tags,
        signs,
    })
    .expect("serialisable");
    out.push(b'\n');
    out
}

/// The sign's alt text and each of its photos' own, once each.
fn alt_text(v: &SignView) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for alt in std::iter::once(&v.alt).chain(v.photos.iter().map(|p| &p.alt)) {
        let alt = alt.trim();
        if !alt.is_empty() && !seen.contains(&alt) {
            seen.push(alt);
        }
    }
    cut(&seen.join(" "), CAPTION_CHARS)
}

/// `text` cut at a word boundary near `max` characters.
fn cut(text: &str, max: usize) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.chars().count() + w.chars().count() > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_become_short_plain_text() {
        let text = markdown::to_text("Carved in *wood* & painted <red>.\n\nSecond  line.");
        assert_eq!(
            cut(&text, 280),
            "Carved in wood & painted <red>. Second line."
        );
        assert_eq!(cut(&text, 20), "Carved in wood &");
    }
}
