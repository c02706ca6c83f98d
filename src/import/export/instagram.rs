//! Instagram's "Download your information" export, JSON format.
//!
//! The posts are in `posts_1.json` (then `posts_2.json`…) in a folder that has moved
//! between versions of the export: `content/` (2021–2023),
//! `your_instagram_activity/content/` (2024), `your_instagram_activity/media/` (2025).
//! A file is an array of posts, or a single post object when there is one.
//!
//! The JSON is read as untyped values and walked leniently: Instagram adds, renames
//! and drops fields between versions, and a field of an unexpected type should cost
//! that field, not the export. Every string is repaired from Instagram's mojibake.
//! Stories, reels, archived and recently deleted posts sit beside the posts: they are
//! counted, never imported.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use crate::diag::Diagnostic;

use super::archive::Archive;
use super::mojibake::repair;
use super::{
    kind_by_extension, warning, Export, ExportError, Kind, Media, MediaKind, MediaSource, Origin,
    Post, Skipped, MAX_ENTRY_BYTES,
};

/// Newest first: where a layout's posts are, relative to the export's top.
const LAYOUTS: &[&str] = &[
    "your_instagram_activity/media/",
    "your_instagram_activity/content/",
    "content/",
];

/// Whether the archive is an Instagram export in the JSON format. The HTML format has
/// the same files as `.html` and is refused: its markup is for display and has changed
/// too often to be read reliably.
pub(crate) fn recognise(archive: &mut Archive) -> Result<bool, ExportError> {
    let found =
        |a: &Archive| !posts_files(a, "json").is_empty() || !posts_files(a, "html").is_empty();
    if !found(archive) {
        archive.enter_single_folder();
    }
    if !posts_files(archive, "json").is_empty() {
        return Ok(true);
    }
    match posts_files(archive, "html").first() {
        Some(html) => Err(ExportError::HtmlExport {
            path: archive.display(html),
        }),
        None => Ok(false),
    }
}

/// `posts_N.<ext>` of the first layout that has any, in N order.
fn posts_files(archive: &Archive, ext: &str) -> Vec<String> {
    for layout in LAYOUTS {
        let mut found: Vec<(u32, &String)> = archive
            .names()
            .iter()
            .filter_map(|name| {
                let file = name.strip_prefix(layout)?;
                let n = file.strip_prefix("posts_")?.strip_suffix(ext)?;
                Some((n.strip_suffix('.')?.parse().ok()?, name))
            })
            .collect();
        if !found.is_empty() {
            found.sort();
            return found.into_iter().map(|(_, name)| name.clone()).collect();
        }
    }
    Vec::new()
}

pub(crate) fn read(mut archive: Archive) -> Result<Export, ExportError> {
    if !recognise(&mut archive)? {
        return Err(ExportError::NotAnExport {
            path: archive.path().to_path_buf(),
        });
    }
    let files = posts_files(&archive, "json");
    let mut export = Export {
        kind: Kind::Instagram,
        posts: Vec::new(),
        skipped: Skipped::default(),
        problems: Vec::new(),
        source: MediaSource::Archive(archive),
    };
    let MediaSource::Archive(archive) = &export.source else {
        unreachable!("set just above")
    };
    let mut posts = Vec::new();
    for name in &files {
        read_posts_file(archive, name, &mut posts, &mut export.problems)?;
    }
    let folder = files[0].rsplit_once('/').map_or("", |(f, _)| f);
    export.skipped = count_skipped(archive, folder)?;
    export.skipped.without_media += posts.iter().filter(|p: &&Post| p.media.is_empty()).count();
    posts.retain(|p| !p.media.is_empty());
    export.posts = posts;
    Ok(export)
}

fn read_posts_file(
    archive: &Archive,
    name: &str,
    posts: &mut Vec<Post>,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), ExportError> {
    let file = archive.display(name);
    let bytes = archive.read(name, MAX_ENTRY_BYTES)?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| ExportError::json(file.clone(), &e))?;
    let items = match value {
        Value::Array(items) => items,
        single @ Value::Object(_) => vec![single],
        _ => Vec::new(),
    };
    let lines = object_lines(&bytes);
    for (i, item) in items.iter().enumerate() {
        let origin = Origin {
            file: file.clone(),
            line: lines.get(i).copied(),
        };
        posts.push(read_post(archive, item, origin, problems));
    }
    Ok(())
}

