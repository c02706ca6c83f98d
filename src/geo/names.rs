//! Country names beyond what a sidecar's `country:` accepts: each country's names in
//! its own languages ("Deutschland", "Ísland", "日本") and in Spanish ("Alemania",
//! "Japón"), from CLDR (columns 5 and 6 of `countries.tsv`, see
//! scripts/make_countries.py). Captions are written in the curator's words, so they
//! need these; sidecars keep accepting exactly what they accepted before.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{normalise, table, Country, COUNTRIES_TSV};

/// A country from any name glyph knows: a code, an English name or alias (as
/// `geo::country` accepts), a local name or a Spanish name. Case, accents and
/// punctuation do not matter: "MÉXICO", "deutschland", "Japon", "EE. UU.", "日本".
pub(crate) fn country_by_any_name(input: &str) -> Option<&'static Country> {
    let t = table();
    let i = match key(input) {
        Key::Latin(k) => t.index.get(&k).or_else(|| extra().get(&k)),
        // Never through the English index: `normalise` transliterates, and "مصر"
        // (Egypt) would come out as "msr", Montserrat's alpha-3 code.
        Key::Other(k) => extra().get(&k),
    }?;
    Some(&t.countries[*i])
}

enum Key {
    /// Latin script (or no letters): the English index's own normalising.
    Latin(String),
    /// Other scripts: case and Latin accents folded, the script kept.
    Other(String),
}

fn key(name: &str) -> Key {
    if name.chars().filter(|c| c.is_alphabetic()).all(is_latin) {
        Key::Latin(normalise(name))
    } else {
        Key::Other(super::forward::fold(name))
    }
}

fn is_latin(c: char) -> bool {
    c < '\u{0250}'
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
        || ('\u{FF21}'..='\u{FF5A}').contains(&c)
}

/// Local or Spanish name's key → index in the country table. A Latin name the
/// English index already holds is left out (that index answers first, so an added
/// name never changes what an accepted one means), and so is a name two countries
/// claim. The script already ensures both with its own folding; this re-checks with
/// the Rust one.
fn extra() -> &'static HashMap<String, usize> {
    static EXTRA: OnceLock<HashMap<String, usize>> = OnceLock::new();
    EXTRA.get_or_init(|| {
        let main = &table().index;
        let mut owners: HashMap<String, Option<usize>> = HashMap::new();
        for (i, name) in extra_names() {
            let k = match key(name) {
                Key::Latin(k) if main.contains_key(&k) => continue,
                Key::Latin(k) | Key::Other(k) => k,
            };
            if k.is_empty() {
                continue;
            }
            owners
                .entry(k)
                .and_modify(|o| {
                    if *o != Some(i) {
                        *o = None;
                    }
                })
                .or_insert(Some(i));
        }
        owners
            .into_iter()
            .filter_map(|(k, o)| Some((k, o?)))
            .collect()
    })
}

/// (index in the country table, name) for every local and Spanish name. The rows are
/// in the same order as `table()` reads them (the same file, the same filter).
fn extra_names() -> impl Iterator<Item = (usize, &'static str)> {
    COUNTRIES_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .enumerate()
        .flat_map(|(i, line)| {
            line.split('\t')
                .skip(4)
                .take(2)
                .flat_map(|col| col.split('|'))
                .filter(|n| !n.is_empty())
                .map(move |n| (i, n))
        })
}

#[cfg(test)]
mod tests {
    use super::super::country;
    use super::*;

    fn code(name: &str) -> Option<&'static str> {
        country_by_any_name(name).map(|c| c.code)
    }

    #[test]
    fn local_names_resolve() {
        for (name, cc) in [
            ("México", "MX"),
            ("Deutschland", "DE"),
            ("España", "ES"),
            ("Ísland", "IS"),
            ("Island", "IS"),
            ("Österreich", "AT"),
            ("日本", "JP"),
            ("Nederland", "NL"),
            ("Brasil", "BR"),
            ("Schweiz", "CH"),
            ("Suisse", "CH"),
            ("Sverige", "SE"),
            ("Россия", "RU"),
        ] {
            assert_eq!(code(name), Some(cc), "{name}");
        }
    }

    #[test]
    fn spanish_names_and_short_forms_resolve() {
        for (name, cc) in [
            ("Alemania", "DE"),
            ("Japón", "JP"),
            ("japon", "JP"),
            ("Estados Unidos", "US"),
            ("EE. UU.", "US"),
            ("EEUU", "US"),
            ("Reino Unido", "GB"),
            ("Países Bajos", "NL"),
            ("Islandia", "IS"),
            ("USA", "US"),
            ("UK", "GB"),
            ("ESTADOS UNIDOS", "US"),
        ] {
            assert_eq!(code(name), Some(cc), "{name}");
        }
        assert_eq!(code("Atlantis"), None);
        assert_eq!(code(""), None);
        assert_eq!(code("..."), None);
    }

    /// Every name `geo::country` accepts (codes, English names, aliases) resolves to
    /// the same country here, and `geo::country` itself still refuses the new names.
    #[test]
    fn existing_names_keep_their_meaning() {
        for line in COUNTRIES_TSV.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            let names = cols[..3].iter().copied().chain(cols[3].split('|'));
            for name in names.filter(|n| !n.is_empty()) {
                let old = country(name).expect(name);
                assert_eq!(code(name), Some(old.code), "{name}");
            }
        }
        for name in [
            "ca",
            " canada ",
            "the Netherlands",
            "Côte d'Ivoire",
            "U.S.A.",
            "uk",
        ] {
            assert_eq!(code(name), Some(country(name).unwrap().code), "{name}");
        }
        assert_eq!(country("Deutschland").unwrap_err(), None);
        assert!(country("Alemania").is_err());
    }

    /// The script's own checks already left out every name that clashes; if the Rust
    /// folding found another clash the script cannot see, it would be dropped silently
    /// here, so make it visible.
    #[test]
    fn no_added_name_is_dropped_at_load() {
        let main = &table().index;
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, name) in extra_names() {
            let k = match key(name) {
                Key::Latin(k) => {
                    if let Some(&j) = main.get(&k) {
                        assert_eq!(i, j, "`{name}` would shadow an existing name");
                    }
                    k
                }
                Key::Other(k) => k,
            };
            if let Some(j) = seen.insert(k, i) {
                assert_eq!(i, j, "`{name}` is claimed by two countries");
            }
        }
        assert_eq!(code("مصر"), Some("EG"));
    }
}
