//! Reading other platforms' exports into posts, for `glyph import PATH`.
//!
//! An Instagram "Download your information" export (JSON format, as a folder or its
//! .zip), a WordPress export (WXR, with the blog's copied uploads folder) or a plain
//! folder of photos is read into [`Post`]s: one post becomes one sign later, its
//! several photos a carousel. The readers are pure: they never write to the export or
//! anywhere else, never fetch anything (Instagram's `backup_uri` and WordPress's image
//! addresses are CDN links that stay unfetched), and read a photo's bytes only when
//! asked, through [`Export::read_media`].
//!
//! What the export is, is told by its content, not its name ([`detect`]): a zip by its
//! magic bytes, Instagram by its `posts_N.json` in one of its layouts, WordPress by the
//! WXR namespace. Problems that leave the rest readable (a missing photo) are collected
//! in [`Export::problems`]; problems that make the export unreadable are an
//! [`ExportError`].

mod archive;
mod error;
mod instagram;
mod mojibake;
mod wordpress;
mod wp_content;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::diag::{Diagnostic, Severity};
use archive::Archive;
pub(crate) use error::ExportError;

/// No photo or post list in an export is anywhere near this; larger means damage.
const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Instagram,
    WordPress,
    Folder,
}

#[derive(Debug)]
pub(crate) struct Export {
    pub kind: Kind,
    pub posts: Vec<Post>,
    pub skipped: Skipped,
    /// Warnings about parts that could not be read; the rest was.
    pub problems: Vec<Diagnostic>,
    source: MediaSource,
}

/// Where the media bytes are.
#[derive(Debug)]
enum MediaSource {
    /// Inside the export (Instagram, a plain folder).
    Archive(Archive),
    /// A WordPress blog's uploads folder, when one was given or found.
    Uploads(Option<PathBuf>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Post {
    /// Stable across re-runs of the same export: Instagram's first media uri, the
    /// WordPress post id, the plain folder's file name.
    pub id: String,
    pub title: Option<String>,
    /// Plain text, repaired; paragraphs separated by a blank line.
    pub caption: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// WordPress tags and categories, as spelt there (not slugs).
    pub tags: Vec<String>,
    /// WordPress: any status but `publish`.
    pub draft: bool,
    /// In the post's order, photos and videos both: skipping videos is the caller's
    /// choice. Never empty.
    pub media: Vec<Media>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Media {
    /// As the export names it: Instagram's `uri`, the WordPress attachment's address.
    pub uri: String,
    /// Where the bytes are, for [`Export::read_media`] and messages: the name inside
    /// the export, or the path below the WordPress uploads folder (`2019/03/x.jpg`).
    pub file: String,
    pub kind: MediaKind,
    /// EXIF DateTimeOriginal as Instagram recorded it (local time, no zone); Instagram
    /// strips EXIF from the files themselves. None where the file's own EXIF is the
    /// source (WordPress uploads, a plain folder).
    pub taken: Option<NaiveDateTime>,
    /// (latitude, longitude), never (0, 0).
    pub gps: Option<(f64, f64)>,
    pub alt: Option<String>,
    /// This photo's own caption, when it has one apart from the post's.
    pub caption: Option<String>,
    pub uploaded: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Photo,
    Video,
}

/// Where a post was read from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub file: PathBuf,
    pub line: Option<usize>,
}

/// What the export holds that is deliberately not made into posts, for the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Video files of a plain folder (videos inside posts are kept in `media`).
    pub videos: usize,
    pub stories: usize,
    pub reels: usize,
    pub archived: usize,
    /// Instagram's recently deleted; WordPress posts in the trash.
    pub deleted: usize,
    /// WordPress pages.
    pub pages: usize,
    /// Posts left with no photo or video (a text-only blog post, every file missing).
    pub without_media: usize,
    /// Anything else: WordPress menus, revisions, blocks, auto-drafts.
    pub other: usize,
}

/// What `path` is, by its content.
pub(crate) fn detect(path: &Path) -> Result<Kind, ExportError> {
    let meta = std::fs::metadata(path).map_err(|e| ExportError::io(path, e))?;
    if meta.is_file() && !archive::is_zip(path)? {
        return match wordpress::looks_like_wxr(path)? {
            true => Ok(Kind::WordPress),
            false => Err(not_an_export(path)),
        };
    }
    let mut archive = Archive::open(path)?;
    if instagram::recognise(&mut archive)? {
        Ok(Kind::Instagram)
    } else if meta.is_dir() && folder_has_media(&archive) {
        Ok(Kind::Folder)
    } else {
        Err(not_an_export(path))
    }
}

/// Read the export at `path` as `kind` (from [`detect`]). `media_dir` is WordPress's
/// copied uploads folder (or the `wp-content` or site folder above it); without it,
/// one is looked for beside the WXR file. Other kinds hold their media themselves.
pub(crate) fn open(
    path: &Path,
    kind: Kind,
    media_dir: Option<&Path>,
) -> Result<Export, ExportError> {
    match kind {
        Kind::Instagram => instagram::read(Archive::open(path)?),
        Kind::WordPress => wordpress::read(path, media_dir),
        Kind::Folder => Ok(read_folder(Archive::open(path)?)),
    }
}

impl Export {
    /// The bytes of one media file, read now (one zip entry at a time).
    pub(crate) fn read_media(&self, m: &Media) -> Result<Vec<u8>, ExportError> {
        match &self.source {
            MediaSource::Archive(a) => a.read(&m.file, MAX_ENTRY_BYTES),
            MediaSource::Uploads(None) => Err(ExportError::NoMediaDir { url: m.uri.clone() }),
            MediaSource::Uploads(Some(dir)) => wordpress::read_upload(dir, &m.file),
        }
    }
}

fn not_an_export(path: &Path) -> ExportError {
    ExportError::NotAnExport {
        path: path.to_path_buf(),
    }
}

/// A warning for `problems`: the part named is left out and the rest is read.
fn warning(e: &ExportError) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..Diagnostic::from(e)
    }
}

