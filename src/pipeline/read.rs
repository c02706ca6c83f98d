//! The read stage: the site's settings, then the curator's files — photos (their facts
//! from the cache when unchanged), sidecars (parsed once per change, remembered by a
//! serve session) and content pages.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{BuildOptions, Target};
use crate::cache::{Cache, ManifestEntry, Stamp};
use crate::config::Site;
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::metadata::frontmatter::PageMeta;
use crate::metadata::{
    self, frontmatter, sidecar::Sidecar, Photo, PhotoError, PhotoFacts, SignMeta,
};
use crate::output;
use crate::render::{ContentPage, PageTranslation, RESERVED};
use crate::scan::claims::{self, Found, Group, Listed};
use crate::scan::{self, PhotoEntry};

/// Sidecars parsed by earlier builds of a session, with the stamp the file had then.
pub type SidecarMemo = HashMap<PathBuf, (Stamp, Result<Sidecar, Diagnostic>)>;

/// A photo's sidecar as parsed now: its path, its stamp (for the session's memo) and
/// what it says.
type Parsed = (PathBuf, Option<Stamp>, Result<Sidecar, Diagnostic>);

/// What reading one sign gave.
struct SignRead {
    meta: Option<SignMeta>,
    /// The manifest records of its photos, for the cache.
    records: Vec<ManifestEntry>,
}

/// What the read stage gives the rest of the build.
pub(super) struct Read {
    /// One per usable sign, in scan order.
    pub metas: Vec<SignMeta>,
    /// Photo facts for the cache manifest.
    pub records: Vec<ManifestEntry>,
    pub pages: Vec<ContentPage>,
    pub home_intro: Option<String>,
    /// The home introduction in the site's other languages (`_index.es.md`), by code.
    pub home_intro_translations: BTreeMap<String, String>,
}

/// The site's settings, and for a build to disk a check that the output folder may be
/// replaced. `None` when the build cannot go on.
pub(super) fn load_site(opts: &BuildOptions, diags: &Diagnostics) -> Option<Site> {
    let site = Site::load(&opts.root, &opts.overrides)
        .map_err(|ds| diags.extend(ds))
        .ok()?;
    if opts.target == Target::Disk {
        if let Err(e) = output::check_target(&site) {
            diags.push(e.diagnostic(&site.root, &site.output));
            return None;
        }
        if !site.has_absolute_base() {
            diags.push(
                Diagnostic::warning("`base_url` is not an absolute URL, so the Atom feed, sitemap and share links use relative addresses, which feed readers and search engines reject")
                    .file(crate::config::CONFIG_FILE)
                    .hint("set `base_url:` to the address the site is published at, such as https://example.org/"),
            );
        }
    }
    Some(site)
}

