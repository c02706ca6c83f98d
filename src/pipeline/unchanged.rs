//! A build with nothing to do stops after a few stats.
//!
//! When the last build of an output folder succeeded without a single diagnostic, it
//! leaves `.glyph-cache/unchanged-<key>.bin`: a hash of the stamps of every input
//! (`site.yaml`, the photos and content folders, the theme's and the site's
//! `templates/` and `static/`), of the binary and of the command line, and the list of
//! every file and folder of the output with a hash of their stamps (a folder's inode,
//! size and modification time; a file's size and modification time, as the output's
//! record keeps them). The next `glyph build` that finds the same inputs and the same
//! output stops there: the folder already holds exactly what the build would make.
//! One that finds the same output but other inputs builds, without checking each file
//! of the output against its record again (`Check::OutputAsLeft`): these stamps
//! already did.
//!
//! What the output check sees is what the full record (`output::published`) sees: a
//! file edited or replaced by hand changes its stamp, and a file added or deleted
//! changes its folder's modification time, so either means a real build. Any real build
//! first deletes the record, so a build that fails or is killed leaves none behind.
//! A folder reached through a symbolic link among the inputs is not followed, so such a
//! site always builds for real.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{BuildOptions, BuildReport, Target};
use crate::config::Site;

const VERSION: u32 = 3;

/// A file's or folder's stamp as this check compares it.
type Stamp = (u64, u64, u128);

#[derive(Serialize, Deserialize)]
struct Record {
    version: u32,
    /// The inputs and options of the build that left the folder.
    inputs: String,
    /// Every path of the output folder below it, folders ending in `/`, sorted and
    /// front-coded (`front_code`).
    paths: Vec<(usize, String)>,
    /// The hash of their stamps, in that order.
    stamps: String,
    signs: usize,
    drafts_left_out: usize,
    pages: usize,
    images_cached: usize,
}

/// What the output folder is known to be before a build.
pub(super) enum Check {
    /// Inputs and output are as the last silent build left them: its report.
    Unchanged(BuildReport),
    /// The output holds exactly the files (this many) and folders the last silent
    /// build left, untouched since; the inputs changed.
    OutputAsLeft(usize),
    Unknown,
}

/// The state of a build's inputs before it reads them.
pub(super) struct Inputs {
    site: Site,
    /// `None` when the inputs cannot be vouched for by stamps (a symlinked folder).
    key: Option<String>,
}

impl Inputs {
    /// The inputs of a `glyph build` to disk; `None` for anything else, or when the
    /// site cannot even be loaded (the real build reports why).
    pub(super) fn of(opts: &BuildOptions) -> Option<Inputs> {
        if opts.target != Target::Disk || opts.lint {
            return None;
        }
        let site = Site::load(&opts.root, &opts.overrides).ok()?;
        let key = inputs_key(opts, &site);
        Some(Inputs { site, key })
    }

    /// What the record of the last silent build says now: nothing changed since it
    /// (its report), only the inputs did (the output is exactly as it left it, so the
    /// build need not check every file of it again), or nothing is known.
    pub(super) fn check(&self) -> Check {
        let Some(key) = self.key.as_ref() else {
            return Check::Unknown;
        };
        let out = crate::output::normalise(&self.site.output);
        let Some(r) = std::fs::read(record_file(&self.site.cache, &out))
            .ok()
            .and_then(|bytes| crate::util::decode_record::<Record>(&bytes))
            .filter(|r| r.version == VERSION)
        else {
            return Check::Unknown;
        };
        let Some(paths) = front_decode(&r.paths) else {
            return Check::Unknown;
        };
        if stamps_hash(&out, &paths, |_| None).ok().as_ref() != Some(&r.stamps) {
            return Check::Unknown;
        }
        if &r.inputs != key {
            return Check::OutputAsLeft(paths.iter().filter(|p| !is_folder(p)).count());
        }
        let files: Vec<String> = paths.into_iter().filter(|p| !is_folder(p)).collect();
        Check::Unchanged(BuildReport {
            signs: r.signs,
            drafts_left_out: r.drafts_left_out,
            pages: r.pages,
            images_cached: r.images_cached,
            output: Some(self.site.output.clone()),
            output_files: files,
            output_changed: false,
            ..BuildReport::default()
        })
    }

    /// A real build starts: the folder is about to change, so no record may vouch for
    /// it until the build has finished.
    pub(super) fn forget(&self) {
        let out = crate::output::normalise(&self.site.output);
        let _ = std::fs::remove_file(record_file(&self.site.cache, &out));
    }

