//! Scan: find the photos (paired with their sidecars) and the content pages; `claims`
//! then groups the photos into signs, as the sidecars' `photos:` lists say.
//!
//! Walks `photos/` and `content/` with walkdir, at any depth, in a stable order.
//! Hidden files, editor and sync temp files are skipped, and no symbolic link is
//! followed, so nothing outside the archive is ever read.

pub(crate) mod claims;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use walkdir::WalkDir;

use crate::diag::{rel, Diagnostic};

/// Image kinds the pipeline can decode.
pub const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "heic", "heif"];
/// Image kinds we recognise but cannot decode.
pub const UNSUPPORTED_IMAGE_EXTENSIONS: &[&str] = &["avif", "tif", "tiff", "gif"];
pub const SIDECAR_EXTENSIONS: &[&str] = &["yaml", "yml"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoEntry {
    /// Absolute path of the image.
    pub image: PathBuf,
    /// Path relative to the photos folder, `/`-separated, for messages and the cache.
    pub rel: String,
    pub sidecar: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    pub path: PathBuf,
    /// Path below the content folder without the `.md` (`about`, `guides/how-to`).
    pub rel: String,
    /// Its translations (`about.es.md` beside `about.md`, Zola's convention): language
    /// code → file, by code.
    pub translations: BTreeMap<String, PathBuf>,
}

#[derive(Debug, Default)]
pub struct ScanResult {
    pub photos: Vec<PhotoEntry>,
    pub pages: Vec<PageEntry>,
    /// `content/_index.md`: the home page's introduction.
    pub home_intro: Option<PathBuf>,
    /// Its translations (`content/_index.es.md`): language code → file.
    pub home_intro_translations: BTreeMap<String, PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn scan(root: &Path, photos_dir: &Path, content_dir: &Path) -> ScanResult {
    let mut out = ScanResult::default();
    if photos_dir.is_dir() {
        scan_photos(root, photos_dir, &mut out);
    } else {
        out.diagnostics.push(
            Diagnostic::warning("there is no photos folder, so the site has no signs")
                .file(rel(root, photos_dir))
                .hint("create it and put photos (with .yaml sidecars) in it"),
        );
    }
    if content_dir.is_dir() {
        scan_content(root, content_dir, &mut out);
    }
    out
}

/// Files a person did not mean to publish: dotfiles, editor swap and backup files,
/// partial downloads and sync-tool conflicts in progress.
pub fn is_ignored_name(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('~')
        || name.starts_with("#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".part")
        || name.ends_with(".crdownload")
        || name.ends_with(".download")
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// How glyph walks a folder of the curator's (photos, content, a theme, an import):
/// `dir` itself (depth 0), then everything below it at any depth, in the same order on
/// every machine (by file name), never following a symbolic link (links are yielded,
/// for the caller to skip or warn about) and never yielding or entering what
/// `is_ignored_name` says a person did not mean to publish. An unreadable entry is an
/// `Err` item, for the caller to report or skip.
pub(crate) fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walker(dir, true)
}

/// `walk`, but yielding every name, ignored ones too: for knowing everything a folder
/// holds (the output folder, where anything put by hand matters).
pub(crate) fn walk_all(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walker(dir, false)
}

fn walker(
    dir: &Path,
    skip_ignored: bool,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| !skip_ignored || e.depth() == 0 || !is_ignored_name(e.file_name()))
}

fn extension(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().to_lowercase())
}

fn scan_photos(root: &Path, dir: &Path, out: &mut ScanResult) {
    // (folder, stem) -> images and sidecars found there
    let mut images: BTreeMap<(PathBuf, String), Vec<PathBuf>> = BTreeMap::new();
    let mut sidecars: BTreeMap<(PathBuf, String), Vec<PathBuf>> = BTreeMap::new();
    for entry in walk(dir) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel(root, p));
                let mut d = Diagnostic::warning(format!("cannot read this folder entry: {e}"));
                if let Some(p) = path {
                    d = d.file(p);
                }
                out.diagnostics.push(d);
                continue;
            }
        };
        let path = entry.path();
        // The photos folder itself may be a link (the curator's choice); links inside it are not followed.
        if entry.path_is_symlink() && entry.depth() > 0 {
            out.diagnostics.push(
                Diagnostic::warning("symbolic link not followed")
                    .file(rel(root, path))
                    .hint("copy the photo into the archive instead of linking to it"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(ext) = extension(path) else { continue };
        // Names compare in NFC: macOS tools and some zip files write "é" as e + accent
        // (NFD), so a photo and its sidecar may spell the same name differently.
        let key = (
            path.parent().unwrap_or(dir).to_path_buf(),
            path.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .nfc()
                .collect::<String>(),
        );
        if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
            images.entry(key).or_default().push(path.to_path_buf());
        } else if SIDECAR_EXTENSIONS.contains(&ext.as_str()) {
            sidecars.entry(key).or_default().push(path.to_path_buf());
        } else if UNSUPPORTED_IMAGE_EXTENSIONS.contains(&ext.as_str()) {
            out.diagnostics.push(
                Diagnostic::warning(format!(
                    "`.{ext}` photos cannot be read by glyph, so this one is not published"
                ))
                .file(rel(root, path))
                .hint("convert it to JPEG (for example with your phone's export)"),
            );
            images.entry(key).or_default();
        }
    }
    for (key, found) in &images {
        let sidecar = match sidecars.get(key).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            Some([first, second, ..]) => {
                out.diagnostics.push(
                    Diagnostic::error("two sidecars for one photo")
                        .file(rel(root, second))
                        .hint(format!(
                            "keep only one of `{}` and `{}`{}",
                            name(first),
                            name(second),
                            unicode_twins(first, second)
                        )),
                );
                None
            }
            _ => None,
        };
        match found.as_slice() {
            [] => {}
            [image] => out.photos.push(PhotoEntry {
                rel: rel(dir, image).to_string_lossy().replace('\\', "/"),
                image: image.clone(),
                sidecar,
            }),
            [first, second, ..] => out.diagnostics.push(
                Diagnostic::error(
                    "two photos share one name, so it is unclear which the sidecar describes",
                )
                .file(rel(root, second))
                .hint(format!(
                    "rename `{}` or `{}`{}",
                    name(first),
                    name(second),
                    unicode_twins(first, second)
                )),
            ),
        }
    }
    out.photos.sort_by(|a, b| a.rel.cmp(&b.rel));
    for (key, paths) in &sidecars {
        if !images.contains_key(key) {
            for p in paths {
                out.diagnostics.push(
                    Diagnostic::warning("sidecar without a photo beside it")
                        .file(rel(root, p))
                        .hint("put the photo with the same name next to it, or delete the sidecar"),
                );
            }
        }
    }
}

