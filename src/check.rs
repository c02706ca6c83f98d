//! The curator's lint for `glyph check`: what the build accepts but a careful archive
//! would not. Signs without alt text (which every build warns about), tags or a
//! location, a tag used once that looks like a typo of another, byte-identical photos,
//! and Markdown links that lead to no page.
//!
//! On a site of several languages, also what lacks a translation (`translations`).
//!
//! Pure checks over what the build already made (catalog, pages, the site's files);
//! the only I/O is reading a sidecar or page again to point at the offending line,
//! and the site's translation files.

mod translations;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::config::Site;
use crate::diag::{line_col, Diagnostic};
use crate::output::SiteFiles;
use crate::render::context::sign_path;
use crate::render::markdown::links;
use crate::render::ContentPage;

pub struct LintInput<'a> {
    pub site: &'a Site,
    pub catalog: &'a Catalog,
    pub pages: &'a [ContentPage],
    /// `content/_index.md` (relative to the site) and its translations by language.
    pub home_intro: Option<(PathBuf, &'a BTreeMap<String, String>)>,
    pub files: &'a SiteFiles,
}

pub fn lint(input: &LintInput) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(untagged_and_unplaced(input));
    out.extend(tag_typos(input));
    out.extend(identical_photos(input.catalog));
    out.extend(broken_links(input));
    out.extend(translations::missing(input));
    out
}

/// Signs with a sidecar but no `alt` text. The build itself reports these (every build,
/// not only `glyph check`): alt text is what a screen reader says instead of the photo.
/// A sign without a sidecar already has a warning that says to add one.
// Not called yet: `pipeline::build` still has its own copy of this loop, which is to
// be replaced by a call here (the pipeline is being rewritten meanwhile).
#[allow(dead_code)]
pub(crate) fn missing_alt(catalog: &Catalog) -> Vec<Diagnostic> {
    catalog
        .signs
        .iter()
        .filter(|s| s.meta.alt.is_none() && s.meta.sidecar.is_some())
        .map(|s| {
            Diagnostic::warning(
                "no `alt` text: visitors using screen readers will not know what the sign shows",
            )
            .file(s.meta.file())
            .hint("add `alt:` describing the pictograms and words on the sign")
        })
        .collect()
}

fn untagged_and_unplaced(input: &LintInput) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in &input.catalog.signs {
        let m = &s.meta;
        if m.tags.is_empty() {
            out.push(
                Diagnostic::warning("no tags: the sign is on no style page")
                    .file(m.file())
                    .hint("add `tags:` such as the styles already in use (see /tags/)"),
            );
        }
        if m.location.is_none() {
            out.push(
                Diagnostic::warning(
                    "no location: the sign is not on the map and has no nearby signs",
                )
                .file(m.file())
                .hint("add `location: {lat: …, lon: …}`, or use a photo with GPS in its EXIF"),
            );
        }
    }
    out
}

/// A tag used by one sign only, close in spelling to a tag others use, is most likely
/// a typo that splits a style page in two.
fn tag_typos(input: &LintInput) -> Vec<Diagnostic> {
    let tags = &input.catalog.tags;
    let mut out = Vec::new();
    for once in tags.iter().filter(|t| t.signs.len() == 1) {
        let best = tags
            .iter()
            .filter(|t| t.slug != once.slug && t.signs.len() > 1)
            .filter(|t| likely_typo(&once.slug, &t.slug))
            .max_by_key(|t| t.signs.len());
        let Some(best) = best else { continue };
        let meta = &input.catalog.signs[once.signs[0]].meta;
        let file = meta.file();
        let pos = find_in_file(&input.site.root, file, &once.slug);
        out.push(
            Diagnostic::warning(format!(
                "the tag `{}` is used only here, and `{}` ({} signs) is spelt almost the same",
                once.slug,
                best.slug,
                best.signs.len()
            ))
            .file(file)
            .at_opt(pos)
            .hint(format!("did you mean `{}`?", best.slug)),
        );
    }
    out
}

/// Two slugs a typo apart: a single edit (or transposition) for short words, two for
/// long ones, or one being the other plus a plural `s`.
pub fn likely_typo(a: &str, b: &str) -> bool {
    let d = strsim::damerau_levenshtein(a, b);
    let shorter = a.chars().count().min(b.chars().count());
    let plural = a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a);
    plural || (shorter >= 4 && d == 1) || (shorter >= 8 && d == 2)
}

fn identical_photos(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut by_hash: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for p in catalog.signs.iter().flat_map(|s| s.meta.photos()) {
        by_hash.entry(&p.facts.hash).or_default().push(&p.source);
    }
    let mut out = Vec::new();
    for group in by_hash.values().filter(|g| g.len() > 1) {
        for (i, file) in group.iter().enumerate() {
            let others: Vec<String> = group
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| p.display().to_string())
                .collect();
            out.push(
                Diagnostic::warning(format!(
                    "this photo is byte-identical to {}",
                    others.join(", ")
                ))
                .file(*file)
                .hint("the same sign is published twice; delete one copy and its sidecar"),
            );
        }
    }
    out
}

