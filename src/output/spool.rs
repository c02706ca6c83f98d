//! A build's write of the site: pages go into the next generation as they are rendered
//! (so a build holds no page longer than it takes to write it), then everything else,
//! then the swap. The folder is only claimed (locked, flagged) when a first file must
//! really be written: a build that changes nothing never touches it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::generation::{DirId, Folders, Lock, Prev};
use super::published::{content_hash, Entry, Intact};
use super::{plan, write, Error, Item, SiteFiles, Written, MARKER};

/// The output being written.
pub struct Spool {
    target: PathBuf,
    before: Intact,
    folders: Folders,
    claim: OnceLock<Result<Claim, (&'static str, String)>>,
    /// Pages handed in as they were rendered: kept as the output has them, or written.
    streamed: Mutex<Vec<(String, Streamed)>>,
}

enum Streamed {
    Same(Entry),
    Written(Entry),
}

/// The next generation's folder, ours while the build writes it.
struct Claim {
    _lock: Lock,
    /// The target existed when the build began.
    existed: bool,
    how: How,
    /// With `How::Replay`: where the folder differs from the output.
    differs: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    /// The folder is as the record says: rewrite what differs.
    Replay,
    /// Nothing is known of the folder: check every file.
    Resync,
    /// An empty folder: write everything.
    Fresh,
}

impl Spool {
    /// `before` is what the output is known to hold.
    pub fn new(target: &Path, before: Intact) -> Spool {
        Spool {
            target: target.to_path_buf(),
            before,
            folders: Folders::of(target),
            claim: OnceLock::new(),
            streamed: Mutex::new(Vec::new()),
        }
    }

    /// Take one rendered page: unchanged from the output's copy, it is only noted;
    /// otherwise it is written into the next generation at once.
    pub fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        let hash = content_hash(&bytes);
        let outcome = match self.before.files.get(path) {
            Some(e) if e.hash == Some(hash) => Streamed::Same(e.clone()),
            _ => {
                self.claimed()?;
                let item = Item::Bytes(bytes.into(), hash);
                let entry = write::replace(&self.folders.prev, &self.target, path, &item)
                    .map_err(io("write the site"))?;
                Streamed::Written(entry)
            }
        };
        let mut streamed = self.streamed.lock().unwrap_or_else(|e| e.into_inner());
        streamed.push((path.to_string(), outcome));
        Ok(())
    }

    fn claimed(&self) -> Result<&Claim, Error> {
        self.claim
            .get_or_init(|| {
                self.claim_folder()
                    .map_err(|(what, e)| (what, e.to_string()))
            })
            .as_ref()
            .map_err(|(what, e)| Error::Io {
                what,
                source: std::io::Error::other(e.clone()),
            })
    }

    /// Lock and flag the next generation's folder, and decide how to bring it up to date.
    fn claim_folder(&self) -> Result<Claim, (&'static str, std::io::Error)> {
        let at = |what: &'static str| move |e: std::io::Error| (what, e);
        if let Some(parent) = self.target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(at("create the output's parent folder"))?;
        }
        let lock = Lock::take(&self.folders.lock).map_err(at("lock the output folder"))?;
        // The record was read before the lock was ours: a build that finished meanwhile
        // replaced the folder it describes.
        if self.before.dir.is_some() && DirId::of(&self.target) != self.before.dir {
            return Err((
                "write the site",
                std::io::Error::other(
                    "another glyph build replaced the output meanwhile; build again",
                ),
            ));
        }
        let existed = self.target.is_dir();
        let f = &self.folders;
        let trusted = existed
            .then(|| f.trusted(self.before.prev.as_ref()))
            .flatten();
        let ours = f.prev.join(MARKER).is_file() || f.dirty.exists() && f.prev.is_dir();
        f.mark_dirty()
            .map_err(at("mark the previous site as being written"))?;
        let how = match (trusted.is_some(), ours && existed) {
            (true, _) => How::Replay,
            (false, true) => How::Resync,
            (false, false) => {
                f.clear_prev().map_err(at("clear the previous site"))?;
                std::fs::create_dir_all(&f.prev).map_err(at("create the next site's folder"))?;
                How::Fresh
            }
        };
        Ok(Claim {
            _lock: lock,
            existed,
            how,
            differs: trusted.map(<[String]>::to_vec).unwrap_or_default(),
        })
    }

    /// Write the rest of `files` and swap the new site in; the target is untouched
    /// unless everything was written. `fingerprints` are the pages' render
    /// fingerprints, for the next build's record. Once that record is saved,
    /// `super::settle` says the previous generation is as it says.
    pub fn finish(
        self,
        files: &SiteFiles,
        fingerprints: &HashMap<String, u64>,
    ) -> Result<Written, Error> {
        let streamed: Vec<(String, Item)> =
            std::mem::take(&mut *self.streamed.lock().unwrap_or_else(|e| e.into_inner()))
                .into_iter()
                .map(|(p, s)| match s {
                    Streamed::Same(e) => (p, Item::Keep(e)),
                    Streamed::Written(e) => (p, Item::Done(e)),
                })
                .collect();
        let plan = plan(files, &self.before, streamed).map_err(io("read a static file"))?;
        let with_fp = |mut files: BTreeMap<String, Entry>| {
            for (path, e) in files.iter_mut() {
                e.fp = fingerprints.get(path).copied();
            }
            files
        };
        let changed = write::changed_paths(&plan, &self.before);
        if changed.is_empty() && self.before.whole && self.target.join(MARKER).is_file() {
            let files = plan
                .into_iter()
                .filter_map(|(path, item)| match item {
                    Item::Keep(e) => Some((path, e)),
                    _ => None,
                })
                .collect();
            return Ok(Written {
                files: with_fp(files),
                changed: false,
                prev: self.before.prev.clone(),
            });
        }
        let claim = self.claimed()?;
        let (prev, target) = (&self.folders.prev, &self.target);
        let written = match claim.how {
            How::Replay => {
                let paths = write::union(&claim.differs, &changed);
                write::update(prev, target, &plan, &paths)
                    .or_else(|_| write::resync(prev, target, &plan))
            }
            How::Resync => write::resync(prev, target, &plan),
            How::Fresh => write::fill(prev, target, &plan),
        }
        .map_err(io("write the site"))?;
        write::swap(prev, target).map_err(io("replace the output folder"))?;
        // The folder just replaced is the next build's workspace, unless it held files
        // the site does not (put there by hand), or there was none.
        let prev = (claim.existed && self.before.whole)
            .then(|| DirId::of(&self.folders.prev))
            .flatten()
            .map(|dir| Prev {
                dir,
                differs: changed,
            });
        Ok(Written {
            files: with_fp(written),
            changed: true,
            prev,
        })
    }
}

fn io(what: &'static str) -> impl Fn(std::io::Error) -> Error {
    move |source| Error::Io { what, source }
}