    /// The build succeeded silently: record what it found and left. The build knows
    /// every file it left (`output_files`) and the output's record has their stamps,
    /// so only their folders are stat-ed: walking the whole folder to list and stat
    /// everything again was a tenth of an edit's build at 10,000 signs. A folder that
    /// holds none of them (made by hand) would go unseen, and a file put in it later
    /// too, so when the folders' link counts say there is another, the folder is
    /// walked after all. A failure to record only costs the next build its shortcut.
    pub(super) fn remember(self, report: &BuildReport) {
        let Some(inputs) = self.key else { return };
        let out = crate::output::normalise(&self.site.output);
        let paths = with_folders(&report.output_files);
        let (paths, stamps) = if only_these_folders(&out, &paths) {
            let record = crate::output::published::Published::read(&self.site.cache, &out);
            let recorded = |p: &str| {
                let s = record.as_ref()?.files.get(p)?.stamp;
                Some((0, s.size, s.mtime_ns))
            };
            let stamps = stamps_hash(&out, &paths, recorded);
            (paths, stamps)
        } else {
            let Ok(found) = walk(&out, "") else { return };
            let stamps = hash_stamps(found.iter().map(|(p, s)| (p.as_str(), Ok(*s))));
            (found.into_iter().map(|(p, _)| p).collect(), stamps)
        };
        let Ok(stamps) = stamps else {
            return;
        };
        let record = Record {
            version: VERSION,
            inputs,
            paths: front_code(paths.iter().map(String::as_str)),
            stamps,
            signs: report.signs,
            drafts_left_out: report.drafts_left_out,
            pages: report.pages,
            images_cached: report.images_cached,
        };
        let _ = crate::util::save_record(&record_file(&self.site.cache, &out), &record);
    }
}

/// Whether the folders among `paths` are all the output has: each one's link count is
/// two plus its subfolders. Where a file system does not count them so (btrfs gives
/// every folder one link), this says no, and the caller walks.
fn only_these_folders(out: &Path, paths: &[String]) -> bool {
    use std::os::unix::fs::MetadataExt;
    let mut below: std::collections::HashMap<&str, u64> = paths
        .iter()
        .filter(|p| is_folder(p))
        .map(|p| (p.as_str(), 0))
        .collect();
    for p in paths.iter().filter(|p| is_folder(p) && !p.is_empty()) {
        let inner = &p[..p.len() - 1];
        let parent = inner.rfind('/').map_or("", |i| &p[..=i]);
        if let Some(n) = below.get_mut(parent) {
            *n += 1;
        }
    }
    let below: Vec<(&str, u64)> = below.into_iter().collect();
    below
        .par_iter()
        .with_min_len(256)
        .all(|(p, n)| std::fs::symlink_metadata(out.join(p)).is_ok_and(|m| m.nlink() == 2 + n))
}

/// Every file and folder below `dir` (named `rel`) with its stamp, sorted, folders
/// ending in `/`, the root first as `""` when `rel` is.
fn walk(dir: &Path, rel: &str) -> io::Result<Vec<(String, Stamp)>> {
    let mut out = Vec::new();
    if rel.is_empty() {
        out.push((String::new(), stamp_of(&std::fs::symlink_metadata(dir)?)));
    }
    let mut entries: Vec<(String, std::fs::DirEntry)> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| (e.file_name().to_string_lossy().into_owned(), e)))
        .collect::<io::Result<_>>()?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let below: Vec<io::Result<Vec<(String, Stamp)>>> = entries
        .par_iter()
        .map(|(name, e)| {
            let meta = e.metadata()?;
            if !meta.is_dir() {
                let path = format!("{rel}{name}");
                let stamp = output_stamp(&path, &meta)?;
                return Ok(vec![(path, stamp)]);
            }
            let folder = format!("{rel}{name}/");
            let inside = walk(&e.path(), &folder)?;
            let mut found = Vec::with_capacity(inside.len() + 1);
            found.push((folder, stamp_of(&meta)));
            found.extend(inside);
            Ok(found)
        })
        .collect();
    for b in below {
        out.extend(b?);
    }
    Ok(out)
}

/// The output's root (`""`), every folder (ending in `/`) and every file of `files`
/// (paths below the root), sorted.
fn with_folders(files: &[String]) -> Vec<String> {
    let mut all: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    all.insert("");
    for f in files {
        all.insert(f);
        let mut end = f.len();
        while let Some(slash) = f[..end].rfind('/') {
            if !all.insert(&f[..=slash]) {
                break;
            }
            end = slash;
        }
    }
    all.into_iter().map(str::to_string).collect()
}

