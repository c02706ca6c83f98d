//! The read stage: the site's settings, then the curator's files — photos (their facts
//! from the cache when unchanged), sidecars (parsed once per change, remembered by a
//! serve session) and content pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{BuildOptions, Target};
use crate::cache::{Cache, ManifestEntry, Stamp};
use crate::config::Site;
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::metadata::{self, frontmatter, sidecar::Sidecar, PhotoError, PhotoFacts, SignMeta};
use crate::output;
use crate::render::{ContentPage, RESERVED};
use crate::scan::{self, PhotoEntry};

/// Sidecars parsed by earlier builds of a session, with the stamp the file had then.
pub type SidecarMemo = HashMap<PathBuf, (Stamp, Result<Sidecar, Diagnostic>)>;

/// What reading one photo gave.
struct PhotoRead {
    meta: Option<SignMeta>,
    /// The manifest record for the cache.
    record: Option<ManifestEntry>,
    /// The sidecar as parsed now, for the session's memo.
    sidecar: Option<(PathBuf, Stamp, Result<Sidecar, Diagnostic>)>,
}

/// What the read stage gives the rest of the build.
pub(super) struct Read {
    /// One per usable photo, in scan order.
    pub metas: Vec<SignMeta>,
    /// Photo facts for the cache manifest.
    pub records: Vec<ManifestEntry>,
    pub pages: Vec<ContentPage>,
    pub home_intro: Option<String>,
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

/// Scan the site, then read every photo with its sidecar and every content page.
/// `sidecars` is the session's memo: it is used and replaced by what was parsed now.
pub(super) fn read(
    site: &Site,
    cache: &Cache,
    sidecars: &mut SidecarMemo,
    diags: &Diagnostics,
) -> Read {
    let found = scan::scan(&site.root, &site.photos, &site.content);
    diags.extend(found.diagnostics);
    let read: Vec<PhotoRead> = found
        .photos
        .par_iter()
        .map(|p| read_photo(site, cache, sidecars, p, diags))
        .collect();
    let mut metas = Vec::new();
    let mut records = Vec::new();
    let mut memo = SidecarMemo::with_capacity(read.len());
    for r in read {
        metas.extend(r.meta);
        records.extend(r.record);
        if let Some((path, stamp, parsed)) = r.sidecar {
            memo.insert(path, (stamp, parsed));
        }
    }
    *sidecars = memo;
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
    Read {
        metas,
        records,
        pages,
        home_intro,
    }
}

/// Parse a sidecar, or take it from the memo when its `Stamp` is unchanged.
fn sidecar_of(path: &Path, memo: &SidecarMemo) -> (Option<Stamp>, Result<Sidecar, Diagnostic>) {
    let stamp = std::fs::metadata(path).ok().map(|m| Stamp::of(&m));
    if let (Some(stamp), Some((was, parsed))) = (stamp, memo.get(path)) {
        if *was == stamp && stamp.mtime_ns != 0 {
            return (Some(stamp), parsed.clone());
        }
    }
    let parsed = read_text(path).and_then(|text| metadata::parse_sidecar(&text));
    (stamp, parsed)
}

/// Read one photo and its sidecar into a `SignMeta`; problems go to `diags`.
fn read_photo(
    site: &Site,
    cache: &Cache,
    memo: &SidecarMemo,
    p: &PhotoEntry,
    diags: &Diagnostics,
) -> PhotoRead {
    let source = rel(&site.root, &p.image);
    // The sidecar first, so its problems are reported even when the photo is unusable.
    let sidecar_rel = p.sidecar.as_ref().map(|s| rel(&site.root, s));
    let mut remembered = None;
    let mut sidecar = None;
    let mut sidecar_broken = false;
    if let Some(path) = &p.sidecar {
        let (stamp, parsed) = sidecar_of(path, memo);
        if let Some(stamp) = stamp {
            remembered = Some((path.clone(), stamp, parsed.clone()));
        }
        match parsed {
            Ok(s) => sidecar = Some(s),
            Err(d) => {
                sidecar_broken = true;
                diags.push(d.file(sidecar_rel.clone().unwrap_or_default()));
            }
        }
    }
    let Some((facts, record)) = read_facts(cache, p, &source, diags) else {
        return PhotoRead {
            meta: None,
            record: None,
            sidecar: remembered,
        };
    };
    // A photo whose sidecar is broken is not published, but its facts are still worth
    // caching: the fix is usually in the sidecar.
    let meta = (!sidecar_broken).then(|| {
        let stem = p.image.file_stem().unwrap_or_default().to_string_lossy();
        let (meta, problems) = metadata::merge(source, sidecar_rel, &stem, sidecar, facts);
        diags.extend(problems.into_iter().map(|d| d.file(meta.file())));
        meta
    });
    PhotoRead {
        meta,
        record: Some(record),
        sidecar: remembered,
    }
}

/// The photo's facts, from the cache when its stamp is unchanged, else from its bytes.
fn read_facts(
    cache: &Cache,
    p: &PhotoEntry,
    source: &Path,
    diags: &Diagnostics,
) -> Option<(PhotoFacts, ManifestEntry)> {
    let stamp = match std::fs::metadata(&p.image) {
        Ok(m) => Stamp::of(&m),
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read the photo: {e}")).file(source));
            return None;
        }
    };
    let key = source.to_string_lossy().into_owned();
    let facts = match cache.facts(&key, stamp) {
        Some(f) => Ok(f.clone()),
        // The stamp already has the size: no second stat before reading.
        None => metadata::check_size(stamp.size)
            .and_then(|()| std::fs::read(&p.image).map_err(PhotoError::Read))
            .and_then(|b| metadata::photo_facts(&b)),
    };
    let facts = match facts {
        Ok(f) => f,
        Err(e) => {
            let message = match e {
                PhotoError::TooBig(_) => e.to_string(),
                _ => format!("cannot use this photo: {e}"),
            };
            diags.push(Diagnostic::error(message).file(source).hint(e.hint()));
            return None;
        }
    };
    for w in &facts.exif.warnings {
        diags.push(Diagnostic::warning(w.clone()).file(source));
    }
    Some((facts.clone(), (key, stamp, facts)))
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
        pages.push(ContentPage {
            path,
            source: file,
            meta: page.meta,
            body: page.body,
        });
    }
    pages
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
