//! Locale: the words and formats glyph prints that depend on the language, compiled in
//! and pure (no Tera, no I/O), so templates, feeds and checks agree on them: country
//! names (`countries.tsv`, from CLDR by scripts/make_country_names.py), dates and
//! month names, numbers with the language's separators, plural categories, and which
//! codes are languages at all (ISO 639-1).
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

/// The CLDR plural category of a whole number `n` in `lang`: `one` or `other` in
/// English; Spanish adds `many` for whole millions ("1000000 de señales"). A
/// translation without a `many` form should use its `other` one.
pub fn plural(n: u64, lang: &str) -> &'static str {
    match (primary(lang).as_str(), n) {
        (_, 1) => "one",
        ("es", n) if n != 0 && n.is_multiple_of(1_000_000) => "many",
        _ => "other",
    }
}

/// Whether `code` is an ISO 639-1 language code (two lower-case letters, as sidecars
/// key their texts and `site.yaml` lists its languages).
pub fn is_language(code: &str) -> bool {
    code.len() == 2 && ISO_639_1.split(' ').any(|c| c == code)
}

/// The ISO 639-1 codes (from pycountry's ISO 639 data).
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca \
ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu \
gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko \
kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl \
nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm \
sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa \
wo xh yi yo za zh zu";

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
    fn plural_categories() {
        assert_eq!(plural(1, "en"), "one");
        assert_eq!(plural(0, "en"), "other");
        assert_eq!(plural(3, "es"), "other");
        assert_eq!(plural(1, "es"), "one");
        assert_eq!(plural(2_000_000, "es"), "many");
        assert_eq!(plural(2_000_000, "en"), "other");
    }

    #[test]
    fn language_codes() {
        assert!(is_language("es") && is_language("en") && is_language("pt"));
        assert!(!is_language("sp") && !is_language("ES") && !is_language("eng"));
        assert_eq!(primary("es-MX"), "es");
        assert!(has_data("es-AR") && !has_data("fr"));
    }
}