/// Scan the site, parse every sidecar, group the photos into signs (a sidecar's
/// `photos:` claims photos for its sign), then read every sign's photos, and every
/// content page. `sidecars` is the session's memo: it is used and replaced by what was
/// parsed now; `None` for a build no other follows in the process.
pub(super) fn read(
    site: &Site,
    cache: &Cache,
    sidecars: Option<&mut SidecarMemo>,
    diags: &Diagnostics,
) -> Read {
    let found = scan::scan(&site.root, &site.photos, &site.content);
    diags.extend(found.diagnostics);
    let photos = &found.photos;
    // Sidecars first: their problems are reported even when a photo is unusable, and
    // their lists decide which photos are signs.
    let memo = sidecars.as_deref();
    let parsed: Vec<Option<Parsed>> = photos
        .par_iter()
        .map(|p| {
            let path = p.sidecar.as_ref()?;
            let (stamp, parsed) = sidecar_of(path, memo);
            Some((path.clone(), stamp, parsed))
        })
        .collect();
    let lists: Vec<Vec<Listed>> = parsed
        .iter()
        .map(|p| match p {
            Some((_, _, Ok(sidecar))) => sidecar
                .photos
                .iter()
                .map(|item| Listed {
                    file: &item.file,
                    at: item.at,
                })
                .collect(),
            Some((path, _, Err(d))) => {
                diags.push(d.clone().file(rel(&site.root, path)));
                Vec::new()
            }
            None => Vec::new(),
        })
        .collect();
    let (groups, problems) = claims::group(&site.root, photos, &lists, |rel| {
        probe(&site.photos.join(rel))
    });
    diags.extend(problems);
    let read: Vec<SignRead> = groups
        .par_iter()
        .map(|g| read_sign(site, cache, photos, &parsed, g, diags))
        .collect();
    // Reserved: a sign's meta is large, and growing the vectors moved all 10,000 of
    // them several times (a tenth of an edit's read stage).
    let mut metas = Vec::with_capacity(read.len());
    let mut records = Vec::with_capacity(read.iter().map(|r| r.records.len()).sum());
    for r in read {
        metas.extend(r.meta);
        records.extend(r.records);
    }
    if let Some(sidecars) = sidecars {
        *sidecars = parsed
            .into_iter()
            .flatten()
            .filter_map(|(path, stamp, parsed)| Some((path, (stamp?, parsed))))
            .collect();
    }
    let today = chrono::Local::now().date_naive();
    for meta in &metas {
        if let Some(d) = metadata::future_exif_date(meta, today) {
            diags.push(d.file(meta.file()));
        }
    }
    let pages = read_pages(site, &found.pages, diags);
    let home_intro = found
        .home_intro
        .as_ref()
        .and_then(|p| read_page_body(site, p, diags));
    let home_intro_translations = site_translations(site, &found.home_intro_translations, diags)
        .filter_map(|(lang, p)| Some((lang, read_page_body(site, p, diags)?)))
        .collect();
    Read {
        metas,
        records,
        pages,
        home_intro,
        home_intro_translations,
    }
}

/// What is at a listed path that no scanned photo has, for `claims::group`.
fn probe(path: &Path) -> Found {
    match std::fs::symlink_metadata(path) {
        Err(_) => Found::Nothing,
        Ok(m) if m.file_type().is_symlink() => Found::Link,
        Ok(m) if m.is_dir() => Found::Folder,
        Ok(_) => Found::File,
    }
}

/// Parse a sidecar, or take it from the memo when its `Stamp` is unchanged.
fn sidecar_of(
    path: &Path,
    memo: Option<&SidecarMemo>,
) -> (Option<Stamp>, Result<Sidecar, Diagnostic>) {
    let stamp = std::fs::metadata(path).ok().map(|m| Stamp::of(&m));
    if let (Some(stamp), Some((was, parsed))) = (stamp, memo.and_then(|m| m.get(path))) {
        if *was == stamp && stamp.mtime_ns != 0 {
            return (Some(stamp), parsed.clone());
        }
    }
    let parsed = read_text(path).and_then(|text| metadata::parse_sidecar(&text));
    (stamp, parsed)
}

/// Read one sign's photos (the cover, then those its sidecar lists) and merge them with
/// its sidecar into a `SignMeta`; problems go to `diags`. A listed photo's problems are
/// the fault of its entry in the sidecar.
fn read_sign(
    site: &Site,
    cache: &Cache,
    photos: &[PhotoEntry],
    parsed: &[Option<Parsed>],
    group: &Group,
    diags: &Diagnostics,
) -> SignRead {
    let entry = &photos[group.cover];
    let sidecar_rel = entry.sidecar.as_ref().map(|s| rel(&site.root, s));
    let (sidecar, broken) = match &parsed[group.cover] {
        Some((_, _, Ok(s))) => (Some(s), false),
        Some((_, _, Err(_))) => (None, true),
        None => (None, false),
    };
    let mut records = Vec::new();
    let mut more = Vec::new();
    for &(p, k) in &group.more {
        let source = rel(&site.root, &photos[p].image);
        let Some(item) = sidecar.and_then(|s| s.photos.get(k)) else {
            continue;
        };
        match read_facts(cache, &photos[p].image, &source) {
            Ok((facts, record)) => {
                records.push(record);
                more.push(Photo {
                    source,
                    alt: item.alt.clone(),
                    facts,
                });
            }
            Err(mut d) => {
                d.message = format!("`{}` (listed in `photos:`): {}", item.file, d.message);
                diags.push(
                    d.file(sidecar_rel.clone().unwrap_or_default())
                        .at_opt(item.at),
                );
            }
        }
    }
    let source = rel(&site.root, &entry.image);
    let facts = match read_facts(cache, &entry.image, &source) {
        Ok((facts, record)) => {
            records.push(record);
            facts
        }
        Err(d) => {
            diags.push(d.file(&source));
            return SignRead {
                meta: None,
                records,
            };
        }
    };
    for w in &facts.exif.warnings {
        diags.push(Diagnostic::warning(w.clone()).file(&source));
    }
    // A photo whose sidecar is broken is not published, but its facts are still worth
    // caching: the fix is usually in the sidecar.
    let meta = (!broken).then(|| {
        let stem = entry
            .image
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        let cover = Photo::new(source, facts);
        let langs = crate::locale::site_languages(site);
        let (meta, problems) =
            metadata::merge(cover, more, sidecar_rel, &stem, sidecar.cloned(), &langs);
        diags.extend(problems.into_iter().map(|d| d.file(meta.file())));
        meta
    });
    SignRead { meta, records }
}

