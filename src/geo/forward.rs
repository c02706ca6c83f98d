//! Offline forward geocoding: a city's position from its name and country, for the
//! place line of an imported caption ("Simons – Mississauga, Canada").
//!
//! The places are the GeoNames towns the reverse geocoder uses (`places.tsv.gz`),
//! plus other names of the places of 15,000 people or more (`aliases.tsv.gz`, see
//! scripts/make_aliases.py), because GeoNames gives each place one primary name
//! ("Munich", "Köln", "Tokyo") and captions use the curator's words ("München",
//! "Cologne", "東京"). Names match whatever their case, accents and punctuation.
//!
//! Both files are read on the first call only (a `OnceLock` of its own), so a build
//! that never geocodes forward does not pay for it, and the reverse geocoder is not
//! touched.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::locate::{distance_km, PLACES_GZ};

/// Other names of the bigger places, gzipped: `country, primary name, names (|)`.
const ALIASES_GZ: &[u8] = include_bytes!("aliases.tsv.gz");

/// A rival at least this share of the biggest match's population makes the name
/// ambiguous: Springfield, MO (170k) against Springfield, MA (154k).
const RIVAL_SHARE: f64 = 1.0 / 3.0;
/// Below this population, a same-name place is not a plausible rival: a caption that
/// names a city means the one people know, not a village.
const RIVAL_MIN_POPULATION: u32 = 15_000;
/// Same-name places nearer than this are one place (GeoNames lists some cities twice,
/// or a city beside its county seat): Kansas City, MO and Kansas City, KS are one city.
const SAME_PLACE_KM: f64 = 30.0;
/// A place matched by another of its names competes with places of that very primary
/// name only when it is this many times bigger: "Frankfurt" is Frankfurt am Main,
/// not a hamlet called Frankfurt, but "Kingston" is Kingston, NY, not Conway, AR,
/// which GeoNames also lists as "Kingston".
const ALIAS_DWARFS: u32 = 10;

/// A place a city name may mean.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub lat: f64,
    pub lon: f64,
    /// GeoNames' primary name, as the reverse geocoder names it ("Munich" for
    /// "München"), so a sign placed by name and one placed by GPS share a city page.
    pub name: String,
    pub population: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Forward {
    /// The most populous place of that name in the country.
    Found {
        lat: f64,
        lon: f64,
        name: String,
        population: u64,
    },
    /// Two or more places of that name are big enough and far enough apart that either
    /// may be meant; the most populous first.
    Ambiguous(Vec<Candidate>),
    NotFound,
}

struct Place {
    lat: f64,
    lon: f64,
    population: u32,
    name: &'static str,
}

struct Index {
    places: Vec<Place>,
    /// Country → folded primary name → indexes in `places`.
    primary: Names,
    /// Country → folded other name → indexes in `places`.
    other: Names,
}

type Names = HashMap<&'static str, HashMap<String, Vec<u32>>>;

/// Where `city` is in `country` (ISO alpha-2, any case). Never a place of another
/// country: "Córdoba" in ES is the Spanish one, in AR the Argentinian one.
pub(crate) fn city_position(country: &str, city: &str) -> Forward {
    let key = fold(city);
    let cc = country.trim().to_ascii_uppercase();
    let idx = index();
    let lookup = |names: &Names| -> Vec<&Place> {
        let found = names.get(cc.as_str()).and_then(|m| m.get(&key));
        let found = found.map_or(&[][..], Vec::as_slice);
        found.iter().map(|&i| &idx.places[i as usize]).collect()
    };
    let mut matches = lookup(&idx.primary);
    let biggest = matches.iter().map(|p| p.population).max().unwrap_or(0);
    for p in lookup(&idx.other) {
        let dwarfs = p.population >= biggest.saturating_mul(ALIAS_DWARFS);
        if dwarfs && !matches.iter().any(|m| std::ptr::eq(*m, p)) {
            matches.push(p);
        }
    }
    // Most populous first; the name then the position break ties, so the answer is
    // the same on every run.
    matches.sort_by(|a, b| {
        (b.population, a.name, a.lat, a.lon)
            .partial_cmp(&(a.population, b.name, b.lat, b.lon))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    decide(&matches)
}

/// The ambiguity rule: a rival is a match of at least `RIVAL_MIN_POPULATION` people,
/// at least `RIVAL_SHARE` of the biggest match's population, and more than
/// `SAME_PLACE_KM` from it. Any rival makes the answer `Ambiguous`.
fn decide(sorted: &[&Place]) -> Forward {
    let Some(top) = sorted.first() else {
        return Forward::NotFound;
    };
    let floor = (top.population as f64 * RIVAL_SHARE).max(RIVAL_MIN_POPULATION as f64);
    let rivals: Vec<&&Place> = sorted[1..]
        .iter()
        .filter(|p| p.population as f64 >= floor)
        .filter(|p| distance_km(top.lat, top.lon, p.lat, p.lon) > SAME_PLACE_KM)
        .collect();
    if rivals.is_empty() {
        let c = candidate(top);
        return Forward::Found {
            lat: c.lat,
            lon: c.lon,
            name: c.name,
            population: c.population,
        };
    }
    let all = std::iter::once(top).chain(rivals);
    Forward::Ambiguous(all.map(|p| candidate(p)).collect())
}

fn candidate(p: &Place) -> Candidate {
    Candidate {
        lat: p.lat,
        lon: p.lon,
        name: p.name.to_string(),
        population: p.population as u64,
    }
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut idx = Index {
            places: Vec::new(),
            primary: HashMap::new(),
            other: HashMap::new(),
        };
        for line in data_lines(gunzip(PLACES_GZ)) {
            add_place(&mut idx, line);
        }
        for line in data_lines(gunzip(ALIASES_GZ)) {
            add_aliases(&mut idx, line);
        }
        idx
    })
}

