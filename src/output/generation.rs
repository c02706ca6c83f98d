//! Generations: the site before the last build, kept beside the output, so that a
//! build writes only the files that changed and still swaps its site in whole.
//!
//! A build does not delete the folder its new site replaced: it stays beside the output
//! as `.public.glyph-prev`, and the record (`published`) lists the paths where the two
//! differ (the ones that build changed). The next build brings that folder up to date
//! by rewriting just those paths and its own changes, then exchanges it with the output
//! in one rename. Both folders share the inodes of every unchanged file, so the copy
//! costs no disk space for them, and a file is only ever replaced (unlinked and written
//! anew), never rewritten in place, which would change it in both.
//!
//! The folder is trusted only when it is the very folder the record names (its device
//! and inode) and no flag beside it says a build was writing it: a build killed while
//! bringing it up to date leaves the flag, and the next build fills it anew from the
//! output, as if there were none.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A folder's identity on its file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirId {
    dev: u64,
    ino: u64,
}

impl DirId {
    /// `None` where there is no such folder, or the platform has no inode numbers
    /// (there every build fills the previous folder anew).
    pub fn of(path: &Path) -> Option<DirId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::symlink_metadata(path).ok()?;
            m.is_dir().then(|| DirId {
                dev: m.dev(),
                ino: m.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }
}

/// What the record says of the previous generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prev {
    pub dir: DirId,
    /// The paths whose content differs between it and the output, or that only one of
    /// them has, sorted.
    pub differs: Vec<String>,
}

/// The paths beside the output that belong to it.
pub struct Folders {
    /// The previous generation, and the next build's workspace.
    pub prev: PathBuf,
    /// Present while a build is writing `prev`, and until its record is saved.
    pub dirty: PathBuf,
    /// Held by the build writing the site.
    pub lock: PathBuf,
}

impl Folders {
    pub fn of(target: &Path) -> Folders {
        let parent = target.parent().unwrap_or(Path::new("."));
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let prev = parent.join(format!(".{name}.glyph-prev"));
        Folders {
            dirty: with_suffix(&prev, ".dirty"),
            lock: with_suffix(&prev, ".lock"),
            prev,
        }
    }

    /// The paths where the previous folder differs from the output, when it can be
    /// trusted to be as the record says.
    pub fn trusted<'a>(&self, prev: Option<&'a Prev>) -> Option<&'a [String]> {
        let prev = prev?;
        (DirId::of(&self.prev) == Some(prev.dir) && !self.dirty.exists())
            .then_some(prev.differs.as_slice())
    }

    /// Say that the previous folder is being written, before touching it.
    pub fn mark_dirty(&self) -> std::io::Result<()> {
        std::fs::write(&self.dirty, b"")
    }

    /// The record of the new site is saved: the previous folder is as it says.
    pub fn settle(&self) {
        let _ = std::fs::remove_file(&self.dirty);
    }

    /// Empty the previous folder for a fill from scratch. It is only removed when it is
    /// a site glyph made (its marker is in it) or a build was writing it.
    pub fn clear_prev(&self) -> std::io::Result<()> {
        if !self.prev.exists() {
            return Ok(());
        }
        if !self.prev.join(super::MARKER).is_file() && !self.dirty.exists() {
            return Err(std::io::Error::other(format!(
                "{} is in the way, and glyph did not make it",
                self.prev.display()
            )));
        }
        std::fs::remove_dir_all(&self.prev)
    }
}

/// Held while a build writes the site, so that two builds of one output never write
/// the previous folder at once, and while a deploy reads it, so that no build swaps a
/// new site in under a deploy half sent. Where the file system has no locks, builds go
/// on without one.
pub struct Lock(#[allow(dead_code)] Option<std::fs::File>);

impl Lock {
    pub fn take(path: &Path) -> std::io::Result<Lock> {
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Lock(Some(file))),
            Err(std::fs::TryLockError::WouldBlock) => Err(std::io::Error::other(
                "another glyph build or deploy is using this site; wait for it to finish",
            )),
            Err(std::fs::TryLockError::Error(_)) => Ok(Lock(None)),
        }
    }
}

/// Remove `path` below `root`, then every folder above it that is left empty.
pub fn remove_and_prune(root: &Path, path: &str) -> std::io::Result<()> {
    let full = root.join(path);
    match std::fs::remove_file(&full) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut dir = full.parent();
    while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// `path` with `suffix` after its whole name (`Path::with_extension` would replace the
/// part after the last dot of `.public.glyph-prev`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_stops_at_the_first_folder_still_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/index.html"), "x").unwrap();
        std::fs::write(root.join("a/keep.html"), "x").unwrap();
        remove_and_prune(root, "a/b/index.html").unwrap();
        assert!(!root.join("a/b").exists());
        assert!(root.join("a/keep.html").exists());
        remove_and_prune(root, "a/keep.html").unwrap();
        assert!(!root.join("a").exists() && root.exists());
        remove_and_prune(root, "never/was.html").unwrap();
    }

    #[test]
    fn a_dirty_or_different_folder_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let f = Folders::of(&dir.path().join("public"));
        std::fs::create_dir(&f.prev).unwrap();
        let prev = Prev {
            dir: DirId::of(&f.prev).unwrap(),
            differs: vec!["index.html".into()],
        };
        assert_eq!(f.trusted(Some(&prev)), Some(&prev.differs[..]));
        f.mark_dirty().unwrap();
        assert_eq!(f.trusted(Some(&prev)), None);
        f.settle();
        assert!(f.trusted(Some(&prev)).is_some());
        std::fs::remove_dir(&f.prev).unwrap();
        assert_eq!(f.trusted(Some(&prev)), None, "a missing folder");
        assert_eq!(f.trusted(None), None, "no record of one");
    }
}