/// The line each top-level post starts on (the `{` of each element of the top array,
/// or of the single object), found by a scan that skips strings: serde_json's values
/// carry no positions, and messages should point at the post.
fn object_lines(bytes: &[u8]) -> Vec<usize> {
    let (mut line, mut depth, mut in_string, mut escaped) = (1, 0usize, false, false);
    let mut lines = Vec::new();
    for &b in bytes {
        match (in_string, b) {
            (_, b'\n') => line += 1,
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (true, _) => {}
            (false, b'"') => in_string = true,
            (false, b'{' | b'[') => {
                if b == b'{' && depth <= 1 && (depth == 1 || lines.is_empty()) {
                    lines.push(line);
                }
                depth += 1;
            }
            (false, b'}' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    lines
}

/// One post. With several media the caption and time are on the post and each
/// media's `title` is ""; with one they may be on the post or on `media[0]`.
fn read_post(
    archive: &Archive,
    item: &Value,
    origin: Origin,
    problems: &mut Vec<Diagnostic>,
) -> Post {
    // Some single-photo posts are written as the media object itself.
    let raw: Vec<&Value> = match item.get("media").and_then(Value::as_array) {
        Some(list) => list.iter().collect(),
        None if item.get("uri").is_some() => vec![item],
        None => Vec::new(),
    };
    let first = raw.first().copied();
    let caption = text(item, "title").or_else(|| first.and_then(|m| text(m, "title")));
    let published = timestamp(item).or_else(|| first.and_then(timestamp));
    let mut media = Vec::new();
    for m in raw {
        let Some(uri) = text(m, "uri") else { continue };
        if !archive.contains(&uri) {
            problems.push(warning(&ExportError::MissingMedia {
                export: archive.path().to_path_buf(),
                entry: uri,
            }));
            continue;
        }
        media.push(read_media(archive, m, uri, caption.as_deref()));
    }
    Post {
        id: media.first().map(|m| m.uri.clone()).unwrap_or_default(),
        title: None,
        caption,
        published,
        tags: Vec::new(),
        draft: false,
        media,
        origin,
    }
}

fn read_media(archive: &Archive, m: &Value, uri: String, post_caption: Option<&str>) -> Media {
    let exif = exif_fields(m);
    let own = text(m, "title").filter(|t| Some(t.as_str()) != post_caption);
    Media {
        kind: media_kind(archive, m, &uri),
        file: uri.clone(),
        uri,
        taken: exif.taken,
        gps: exif.gps,
        alt: None,
        caption: own,
        uploaded: timestamp(m),
    }
}

/// A video by its metadata, else by extension, else (some videos have no extension at
/// all) by the file's first bytes.
fn media_kind(archive: &Archive, m: &Value, uri: &str) -> MediaKind {
    if m.pointer("/media_metadata/video_metadata").is_some() {
        return MediaKind::Video;
    }
    if let Some(kind) = kind_by_extension(uri) {
        return kind;
    }
    let head = archive.head(uri, 16).unwrap_or_default();
    sniff(&head).unwrap_or(if m.pointer("/media_metadata/photo_metadata").is_some() {
        MediaKind::Photo
    } else {
        MediaKind::Video
    })
}

/// JPEG, PNG, WebP and HEIF/AVIF are photos; any other ISO media file (`ftyp` with
/// an mp4 or QuickTime brand) is a video.
pub(crate) fn sniff(head: &[u8]) -> Option<MediaKind> {
    const HEIF_BRANDS: &[&[u8]] = &[
        b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif",
    ];
    if head.starts_with(b"\xff\xd8\xff") || head.starts_with(b"\x89PNG") {
        return Some(MediaKind::Photo);
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return Some(MediaKind::Photo);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        return Some(if HEIF_BRANDS.contains(&brand) {
            MediaKind::Photo
        } else {
            MediaKind::Video
        });
    }
    None
}

#[derive(Default)]
struct Exif {
    taken: Option<NaiveDateTime>,
    gps: Option<(f64, f64)>,
}

/// `media_metadata.{photo,video}_metadata.exif_data` is a list of small objects, each
/// holding some of the fields; they are merged.
fn exif_fields(m: &Value) -> Exif {
    let mut found = Exif::default();
    let (mut lat, mut lon) = (None, None);
    for kind in ["photo_metadata", "video_metadata"] {
        let pointer = format!("/media_metadata/{kind}/exif_data");
        let list = m.pointer(&pointer).and_then(Value::as_array);
        for entry in list.into_iter().flatten() {
            lat = lat.or_else(|| number(entry, "latitude"));
            lon = lon.or_else(|| number(entry, "longitude"));
            found.taken = found.taken.or_else(|| exif_date(entry));
        }
    }
    found.gps = lat.zip(lon).filter(|&(la, lo)| plausible_position(la, lo));
    found
}

/// (0, 0) is what a photo without a position gets, not a place in the Gulf of Guinea.
fn plausible_position(lat: f64, lon: f64) -> bool {
    lat.abs() <= 90.0 && lon.abs() <= 180.0 && !(lat == 0.0 && lon == 0.0)
}

fn exif_date(entry: &Value) -> Option<NaiveDateTime> {
    let s = text(entry, "date_time_original")?;
    [
        "%Y:%m:%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s.trim(), f).ok())
}

/// A string field, repaired; empty is none.
fn text(v: &Value, key: &str) -> Option<String> {
    let s = v.get(key)?.as_str()?.trim();
    (!s.is_empty()).then(|| repair(s).into_owned())
}

/// A number, or a number written as a string.
fn number(v: &Value, key: &str) -> Option<f64> {
    let n = match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.filter(|x: &f64| x.is_finite())
}

/// `creation_timestamp`: Unix seconds, UTC; 0 means unknown.
fn timestamp(v: &Value) -> Option<DateTime<Utc>> {
    let secs = number(v, "creation_timestamp")?;
    (secs > 0.0)
        .then(|| DateTime::from_timestamp(secs as i64, 0))
        .flatten()
}

/// The files beside the posts that are not posts: each counts its entries.
fn count_skipped(archive: &Archive, folder: &str) -> Result<Skipped, ExportError> {
    let mut skipped = Skipped::default();
    let count = |file: &str| -> Result<usize, ExportError> {
        let name = format!("{folder}/{file}");
        if !archive.contains(&name) {
            return Ok(0);
        }
        let bytes = archive.read(&name, MAX_ENTRY_BYTES)?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ExportError::json(archive.display(&name), &e))?;
        Ok(entries(&value))
    };
    skipped.stories = count("stories.json")?;
    skipped.reels = count("reels.json")?;
    skipped.archived = count("archived_posts.json")?;
    skipped.deleted = count("recently_deleted_content.json")?;
    Ok(skipped)
}

/// An array's length, or that of the first array inside an object
/// (`{"ig_stories": [...]}`), or 1 for a lone object.
fn entries(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.len(),
        Value::Object(o) => o
            .values()
            .find_map(Value::as_array)
            .map_or(usize::from(!o.is_empty()), Vec::len),
        _ => 0,
    }
}

#[cfg(test)]
#[path = "instagram_tests.rs"]
mod tests;
