//! Geo: where each sign is. Countries (names, codes, flags, slugs), offline reverse
//! geocoding of the photo's position (`locate`), distances and nearby signs (`nearby`),
//! and the privacy rounding of every published coordinate.
//!
//! `place_of` is the one function that decides a sign's country and city: the
//! sidecar's words win, else the position decides.

pub(crate) mod forward;
pub mod locate;
mod memo;
mod names;
pub(crate) mod nearby;
pub(crate) mod shapes;

pub(crate) use memo::{GeoMemo, Geocoder};
pub(crate) use names::country_by_any_name;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::diag::{suggest, Diagnostic};
use crate::metadata::{SignMeta, Source};

const COUNTRIES_TSV: &str = include_str!("countries.tsv");

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub(crate) code: &'static str,
    /// Short English name, as shown on pages.
    pub(crate) name: &'static str,
}

impl Country {
    pub(crate) fn slug(&self) -> String {
        slug::slugify(self.name)
    }

    /// The flag emoji: the code's letters as regional indicator symbols.
    pub(crate) fn flag(&self) -> String {
        self.code
            .chars()
            .filter_map(|c| char::from_u32(0x1F1E6 + (c as u32).checked_sub('A' as u32)?))
            .collect()
    }
}

struct Table {
    countries: Vec<Country>,
    /// Normalised code, alpha-3, name or alias → index in `countries`.
    index: HashMap<String, usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut countries = Vec::new();
        let mut index = HashMap::new();
        for line in COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut cols = line.split('\t');
            let (Some(a2), Some(a3), Some(name)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let i = countries.len();
            countries.push(Country { code: a2, name });
            for key in [a2, a3, name]
                .into_iter()
                .chain(cols.next().unwrap_or("").split('|'))
            {
                if !key.is_empty() {
                    index.entry(normalise(key)).or_insert(i);
                }
            }
        }
        Table { countries, index }
    })
}

/// Case, accents, punctuation and a leading "the" do not matter when matching names.
fn normalise(s: &str) -> String {
    let s = slug::slugify(s).replace('-', " ");
    s.strip_prefix("the ").unwrap_or(&s).to_string()
}

/// A country from a code or English name: "CA", "ca", "Canada", "the Netherlands", "UK".
pub(crate) fn country(input: &str) -> Result<Country, Option<&'static str>> {
    let t = table();
    let key = normalise(input);
    match t.index.get(&key) {
        Some(&i) => Ok(t.countries[i].clone()),
        None => Err(suggest(input, t.countries.iter().map(|c| c.name))),
    }
}

pub(crate) fn country_by_code(code: &str) -> Option<Country> {
    let t = table();
    t.countries
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
        .cloned()
}

/// Where a sign is: its country and city.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Place {
    pub(crate) country: Option<Country>,
    pub(crate) city: Option<String>,
}