/// Where the sidecar of `photo` may be: `.yaml` or `.yml`, with the name as written and
/// in both Unicode forms (see `scan_photos`).
pub fn sidecar_names(photo: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    let stem = photo.file_stem().unwrap_or_default().to_string_lossy();
    let forms: [String; 2] = [stem.nfc().collect(), stem.nfd().collect()];
    let as_written = SIDECAR_EXTENSIONS
        .iter()
        .map(|ext| photo.with_extension(ext));
    let normalised = SIDECAR_EXTENSIONS.iter().flat_map(move |ext| {
        forms
            .clone()
            .into_iter()
            .map(move |s| photo.with_file_name(format!("{s}.{ext}")))
    });
    as_written.chain(normalised)
}

/// Said when two names look the same but are spelt in different Unicode forms.
fn unicode_twins(a: &Path, b: &Path) -> &'static str {
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    if stem(a) != stem(b) && extension(a) == extension(b) {
        " (the names look the same but write their accented letters differently, as copies from a Mac can)"
    } else {
        ""
    }
}

fn name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn scan_content(root: &Path, dir: &Path, out: &mut ScanResult) {
    // A translation is only known to be one once its page is found: collect both first.
    let mut translations: Vec<(String, String, PathBuf)> = Vec::new();
    for entry in walk(dir).filter_map(Result::ok) {
        let path = entry.path();
        if entry.path_is_symlink()
            || !entry.file_type().is_file()
            || extension(path).as_deref() != Some("md")
        {
            continue;
        }
        let relative = rel(dir, path).with_extension("");
        let rel_str = relative.to_string_lossy().replace('\\', "/");
        if let Some((page, lang)) = translation_of(&rel_str) {
            translations.push((page.to_string(), lang.to_string(), path.to_path_buf()));
        } else if rel_str == "_index" {
            out.home_intro = Some(path.to_path_buf());
        } else if relative.file_name().is_some_and(|n| n == "_index") {
            out.diagnostics.push(
                Diagnostic::warning("only content/_index.md (the home page introduction) is used; this one is ignored")
                    .file(rel(root, path)),
            );
        } else {
            out.pages.push(PageEntry {
                path: path.to_path_buf(),
                rel: rel_str,
                translations: BTreeMap::new(),
            });
        }
    }
    for (page, lang, path) in translations {
        let own = out.pages.iter_mut().find(|p| p.rel == page);
        match own {
            Some(p) => {
                p.translations.insert(lang, path);
            }
            None if page == "_index" && out.home_intro.is_some() => {
                out.home_intro_translations.insert(lang, path);
            }
            None => out.diagnostics.push(
                Diagnostic::warning(format!(
                    "a translation (`{lang}`) of `{page}.md`, which does not exist, so it is not published"
                ))
                .file(rel(root, &path))
                .hint(format!("write `{page}.md` in the site's default language beside it, or rename this file")),
            ),
        }
    }
}