fn record_file(cache: &Path, output: &Path) -> PathBuf {
    crate::output::published::record_file(cache, output, "unchanged", "bin")
}

/// A hash of the binary, the options, and the stamp of every input file and folder.
fn inputs_key(opts: &BuildOptions, site: &Site) -> Option<String> {
    let mut h = blake3::Hasher::new();
    let options = format!(
        "{VERSION} {:?} {:?} {} {} {}",
        crate::util::binary_id()?,
        opts.overrides,
        opts.strict,
        opts.live_reload,
        crate::output::normalise(&site.root).display(),
    );
    h.update(options.as_bytes());
    let theme = site.root.join("themes").join(&site.config.theme);
    let places = [
        site.root.join(crate::config::CONFIG_FILE),
        site.photos.clone(),
        site.content.clone(),
        theme.join("templates"),
        theme.join("static"),
        site.root.join("templates"),
        site.root.join("static"),
    ];
    let hashes: Vec<Option<blake3::Hash>> = places.par_iter().map(|p| tree_hash(p)).collect();
    // Absolute, so `glyph build` in the site and `glyph build --root DIR` agree.
    for (place, hash) in places.iter().zip(hashes) {
        h.update(
            crate::output::normalise(place)
                .as_os_str()
                .as_encoded_bytes(),
        );
        h.update(hash?.as_bytes());
    }
    Some(h.finalize().to_hex().to_string())
}

/// A hash of the names and stamps of everything at and below `path` (a missing path
/// hashes as such); `None` for a symbolic link to a folder, whose inside is not seen.
fn tree_hash(path: &Path) -> Option<blake3::Hash> {
    let mut h = blake3::Hasher::new();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(_) => return Some(h.finalize()),
    };
    let meta = if meta.file_type().is_symlink() {
        let target = std::fs::metadata(path).ok()?;
        if target.is_dir() {
            return None;
        }
        h.update(&stamp_bytes(&meta));
        target
    } else {
        meta
    };
    h.update(&stamp_bytes(&meta));
    if meta.is_dir() {
        let mut names: Vec<_> = std::fs::read_dir(path)
            .ok()?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<io::Result<_>>()
            .ok()?;
        names.sort();
        let below: Vec<Option<blake3::Hash>> =
            names.par_iter().map(|n| tree_hash(&path.join(n))).collect();
        for (name, hash) in names.iter().zip(below) {
            h.update(name.as_encoded_bytes());
            h.update(hash?.as_bytes());
        }
    }
    Some(h.finalize())
}

fn stamp_of(meta: &std::fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    let mtime = u128::try_from(meta.mtime()).unwrap_or(0) * 1_000_000_000
        + u128::try_from(meta.mtime_nsec()).unwrap_or(0);
    (meta.ino(), meta.len(), mtime)
}

/// A source file's stamp, with its inode change time: tools that put a photo's
/// modification time back cannot put that one back.
fn stamp_bytes(meta: &std::fs::Metadata) -> [u8; 48] {
    use std::os::unix::fs::MetadataExt;
    let (ino, len, mtime) = stamp_of(meta);
    let ctime = u128::try_from(meta.ctime()).unwrap_or(0) * 1_000_000_000
        + u128::try_from(meta.ctime_nsec()).unwrap_or(0);
    let mut b = [0; 48];
    b[..8].copy_from_slice(&ino.to_le_bytes());
    b[8..16].copy_from_slice(&len.to_le_bytes());
    b[16..32].copy_from_slice(&mtime.to_le_bytes());
    b[32..].copy_from_slice(&ctime.to_le_bytes());
    b
}

/// The hash of the stamps of `paths` below `out`, in order; an error when one is gone.
/// A file's stamp comes from `recorded` when it has it (a stat otherwise).
fn stamps_hash(
    out: &Path,
    paths: &[String],
    recorded: impl Fn(&str) -> Option<Stamp> + Sync,
) -> io::Result<String> {
    let stamps: Vec<io::Result<Stamp>> = paths
        .par_iter()
        .with_min_len(256)
        .map(|p| match recorded(p) {
            Some(stamp) if !is_folder(p) => Ok(stamp),
            _ => std::fs::symlink_metadata(out.join(p)).and_then(|m| output_stamp(p, &m)),
        })
        .collect();
    hash_stamps(paths.iter().map(String::as_str).zip(stamps))
}