fn broken_links(input: &LintInput) -> Vec<Diagnostic> {
    let known = known_paths(input.files);
    let base = &input.site.base_path;
    let mut out = Vec::new();
    let mut check = |file: &Path, page_dir: &str, md: &str| {
        for dest in links(md) {
            let Some(target) = resolve(&dest, page_dir) else {
                continue;
            };
            if !exists(&known, &target) {
                // The build puts the base path in front of every `/` link, so a link that
                // has it already would lead to /glyphs/glyphs/… (and break in `serve`).
                let hint = match dest.strip_prefix(base.as_str()) {
                    Some(rest) if base != "/" && dest.starts_with('/') => format!(
                        "write `/{rest}`: links start at the site's root, and glyph adds the base path `{base}` itself"
                    ),
                    _ => "links to the site's own pages look like `/about/`, `/tags/<tag>/` or `/signs/<slug>/`".to_string(),
                };
                out.push(
                    Diagnostic::warning(format!("the link `{dest}` leads to no page of the site"))
                        .file(file)
                        .at_opt(find_in_file(&input.site.root, file, &dest))
                        .hint(hint),
                );
            }
        }
    };
    for p in input.pages {
        check(&p.source, &p.path, &p.body);
    }
    for s in &input.catalog.signs {
        if let Some(caption) = &s.meta.caption {
            let file = s.meta.file();
            check(file, &sign_path(&s.meta.slug), caption);
        }
    }
    out
}

/// Every path the site serves, below its root.
fn known_paths(files: &SiteFiles) -> HashSet<String> {
    let mut known: HashSet<String> = files
        .generated
        .iter()
        .map(|(p, _)| p.clone())
        .chain(files.kept.iter().cloned())
        .collect();
    known.extend(files.statics.iter().map(|(p, _)| p.clone()));
    known.extend(files.media.iter().map(|(n, _)| format!("media/{n}")));
    known
}

fn exists(known: &HashSet<String>, target: &str) -> bool {
    if target.is_empty() || target.ends_with('/') {
        return known.contains(&format!("{target}index.html"));
    }
    known.contains(target) || known.contains(&format!("{target}/index.html"))
}

/// The site path (below the root, no leading slash) a link leads to, or `None` when it
/// leaves the site (another scheme or host) or stays on the page (`#top`).
/// `page_dir` is the linking page's own path (`about/`). A link starting with `/` starts
/// at the site's root, below any base path, as the Markdown renderer rebases it.
pub fn resolve(dest: &str, page_dir: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next().unwrap_or_default();
    if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(dest)
        .decode_utf8_lossy()
        .into_owned();
    let joined = match decoded.strip_prefix('/') {
        Some(rest) => rest.to_string(),
        None => format!("{page_dir}{decoded}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    // Keep a trailing slash: `about/` and `about` are looked up differently.
    Some(parts.join("/").trim_start_matches('/').to_string())
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
        None => false,
    }
}

/// Line and column of the first occurrence of `needle` in a file of the site.
fn find_in_file(root: &Path, file: &Path, needle: &str) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    Some(line_col(&text, text.find(needle)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_like_a_browser() {
        assert_eq!(resolve("/about/", "x/").as_deref(), Some("about/"));
        // Below the base path: the renderer puts `/glyphs/` in front itself.
        assert_eq!(
            resolve("/glyphs/about/", "x/").as_deref(),
            Some("glyphs/about/")
        );
        assert_eq!(
            resolve("../tags/art/", "signs/a/").as_deref(),
            Some("signs/tags/art/")
        );
        assert_eq!(
            resolve("../../tags/art/", "signs/a/").as_deref(),
            Some("tags/art/")
        );
        assert_eq!(resolve("b/", "about/").as_deref(), Some("about/b/"));
        assert_eq!(resolve("/caf%C3%A9/#x", "").as_deref(), Some("café/"));
        assert_eq!(resolve("/", "about/").as_deref(), Some(""));
        for external in [
            "https://x.org/",
            "mailto:a@b.c",
            "//cdn.x/y",
            "#top",
            "tel:+1",
        ] {
            assert_eq!(resolve(external, ""), None, "{external}");
        }
    }

    #[test]
    fn typos_are_near_and_plural() {
        assert!(likely_typo("pictogram", "pictogarm"));
        assert!(likely_typo("humour", "humor"));
        assert!(likely_typo("wheelchairs", "wheelchair"));
        assert!(likely_typo("art-deco", "art-decco"));
        assert!(
            !likely_typo("man", "men"),
            "short words differ by one letter legitimately"
        );
        assert!(!likely_typo("text", "neon"));
    }

    #[test]
    fn existence_follows_index_pages() {
        let known: HashSet<String> = ["index.html", "about/index.html", "css/glyph.css"]
            .map(String::from)
            .into();
        assert!(exists(&known, ""));
        assert!(exists(&known, "about/"));
        assert!(exists(&known, "about"));
        assert!(exists(&known, "css/glyph.css"));
        assert!(!exists(&known, "about/x/"));
        assert!(!exists(&known, "contact/"));
    }
}
