//! Reading the curator's files: photos (their facts from the cache when unchanged),
//! sidecars (parsed once per change, remembered by a serve session) and content pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cache::{Cache, ManifestEntry, Stamp};
use crate::config::Site;
use crate::diag::{rel, Diagnostic, Diagnostics};
use crate::metadata::{self, frontmatter, sidecar::Sidecar, SignMeta};
use crate::render::{ContentPage, RESERVED};
use crate::scan::{self, PhotoEntry};

/// Larger files are refused before they are read: no phone or camera makes them.
const MAX_PHOTO_BYTES: u64 = 512 * 1024 * 1024;

/// Sidecars parsed by earlier builds of a session, with the stamp the file had then.
pub type SidecarMemo = HashMap<PathBuf, (Stamp, Result<Sidecar, Diagnostic>)>;

/// What reading one photo gave.
pub struct PhotoRead {
    pub meta: Option<SignMeta>,
    /// The manifest record for the cache.
    pub record: Option<ManifestEntry>,
    /// The sidecar as parsed now, for the session's memo.
    pub sidecar: Option<(PathBuf, Stamp, Result<Sidecar, Diagnostic>)>,
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
pub fn read_photo(
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
    let sidecar = match &p.sidecar {
        None => Ok(None),
        Some(path) => {
            let (stamp, parsed) = sidecar_of(path, memo);
            if let Some(stamp) = stamp {
                remembered = Some((path.clone(), stamp, parsed.clone()));
            }
            parsed
                .map(Some)
                .map_err(|d| diags.push(d.file(sidecar_rel.clone().unwrap_or_default())))
        }
    };
    let (meta, record) = read_facts(cache, p, source, sidecar_rel, sidecar, diags);
    PhotoRead {
        meta,
        record,
        sidecar: remembered,
    }
}

fn read_facts(
    cache: &Cache,
    p: &PhotoEntry,
    source: PathBuf,
    sidecar_rel: Option<PathBuf>,
    sidecar: Result<Option<Sidecar>, ()>,
    diags: &Diagnostics,
) -> (Option<SignMeta>, Option<ManifestEntry>) {
    let stamp = match std::fs::metadata(&p.image) {
        Ok(m) => Stamp::of(&m),
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read the photo: {e}")).file(source));
            return (None, None);
        }
    };
    if stamp.size > MAX_PHOTO_BYTES {
        diags.push(
            Diagnostic::error(format!(
                "the file is {} MB; photos over {} MB are refused",
                stamp.size / (1024 * 1024),
                MAX_PHOTO_BYTES / (1024 * 1024)
            ))
            .file(source)
            .hint("export a smaller JPEG of it"),
        );
        return (None, None);
    }
    let key = source.to_string_lossy().into_owned();
    let facts = match cache.facts(&key, stamp) {
        Some(f) => f.clone(),
        None => match std::fs::read(&p.image)
            .map_err(|e| e.to_string())
            .and_then(|b| metadata::photo_facts(&b))
        {
            Ok(f) => f,
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!("cannot use this photo: {e}"))
                        .file(source)
                        .hint("replace it with a JPEG, PNG or WebP photo, or move it out of the photos folder"),
                );
                return (None, None);
            }
        },
    };
    for w in &facts.exif.warnings {
        diags.push(Diagnostic::warning(w.clone()).file(&source));
    }
    let record = Some((key, stamp, facts.clone()));
    let Ok(sidecar) = sidecar else {
        return (None, record);
    };
    let stem = p
        .image
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let (meta, problems) =
        metadata::merge(source.clone(), sidecar_rel.clone(), &stem, sidecar, facts);
    for d in problems {
        diags.push(d.file(sidecar_rel.clone().unwrap_or_else(|| source.clone())));
    }
    (Some(meta), record)
}

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

pub fn read_pages(
    site: &Site,
    entries: &[scan::PageEntry],
    diags: &Diagnostics,
) -> Vec<ContentPage> {
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

pub fn read_page_body(site: &Site, path: &Path, diags: &Diagnostics) -> Option<String> {
    match read_text(path).and_then(|t| frontmatter::parse_page(&t)) {
        Ok(p) => Some(p.body),
        Err(d) => {
            diags.push(d.file(rel(&site.root, path)));
            None
        }
    }
}