/// The root (`""`) and the folders (`a/`) of the output's paths.
fn is_folder(path: &str) -> bool {
    path.is_empty() || path.ends_with('/')
}

/// An output path's stamp as this check compares it: a folder's with its inode; a
/// file's as its record keeps it (size and modification time, `output::published`),
/// so that a build can vouch for the files it left without a stat of each.
fn output_stamp(path: &str, meta: &std::fs::Metadata) -> io::Result<Stamp> {
    if is_folder(path) {
        return Ok(stamp_of(meta));
    }
    if !meta.is_file() {
        return Err(io::ErrorKind::InvalidData.into());
    }
    let s = crate::cache::Stamp::of_output(meta);
    Ok((0, s.size, s.mtime_ns))
}

fn hash_stamps<'a>(
    stamps: impl Iterator<Item = (&'a str, io::Result<Stamp>)>,
) -> io::Result<String> {
    let mut h = blake3::Hasher::new();
    for (path, stamp) in stamps {
        let (ino, len, mtime) = stamp?;
        h.update(path.as_bytes());
        h.update(&ino.to_le_bytes());
        h.update(&len.to_le_bytes());
        h.update(&mtime.to_le_bytes());
    }
    Ok(h.finalize().to_hex().to_string())
}

/// Sorted paths as (bytes shared with the one before, the rest): at 10,000 signs most
/// of a path is its folder's, and the record shrinks to under half (1.3 -> 0.6 MB).
fn front_code<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<(usize, String)> {
    let mut prev = "";
    paths
        .map(|p| {
            let mut shared = p
                .bytes()
                .zip(prev.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            while !p.is_char_boundary(shared) {
                shared -= 1;
            }
            prev = p;
            (shared, p[shared..].to_string())
        })
        .collect()
}

/// The paths again; `None` when the record does not make sense.
fn front_decode(coded: &[(usize, String)]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(coded.len());
    for (shared, rest) in coded {
        let head = out.last().map_or("", String::as_str).get(..*shared)?;
        out.push([head, rest].concat());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_back_from_their_front_coding() {
        let paths = [
            "",
            "404.html",
            "es/",
            "es/señales/",
            "es/señales/baño-ñ/",
            "es/señales/baño-ñ/index.html",
            "es/señales/baó/index.html",
            "signs/",
            "signs/a/index.html",
            "signs/b/index.html",
        ];
        let coded = front_code(paths.iter().copied());
        assert_eq!(coded[5], ("es/señales/baño-ñ/".len(), "index.html".into()));
        // ñ and ó share their first byte: the shared part ends before them.
        assert_eq!(coded[6], ("es/señales/ba".len(), "ó/index.html".into()));
        assert_eq!(front_decode(&coded).unwrap(), paths);
        assert_eq!(front_decode(&[(3, "x".into())]), None);
    }

    #[test]
    fn a_folder_no_file_is_in_is_seen_by_the_link_counts() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["a/b", "c"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("a/b/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("c/index.html"), "x").unwrap();
        let files = |f: &[&str]| with_folders(&f.iter().map(|f| f.to_string()).collect::<Vec<_>>());
        let all = files(&["a/b/index.html", "c/index.html"]);
        // Some file systems (btrfs) count no subfolders: there the walk is taken anyway.
        let counted = std::fs::symlink_metadata(dir.path().join("a")).map(|m| {
            use std::os::unix::fs::MetadataExt;
            m.nlink() == 3
        });
        if counted.unwrap() {
            assert!(only_these_folders(dir.path(), &all));
            std::fs::create_dir(dir.path().join("a/by-hand")).unwrap();
            assert!(!only_these_folders(dir.path(), &all));
        }
        assert!(!only_these_folders(dir.path(), &files(&["a/b/index.html"])));
        let walked: Vec<String> = walk(dir.path(), "")
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(walked.contains(&"c/index.html".to_string()), "{walked:?}");
    }

    #[test]
    fn every_folder_of_the_files_is_listed_once() {
        let files = [
            "index.html",
            "es/señales/a/index.html",
            "es/señales/b/index.html",
        ];
        let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            with_folders(&files),
            [
                "",
                "es/",
                "es/señales/",
                "es/señales/a/",
                "es/señales/a/index.html",
                "es/señales/b/",
                "es/señales/b/index.html",
                "index.html",
            ]
        );
    }
}