/// A photo's facts, from the cache when its stamp is unchanged, else from its bytes,
/// with its record for the cache. The error names no file: the caller knows whom to
/// blame.
fn read_facts(
    cache: &Cache,
    image: &Path,
    source: &Path,
) -> Result<(PhotoFacts, ManifestEntry), Diagnostic> {
    let stamp = match std::fs::metadata(image) {
        Ok(m) => Stamp::of(&m),
        Err(e) => return Err(Diagnostic::error(format!("cannot read the photo: {e}"))),
    };
    let key = source.to_string_lossy().into_owned();
    let facts = match cache.facts(&key, stamp) {
        Some(f) => Ok(f.clone()),
        // The stamp already has the size: no second stat before reading.
        None => metadata::check_size(stamp.size)
            .and_then(|()| std::fs::read(image).map_err(PhotoError::Read))
            .and_then(|b| metadata::photo_facts(&b)),
    };
    match facts {
        Ok(f) => Ok((f.clone(), (key, stamp, f))),
        Err(e) => {
            let message = match e {
                PhotoError::TooBig(_) => e.to_string(),
                _ => format!("cannot use this photo: {e}"),
            };
            Err(Diagnostic::error(message).hint(e.hint()))
        }
    }
}

/// A curator's text file (sidecar, page, `site.yaml`) as UTF-8, with the position of
/// the first byte that is not, and a word for UTF-16 files editors save as "Unicode".
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::error(format!("cannot read it: {e}")))?;
    // Windows editors save "Unicode" as UTF-16, whose ASCII half is NUL bytes.
    let nuls = bytes.iter().filter(|b| **b == 0).count();
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || nuls * 4 > bytes.len()
    {
        return Err(Diagnostic::error(
            "the file is UTF-16 (or another encoding that is not UTF-8); glyph reads UTF-8",
        )
        .hint("save it as UTF-8 in your editor (in Notepad: Save as, Encoding: UTF-8)"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // UTF-8 by definition: it is what comes before the first bad byte.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let (line, col) = crate::diag::line_col(valid, valid.len());
        Diagnostic::error("the file is not UTF-8 text")
            .at(line, col)
            .hint("save it as UTF-8 in your editor")
    })
}

