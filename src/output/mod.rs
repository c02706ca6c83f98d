//! Output: the new site is made in a folder beside the target, then swapped in whole.
//!
//! That folder is the site before the last build (`generation`), brought up to date by
//! writing only the files that changed since then, so a build's work on disk follows
//! the change, not the size of the site. On Linux the swap is one atomic
//! `renameat2(RENAME_EXCHANGE)`, so at every instant the target is either the old site
//! or the new one, even if the build is killed; elsewhere it is three renames. A failed
//! or killed build leaves the last good site in place. When nothing changed at all the
//! folder is left as it is. Which files are unchanged is known from the record of the
//! last build (`published`).

mod error;
mod generation;
pub mod published;
mod spool;
mod write;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use generation::Prev;
use published::{content_hash, Entry, Intact};
pub use spool::Spool;

use crate::config::Site;
use crate::diag::{rel, Diagnostic};
use crate::render::theme::Source;
use crate::render::OutputFile;
pub use error::Error;

/// Marks a folder as glyph's output, so a build never replaces a folder it did not make.
pub const MARKER: &str = ".glyph-output";
const MARKER_TEXT: &str =
    "This folder is made by `glyph build` and replaced whole on every build.\n";

/// Keep builds of `target` from swapping a new site in while it is read (a deploy):
/// held until dropped. A build that is writing it already makes this an error.
pub fn hold(target: &Path) -> std::io::Result<generation::Lock> {
    generation::Lock::take(&generation::Folders::of(target).lock)
}

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
    /// The previous generation now beside the output, for the record.
    pub prev: Option<Prev>,
}

/// One file of the new site, and where its content comes from.
pub(crate) enum Item<'a> {
    /// Unchanged: take it from the current output folder.
    Keep(Entry),
    Bytes(std::borrow::Cow<'a, [u8]>, u128),
    Media(&'a Path),
    /// Already written into the next generation, as the page was rendered.
    Done(Entry),
}

/// Write `files` as the new content of `target` (see `Spool::finish`), with no page
/// written ahead.
#[cfg(test)]
fn write_site(
    target: &Path,
    files: &SiteFiles,
    before: Intact,
    fingerprints: &std::collections::HashMap<String, u64>,
) -> Result<Written, Error> {
    Spool::new(target, before).finish(files, fingerprints)
}

/// The previous generation of `target` is written: the record of the site is saved.
pub fn settle(target: &Path) {
    generation::Folders::of(target).settle();
}

/// Decide, file by file, what the new site is made of. Generated pages win over
/// statics of the same path (`clashes` has warned about those).
fn plan<'a>(
    files: &'a SiteFiles,
    before: &Intact,
    streamed: Vec<(String, Item<'a>)>,
) -> std::io::Result<Vec<(String, Item<'a>)>> {
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
    plan.extend(streamed);
    for (path, b) in &files.generated {
        plan.insert(path.clone(), bytes(path, b.as_slice().into()));
    }
    Ok(plan.into_iter().collect())
}
/// Static files that would land where a generated file goes: the generated one wins,
/// and the curator is told which file is not published.
pub fn clashes<'a>(
    root: &Path,
    generated: impl IntoIterator<Item = &'a str>,
    statics: &[(String, Source)],
) -> Vec<Diagnostic> {
    let generated: HashSet<&str> = generated.into_iter().collect();
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

    fn write(_root: &Path, target: &Path, f: &SiteFiles, before: Intact) -> Written {
        write_site(target, f, before, &std::collections::HashMap::new()).unwrap()
    }

    /// What the next build knows, as the pipeline saves it.
    fn intact(target: &Path, w: &Written) -> Intact {
        let i = Published::new(target, 0, w.files.clone())
            .with_prev(w.prev.clone())
            .intact(None);
        settle(target);
        i
    }

    #[test]
    fn replaces_whole_folder_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let none = || Intact::default();
        write(
            dir.path(),
            &target,
            &files(&[("index.html", "one")]),
            none(),
        );
        std::fs::write(target.join("stale.html"), "old").unwrap();
        write(
            dir.path(),
            &target,
            &files(&[("index.html", "two")]),
            none(),
        );
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(!target.join("stale.html").exists());
        let mut beside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        beside.sort();
        assert_eq!(
            beside,
            [
                ".public.glyph-prev",
                ".public.glyph-prev.dirty",
                ".public.glyph-prev.lock",
                "public"
            ]
        );
        settle(&target);
        assert!(!dir.path().join(".public.glyph-prev.dirty").exists());
        assert!(target.join(MARKER).is_file());
    }

    #[test]
    fn unchanged_files_are_linked_and_an_unchanged_site_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let site = files(&[("a/index.html", "a"), ("b/index.html", "b")]);
        let first = write(dir.path(), &target, &site, Intact::default());
        assert!(first.changed);
        let inode = |p: &str| std::fs::metadata(target.join(p)).unwrap().ino();
        let a = inode("a/index.html");

        let again = write(dir.path(), &target, &site, intact(&target, &first));
        assert!(!again.changed, "nothing changed, nothing written");
        assert_eq!(again.files, first.files);

        let edited = files(&[("a/index.html", "a"), ("b/index.html", "B")]);
        let third = write(dir.path(), &target, &edited, intact(&target, &again));
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
        let fourth = write(dir.path(), &target, &edited, intact(&target, &third));
        assert!(fourth.changed);
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "a"
        );

        // A page no longer made is removed.
        let fewer = files(&[("a/index.html", "a")]);
        write(dir.path(), &target, &fewer, intact(&target, &fourth));
        assert!(!target.join("b/index.html").exists());
    }
}
