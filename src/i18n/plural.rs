//! Plural categories (CLDR's `one`, `few`, `many`, `other`) of whole numbers, for the
//! languages a theme is likely to be translated into. Only counts of things reach
//! here (signs, photos, pages), so only the integer rules are kept.

/// The CLDR plural category of the whole number `n` in `lang` (its primary subtag).
pub fn category(lang: &str, n: u64) -> &'static str {
    let primary = lang.split('-').next().unwrap_or(lang);
    match primary {
        // No plural forms.
        "ja" | "zh" | "ko" | "th" | "vi" | "id" | "ms" | "my" | "lo" | "km" => "other",
        // 0 and 1 are singular.
        "fr" | "hi" | "bn" | "am" | "fa" | "ff" | "kab" => {
            if n <= 1 {
                "one"
            } else {
                "other"
            }
        }
        "pt" if lang == "pt" || lang == "pt-BR" => {
            if n <= 1 {
                "one"
            } else {
                "other"
            }
        }
        "ru" | "uk" | "be" | "sr" | "hr" | "bs" => slavic(n),
        "pl" => {
            let (m10, m100) = (n % 10, n % 100);
            if n == 1 {
                "one"
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                "few"
            } else {
                "many"
            }
        }
        "cs" | "sk" => match n {
            1 => "one",
            2..=4 => "few",
            _ => "other",
        },
        // English, Spanish, German, Italian, Dutch, the Nordic languages and most
        // others: one for exactly 1.
        _ => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
    }
}

/// Russian, Ukrainian and the other East and South Slavic rules.
fn slavic(n: u64) -> &'static str {
    let (m10, m100) = (n % 10, n % 100);
    if m10 == 1 && m100 != 11 {
        "one"
    } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
        "few"
    } else {
        "many"
    }
}

#[cfg(test)]
mod tests {
    use super::category;

    #[test]
    fn english_and_spanish_have_one_and_other() {
        for lang in ["en", "es", "es-MX"] {
            assert_eq!(category(lang, 1), "one");
            for n in [0, 2, 3, 11, 21, 100] {
                assert_eq!(category(lang, n), "other", "{lang} {n}");
            }
        }
        assert_eq!(category("fr", 0), "one");
        assert_eq!(category("ru", 21), "one");
        assert_eq!(category("ru", 12), "many");
        assert_eq!(category("ja", 1), "other");
    }
}
