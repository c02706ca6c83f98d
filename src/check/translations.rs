//! What lacks a translation, for `glyph check` on a site of several languages: per
//! sign, the text fields a language has no words for; per content page (and the home
//! introduction), the languages with no `<page>.<lang>.md`; per style, the languages
//! whose `i18n/<lang>.yaml` does not name it (`style.<slug>`).
//!
//! A plain string (`caption: …`) is one text for every language, as the curator wrote
//! it, so it lacks nothing; a map lacks each site language it has no key for.

use std::collections::BTreeMap;
use std::path::Path;

use super::LintInput;
use crate::diag::Diagnostic;
use crate::metadata::sidecar::TEXT_KEYS;
use crate::metadata::Source;

pub(super) fn missing(input: &LintInput) -> Vec<Diagnostic> {
    let langs = crate::locale::site_languages(input.site);
    if langs.len() < 2 {
        return Vec::new();
    }
    let mut out = signs(input, &langs);
    out.extend(pages(input, &langs));
    out.extend(styles(input, &langs));
    out
}

fn signs(input: &LintInput, langs: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in &input.catalog.signs {
        let m = &s.meta;
        // Only what the sidecar wrote: a title from the file name has nothing to translate.
        let from_sidecar =
            |key: &&&str| **key != "title" || m.sources.get("title") == Some(&Source::Sidecar);
        for lang in langs {
            let lacking: Vec<&str> = TEXT_KEYS
                .iter()
                .filter(from_sidecar)
                .filter(|k| m.texts.get(**k).is_some_and(|t| !t.has(lang)))
                .copied()
                .collect();
            if lacking.is_empty() {
                continue;
            }
            out.push(
                Diagnostic::warning(format!(
                    "no `{lang}` text for {}: pages in `{lang}` show another language's",
                    list(&lacking)
                ))
                .file(m.file())
                .hint(format!(
                    "add `{lang}: …` to each, such as `{}: {{{}: …, {lang}: …}}`",
                    lacking[0], langs[0]
                )),
            );
        }
    }
    out
}

fn pages(input: &LintInput, langs: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let has = |given: &[&str], lang: &str| given.contains(&lang);
    let mut each = |file: &Path, given: Vec<&str>| {
        for lang in &langs[1..] {
            if !has(&given, lang) {
                let name = translated_name(file, lang);
                out.push(
                    Diagnostic::warning(format!(
                        "no `{lang}` translation: pages in `{lang}` show this one"
                    ))
                    .file(file)
                    .hint(format!("write `{name}` beside it")),
                );
            }
        }
    };
    for p in input.pages {
        each(
            &p.source,
            p.translations.iter().map(|t| t.lang.as_str()).collect(),
        );
    }
    if let Some((file, translated)) = &input.home_intro {
        each(file, translated.keys().map(String::as_str).collect());
    }
    out
}

/// `content/about.md` → `about.es.md`.
fn translated_name(file: &Path, lang: &str) -> String {
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    format!("{stem}.{lang}.md")
}

/// Styles whose name a language's `i18n/<lang>.yaml` (the site's own) does not give.
/// The default language may leave them out: the sidecars' spelling names them.
fn styles(input: &LintInput, langs: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lang in &langs[1..] {
        let rel = format!("i18n/{lang}.yaml");
        let keys = words(&input.site.root.join(&rel));
        let lacking: Vec<&str> = input
            .catalog
            .tags
            .iter()
            .map(|t| t.slug.as_str())
            .filter(|slug| !keys.contains_key(&format!("style.{slug}")))
            .collect();
        if lacking.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::warning(format!(
                "no `{lang}` name for the style{} {}: pages in `{lang}` show the sidecars' spelling",
                if lacking.len() == 1 { "" } else { "s" },
                list(&lacking)
            ))
            .file(&rel)
            .hint(format!("add `style.{}: …` (one line per style)", lacking[0])),
        );
    }
    out
}

/// A translation file's keys (flat: `style.art: Arte`); nothing when it is missing or
/// does not parse (the build reports that).
fn words(path: &Path) -> BTreeMap<String, serde_norway::Value> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_norway::from_str(&t).ok())
        .unwrap_or_default()
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
