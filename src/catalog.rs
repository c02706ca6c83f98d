//! Catalog: every published sign in order, and the ways to browse them.
//!
//! Newest first by when each sign was published (its `published:`, else its photo's
//! date; ties by slug), tags with their signs, countries with their cities,
//! pagination. Pure data in, data out: no I/O, so the order and the counts that the
//! pages show are easy to test.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{NaiveDateTime, NaiveTime};

use crate::diag::Diagnostic;
use crate::geo::{Country, Place};
use crate::metadata::{SignDate, SignMeta, Text};

#[derive(Debug, Clone)]
pub struct Sign {
    pub meta: SignMeta,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagEntry {
    pub slug: String,
    /// How the curators spell it most often ("Art Deco" for `art-deco`).
    pub name: String,
    /// Indexes into `Catalog::signs`, newest first.
    pub signs: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityEntry {
    /// In the default language: as GeoNames names it, or as the sidecar says.
    pub name: String,
    pub slug: String,
    pub signs: Vec<usize>,
    /// Per language: GeoNames' one name for all, unless a sidecar gives
    /// `city: {en: …, es: …}` (the first such sign of the city speaks for it).
    pub names: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryEntry {
    pub country: Country,
    pub slug: String,
    pub signs: Vec<usize>,
    /// Sorted by name.
    pub cities: Vec<CityEntry>,
}

#[derive(Debug, Default)]
pub struct Catalog {
    /// Published signs, newest first.
    pub signs: Vec<Sign>,
    /// Sorted by slug.
    pub tags: Vec<TagEntry>,
    /// Sorted by country name.
    pub countries: Vec<CountryEntry>,
    /// Per sign: the nearest other signs `(index, km)`, nearest first.
    pub nearby: Vec<Vec<(usize, f64)>>,
}

/// How many neighbours a sign page lists.
pub const NEARBY: usize = 6;

impl Catalog {
    /// How a style is shown: its most used spelling, or the slug itself.
    pub fn tag_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.tags
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .map_or(slug, |i| self.tags[i].name.as_str())
    }

    /// Order the signs, leave out drafts unless asked, and index tags and places.
    /// Two signs with one slug would overwrite each other's page: that is an error
    /// naming both files.
    pub fn new(signs: Vec<Sign>, include_drafts: bool) -> (Catalog, Vec<Diagnostic>) {
        // Slugs are checked across drafts too: a draft that clashes would break the
        // site the day it is published.
        let mut signs = signs;
        signs.sort_by(newest_first);
        let mut problems = Vec::new();
        let mut seen: BTreeMap<&str, &Sign> = BTreeMap::new();
        for s in &signs {
            if let Some(first) = seen.insert(&s.meta.slug, s) {
                let other = first.meta.file();
                problems.push(
                    Diagnostic::error(format!(
                        "two signs have the slug `{}`: this one and {}",
                        s.meta.slug,
                        other.display()
                    ))
                    .file(s.meta.file())
                    .hint("give one of them its own `slug:` in its sidecar"),
                );
            }
        }
        let signs: Vec<Sign> = signs
            .into_iter()
            .filter(|s| include_drafts || !s.meta.draft)
            .collect();

        let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        // Style → its spellings → (how many signs use it, the first of them).
        let mut spellings: BTreeMap<&str, BTreeMap<&str, (usize, usize)>> = BTreeMap::new();
        let mut countries: BTreeMap<&str, CountryAcc> = BTreeMap::new();
        for (i, s) in signs.iter().enumerate() {
            for (slug, name) in &s.meta.tags {
                tags.entry(slug.clone()).or_default().push(i);
                spellings
                    .entry(slug)
                    .or_default()
                    .entry(name)
                    .or_insert((0, i))
                    .0 += 1;
            }
            if let Some(c) = &s.place.country {
                let entry = countries
                    .entry(c.code)
                    .or_insert_with(|| (c.clone(), Vec::new(), BTreeMap::new()));
                entry.1.push(i);
                if let Some(city) = &s.place.city {
                    let slug = slug::slugify(city);
                    if !slug.is_empty() {
                        let e = entry.2.entry(slug.clone()).or_insert_with(|| CityEntry {
                            name: city.clone(),
                            slug,
                            signs: Vec::new(),
                            names: Text::All(city.clone()),
                        });
                        e.signs.push(i);
                        if let (Text::All(_), Some(names)) = (&e.names, city_names(s)) {
                            e.names = names.clone();
                        }
                    }
                }
            }
        }
        // Within one sidecar `metadata` warns; across sidecars it is found here.
        for (slug, names) in &spellings {
            // Spellings that differ only in case, accents or spacing are one form; each
            // form's first use speaks for it.
            let mut forms: BTreeMap<String, (&str, usize)> = BTreeMap::new();
            for (name, &(_, first)) in names {
                let form = forms
                    .entry(crate::metadata::tag_spelling(name))
                    .or_insert((name, first));
                if first < form.1 {
                    *form = (name, first);
                }
            }
            let mut forms: Vec<(&str, usize)> = forms.into_values().collect();
            forms.sort_by_key(|&(_, i)| i);
            if let [(first, _), (other, i), ..] = forms.as_slice() {
                let s = &signs[*i].meta;
                problems.push(
                    Diagnostic::warning(format!(
                        "the tag `{other}` here and `{first}` elsewhere both become the style `{slug}`"
                    ))
                    .file(s.file())
                    .hint("style names keep only letters, digits and hyphens; spell them so they differ in those, or alike if they are one style"),
                );
            }
        }
        let tags = tags
            .into_iter()
            .map(|(slug, signs)| {
                // The most used spelling; among equals the first in order, so builds agree.
                let name = spellings
                    .get(slug.as_str())
                    .and_then(|names| {
                        names
                            .iter()
                            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0)))
                    })
                    .map_or_else(|| slug.clone(), |(name, _)| name.to_string());
                TagEntry { slug, name, signs }
            })
            .collect();
        let mut countries: Vec<CountryEntry> = countries
            .into_values()
            .map(|(country, signs, cities)| {
                let mut cities: Vec<CityEntry> = cities.into_values().collect();
                cities.sort_by_key(|c| c.name.to_lowercase());
                CountryEntry {
                    slug: country.slug(),
                    country,
                    signs,
                    cities,
                }
            })
            .collect();
        countries.sort_by(|a, b| a.country.name.cmp(b.country.name));
        (
            Catalog {
                nearby: crate::geo::nearby::nearest(
                    &signs
                        .iter()
                        .map(|s| s.meta.location.map(|l| (l.lat, l.lon)))
                        .collect::<Vec<_>>(),
                    NEARBY,
                ),
                signs,
                tags,
                countries,
            },
            problems,
        )
    }
}

