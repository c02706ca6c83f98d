//! The languages part of `site.yaml`: `languages:` must list known codes, once each,
//! and text given per language (`title: {en: …, es: …}`) only in those languages.

use crate::config::{Config, CONFIG_FILE};
use crate::diag::Diagnostic;
use crate::yaml;

/// Unknown or repeated codes in `languages`, each at its own entry, and `title` or
/// `description` maps naming a language the site does not have.
pub(crate) fn language_problems(c: &Config, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let err = |msg: String, at: Option<(usize, usize)>, hint: &str| {
        Diagnostic::error(msg)
            .file(CONFIG_FILE)
            .at_opt(at)
            .hint(hint.to_string())
    };
    let Some(langs) = &c.languages else {
        return out;
    };
    if langs.is_empty() {
        out.push(err(
            "`languages` lists no language".into(),
            yaml::key_position(text, "languages"),
            "write `languages: [en, es]`, the default first, or remove the key",
        ));
        return out;
    }
    let items = yaml::item_positions(text, "languages");
    for (i, code) in langs.iter().enumerate() {
        let at = items
            .get(i)
            .copied()
            .or_else(|| yaml::key_position(text, "languages"));
        if !crate::i18n::is_language_code(code) {
            out.push(err(
                format!("`{code}` is not a language code"),
                at,
                "write ISO 639-1 codes, two letters each (en, es, fr, pt…), optionally with a region (pt-BR)",
            ));
        } else if langs[..i].contains(code) {
            out.push(err(
                format!("`{code}` is listed twice in `languages`"),
                at,
                "list each language once",
            ));
        }
    }
    for (key, value) in [("title", &c.title), ("description", &c.description)] {
        for code in value.codes() {
            if !langs.iter().any(|l| l == code) {
                out.push(err(
                    format!("`{key}` has text in `{code}`, which is not in `languages`"),
                    yaml::path_position(text, &format!("{key}.{code}")),
                    "add the language to `languages` or remove the text",
                ));
            }
        }
    }
    out
}
