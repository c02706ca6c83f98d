//! Output: write the whole site into a staging folder beside the target, then swap it in.
//!
//! On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`, so at every instant the
//! target is either the old site or the new one, even if the build is killed. Elsewhere
//! it is two renames. A failed or killed build leaves the last good site in place; its
//! leftover staging folder is removed by the next build.
//!
//! Files unchanged since the last build (see `published`) are hard-linked from the
//! current site into the staging folder instead of written, and when nothing changed at
//! all the folder is left as it is.

mod error;
pub mod published;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use published::{content_hash, Entry, Intact};

use crate::cache::Stamp;
use crate::config::Site;
use crate::diag::{rel, Diagnostic};
use crate::render::theme::Source;
use crate::render::OutputFile;
pub use error::Error;

const STAGING: &str = "glyph-staging";
/// Marks a folder as glyph's output, so a build never replaces a folder it did not make.
pub const MARKER: &str = ".glyph-output";
const MARKER_TEXT: &str =
    "This folder is made by `glyph build` and replaced whole on every build.\n";

/// Everything that makes up the site.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    pub generated: Vec<OutputFile>,
    /// Pages that were not rendered again because the output folder has them unchanged.
    pub kept: Vec<String>,
    /// Theme and site static files: output path → source.
    pub statics: Vec<(String, Source)>,
    /// Derived images: file name under `media/` → the cached file.
    pub media: Vec<(String, PathBuf)>,
}

/// Refuse an output folder that holds, or is, anything the curator wrote: replacing it
/// would delete their work.
pub fn check_target(site: &Site) -> Result<(), Error> {
    let out = normalise(&site.output);
    let output = || site.output.clone();
    let precious = [
        (&site.root, "the site folder"),
        (&site.photos, "the photos folder"),
        (&site.content, "the content folder"),
    ];
    for (dir, what) in precious {
        let dir = normalise(dir);
        if out == dir
            || dir.starts_with(&out)
            || out.starts_with(&dir) && dir != normalise(&site.root)
        {
            return Err(Error::Overwrites {
                output: output(),
                what,
            });
        }
    }
    for sub in ["templates", "static", "themes"] {
        let dir = normalise(&site.root.join(sub));
        if out == dir || out.starts_with(&dir) {
            return Err(Error::InsideSource {
                output: output(),
                sub,
            });
        }
    }
    if out.is_dir()
        && !out.join(MARKER).is_file()
        && std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some())
    {
        return Err(Error::NotOurs(output()));
    }
    if out.is_file() {
        return Err(Error::IsFile(output()));
    }
    Ok(())
}

/// Resolve `.` and `..` without touching the file system (the folder may not exist yet).
pub fn normalise(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// What `write_site` did.
#[derive(Debug)]
pub struct Written {
    /// Every file of the output folder now, for the next build's `Published` record.
    pub files: BTreeMap<String, Entry>,
    /// False when nothing changed and the folder was left alone.
    pub changed: bool,
}

/// One file of the new site, and where its content comes from.
enum Item<'a> {
    /// Unchanged: take it from the current output folder.
    Keep(Entry),
    Bytes(std::borrow::Cow<'a, [u8]>, u128),
    Media(&'a Path),
}

/// Write `files` as the new content of `target`; the target is untouched unless
/// everything was written. `before` is what the current output is known to hold, and
/// `fingerprints` the render fingerprint of each page, for the next build's record.
pub fn write_site(
    target: &Path,
    files: &SiteFiles,
    before: &Intact,
    fingerprints: &HashMap<String, u64>,
) -> Result<Written, Error> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let fail = |what: &'static str, source: std::io::Error| Error::Io { what, source };
    let plan = plan(files, before).map_err(|e| fail("read a static file", e))?;
    let with_fp = |mut files: BTreeMap<String, Entry>| {
        for (path, e) in files.iter_mut() {
            e.fp = fingerprints.get(path).copied();
        }
        files
    };
    let unchanged = before.whole
        && before.files.len() == plan.len()
        && plan.iter().all(|(_, item)| matches!(item, Item::Keep(_)));
    if unchanged && target.join(MARKER).is_file() {
        remove_leftovers(parent, &name);
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
        });
    }
    std::fs::create_dir_all(parent).map_err(|e| fail("create the output's parent folder", e))?;
    let staging = parent.join(format!(".{name}.{STAGING}-{}", std::process::id()));
    let _lock = StagingLock::take(&staging).map_err(|e| fail("lock a staging folder", e))?;
    remove_leftovers(parent, &name);
    // Ours by the lock: whatever is there was left by a killed process with our id.
    let _ = std::fs::remove_dir_all(&staging);
    let written = match fill(&staging, target, plan) {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(fail("write the site", e));
        }
    };
    swap(&staging, target).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        fail("replace the output folder", e)
    })?;
    Ok(Written {
        files: with_fp(written),
        changed: true,
    })
}

