//! What the output folder holds as the last build left it: each file's size, mtime and
//! content hash, and for pages the fingerprint of what they were rendered from. Kept in
//! `.glyph-cache/published-<key>.bin` (one per output folder, in the compact form of
//! `util::encode_record`), it lets the next build skip rendering unchanged pages,
//! hard-link unchanged files into the new site instead of writing them, and leave the
//! folder alone when nothing changed at all.
//!
//! It is only trusted for files whose size and mtime on disk still match, and only by
//! the same glyph binary that wrote it: a hand-edited output file, another glyph or a
//! damaged record all mean the file is made again.
//!
//! `glyph deploy` reads it too, whichever glyph wrote it: the hashes say what changed
//! since the last deploy without reading the site again, and the stamps say whether the
//! folder is still what the build made. Beside it, `build-failed-<key>.json` says that the
//! last build of that folder failed (so it holds an older site than the sources say).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::generation::{DirId, Prev};
use crate::cache::Stamp;
use crate::render::Look;
use crate::util::binary_id;

/// A record of one output folder (this one, the mark of its failed build, the no-op
/// check's): one each per output, since a site can have several (`--output`, the
/// preview of `glyph serve`).
pub(crate) fn record_file(cache_dir: &Path, output: &Path, what: &str, ext: &str) -> PathBuf {
    let key = blake3::hash(output.as_os_str().as_encoded_bytes()).to_hex();
    cache_dir.join(format!("{what}-{}.{ext}", &key[..16]))
}
const VERSION: u32 = 4;

/// One file of the output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The file as written: size and modification time.
    pub stamp: Stamp,
    /// Content hash; `None` for derived images, whose names carry their hash.
    pub hash: Option<u128>,
    /// For pages: the fingerprint of their render inputs.
    pub fp: Option<u64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Published {
    version: u32,
    /// The output folder described, absolute.
    output: PathBuf,
    /// The glyph binary that wrote it.
    renderer: u64,
    /// The templates its pages were rendered with.
    pub templates: u64,
    /// Path below the output root → entry.
    pub files: BTreeMap<String, Entry>,
    /// The output folder's identity when the record was saved: a build that finds
    /// another folder there knows a second build replaced it meanwhile.
    pub dir: Option<DirId>,
    /// The previous generation beside the output (`generation`).
    pub prev: Option<Prev>,
    /// What its pages were planned from, for telling which an edit touches.
    pub look: Look,
}

/// The files of a `Published` record that are still as recorded on disk.
#[derive(Debug, Default)]
pub struct Intact {
    pub templates: u64,
    pub files: BTreeMap<String, Entry>,
    /// Recorded files no longer as recorded (edited or deleted by hand).
    pub lost: Vec<String>,
    /// Every recorded file is intact and nothing else is in the folder.
    pub whole: bool,
    pub dir: Option<DirId>,
    pub prev: Option<Prev>,
    pub look: Look,
}

impl Published {
    pub fn new(output: &Path, templates: u64, files: BTreeMap<String, Entry>) -> Published {
        Published {
            version: VERSION,
            output: output.to_path_buf(),
            renderer: binary_id().unwrap_or(0),
            templates,
            files,
            dir: DirId::of(output),
            prev: None,
            look: Look::default(),
        }
    }

    /// The record says what the pages were planned from.
    pub fn with_look(mut self, look: Look) -> Published {
        self.look = look;
        self
    }

    /// The record names the previous generation beside the output.
    pub fn with_prev(mut self, prev: Option<Prev>) -> Published {
        self.prev = prev;
        self
    }

    /// The record for `output`, for a build. What pages were rendered from is only
    /// trusted from this very binary: another one may render them differently, so
    /// their fingerprints are dropped, while what the folder holds stays known.
    /// A record of a folder that is no longer there (deleted, or replaced by hand) is
    /// no record of it.
    pub fn load(cache_dir: &Path, output: &Path) -> Option<Published> {
        let mut p = Self::read(cache_dir, output).filter(|p| DirId::of(output) == p.dir)?;
        if binary_id().is_none_or(|id| id != p.renderer) {
            p.templates = 0;
            p.look = Look::default();
            p.files.values_mut().for_each(|e| e.fp = None);
        }
        Some(p)
    }