const PHOTO_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "webp", "heic", "heif", "avif", "gif", "tif", "tiff",
];
const VIDEO_EXTENSIONS: &[&str] = &["mp4", "mov", "m4v", "webm", "3gp", "avi"];

/// The kind a name's extension says, if it says one.
fn kind_by_extension(name: &str) -> Option<MediaKind> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    if PHOTO_EXTENSIONS.contains(&ext.as_str()) {
        Some(MediaKind::Photo)
    } else if VIDEO_EXTENSIONS.contains(&ext.as_str()) {
        Some(MediaKind::Video)
    } else {
        None
    }
}

fn folder_has_media(archive: &Archive) -> bool {
    archive
        .names()
        .iter()
        .any(|n| kind_by_extension(n).is_some())
}

/// A plain folder: one post per photo, in name order, so the caller has one shape to
/// handle. Dates and places are in the files' own EXIF, read later with the bytes.
fn read_folder(archive: Archive) -> Export {
    let mut skipped = Skipped::default();
    let mut posts = Vec::new();
    for name in archive.names() {
        match kind_by_extension(name) {
            Some(MediaKind::Photo) => posts.push(folder_post(&archive, name)),
            Some(MediaKind::Video) => skipped.videos += 1,
            None => {}
        }
    }
    Export {
        kind: Kind::Folder,
        posts,
        skipped,
        problems: Vec::new(),
        source: MediaSource::Archive(archive),
    }
}

fn folder_post(archive: &Archive, name: &str) -> Post {
    let media = Media {
        uri: name.to_string(),
        file: name.to_string(),
        kind: MediaKind::Photo,
        taken: None,
        gps: None,
        alt: None,
        caption: None,
        uploaded: None,
    };
    Post {
        id: name.to_string(),
        title: None,
        caption: None,
        published: None,
        tags: Vec::new(),
        draft: false,
        media: vec![media],
        origin: Origin {
            file: archive.display(name),
            line: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_folder_is_one_post_per_photo() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.jpg"), b"\xff\xd8\xff").unwrap();
        std::fs::write(dir.path().join("a.HEIC"), b"x").unwrap();
        std::fs::write(dir.path().join("clip.mp4"), b"x").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        assert_eq!(detect(dir.path()).unwrap(), Kind::Folder);
        let export = open(dir.path(), Kind::Folder, None).unwrap();
        let ids: Vec<_> = export.posts.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["a.HEIC", "b.jpg"]);
        assert_eq!(export.skipped.videos, 1);
        let bytes = export.read_media(&export.posts[1].media[0]).unwrap();
        assert_eq!(bytes, b"\xff\xd8\xff");
    }

    #[test]
    fn anything_else_is_not_an_export() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, b"hello").unwrap();
        assert!(matches!(
            detect(&text),
            Err(ExportError::NotAnExport { .. })
        ));
        let empty = tempfile::tempdir().unwrap();
        let e = detect(empty.path()).unwrap_err();
        assert!(Diagnostic::from(&e).hint.is_some());
    }
}

#[cfg(test)]
#[path = "fixtures_tests.rs"]
mod fixtures_tests;