/// Decide, file by file, what the new site is made of. Generated pages win over
/// statics of the same path (`clashes` has warned about those).
fn plan<'a>(files: &'a SiteFiles, before: &Intact) -> std::io::Result<Vec<(String, Item<'a>)>> {
    let keep = |path: &str, hash: Option<u128>| {
        let e = before.files.get(path)?;
        (e.hash == hash).then(|| e.clone())
    };
    let bytes = |path: &str, b: std::borrow::Cow<'a, [u8]>| {
        let h = content_hash(&b);
        match keep(path, Some(h)) {
            Some(e) => Item::Keep(e),
            None => Item::Bytes(b, h),
        }
    };
    let mut plan: BTreeMap<String, Item> = BTreeMap::new();
    plan.insert(MARKER.into(), bytes(MARKER, MARKER_TEXT.as_bytes().into()));
    for (path, src) in &files.statics {
        plan.insert(path.clone(), bytes(path, src.read()?.into()));
    }
    for (name, cached) in &files.media {
        let path = format!("media/{name}");
        let item = match keep(&path, None) {
            Some(e) => Item::Keep(e),
            None => Item::Media(cached),
        };
        plan.insert(path, item);
    }
    // Kept pages come from `before` (the render memo is made of its entries).
    for path in &files.kept {
        if let Some(e) = before.files.get(path) {
            plan.insert(path.clone(), Item::Keep(e.clone()));
        }
    }
    for (path, b) in &files.generated {
        plan.insert(path.clone(), bytes(path, b.as_slice().into()));
    }
    Ok(plan.into_iter().collect())
}
/// Static files that would land where a generated file goes: the generated one wins,
/// and the curator is told which file is not published.
pub fn clashes(
    root: &Path,
    generated: &[OutputFile],
    statics: &[(String, Source)],
) -> Vec<Diagnostic> {
    let generated: HashSet<&str> = generated.iter().map(|(p, _)| p.as_str()).collect();
    statics
        .iter()
        .filter(|(path, _)| generated.contains(path.as_str()) || path.starts_with("media/") || path == MARKER)
        .map(|(path, src)| {
            Diagnostic::warning(format!("static file `{path}` has the same path as a page glyph makes, so it is not published"))
                .file(rel(root, &src.describe(path, "static")))
                .hint("rename or move it")
        })
        .collect()
}

/// Remove the staging folders of builds that were killed. One whose build still holds
/// its lock (another `glyph build` of the same output, on this machine or another one
/// sharing the folder) is left to that build.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.{STAGING}-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let ids: HashSet<String> = entries
        .flatten()
        .filter_map(|e| {
            let file_name = e.file_name().to_string_lossy().into_owned();
            let rest = file_name.strip_prefix(&prefix)?;
            Some(rest.split('.').next().unwrap_or(rest).to_string())
        })
        .collect();
    for id in ids {
        let base = parent.join(format!("{prefix}{id}"));
        let lock = StagingLock::path(&base);
        if let Ok(file) = std::fs::File::open(&lock) {
            if matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock)) {
                continue;
            }
        }
        let _ = std::fs::remove_dir_all(&base);
        let _ = std::fs::remove_dir_all(old_site(&base));
        let _ = std::fs::remove_file(&lock);
    }
}

/// Held by a build for as long as its staging folder exists, so that other builds of
/// the same output know the folder is not a leftover. Where the file system has no
/// locks, builds go on without one.
struct StagingLock {
    path: PathBuf,
    _file: Option<std::fs::File>,
}

impl StagingLock {
    fn take(staging: &Path) -> std::io::Result<StagingLock> {
        let path = Self::path(staging);
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        let file = match file.try_lock() {
            Ok(()) => Some(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::other(
                    "another glyph build with the same process id holds it",
                ))
            }
            Err(std::fs::TryLockError::Error(_)) => None,
        };
        Ok(StagingLock { path, _file: file })
    }

    fn path(staging: &Path) -> PathBuf {
        with_suffix(staging, ".lock")
    }
}

