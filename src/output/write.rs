//! The file operations of an output: filling a folder with a whole site, bringing the
//! previous generation up to date path by path, and swapping it in.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::generation::{remove_and_prune, with_suffix};
use super::published::{Entry, Intact};
use super::Item;
use crate::cache::Stamp;

/// The paths whose content the new site changes: every file not kept as it is, and
/// every recorded file it no longer has. Sorted.
pub fn changed_paths(plan: &[(String, Item)], before: &Intact) -> Vec<String> {
    let mut out: Vec<String> = plan
        .iter()
        .filter(|(_, item)| !matches!(item, Item::Keep(_)))
        .map(|(p, _)| p.clone())
        .collect();
    let planned: HashSet<&str> = plan.iter().map(|(p, _)| p.as_str()).collect();
    out.extend(
        before
            .files
            .keys()
            .chain(&before.lost)
            .filter(|p| !planned.contains(p.as_str()))
            .cloned(),
    );
    out.sort_unstable();
    out.dedup();
    out
}

/// Two sorted path lists as one, sorted.
pub fn union(a: &[String], b: &[String]) -> Vec<String> {
    let mut out: Vec<String> = a.iter().chain(b).cloned().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Fill the empty folder `to` with the whole site; unchanged files are hard links to
/// those of `current`.
pub fn fill(
    to: &Path,
    current: &Path,
    plan: &[(String, Item)],
) -> std::io::Result<BTreeMap<String, Entry>> {
    std::fs::create_dir_all(to)?;
    let dirs: HashSet<PathBuf> = plan
        .iter()
        .filter_map(|(p, _)| to.join(p).parent().map(Path::to_path_buf))
        .collect();
    let mut dirs: Vec<_> = dirs.into_iter().collect();
    dirs.sort();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    plan.par_iter()
        .map(|(path, item)| {
            let entry = match item {
                Item::Done(e) => e.clone(),
                _ => put(to, current, path, item)?,
            };
            Ok((path.clone(), entry))
        })
        .collect()
}

/// Bring `prev` (the previous generation) to the new site by rewriting only `paths`:
/// the ones where it differs from `current` and the ones this build changes. Every
/// other file of it already is the file `current` holds.
pub fn update(
    prev: &Path,
    current: &Path,
    plan: &[(String, Item)],
    paths: &[String],
) -> std::io::Result<BTreeMap<String, Entry>> {
    let touched = |p: &str| paths.binary_search_by(|x| x.as_str().cmp(p)).is_ok();
    let mut out = BTreeMap::new();
    for (path, item) in plan {
        let entry = match item {
            Item::Keep(e) if !touched(path) => e.clone(),
            Item::Done(e) => e.clone(),
            _ => replace(prev, current, path, item)?,
        };
        out.insert(path.clone(), entry);
    }
    for path in paths {
        if !out.contains_key(path) {
            remove_and_prune(prev, path)?;
        }
    }
    Ok(out)
}

/// Bring `prev` to the new site when nothing is known of it (a build was killed while
/// writing it, or it is not the folder the record names): every file that is not
/// already the very file it should be (the same inode as the output's or the cache's)
/// is replaced, and whatever the site does not have is removed. Costs a look at every
/// file, but writes only what differs; a folder made anew would cost a write of each.
pub fn resync(
    prev: &Path,
    current: &Path,
    plan: &[(String, Item)],
) -> std::io::Result<BTreeMap<String, Entry>> {
    let out: BTreeMap<String, Entry> = plan
        .par_iter()
        .map(|(path, item)| {
            let to = prev.join(path);
            let same = match item {
                Item::Keep(_) => same_file(&to, &current.join(path)),
                Item::Media(cached) => same_file(&to, cached),
                Item::Bytes(..) | Item::Done(_) => false,
            };
            let entry = match item {
                Item::Keep(e) if same => e.clone(),
                Item::Media(_) if same => entry_of(&to, None)?,
                Item::Done(e) => e.clone(),
                _ => replace(prev, current, path, item)?,
            };
            Ok((path.clone(), entry))
        })
        .collect::<std::io::Result<_>>()?;
    let extra: Vec<PathBuf> = walkdir::WalkDir::new(prev)
        .into_iter()
        .flatten()
        .filter(|e| e.depth() > 0)
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(prev)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            (!e.file_type().is_dir() && !out.contains_key(&rel)).then(|| e.path().to_path_buf())
        })
        .collect();
    for path in extra {
        std::fs::remove_file(&path)?;
    }
    prune_empty(prev);
    Ok(out)
}

/// Whether two paths are one file (hard links of each other).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::symlink_metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.is_file() && x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Make room for a file at `to`: its folders exist, and nothing is where it goes (a
/// folder of that name is removed whole; below the previous generation only).
fn clear_way(root: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(dir) = to.parent() {
        if !dir.is_dir() {
            // A file where a folder must go.
            let mut d = dir;
            while d != root && d.starts_with(root) {
                if d.is_file() {
                    std::fs::remove_file(d)?;
                    break;
                }
                d = d.parent().unwrap_or(root);
            }
            std::fs::create_dir_all(dir)?;
        }
    }
    match std::fs::symlink_metadata(to) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(to),
        Ok(_) => std::fs::remove_file(to),
        Err(_) => Ok(()),
    }
}

/// Remove every empty folder below `root`.
fn prune_empty(root: &Path) {
    let walk = walkdir::WalkDir::new(root).contents_first(true);
    for e in walk.into_iter().flatten() {
        if e.depth() > 0 && e.file_type().is_dir() {
            let _ = std::fs::remove_dir(e.path());
        }
    }
}

/// Write one file of the site into `root`, in place of whatever is there.
pub fn replace(root: &Path, current: &Path, path: &str, item: &Item) -> std::io::Result<Entry> {
    clear_way(root, &root.join(path))?;
    put(root, current, path, item)
}

/// Write one file of the site into `root` (where there is none yet: a file is replaced,
/// never rewritten, for it may be the very inode the output has too).
fn put(root: &Path, current: &Path, path: &str, item: &Item) -> std::io::Result<Entry> {
    let to = root.join(path);
    Ok(match item {
        Item::Keep(e) => {
            link_or_copy(&current.join(path), &to)?;
            e.clone()
        }
        Item::Media(cached) => {
            link_or_copy(cached, &to)?;
            entry_of(&to, None)?
        }
        Item::Bytes(b, h) => {
            std::fs::write(&to, b)?;
            entry_of(&to, Some(*h))?
        }
        Item::Done(e) => e.clone(),
    })
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

/// Put `next` in place of `target`, and the folder that was there at `next`. On Linux
/// one atomic `renameat2(RENAME_EXCHANGE)`: at every instant the target is the old
/// site or the new one. Elsewhere three renames, with a moment between the first two
/// where there is none.
pub fn swap(next: &Path, target: &Path) -> std::io::Result<()> {
    if !target.exists() {
        return std::fs::rename(next, target);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, next, CWD, target, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = with_suffix(next, ".swap");
    let _ = std::fs::remove_dir_all(&aside);
    std::fs::rename(target, &aside)?;
    if let Err(e) = std::fs::rename(next, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(e);
    }
    std::fs::rename(&aside, next)
}