/// Decide a sign's country and city, and which of them the GPS position gave
/// (`Source::Gps`; what the sidecar gave `metadata::merge` has recorded already).
/// An unknown country is an error at the sidecar's `country:` line, with the nearest
/// name as a suggestion; a position with no country or no town near it is a warning.
pub(crate) fn place_of(
    meta: &SignMeta,
    geocoder: &Geocoder,
) -> (Place, Vec<(&'static str, Source)>, Vec<Diagnostic>) {
    let (mut place, problem) = place_from_sidecar(meta);
    let mut problems: Vec<Diagnostic> = problem.into_iter().collect();
    let mut sources = Vec::new();
    let Some(loc) = meta.location else {
        return (place, sources, problems);
    };
    // A country written in the sidecar wins, but one that contradicts the position is
    // most likely a mistake in one of them (a copied sidecar, a photo from another trip).
    if let Some(said) = &place.country {
        if let Some(gps) = geocoder.country_at(loc.lat, loc.lon) {
            if gps.code != said.code {
                problems.push(
                    Diagnostic::warning(format!(
                        "the sidecar says {}, but the position {:.4}, {:.4} is in {}",
                        said.name, loc.lat, loc.lon, gps.name
                    ))
                    .at_opt(meta.country_pos)
                    .hint("check `country:` and the photo's position; remove `country:` to take it from the position"),
                );
            }
        }
    }
    if place.country.is_none() && meta.country.is_none() {
        match geocoder.country_at(loc.lat, loc.lon) {
            Some(c) => {
                place.country = Some(c);
                sources.push(("country", Source::Gps));
            }
            None => problems.push(
                Diagnostic::warning(format!(
                    "no country at {:.4}, {:.4} (at sea?), so the sign is not listed under a country",
                    loc.lat, loc.lon
                ))
                .hint("check the position, or add `country:` to the sidecar"),
            ),
        }
    }
    if place.city.is_none() {
        if let Some(c) = &place.country {
            match geocoder.city_near(c.code, loc.lat, loc.lon) {
                Some(name) => {
                    place.city = Some(name);
                    sources.push(("city", Source::Gps));
                }
                None => problems.push(
                    Diagnostic::warning(format!(
                        "no town within {} km of {:.4}, {:.4} in {}, so the sign has no city",
                        locate::MAX_CITY_KM,
                        loc.lat,
                        loc.lon,
                        c.name
                    ))
                    .hint("add `city:` to the sidecar if it has one"),
                ),
            }
        }
    }
    (place, sources, problems)
}

fn place_from_sidecar(meta: &SignMeta) -> (Place, Option<Diagnostic>) {
    let mut problem = None;
    let country = meta
        .country
        .as_deref()
        .and_then(|input| match country(input) {
            Ok(c) => Some(c),
            Err(near) => {
                let hint = match near {
                    Some(n) => {
                        format!("did you mean `{n}`? Use an English name or a two-letter ISO code")
                    }
                    None => {
                        "use an English country name or a two-letter ISO code such as CA".into()
                    }
                };
                problem = Some(
                    Diagnostic::error(format!("unknown country `{input}`"))
                        .at_opt(meta.country_pos)
                        .hint(hint),
                );
                None
            }
        });
    let place = Place {
        country,
        city: meta.city.clone(),
    };
    (place, problem)
}

/// Round a published coordinate to `places` decimals (3 ≈ 110 m).
pub(crate) fn round_coord(v: f64, places: u8) -> f64 {
    let f = 10f64.powi(places as i32);
    let r = (v * f).round() / f;
    // -0.0 prints as "-0" in JSON; publish 0.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_resolve() {
        for input in ["CA", "ca", "Canada", "CAN", " canada "] {
            assert_eq!(country(input).unwrap().code, "CA", "{input}");
        }
        assert_eq!(country("United Kingdom").unwrap().code, "GB");
        assert_eq!(country("UK").unwrap().code, "GB");
        assert_eq!(country("the Netherlands").unwrap().code, "NL");
        assert_eq!(country("Côte d'Ivoire").unwrap().code, "CI");
        assert_eq!(country("Deutschland").unwrap_err(), None);
        assert_eq!(country("Cnada").unwrap_err(), Some("Canada"));
    }

    #[test]
    fn flags_and_slugs() {
        let gb = country("GB").unwrap();
        assert_eq!(gb.flag(), "🇬🇧");
        assert_eq!(gb.slug(), "united-kingdom");
        assert_eq!(country("CH").unwrap().name, "Switzerland");
        assert_eq!(country_by_code("jp").unwrap().name, "Japan");
    }

    #[test]
    fn rounding_keeps_precision_places() {
        assert_eq!(round_coord(43.59314, 3), 43.593);
        assert_eq!(round_coord(-79.64249, 3), -79.642);
        assert_eq!(round_coord(-0.0001, 3), 0.0);
        assert_eq!(round_coord(12.3456, 0), 12.0);
    }
}