impl Drop for StagingLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where the previous site waits while the new one is renamed into place (where the
/// swap is not one atomic exchange).
fn old_site(staging: &Path) -> PathBuf {
    with_suffix(staging, ".old")
}

/// `path` with `suffix` after its whole name (`Path::with_extension` would replace the
/// part after the last dot of `.public.glyph-staging-12`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn fill(
    staging: &Path,
    current: &Path,
    plan: Vec<(String, Item)>,
) -> std::io::Result<BTreeMap<String, Entry>> {
    std::fs::create_dir_all(staging)?;
    let mut made_dirs: HashSet<PathBuf> = HashSet::new();
    let mut out = BTreeMap::new();
    for (path, item) in plan {
        let to = staging.join(&path);
        if let Some(dir) = to.parent() {
            if !made_dirs.contains(dir) {
                std::fs::create_dir_all(dir)?;
                made_dirs.insert(dir.to_path_buf());
            }
        }
        let entry = match item {
            Item::Keep(e) => {
                link_or_copy(&current.join(&path), &to)?;
                e
            }
            Item::Media(cached) => {
                link_or_copy(cached, &to)?;
                entry_of(&to, None)?
            }
            Item::Bytes(b, h) => {
                std::fs::write(&to, &b)?;
                entry_of(&to, Some(h))?
            }
        };
        out.insert(path, entry);
    }
    Ok(out)
}

/// A hard link costs nothing; across file systems fall back to a copy.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to)?;
    }
    Ok(())
}

fn entry_of(path: &Path, hash: Option<u128>) -> std::io::Result<Entry> {
    Ok(Entry {
        stamp: Stamp::of_output(&std::fs::metadata(path)?),
        hash,
        fp: None,
    })
}

fn swap(staging: &Path, target: &Path) -> std::io::Result<()> {
    if !target.exists() {
        return std::fs::rename(staging, target);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site; the next build removes it if this fails.
            let _ = std::fs::remove_dir_all(staging);
            return Ok(());
        }
    }
    let old = old_site(staging);
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::published::Published;
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn files(pages: &[(&str, &str)]) -> SiteFiles {
        SiteFiles {
            generated: pages
                .iter()
                .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
                .collect(),
            ..SiteFiles::default()
        }
    }

    fn write(_root: &Path, target: &Path, f: &SiteFiles, before: &Intact) -> Written {
        write_site(target, f, before, &HashMap::new()).unwrap()
    }

    fn intact(target: &Path, w: &Written) -> Intact {
        Published::new(target, 0, w.files.clone()).intact()
    }

    #[test]
    fn replaces_whole_folder_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let none = Intact::default();
        write(dir.path(), &target, &files(&[("index.html", "one")]), &none);
        std::fs::write(target.join("stale.html"), "old").unwrap();
        write(dir.path(), &target, &files(&[("index.html", "two")]), &none);
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(!target.join("stale.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "only public/ remains");
        assert!(target.join(MARKER).is_file());
    }

    #[test]
    fn unchanged_files_are_linked_and_an_unchanged_site_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let site = files(&[("a/index.html", "a"), ("b/index.html", "b")]);
        let first = write(dir.path(), &target, &site, &Intact::default());
        assert!(first.changed);
        let inode = |p: &str| std::fs::metadata(target.join(p)).unwrap().ino();
        let a = inode("a/index.html");

        let again = write(dir.path(), &target, &site, &intact(&target, &first));
        assert!(!again.changed, "nothing changed, nothing written");
        assert_eq!(again.files, first.files);

        let edited = files(&[("a/index.html", "a"), ("b/index.html", "B")]);
        let third = write(dir.path(), &target, &edited, &intact(&target, &again));
        assert!(third.changed);
        assert_eq!(
            inode("a/index.html"),
            a,
            "the unchanged page is the same file"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("b/index.html")).unwrap(),
            "B"
        );

        // A page edited by hand in the output is not trusted: the next build replaces it.
        std::fs::write(target.join("a/index.html"), "hand-edited, longer").unwrap();
        let fourth = write(dir.path(), &target, &edited, &intact(&target, &third));
        assert!(fourth.changed);
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "a"
        );

        // A page no longer made is removed.
        let fewer = files(&[("a/index.html", "a")]);
        write(dir.path(), &target, &fewer, &intact(&target, &fourth));
        assert!(!target.join("b/index.html").exists());
    }
}
