//! Locale: the words and formats glyph prints that depend on the language, compiled in
//! and pure (no Tera, no I/O), so templates, feeds and checks agree on them: country
//! names (`countries.tsv`, from CLDR by scripts/make_country_names.py), dates and
//! month names, numbers with the language's separators. Plural categories and which
//! codes are languages are `i18n`'s (`plural_category`, `is_language_code`).
//!
//! Languages with their own data: English and Spanish. Any other language gets the
//! English forms, so a site in another language still builds; `has_data` tells which.
//! Tags such as `es-MX` use their primary language (`es`).

mod format;

use std::sync::OnceLock;

pub use format::{date, month_name, month_year, number};

const COUNTRIES_TSV: &str = include_str!("countries.tsv");

/// The languages whose words and formats glyph carries (the columns of `countries.tsv`).
pub const LANGUAGES: &[&str] = &["en", "es"];

/// The primary language of a BCP 47 tag, lower case: `es-MX` → `es`.
pub fn primary(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or(lang)
        .to_ascii_lowercase()
}

/// Whether glyph has its own names and formats for `lang` (else English serves).
pub fn has_data(lang: &str) -> bool {
    LANGUAGES.contains(&primary(lang).as_str())
}

/// A country's name in `lang`, from its ISO 3166-1 alpha-2 code (any case). English is
/// the name glyph has always shown (`geo::Country::name`); a language without data of
/// its own gets English. `None` for a code that is not a country.
pub fn country_name(code: &str, lang: &str) -> Option<&'static str> {
    let t = countries();
    let col = LANGUAGES
        .iter()
        .position(|l| *l == primary(lang))
        .unwrap_or(0);
    t.iter()
        .find(|row| row[0].eq_ignore_ascii_case(code))
        .map(|row| row[1 + col])
}

/// The rows of `countries.tsv`: code, then a name per `LANGUAGES`.
fn countries() -> &'static Vec<Vec<&'static str>> {
    static ROWS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    ROWS.get_or_init(|| {
        COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|row| row.len() > LANGUAGES.len())
            .collect()
    })
}

/// The site's languages as `site.yaml` spells them, the default first.
pub(crate) fn site_languages(site: &crate::config::Site) -> Vec<String> {
    site.languages.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_names_per_language() {
        assert_eq!(country_name("DE", "es"), Some("Alemania"));
        assert_eq!(country_name("jp", "es-MX"), Some("Japón"));
        assert_eq!(country_name("US", "es"), Some("Estados Unidos"));
        assert_eq!(country_name("HK", "es"), Some("Hong Kong"));
        assert_eq!(country_name("DE", "fr"), Some("Germany"), "English serves");
        assert_eq!(country_name("XX", "en"), None);
    }

    #[test]
    fn english_names_are_the_ones_pages_show() {
        for c in ["CA", "GB", "KR", "CD", "CI", "TR", "VN", "MO"] {
            let shown = crate::geo::country_by_code(c).unwrap().name;
            assert_eq!(country_name(c, "en"), Some(shown), "{c}");
        }
        assert_eq!(countries().len(), 249);
    }

    #[test]
    fn language_codes() {
        assert_eq!(primary("es-MX"), "es");
        assert!(has_data("es-AR") && !has_data("fr"));
    }
}
