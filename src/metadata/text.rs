//! A sidecar's words in one or several languages: `caption: Spotted at…` is the same
//! text in every language, `caption: {en: Spotted at…, es: Visto en…}` one per language.
//!
//! Parsing accepts any language code as a key; which keys are valid is decided with the
//! text at hand (`sidecar::parse_sidecar`, ISO 639-1) and with the site's languages
//! (`metadata::merge`), so both errors point at the key's own line.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A text field of a sidecar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// One text for every language.
    All(String),
    /// A text per language code, in the order written (codes lower case, texts trimmed).
    By(Vec<(String, String)>),
}

impl Text {
    /// The text for `lang`, and the language it is in when it is not `lang` (it fell
    /// back to `default_lang`, else to the first language written).
    pub fn resolve(&self, lang: &str, default_lang: &str) -> (&str, Option<&str>) {
        match self {
            Text::All(s) => (s, None),
            Text::By(texts) => match self.get(lang) {
                Some(s) => (s, None),
                None => {
                    let (code, s) = texts
                        .iter()
                        .find(|(code, _)| same_language(code, default_lang))
                        .or_else(|| texts.first())
                        .map_or(("", ""), |(c, s)| (c.as_str(), s.as_str()));
                    (s, Some(code))
                }
            },
        }
    }

    /// The text of the default language (what slugs, sorting, search and one-language
    /// pages use).
    pub fn default_text(&self, default_lang: &str) -> &str {
        self.resolve(default_lang, default_lang).0
    }

    /// Whether the text has its own words for `lang` (a plain string has them for all).
    pub fn has(&self, lang: &str) -> bool {
        match self {
            Text::All(_) => true,
            Text::By(_) => self.get(lang).is_some(),
        }
    }

    /// The languages written as keys (none for a plain string).
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        let keys = match self {
            Text::All(_) => &[][..],
            Text::By(texts) => texts.as_slice(),
        };
        keys.iter().map(|(code, _)| code.as_str())
    }

    /// Every text, trimmed, without empty ones; `None` when nothing is left.
    pub(crate) fn non_empty(self) -> Option<Text> {
        match self {
            Text::All(s) => Some(s.trim().to_string())
                .filter(|s| !s.is_empty())
                .map(Text::All),
            Text::By(texts) => {
                let texts: Vec<(String, String)> = texts
                    .into_iter()
                    .map(|(c, s)| (c, s.trim().to_string()))
                    .filter(|(_, s)| !s.is_empty())
                    .collect();
                (!texts.is_empty()).then_some(Text::By(texts))
            }
        }
    }

    /// The one text of a plain string, or the first written: for tests that read back
    /// what they wrote.
    #[cfg(test)]
    pub(crate) fn first(&self) -> &str {
        match self {
            Text::All(s) => s,
            Text::By(texts) => texts.first().map_or("", |(_, s)| s),
        }
    }

    fn get(&self, lang: &str) -> Option<&str> {
        match self {
            Text::All(s) => Some(s),
            Text::By(texts) => texts
                .iter()
                .find(|(code, _)| same_language(code, lang))
                .map(|(_, s)| s.as_str()),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::All(s.to_string())
    }
}

/// `es` is `es`, `ES` and the language of `es-MX`: keys are ISO 639-1 codes, while a
/// site's language may be a BCP 47 tag.
pub(crate) fn same_language(code: &str, lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    code.eq_ignore_ascii_case(lang) || code.eq_ignore_ascii_case(primary)
}

/// A plain string as before; a map as `{"en": …, "es": …}` in the order written.
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Text::All(text) => s.serialize_str(text),
            Text::By(texts) => {
                let mut map = s.serialize_map(Some(texts.len()))?;
                for (code, text) in texts {
                    map.serialize_entry(code, text)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            // As before maps existed, so a wrong shape reads as it always has.
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::All(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut texts = Vec::new();
                while let Some(code) = map.next_key::<String>()? {
                    let text: String = map.next_value()?;
                    texts.push((code.trim().to_lowercase(), text));
                }
                Ok(Text::By(texts))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(pairs: &[(&str, &str)]) -> Text {
        Text::By(
            pairs
                .iter()
                .map(|(c, s)| (c.to_string(), s.to_string()))
                .collect(),
        )
    }

    #[test]
    fn resolves_with_fallback_language() {
        let t = by(&[("en", "Door"), ("es", "Puerta")]);
        assert_eq!(t.resolve("es", "en"), ("Puerta", None));
        assert_eq!(t.resolve("es-MX", "en"), ("Puerta", None));
        assert_eq!(t.resolve("fr", "en"), ("Door", Some("en")));
        assert_eq!(t.default_text("en"), "Door");
        let only_es = by(&[("es", "Puerta")]);
        assert_eq!(only_es.resolve("en", "en"), ("Puerta", Some("es")));
        assert!(t.has("es") && !only_es.has("en"));
        let all = Text::from("Door");
        assert_eq!(all.resolve("es", "en"), ("Door", None));
        assert!(all.has("xx"));
    }

    #[test]
    fn empty_texts_are_dropped() {
        assert_eq!(Text::from("  ").non_empty(), None);
        assert_eq!(
            by(&[("en", " Door "), ("es", "")]).non_empty(),
            Some(by(&[("en", "Door")]))
        );
        assert_eq!(by(&[("es", " ")]).non_empty(), None);
    }

    #[test]
    fn serialises_as_written() {
        assert_eq!(serde_json::to_string(&Text::from("a")).unwrap(), "\"a\"");
        assert_eq!(
            serde_json::to_string(&by(&[("es", "b"), ("en", "a")])).unwrap(),
            r#"{"es":"b","en":"a"}"#
        );
    }
}
