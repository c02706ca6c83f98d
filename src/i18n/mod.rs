//! Languages: the theme's words in each of the site's languages, and text that site.yaml
//! gives once or per language.
//!
//! A theme keeps its words in `i18n/<lang>.yaml`, one key per phrase (a string, or a
//! map of plural forms: `one`, `other`…). The theme's file is replaced whole by a theme
//! folder's (as templates are); the site's own `i18n/<lang>.yaml` then overrides it key
//! by key. Templates ask for a phrase with `t(key=…)` (and `count=n` for plurals); a
//! phrase missing in a language falls back to the default language, with a warning.

mod codes;
mod plural;
pub(crate) mod settings;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tera::Value;

use crate::config::Site;
use crate::diag::{rel, Diagnostic};
use crate::render::theme::{Source, Theme};

pub use codes::{is_language_code, og_locale};
pub use plural::category as plural_category;

/// Text of site.yaml given once (every language) or per language (`{en: …, es: …}`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Localized {
    One(String),
    Many(BTreeMap<String, String>),
}

impl Localized {
    /// The text in `lang`, else in `default`, else the first given.
    pub fn get<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        match self {
            Localized::One(s) => s,
            Localized::Many(m) => m
                .get(lang)
                .or_else(|| m.get(default))
                .or_else(|| m.values().next())
                .map_or("", String::as_str),
        }
    }

    /// The languages it names (none for a single text).
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        let map = match self {
            Localized::One(_) => None,
            Localized::Many(m) => Some(m.keys().map(String::as_str)),
        };
        map.into_iter().flatten()
    }
}

/// One phrase of a translation file: a text, or its plural forms by CLDR category.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// The theme's words, by language, then by key.
#[derive(Debug, Default)]
pub struct Words {
    default: String,
    langs: BTreeMap<String, BTreeMap<String, Entry>>,
}

/// The folder of translation files, in a theme and in a site.
pub const I18N_DIR: &str = "i18n";

impl Words {
    /// The words of every language of `site`: the theme's files, overridden key by key
    /// by the site's `i18n/`. Warnings name each key a language lacks.
    pub fn load(site: &Site, theme: &Theme) -> Result<(Words, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut words = Words {
            default: site.default_lang().to_string(),
            langs: BTreeMap::new(),
        };
        let mut errors = Vec::new();
        for lang in &site.languages {
            let file = format!("{lang}.yaml");
            let mut map = BTreeMap::new();
            for layer in [&theme.i18n, &theme.site_i18n] {
                if let Some(src) = layer.get(&file) {
                    match read_file(site, src, &file) {
                        Ok(entries) => map.extend(entries),
                        Err(d) => errors.push(d),
                    }
                }
            }
            words.langs.insert(lang.clone(), map);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let warnings = words.missing(site, theme);
        Ok((words, warnings))
    }

    /// A warning for each key of the default language that another language lacks (one
    /// for a language without any file).
    fn missing(&self, site: &Site, theme: &Theme) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let Some(base) = self.langs.get(&self.default) else {
            return out;
        };
        for (lang, map) in self.langs.iter().filter(|(l, _)| **l != self.default) {
            let file = format!("{lang}.yaml");
            let shown = theme
                .site_i18n
                .get(&file)
                .or_else(|| theme.i18n.get(&file))
                .map(|s| rel(&site.root, &s.describe(&file, I18N_DIR)))
                .unwrap_or_else(|| Path::new(I18N_DIR).join(&file));
            if map.is_empty() && !base.is_empty() {
                out.push(
                    Diagnostic::warning(format!(
                        "no translation file for `{lang}`: the theme's words are in `{}`",
                        self.default
                    ))
                    .file(shown)
                    .hint(format!(
                        "copy the theme's i18n/{}.yaml to {} and translate it",
                        self.default,
                        Path::new(I18N_DIR).join(&file).display()
                    )),
                );
                continue;
            }
            for key in base.keys().filter(|k| !map.contains_key(*k)) {
                out.push(
                    Diagnostic::warning(format!(
                        "no `{key}` in `{lang}`: the `{}` text is used",
                        self.default
                    ))
                    .file(shown.clone())
                    .hint(format!("add `{key}:` with its {lang} text")),
                );
            }
        }
        out
    }

    /// The phrase `key` in `lang`, else in the default language, with the language it
    /// is in.
    pub fn lookup<'a>(&'a self, lang: &'a str, key: &str) -> Option<(&'a Entry, &'a str)> {
        let own = self
            .langs
            .get(lang)
            .and_then(|m| m.get(key))
            .map(|e| (e, lang));
        own.or_else(|| {
            self.langs
                .get(&self.default)
                .and_then(|m| m.get(key))
                .map(|e| (e, self.default.as_str()))
        })
    }

    /// The plain text of `key` in `lang` (the `other` form of a plural), if any.
    pub fn text<'a>(&'a self, lang: &'a str, key: &str) -> Option<&'a str> {
        match self.lookup(lang, key)?.0 {
            Entry::Text(s) => Some(s),
            Entry::Plural(forms) => forms.get("other").map(String::as_str),
        }
    }

    /// Every phrase, for the hash of what made the pages.
    pub fn all(&self) -> &BTreeMap<String, BTreeMap<String, Entry>> {
        &self.langs
    }
}