/// The compiled-in text, leaked once: the names are borrowed for the life of the
/// process.
fn gunzip(gz: &'static [u8]) -> &'static str {
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .expect("the compiled-in place data is valid gzip");
    Box::leak(text.into_boxed_str())
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}

/// A `places.tsv.gz` line: lat, lon, country, population, name.
fn add_place(idx: &mut Index, line: &'static str) {
    let mut f = line.splitn(5, '\t');
    let (Some(lat), Some(lon), Some(cc), Some(pop), Some(name)) =
        (f.next(), f.next(), f.next(), f.next(), f.next())
    else {
        return;
    };
    let (Ok(lat), Ok(lon)) = (lat.parse(), lon.parse()) else {
        return;
    };
    let i = idx.places.len() as u32;
    idx.places.push(Place {
        lat,
        lon,
        population: pop.parse().unwrap_or(0),
        name,
    });
    let key = fold(name);
    if !key.is_empty() {
        let by_name = idx.primary.entry(cc).or_default();
        by_name.entry(key).or_default().push(i);
    }
}

/// An `aliases.tsv.gz` line: country, primary name, other names. Each other name
/// leads to every place of that country with that primary name.
fn add_aliases(idx: &mut Index, line: &'static str) {
    let mut f = line.splitn(3, '\t');
    let (Some(cc), Some(name), Some(aliases)) = (f.next(), f.next(), f.next()) else {
        return;
    };
    let Some(primary) = idx.primary.get(cc) else {
        return;
    };
    let places = &idx.places;
    let targets: Vec<u32> = primary
        .get(&fold(name))
        .into_iter()
        .flatten()
        .copied()
        .filter(|&i| places[i as usize].name == name)
        .collect();
    let by_name = idx.other.entry(cc).or_default();
    for alias in aliases.split('|') {
        let key = fold(alias);
        if key.is_empty() {
            continue;
        }
        let entry = by_name.entry(key).or_default();
        for &t in &targets {
            if !entry.contains(&t) {
                entry.push(t);
            }
        }
    }
}

/// A name for matching: lower case, Latin, Greek and Cyrillic accents dropped
/// ("São" = "Sao"; other scripts keep their marks, which carry meaning there),
/// letters that do not decompose spelt out ("Ø" = "o", "ß" = "ss"), apostrophes
/// dropped and any other punctuation one space ("Saint-Denis" = "saint denis").
pub(crate) fn fold(s: &str) -> String {
    // Most names are ASCII: skip the decomposition, which is most of the load time.
    if s.is_ascii() {
        return fold_chars(s.chars());
    }
    fold_chars(s.nfkd())
}

fn fold_chars(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut gap = false;
    let mut base = ' ';
    for c in chars {
        if is_combining_mark(c) {
            if !has_droppable_marks(base) {
                out.push(c);
            }
            continue;
        }
        base = c;
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            for l in c.to_lowercase() {
                match spelt_out(l) {
                    Some(s) => out.push_str(s),
                    None => out.push(l),
                }
            }
        } else if !matches!(c, '\'' | '’' | 'ʻ' | 'ʼ' | '`' | '´') {
            gap = true;
        }
    }
    out
}

/// Latin, Greek and Cyrillic letters, whose accents a caption may leave out.
fn has_droppable_marks(c: char) -> bool {
    c < '\u{0530}' || ('\u{1E00}'..='\u{1FFF}').contains(&c)
}