/// The sidecar's city per language, when it gives one per language and the sign's city
/// is the sidecar's (not the position's).
fn city_names(s: &Sign) -> Option<&Text> {
    let names = s.meta.texts.get("city")?;
    let own = s.meta.city.is_some() && s.meta.city == s.place.city;
    (own && matches!(names, Text::By(_))).then_some(names)
}

/// A country being indexed: its signs and its cities by slug.
type CountryAcc = (Country, Vec<usize>, BTreeMap<String, CityEntry>);

/// Newest first by date and time; undated signs last; ties by slug so the order is stable.
fn newest_first(a: &Sign, b: &Sign) -> Ordering {
    match (a.meta.listed().map(instant), b.meta.listed().map(instant)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.meta.slug.cmp(&b.meta.slug))
}

/// A moment to order by: in UTC when the offset is known (an Instagram post time and
/// a camera's local time compare as the same clock), else as written; a day alone
/// counts as its first instant.
fn instant(d: SignDate) -> NaiveDateTime {
    let local = d.date.and_time(d.time.unwrap_or(NaiveTime::MIN));
    match (d.time, d.offset) {
        (Some(_), Some(off)) => local - chrono::Duration::seconds(off.local_minus_utc().into()),
        _ => local,
    }
}

/// Split `n` items into pages of `per_page` (at least one page, even when empty).
pub fn paginate(n: usize, per_page: usize) -> Vec<std::ops::Range<usize>> {
    let per_page = per_page.max(1);
    if n == 0 {
        return std::iter::once(0..0).collect();
    }
    (0..n)
        .step_by(per_page)
        .map(|start| start..(start + per_page).min(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo;
    use crate::metadata::{merge, parse_sidecar, ExifFacts, Photo, PhotoFacts};

    fn sign(stem: &str, yaml: &str) -> Sign {
        let facts = PhotoFacts {
            hash: "00".repeat(32),
            bytes: 1,
            width: 10,
            height: 10,
            exif: ExifFacts {
                orientation: 1,
                ..Default::default()
            },
        };
        let (meta, _) = merge(
            Photo::new(stem.into(), facts),
            vec![],
            None,
            stem,
            Some(parse_sidecar(yaml).unwrap()),
            &["en".into()],
        );
        let (place, _, problems) = geo::place_of(&meta, &geo::Geocoder::default());
        assert!(problems.is_empty());
        Sign { meta, place }
    }

    #[test]
    fn newest_first_then_slug_undated_last() {
        let signs = vec![
            sign("b", "date: 2020-01-01"),
            sign("undated", ""),
            sign("a", "date: 2020-01-01"),
            sign("c", "date: 2021-05-05"),
            sign("d", "date: 2021-05-05 08:00"),
        ];
        let (cat, problems) = Catalog::new(signs, false);
        assert!(problems.is_empty());
        let order: Vec<_> = cat.signs.iter().map(|s| s.meta.slug.as_str()).collect();
        assert_eq!(order, vec!["d", "c", "a", "b", "undated"]);
    }

    #[test]
    fn published_orders_before_the_photo_date() {
        let signs = vec![
            sign(
                "old-photo-added-today",
                "date: 2017-06-03\npublished: 2026-12-01",
            ),
            sign("recent", "date: 2025-01-01"),
            sign(
                "posted",
                "date: 2010-01-01\npublished: 2025-06-01T20:00:00Z",
            ),
            // 23:30 in Bogotá is 04:30 UTC the next day: after the post above.
            sign("late-local", "date: 2025-06-01T23:30:00-05:00"),
        ];
        let (cat, _) = Catalog::new(signs, false);
        let order: Vec<_> = cat.signs.iter().map(|s| s.meta.slug.as_str()).collect();
        assert_eq!(
            order,
            vec!["old-photo-added-today", "late-local", "posted", "recent"]
        );
    }

    #[test]
    fn tags_merged_across_sidecars_are_warned_about_once() {
        let signs = vec![
            sign("a", "tags: [C++, Art]\ndate: 2020-01-01"),
            sign("b", "tags: [c#, art]\ndate: 2021-01-01"),
            sign("c", "tags: [C#]\ndate: 2022-01-01"),
        ];
        let (cat, problems) = Catalog::new(signs, false);
        let messages: Vec<_> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["the tag `C++` here and `C#` elsewhere both become the style `c`"]
        );
        let names: Vec<_> = cat
            .tags
            .iter()
            .map(|t| (t.slug.as_str(), t.name.as_str()))
            .collect();
        assert_eq!(names, [("art", "Art"), ("c", "C#")]);
    }

    #[test]
    fn drafts_tags_countries_and_cities() {
        let signs = vec![
            sign(
                "a",
                "tags: [Art]\ncountry: CA\ncity: Toronto\ndate: 2020-01-01",
            ),
            sign(
                "b",
                "tags: [art, family]\ncountry: Canada\ncity: Mississauga\ndate: 2021-01-01",
            ),
            sign("c", "tags: [art]\ncountry: JP\ndraft: true"),
        ];
        let (cat, _) = Catalog::new(signs.clone(), false);
        assert_eq!(cat.signs.len(), 2);
        assert_eq!(
            cat.tags,
            vec![
                TagEntry {
                    slug: "art".into(),
                    name: "Art".into(),
                    signs: vec![0, 1]
                },
                TagEntry {
                    slug: "family".into(),
                    name: "family".into(),
                    signs: vec![0]
                },
            ]
        );
        assert_eq!(cat.countries.len(), 1);
        let ca = &cat.countries[0];
        assert_eq!((ca.country.code, ca.signs.len()), ("CA", 2));
        let cities: Vec<_> = ca.cities.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cities, vec!["Mississauga", "Toronto"]);
        assert_eq!(ca.cities[1].names, Text::from("Toronto"));
        let (cat, _) = Catalog::new(signs, true);
        assert_eq!(cat.signs.len(), 3);
    }

    #[test]
    fn a_city_named_per_language_is_named_so_for_its_city() {
        let signs = vec![
            sign("a", "country: MX\ncity: Mexico City\ndate: 2020-01-01"),
            sign(
                "b",
                "country: MX\ncity: {en: Mexico City, es: Ciudad de México}\ndate: 2021-01-01",
            ),
        ];
        let (cat, _) = Catalog::new(signs, false);
        let city = &cat.countries[0].cities[0];
        assert_eq!((city.name.as_str(), city.signs.len()), ("Mexico City", 2));
        assert_eq!(city.names.resolve("es", "en"), ("Ciudad de México", None));
    }

    #[test]
    fn duplicate_slugs_name_both_files() {
        let (_, problems) = Catalog::new(
            vec![sign("x", "slug: same"), sign("y", "slug: same")],
            false,
        );
        assert_eq!(problems.len(), 1);
        let msg = problems[0].to_string();
        assert!(
            msg.contains("`same`") && msg.contains('x') && msg.contains('y'),
            "{msg}"
        );
    }

    #[test]
    fn pages_cover_everything_once() {
        assert_eq!(paginate(0, 24), vec![0..0]);
        assert_eq!(paginate(5, 2), vec![0..2, 2..4, 4..5]);
        assert_eq!(paginate(4, 2), vec![0..2, 2..4]);
    }
}