fn read_pages(site: &Site, entries: &[scan::PageEntry], diags: &Diagnostics) -> Vec<ContentPage> {
    let mut pages: Vec<ContentPage> = Vec::new();
    for e in entries {
        let file = rel(&site.root, &e.path);
        let page = match read_text(&e.path).and_then(|t| frontmatter::parse_page(&t)) {
            Ok(p) => p,
            Err(d) => {
                diags.push(d.file(file));
                continue;
            }
        };
        if page.meta.draft && !site.drafts {
            continue;
        }
        let mut segments: Vec<String> = e.rel.split('/').map(slug::slugify).collect();
        if let (Some(slug), Some(last)) = (&page.meta.slug, segments.last_mut()) {
            *last = slug::slugify(slug);
        }
        if segments.iter().any(String::is_empty) {
            diags.push(
                Diagnostic::error("this page's name gives an empty URL")
                    .file(file)
                    .hint("rename the file or set `slug:`"),
            );
            continue;
        }
        if RESERVED.contains(&segments[0].as_str()) {
            diags.push(
                Diagnostic::error(format!(
                    "the page would take the URL /{}/, which the site's own pages use",
                    segments[0]
                ))
                .file(file)
                .hint("rename the file or set another `slug:`"),
            );
            continue;
        }
        let path = format!("{}/", segments.join("/"));
        if let Some(other) = pages.iter().find(|p| p.path == path) {
            diags.push(
                Diagnostic::error(format!(
                    "two pages have the URL /{path}: this one and {}",
                    other.source.display()
                ))
                .file(file)
                .hint("rename one of them or set `slug:`"),
            );
            continue;
        }
        let translations = site_translations(site, &e.translations, diags)
            .filter_map(|(lang, p)| translation(site, &page.meta, lang, p, diags))
            .collect();
        pages.push(ContentPage {
            path,
            source: file,
            meta: page.meta,
            body: page.body,
            translations,
        });
    }
    pages
}

/// The translations in the site's languages (as `site.yaml` spells them); one in a
/// language the site does not have, or in its default language, is a warning, unpublished.
fn site_translations<'a>(
    site: &'a Site,
    found: &'a BTreeMap<String, PathBuf>,
    diags: &'a Diagnostics,
) -> impl Iterator<Item = (String, &'a Path)> + 'a {
    let langs = crate::locale::site_languages(site);
    found.iter().filter_map(move |(code, path)| {
        let same = |l: &&String| crate::locale::primary(l) == *code || l.as_str() == code;
        match langs.iter().position(|l| same(&l)) {
            Some(i) if i > 0 => Some((langs[i].clone(), path.as_path())),
            at => {
                let why = if at.is_some() {
                    "the site's default language, whose text is the page itself"
                } else {
                    "not one of the site's languages"
                };
                diags.push(
                    Diagnostic::warning(format!("a translation in `{code}`, {why}, so it is not published"))
                        .file(rel(&site.root, path))
                        .hint(format!("the site's languages are {}; add `{code}` to `languages:` in site.yaml, or remove the file", langs.join(", "))),
                );
                None
            }
        }
    })
}

/// A page's translation, parsed. The URL and menu place are the page's, so `slug` and
/// `weight` are not the translation's to change; a missing title is the page's.
fn translation(
    site: &Site,
    page: &PageMeta,
    lang: String,
    path: &Path,
    diags: &Diagnostics,
) -> Option<PageTranslation> {
    let file = rel(&site.root, path);
    let mut t = match read_text(path).and_then(|t| frontmatter::parse_page(&t)) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d.file(file));
            return None;
        }
    };
    for (key, set) in [
        ("slug", t.meta.slug.is_some()),
        ("weight", t.meta.weight.is_some()),
        ("draft", t.meta.draft),
    ] {
        if set {
            diags.push(
                Diagnostic::warning(format!(
                    "`{key}` in a translation is ignored: the page's own applies in every language"
                ))
                .file(&file)
                .hint("set it in the page in the default language"),
            );
        }
    }
    t.meta.title = t.meta.title.or_else(|| page.title.clone());
    t.meta.description = t.meta.description.or_else(|| page.description.clone());
    t.meta.date = t.meta.date.or(page.date);
    t.meta.slug = page.slug.clone();
    t.meta.weight = page.weight;
    t.meta.draft = page.draft;
    Some(PageTranslation {
        lang,
        meta: t.meta,
        body: t.body,
    })
}

fn read_page_body(site: &Site, path: &Path, diags: &Diagnostics) -> Option<String> {
    match read_text(path).and_then(|t| frontmatter::parse_page(&t)) {
        Ok(p) => Some(p.body),
        Err(d) => {
            diags.push(d.file(rel(&site.root, path)));
            None
        }
    }
}