/// `about.es` → (`about`, `es`): a page's name, a dot and an ISO 639-1 code is that
/// page in that language. Any other dotted name (`notes.v2`) is a page of its own.
fn translation_of(rel: &str) -> Option<(&str, &str)> {
    let (page, lang) = rel.rsplit_once('.')?;
    let named = !page.is_empty() && !page.ends_with('/');
    (named && crate::i18n::is_language_code(lang)).then_some((page, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_temp_and_hidden_files() {
        for n in [
            ".DS_Store",
            "a.jpg~",
            ".a.yaml.swp",
            "#a.yaml#",
            "x.part",
            "~$doc",
        ] {
            assert!(is_ignored_name(OsStr::new(n)), "{n}");
        }
        assert!(!is_ignored_name(OsStr::new("Zürich café.jpg")));
    }

    #[test]
    fn pairs_photos_with_sidecars_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let photos = dir.path().join("photos");
        std::fs::create_dir_all(photos.join("2019/tokyo")).unwrap();
        for f in [
            "a.JPG",
            "a.yaml",
            "2019/tokyo/b.png",
            "2019/tokyo/b.yml",
            "c.webp",
            "orphan.yaml",
            ".hidden.jpg",
            "notes.txt",
        ] {
            std::fs::write(photos.join(f), b"x").unwrap();
        }
        let r = scan(dir.path(), &photos, &dir.path().join("content"));
        let rels: Vec<_> = r
            .photos
            .iter()
            .map(|p| (p.rel.as_str(), p.sidecar.is_some()))
            .collect();
        assert_eq!(
            rels,
            vec![
                ("2019/tokyo/b.png", true),
                ("a.JPG", true),
                ("c.webp", false)
            ]
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("without a photo"));
    }

    #[test]
    fn translations_belong_to_their_page() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("guides")).unwrap();
        for f in [
            "about.md",
            "about.es.md",
            "_index.md",
            "_index.es.md",
            "guides/how.md",
            "guides/how.es.md",
            "notes.v2.md",
            "orphan.es.md",
        ] {
            std::fs::write(content.join(f), b"x").unwrap();
        }
        let r = scan(dir.path(), &dir.path().join("photos"), &content);
        let pages: Vec<_> = r.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(pages, ["about", "guides/how", "notes.v2"]);
        assert_eq!(r.pages[0].translations["es"], content.join("about.es.md"));
        assert_eq!(r.pages[1].translations.len(), 1);
        assert!(r.pages[2].translations.is_empty());
        assert_eq!(
            r.home_intro_translations["es"],
            content.join("_index.es.md")
        );
        let orphan: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("translation"))
            .collect();
        assert_eq!(orphan.len(), 1);
        assert!(orphan[0].message.contains("`orphan.md`"));
    }

    #[test]
    fn pairs_names_that_differ_only_in_unicode_form() {
        let dir = tempfile::tempdir().unwrap();
        let photos = dir.path().join("photos");
        std::fs::create_dir_all(&photos).unwrap();
        std::fs::write(photos.join("Caf\u{e9}.jpg"), b"x").unwrap(); // NFC
        std::fs::write(photos.join("Cafe\u{301}.yaml"), b"x").unwrap(); // NFD
        let r = scan(dir.path(), &photos, &dir.path().join("content"));
        assert_eq!(r.photos.len(), 1);
        assert!(r.photos[0].sidecar.is_some(), "{:?}", r.diagnostics);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);

        // Two photos whose names differ only in form are one name, and the hint says why.
        std::fs::write(photos.join("Cafe\u{301}.jpg"), b"x").unwrap();
        let r = scan(dir.path(), &photos, &dir.path().join("content"));
        assert!(r.photos.is_empty());
        let hint = r.diagnostics[0].hint.as_deref().unwrap_or_default();
        assert!(
            hint.contains("write their accented letters differently"),
            "{hint}"
        );
    }
}