    /// The record for `output` whichever glyph wrote it, for reading what it says of
    /// the folder (not for reusing rendered pages).
    pub fn read(cache_dir: &Path, output: &Path) -> Option<Published> {
        let bytes = std::fs::read(record_file(cache_dir, output, "published", "bin")).ok()?;
        crate::util::decode_record::<Published>(&bytes)
            .filter(|p| p.version == VERSION && p.output == output)
    }

    pub fn save(&self, cache_dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(cache_dir)?;
        crate::util::save_record(
            &record_file(cache_dir, &self.output, "published", "bin"),
            self,
        )
    }

    /// Check every recorded file against the disk; unless the folder is known to hold
    /// exactly `as_left` files untouched since the no-op record was saved after this
    /// record (`pipeline::unchanged` compared every stamp, folders' too, when the build
    /// began), and this record has as many, each with a stamp that can vouch for it.
    pub fn intact(self, as_left: Option<usize>) -> Intact {
        let output = self.output;
        let total = self.files.len();
        let vouched = as_left == Some(total) && self.files.values().all(|e| e.stamp.mtime_ns != 0);
        let (files, lost): (Vec<_>, Vec<_>) = if vouched {
            (self.files.into_iter().collect(), Vec::new())
        } else {
            self.files
                .into_par_iter()
                .partition(|(path, e)| as_recorded(&output, path, e))
        };
        // Anything else in the folder (a file put there by hand) makes it not whole:
        // the next generation must not inherit it.
        let whole = files.len() == total && (vouched || count_files(&output) == Some(total));
        Intact {
            templates: self.templates,
            whole,
            files: files.into_iter().collect(),
            lost: lost.into_iter().map(|(p, _)| p).collect(),
            dir: self.dir,
            prev: self.prev,
            look: self.look,
        }
    }

    /// The files of the folder that are not as recorded: edited or deleted since the
    /// build, or added beside it, sorted.
    pub fn hand_edits(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .files
            .par_iter()
            .filter(|(path, e)| !as_recorded(&self.output, path, e))
            .map(|(path, _)| path.clone())
            .collect();
        for e in crate::scan::walk_all(&self.output).flatten() {
            if e.depth() == 0 || e.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&self.output) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !self.files.contains_key(&rel) {
                out.push(rel);
            }
        }
        out.sort();
        out
    }
}

/// Whether the file at `path` is still the one the build wrote.
fn as_recorded(output: &Path, path: &str, e: &Entry) -> bool {
    std::fs::symlink_metadata(output.join(path))
        .is_ok_and(|m| m.is_file() && Stamp::of_output(&m) == e.stamp && e.stamp.mtime_ns != 0)
}

/// Record how the last build of `output` went: a failed one leaves the folder holding
/// the site before it, which a deploy must not take for the build just made.
pub fn record_outcome(cache_dir: &Path, output: &Path, ok: bool) -> std::io::Result<()> {
    let path = record_file(cache_dir, output, "build-failed", "json");
    if ok {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    std::fs::create_dir_all(cache_dir)?;
    crate::util::write_atomic(
        &path,
        &serde_json::to_vec(&Failed {
            output: output.into(),
        })?,
    )
}

/// Whether the last build of `output` failed.
pub fn last_build_failed(cache_dir: &Path, output: &Path) -> bool {
    std::fs::read(record_file(cache_dir, output, "build-failed", "json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Failed>(&b).ok())
        .is_some_and(|f| f.output == output)
}

#[derive(Serialize, Deserialize)]
struct Failed {
    output: PathBuf,
}

/// Files and links in `dir`, at any depth (folders not counted). Subfolders are read
/// in parallel: at 10,000 signs this walk of 12,000 folders was a fifth of a no-op build.
fn count_files(dir: &Path) -> Option<usize> {
    let mut files = 0;
    let mut dirs = Vec::new();
    for e in std::fs::read_dir(dir).ok()? {
        let e = e.ok()?;
        if e.file_type().ok()?.is_dir() {
            dirs.push(e.path());
        } else {
            files += 1;
        }
    }
    let below: Option<usize> = dirs.par_iter().map(|d| count_files(d)).sum();
    Some(files + below?)
}

/// A content hash for the record.
pub fn content_hash(bytes: &[u8]) -> u128 {
    let h = blake3::hash(bytes);
    u128::from_le_bytes(h.as_bytes()[..16].try_into().expect("16 bytes"))
}
