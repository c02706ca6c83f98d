//! What the archive already holds, as an import needs it: each photo's content hash
//! (for byte duplicates) and, read only when asked, its perceptual fingerprint; the
//! names taken; the tags in use; and the `origin:` of every imported sign, so a post
//! imported before is skipped.
//!
//! Sidecars are read for their tags and slug when they parse; `origin:` is read from the
//! text, so a sidecar this build cannot parse still marks its post as imported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use super::fingerprints;
use super::post_sidecar;
use super::similar::Fingerprint;
use crate::cache::{Cache, Stamp};
use crate::config::Site;
use crate::diag::rel;
use crate::metadata;
use crate::scan;

#[derive(Debug, Default)]
pub(crate) struct Archive {
    /// Content hash → the photo, relative to the site root.
    pub hashes: HashMap<String, PathBuf>,
    /// Slugs and the stems of every file in the photos folder (as slugs): a new name
    /// must differ from all.
    pub taken: HashSet<String>,
    /// Tag → signs using it.
    pub tags: BTreeMap<String, usize>,
    /// The `origin:` of every sidecar that has one.
    pub origins: HashSet<String>,
    /// Every photo: where it is and its content hash, for `fingerprints`.
    photos: Vec<(PathBuf, PathBuf, String)>,
}

/// One photo of the archive as read: its path, hash and sidecar's text.
type Read = (PathBuf, Option<String>, Option<String>);

pub(crate) fn read(site: &Site) -> Archive {
    let found = scan::scan(&site.root, &site.photos, &site.content);
    let cache = Cache::open(&site.cache);
    let read: Vec<Read> = found
        .photos
        .par_iter()
        .map(|p| {
            let key = rel(&site.root, &p.image).to_string_lossy().into_owned();
            let cached = std::fs::metadata(&p.image)
                .ok()
                .and_then(|m| cache.facts(&key, Stamp::of(&m)).map(|f| f.hash.clone()));
            let hash = cached.or_else(|| {
                std::fs::read(&p.image)
                    .ok()
                    .map(|b| blake3::hash(&b).to_hex().to_string())
            });
            let sidecar = p
                .sidecar
                .as_ref()
                .and_then(|s| std::fs::read_to_string(s).ok());
            (p.image.clone(), hash, sidecar)
        })
        .collect();
    let mut archive = Archive::default();
    for (image, hash, sidecar) in read {
        let relative = rel(&site.root, &image);
        if let Some(h) = hash {
            archive.hashes.entry(h.clone()).or_insert(relative.clone());
            archive.photos.push((image.clone(), relative.clone(), h));
        }
        if let Some(text) = sidecar {
            archive.note_sidecar(&text);
        }
    }
    // Every file's name, photo or not (a HEIC this build skips, a stray sidecar).
    for e in scan::walk(&site.photos).filter_map(Result::ok) {
        let stem = e.path().file_stem().unwrap_or_default().to_string_lossy();
        archive.taken.insert(slug::slugify(&stem));
    }
    archive.tags.remove("");
    archive
}

impl Archive {
    fn note_sidecar(&mut self, text: &str) {
        self.origins.extend(post_sidecar::origin_of(text));
        let Ok(s) = metadata::parse_sidecar(text) else {
            return;
        };
        if let Some(slug) = &s.slug {
            self.taken.insert(slug::slugify(slug));
        }
        for t in &s.tags {
            *self.tags.entry(slug::slugify(t)).or_default() += 1;
        }
    }

    /// The fingerprint of every photo, from the cache or decoded now (and then
    /// remembered in `cache`); photos that cannot be decoded are left out.
    pub(crate) fn fingerprints(&self, cache: &mut Cache) -> Vec<(Fingerprint, PathBuf)> {
        let found: Vec<_> = self
            .photos
            .par_iter()
            .map(|(path, relative, hash)| {
                let known = cache.fingerprint(hash).and_then(Fingerprint::parse);
                let made = match known {
                    Some(_) => None,
                    None => std::fs::read(path)
                        .ok()
                        .and_then(|b| fingerprints::of_bytes(&b)),
                };
                (known.or(made), made.is_some(), relative, hash)
            })
            .collect();
        let mut out = Vec::with_capacity(found.len());
        for (fp, new, relative, hash) in found {
            let Some(fp) = fp else { continue };
            if new {
                cache.record_fingerprint(hash.clone(), fp.to_string());
            }
            out.push((fp, relative.clone()));
        }
        out
    }
}