/// Latin letters that NFKD leaves whole.
fn spelt_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ł' => "l",
        'ı' => "i",
        'ħ' => "h",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name and rounded position found, or a panic naming what came back.
    fn found(cc: &str, city: &str) -> (String, f64, f64) {
        match city_position(cc, city) {
            Forward::Found { lat, lon, name, .. } => (
                name,
                (lat * 10.0).round() / 10.0,
                (lon * 10.0).round() / 10.0,
            ),
            other => panic!("{city}, {cc}: {other:?}"),
        }
    }

    fn name(cc: &str, city: &str) -> String {
        found(cc, city).0
    }

    #[test]
    fn primary_names_ignore_case_accents_and_punctuation() {
        assert_eq!(
            found("CA", "Mississauga"),
            ("Mississauga".into(), 43.6, -79.7)
        );
        assert_eq!(name("IS", "Reykjavík"), "Reykjavík");
        assert_eq!(name("IS", "Reykjavik"), "Reykjavík");
        assert_eq!(name("is", "  REYKJAVIK "), "Reykjavík");
        assert_eq!(name("BR", "Sao Paulo"), "São Paulo");
        assert_eq!(found("ES", "Barcelona"), ("Barcelona".into(), 41.4, 2.2));
        assert_eq!(name("FR", "Saint Denis"), name("FR", "Saint-Denis"));
    }

    #[test]
    fn other_names_lead_to_the_primary_one() {
        for (cc, a, b) in [
            ("MX", "Ciudad de México", "Mexico City"),
            ("DE", "München", "Munich"),
            ("DE", "Cologne", "Köln"),
            ("AT", "Wien", "Vienna"),
            ("JP", "東京", "Tokyo"),
            ("PT", "Lisboa", "Lisbon"),
        ] {
            assert_eq!(name(cc, a), name(cc, b), "{a} / {b}");
        }
        assert_eq!(name("DE", "munchen"), "Munich");
        assert_eq!(name("MX", "Ciudad de Mexico"), "Mexico City");
        assert_eq!(name("JP", "東京"), "Tokyo");
    }

    #[test]
    fn never_a_city_of_another_country() {
        assert_eq!(city_position("US", "Mississauga"), Forward::NotFound);
        assert_eq!(city_position("NO", "Reykjavík"), Forward::NotFound);
        assert_eq!(city_position("XX", "Paris"), Forward::NotFound);
        assert_eq!(city_position("CA", ""), Forward::NotFound);
        assert_eq!(city_position("CA", "!!!"), Forward::NotFound);
        assert_eq!(city_position("", "Toronto"), Forward::NotFound);
        // One name, two countries: each country's own, and neither is ambiguous.
        assert_eq!(found("AR", "Córdoba"), ("Córdoba".into(), -31.4, -64.2));
        assert_eq!(found("ES", "Cordoba"), ("Córdoba".into(), 37.9, -4.8));
    }

    #[test]
    fn rival_places_of_one_name_are_ambiguous() {
        // Springfield, MO (170k), MA (154k), IL (114k): each over a third of the first.
        let Forward::Ambiguous(c) = city_position("US", "Springfield") else {
            panic!("Springfield should be ambiguous");
        };
        assert!(c.len() >= 3, "{c:?}");
        assert!(c.windows(2).all(|w| w[0].population >= w[1].population));
        assert!((c[0].lat - 37.2).abs() < 0.1 && (c[1].lat - 42.1).abs() < 0.1);
        assert!(c.iter().all(|p| p.name == "Springfield"));
    }

    #[test]
    fn smaller_namesakes_are_not_rivals() {
        // San José, CR (335k) against San José, Guanacaste (31k): under a third.
        assert_eq!(found("CR", "San José"), ("San José".into(), 9.9, -84.1));
        // Portland, OR (650k) against Portland, ME (67k).
        assert_eq!(found("US", "Portland").1, 45.5);
        // Kansas City, KS is a third of Kansas City, MO, but 5 km away: one city.
        assert_eq!(found("US", "Kansas City").2, -94.6);
        // Kingston, NY (23k) against Kingston, PA (13k): the second is too small.
        assert_eq!(found("US", "Kingston").1, 41.9);
    }

    #[test]
    fn decide_applies_the_rule_as_documented() {
        let p = |population, lat| Place {
            lat,
            lon: 0.0,
            population,
            name: "X",
        };
        let (a, b) = (p(90_000, 0.0), p(30_000, 10.0));
        assert!(matches!(decide(&[&a, &b]), Forward::Ambiguous(v) if v.len() == 2));
        let b = p(29_999, 10.0);
        assert!(matches!(decide(&[&a, &b]), Forward::Found { .. }));
        // Both small: not a rival even at the same size.
        let (a, b) = (p(14_000, 0.0), p(14_000, 10.0));
        assert!(matches!(decide(&[&a, &b]), Forward::Found { .. }));
        // Near: the same place listed twice.
        let (a, b) = (p(90_000, 0.0), p(90_000, 0.1));
        assert!(matches!(decide(&[&a, &b]), Forward::Found { .. }));
        assert_eq!(decide(&[]), Forward::NotFound);
    }

    #[test]
    fn folding() {
        assert_eq!(fold("São Paulo"), "sao paulo");
        assert_eq!(fold("Saint-Denis"), "saint denis");
        assert_eq!(fold("St. John's"), "st johns");
        assert_eq!(fold("Øster Ørbæk"), "oster orbaek");
        assert_eq!(fold("Großenhain"), "grossenhain");
        assert_eq!(fold("Αθήνα"), fold("ΑΘΗΝΑ"));
        assert_eq!(fold("東京"), "東京");
        assert_eq!(fold(" -- "), "");
    }
}
