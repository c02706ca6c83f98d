//! The ISO 639-1 language codes (two letters), compiled in: `languages:` in site.yaml
//! must name languages that exist, so a typo (`sp` for Spanish) is caught at its line.

/// Every ISO 639-1 code, sorted (as the Library of Congress lists them).
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// `es`, `pt-BR`, `zh-Hant`: an ISO 639-1 code, optionally with subtags (a region or a
/// script, letters and digits). URLs use the code as written, so it stays plain ASCII.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    ISO_639_1.binary_search(&primary).is_ok()
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The `og:locale` of a language (`language_TERRITORY`): the region when the code has
/// one, else the territory its speakers are most often addressed from.
pub fn og_locale(code: &str) -> String {
    if let Some((lang, region)) = code.split_once('-') {
        if region.len() == 2 {
            return format!("{lang}_{}", region.to_ascii_uppercase());
        }
    }
    let territory = match code {
        "en" => "US",
        "es" => "ES",
        "pt" => "PT",
        "ja" => "JP",
        "zh" => "CN",
        "ko" => "KR",
        "sv" => "SE",
        "da" => "DK",
        "cs" => "CZ",
        "el" => "GR",
        "uk" => "UA",
        "he" => "IL",
        "ar" => "SA",
        "hi" => "IN",
        "ca" => "ES",
        "nb" | "nn" | "no" => "NO",
        other => return format!("{other}_{}", other.to_ascii_uppercase()),
    };
    format!("{code}_{territory}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_iso_639_1_with_optional_subtags() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
        for good in ["en", "es", "pt-BR", "zh-Hant"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["sp", "EN", "eng", "", "es-", "es_MX", "xx"] {
            assert!(!is_language_code(bad), "{bad}");
        }
        assert_eq!(og_locale("es"), "es_ES");
        assert_eq!(og_locale("es-MX"), "es_MX");
        assert_eq!(og_locale("fr"), "fr_FR");
    }
}