fn read_file(site: &Site, src: &Source, file: &str) -> Result<BTreeMap<String, Entry>, Diagnostic> {
    let shown = rel(&site.root, &src.describe(file, I18N_DIR));
    let bytes = src
        .read()
        .map_err(|e| Diagnostic::error(format!("cannot read it: {e}")).file(&shown))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Diagnostic::error("translation file is not UTF-8 text").file(&shown))?;
    crate::yaml::parse::<BTreeMap<String, Entry>>(&text).map_err(|d| {
        d.file(&shown)
            .hint("each line is `key: text`, or `key:` with `one:` and `other:` forms below it")
    })
}

/// The template function `t(key=…, count=…, name=…)` for pages in `lang`: the phrase,
/// its plural form for `count`, with `{count}` and every other `{argument}` filled in.
/// Keys ending in `_html` hold markup: what fills them in is escaped, and templates
/// print them with `| safe`.
pub fn function(words: Arc<Words>, lang: String) -> impl tera::Function {
    move |args: &std::collections::HashMap<String, Value>| {
        let key = args.get("key").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("t() needs a `key` argument, such as t(key=\"nav.signs\")")
        })?;
        let (entry, used) = words.lookup(&lang, key).ok_or_else(|| {
            tera::Error::msg(format!(
                "no translation of `{key}` in i18n/{}.yaml",
                words.default
            ))
        })?;
        let count = args.get("count").and_then(Value::as_u64);
        let text = match (entry, count) {
            (Entry::Text(s), _) => s.as_str(),
            (Entry::Plural(forms), n) => {
                let cat = plural_category(used, n.unwrap_or(0));
                forms
                    .get(cat)
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
                    .unwrap_or_default()
            }
        };
        // Counts take the language's separators ("12.345 señales") on sites of several
        // languages; a one-language site prints them as it always has.
        let digits = |n: u64| match words.langs.len() > 1 {
            true => crate::locale::number(n as i64, &lang),
            false => n.to_string(),
        };
        Ok(Value::String(fill(
            text,
            args,
            key.ends_with("_html"),
            digits,
        )))
    }
}

/// `text` with each `{name}` replaced by the argument `name` (escaped for markup).
fn fill(
    text: &str,
    args: &std::collections::HashMap<String, Value>,
    html: bool,
    digits: impl Fn(u64) -> String,
) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (name, value) in args.iter().filter(|(n, _)| *n != "key") {
        let shown = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) if name == "count" && n.is_u64() => digits(n.as_u64().unwrap_or(0)),
            other => other.to_string(),
        };
        let shown = if html {
            crate::render::escape(&shown)
        } else {
            shown
        };
        out = out.replace(&format!("{{{name}}}"), &shown);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use tera::Function;

    fn words() -> Arc<Words> {
        let en: BTreeMap<String, Entry> =
            serde_norway::from_str("signs:\n  one: \"{count} sign\"\n  other: \"{count} signs\"\nhome: Home\nonly_en: English only\n")
                .unwrap();
        let es: BTreeMap<String, Entry> = serde_norway::from_str(
            "signs:\n  one: \"{count} señal\"\n  other: \"{count} señales\"\nhome: Inicio\n",
        )
        .unwrap();
        Arc::new(Words {
            default: "en".into(),
            langs: [("en".to_string(), en), ("es".to_string(), es)].into(),
        })
    }

    fn call(f: &impl Function, key: &str, count: Option<u64>) -> String {
        let mut args = HashMap::new();
        args.insert("key".to_string(), Value::from(key));
        if let Some(n) = count {
            args.insert("count".to_string(), Value::from(n));
        }
        f.call(&args).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn plural_forms_and_fallback() {
        let es = function(words(), "es".into());
        assert_eq!(call(&es, "signs", Some(1)), "1 señal");
        assert_eq!(call(&es, "signs", Some(3)), "3 señales");
        assert_eq!(call(&es, "signs", Some(0)), "0 señales");
        assert_eq!(call(&es, "home", None), "Inicio");
        assert_eq!(call(&es, "only_en", None), "English only");
        let en = function(words(), "en".into());
        assert_eq!(call(&en, "signs", Some(1)), "1 sign");
        assert_eq!(call(&en, "signs", Some(12)), "12 signs");
        // Separators as each language writes them, on a site of several languages.
        assert_eq!(call(&en, "signs", Some(12_345)), "12,345 signs");
        assert_eq!(call(&es, "signs", Some(12_345)), "12.345 señales");
        assert_eq!(call(&es, "signs", Some(1_234)), "1234 señales");
        let one = Arc::new(Words {
            default: "en".into(),
            langs: [("en".to_string(), words().langs["en"].clone())].into(),
        });
        let en_only = function(one, "en".into());
        assert_eq!(
            call(&en_only, "signs", Some(12_345)),
            "12345 signs",
            "as before"
        );
        let mut args = HashMap::new();
        args.insert("key".to_string(), Value::from("nope"));
        assert!(en.call(&args).is_err());
    }

    #[test]
    fn localized_text_falls_back_to_the_default() {
        let t: Localized = serde_norway::from_str("{en: Glyphs, es: Glifos}").unwrap();
        assert_eq!(t.get("es", "en"), "Glifos");
        assert_eq!(t.get("fr", "en"), "Glyphs");
        let one: Localized = serde_norway::from_str("Glyphs").unwrap();
        assert_eq!(one.get("es", "en"), "Glyphs");
    }
}
