//! A WordPress export (WXR 1.0–1.2, Tools → Export): an RSS file whose `<item>`s are
//! posts, pages and attachments, with the `wp:` namespace (`http://` or `https://
//! wordpress.org/export/1.x/`) for WordPress's own fields.
//!
//! WXR holds addresses, not files: the photos are in the blog's `wp-content/uploads/`
//! folder, copied beside the export, so each address is mapped to its path below that
//! folder (`2019/03/x.jpg`), and a missing file is reported by that path while the rest
//! is read. A post's media are the images its content shows, in order, matched to
//! their attachments (for the original file, its alt and caption), then the gallery's,
//! the featured image and any other attachment of the post.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use roxmltree::{Document, Node};

use super::wp_content::{self, Image};
use super::{
    kind_by_extension, warning, Export, ExportError, Kind, Media, MediaKind, MediaSource, Origin,
    Post, Skipped, MAX_ENTRY_BYTES,
};

/// Whether the file is WXR, by its first 64 KiB: the RSS root and the namespace.
pub(crate) fn looks_like_wxr(path: &Path) -> Result<bool, ExportError> {
    let mut head = Vec::new();
    let file = std::fs::File::open(path).map_err(|e| ExportError::io(path, e))?;
    file.take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| ExportError::io(path, e))?;
    let head = String::from_utf8_lossy(&head);
    Ok(head.contains("<rss") && head.contains("wordpress.org/export/1."))
}

/// The namespaces, told apart by address so every version and scheme is accepted.
#[derive(Clone, Copy, PartialEq)]
enum Ns {
    Rss,
    Wp,
    Content,
    Excerpt,
}

fn ns_of(node: Node) -> Option<Ns> {
    let ns = node.tag_name().namespace().unwrap_or("");
    let bare = ns
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    Some(match bare {
        "" => Ns::Rss,
        b if b.starts_with("wordpress.org/export/1.") && b.ends_with("/excerpt/") => Ns::Excerpt,
        b if b.starts_with("wordpress.org/export/1.") => Ns::Wp,
        b if b.starts_with("purl.org/rss/1.0/modules/content") => Ns::Content,
        _ => return None,
    })
}

/// One `<item>`, its fields as text (CDATA or not, entities decoded by the parser).
#[derive(Default)]
struct Item {
    line: usize,
    fields: HashMap<(u8, &'static str), String>,
    /// (domain, nicename, name) of each `<category>`.
    categories: Vec<(String, String, String)>,
    meta: Vec<(String, String)>,
}

const FIELDS: &[(Ns, &str)] = &[
    (Ns::Rss, "title"),
    (Ns::Rss, "pubDate"),
    (Ns::Content, "encoded"),
    (Ns::Excerpt, "encoded"),
    (Ns::Wp, "post_id"),
    (Ns::Wp, "post_date_gmt"),
    (Ns::Wp, "status"),
    (Ns::Wp, "post_type"),
    (Ns::Wp, "post_parent"),
    (Ns::Wp, "attachment_url"),
];

impl Item {
    fn get(&self, ns: Ns, name: &str) -> Option<&str> {
        let v = self
            .fields
            .get(&(ns as u8, FIELDS.iter().find(|f| f.1 == name)?.1))?;
        Some(v.trim()).filter(|v| !v.is_empty())
    }

    fn id(&self) -> Option<u64> {
        self.get(Ns::Wp, "post_id")?.parse().ok()
    }

    fn meta(&self, key: &str) -> Option<&str> {
        let v = self.meta.iter().find(|(k, _)| k == key)?.1.trim();
        (!v.is_empty()).then_some(v)
    }
}

fn text_of(node: Node) -> String {
    node.descendants()
        .filter_map(|n| n.text().filter(|_| n.is_text()))
        .collect()
}

fn read_item(doc: &Document, node: Node) -> Item {
    let mut item = Item {
        line: doc.text_pos_at(node.range().start).row as usize,
        ..Item::default()
    };
    for child in node.children().filter(Node::is_element) {
        let (ns, name) = (ns_of(child), child.tag_name().name());
        if ns == Some(Ns::Rss) && name == "category" {
            let attr = |a: &str| child.attribute(a).unwrap_or_default().to_string();
            item.categories.push((
                attr("domain"),
                attr("nicename"),
                text_of(child).trim().to_string(),
            ));
        } else if ns == Some(Ns::Wp) && name == "postmeta" {
            let field = |n: &str| {
                child
                    .children()
                    .find(|c| c.tag_name().name() == n)
                    .map(text_of)
            };
            if let (Some(k), Some(v)) = (field("meta_key"), field("meta_value")) {
                item.meta.push((k.trim().to_string(), v));
            }
        } else if let Some(&(ns, key)) = FIELDS.iter().find(|f| Some(f.0) == ns && f.1 == name) {
            item.fields.insert((ns as u8, key), text_of(child));
        }
    }
    item
}

/// An attachment, as a post's media refers to it.
struct Attachment {
    url: String,
    parent: Option<u64>,
    alt: Option<String>,
    caption: Option<String>,
    uploaded: Option<DateTime<Utc>>,
}

pub(crate) fn read(path: &Path, media_dir: Option<&Path>) -> Result<Export, ExportError> {
    let bytes = std::fs::read(path).map_err(|e| ExportError::io(path, e))?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(ExportError::TooLarge {
            export: path.to_path_buf(),
            entry: path.display().to_string(),
            size: bytes.len() as u64,
            limit: MAX_ENTRY_BYTES,
        });
    }
    let text = String::from_utf8_lossy(&bytes);
    let doc = Document::parse(&text).map_err(|e| ExportError::xml(path.to_path_buf(), e))?;
    let items = wxr_items(&doc, path)?;
    let uploads = uploads_dir(path, media_dir);
    let mut reader = Reader::new(path, &items, uploads.clone());
    for item in &items {
        reader.item(item);
    }
    if uploads.is_none() && !reader.export.posts.is_empty() {
        let url = reader.export.posts[0].media[0].uri.clone();
        reader
            .export
            .problems
            .push(warning(&ExportError::NoMediaDir { url }));
    }
    Ok(reader.export)
}

/// The `<item>`s of `rss/channel`, once the file is known to be WXR.
fn wxr_items(doc: &Document, path: &Path) -> Result<Vec<Item>, ExportError> {
    let not_wxr = |why| ExportError::NotWxr {
        file: path.to_path_buf(),
        why,
    };
    let root = doc.root_element();
    if root.tag_name().name() != "rss" {
        return Err(not_wxr("its root element is not <rss>"));
    }
    let wxr = root.namespaces().any(|ns| {
        let bare = ns
            .uri()
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        bare.starts_with("wordpress.org/export/1.")
    });
    if !wxr {
        return Err(not_wxr("it has no wordpress.org/export namespace"));
    }
    let channel = root.children().find(|c| c.tag_name().name() == "channel");
    let channel = channel.ok_or_else(|| not_wxr("it has no <channel>"))?;
    let items = channel.children().filter(|c| c.tag_name().name() == "item");
    Ok(items.map(|n| read_item(doc, n)).collect())
}

struct Reader {
    file: PathBuf,
    uploads: Option<PathBuf>,
    attachments: HashMap<u64, Attachment>,
    /// Attachment id by its address's normalised form (see `original`).
    by_url: HashMap<String, u64>,
    /// Attachment ids in file order, for a post's remaining attachments.
    order: Vec<u64>,
    export: Export,
}

impl Reader {
    fn new(file: &Path, items: &[Item], uploads: Option<PathBuf>) -> Reader {
        let mut r = Reader {
            file: file.to_path_buf(),
            uploads: uploads.clone(),
            attachments: HashMap::new(),
            by_url: HashMap::new(),
            order: Vec::new(),
            export: Export {
                kind: Kind::WordPress,
                posts: Vec::new(),
                skipped: Skipped::default(),
                problems: Vec::new(),
                source: MediaSource::Uploads(uploads),
            },
        };
        for item in items
            .iter()
            .filter(|i| i.get(Ns::Wp, "post_type") == Some("attachment"))
        {
            r.attachment(item);
        }
        r
    }

    fn attachment(&mut self, item: &Item) {
        let (Some(id), Some(url)) = (item.id(), item.get(Ns::Wp, "attachment_url")) else {
            return;
        };
        self.by_url.insert(original(url), id);
        self.order.push(id);
        let att = Attachment {
            url: url.to_string(),
            parent: item
                .get(Ns::Wp, "post_parent")
                .and_then(|p| p.parse().ok())
                .filter(|&p| p != 0),
            alt: item.meta("_wp_attachment_image_alt").map(str::to_string),
            caption: item
                .get(Ns::Excerpt, "encoded")
                .map(|e| wp_content::parse(e).text)
                .filter(|c| !c.is_empty()),
            uploaded: gmt_date(item),
        };
        self.attachments.insert(id, att);
    }

    fn item(&mut self, item: &Item) {
        let skipped = &mut self.export.skipped;
        match (item.get(Ns::Wp, "post_type"), item.get(Ns::Wp, "status")) {
            (Some("attachment"), _) => {}
            (_, Some("trash")) => skipped.deleted += 1,
            (Some("page"), _) => skipped.pages += 1,
            (Some("post") | None, Some("auto-draft")) => skipped.other += 1,
            (Some("post") | None, _) => self.post(item),
            _ => skipped.other += 1,
        }
    }

    fn post(&mut self, item: &Item) {
        let content = wp_content::parse(item.get(Ns::Content, "encoded").unwrap_or_default());
        let id = item.id();
        let media = self.media_of(id, item, &content.images, &content.gallery);
        if media.is_empty() {
            self.export.skipped.without_media += 1;
            return;
        }
        let title = item
            .get(Ns::Rss, "title")
            .map(|t| wp_content::parse(t).text);
        self.export.posts.push(Post {
            id: id.map_or_else(|| format!("line-{}", item.line), |i| i.to_string()),
            title: title.filter(|t| !t.is_empty()),
            caption: Some(content.text).filter(|t| !t.is_empty()),
            published: gmt_date(item).or_else(|| rss_date(item)),
            tags: tags(item),
            draft: item.get(Ns::Wp, "status") != Some("publish"),
            media,
            origin: Origin {
                file: self.file.clone(),
                line: Some(item.line),
            },
        });
    }

    /// The content's images in order, then the gallery's, the featured image and the
    /// post's other attachments; each file once, missing files reported and left out.
    fn media_of(
        &mut self,
        post: Option<u64>,
        item: &Item,
        images: &[Image],
        gallery: &[u64],
    ) -> Vec<Media> {
        let mut found: Vec<Media> = images.iter().filter_map(|img| self.shown(img)).collect();
        let featured = item.meta("_thumbnail_id").and_then(|t| t.parse().ok());
        let children = self
            .order
            .iter()
            .filter(|a| post.is_some() && self.attachments[*a].parent == post);
        let extra: Vec<u64> = gallery
            .iter()
            .copied()
            .chain(featured)
            .chain(children.copied())
            .collect();
        found.extend(
            extra
                .into_iter()
                .filter_map(|id| self.of_attachment(id, None)),
        );
        let mut seen = std::collections::HashSet::new();
        found.retain(|m| seen.insert(m.file.clone()));
        found.retain(|m| self.exists(m));
        found
    }

    /// An image the content shows: its attachment by id, else by address, else the
    /// address itself when it is an upload of this blog (an image from elsewhere is
    /// not fetched, and not the blog's to import).
    fn shown(&self, img: &Image) -> Option<Media> {
        let id = img.id.filter(|i| self.attachments.contains_key(i));
        let id = id.or_else(|| self.by_url.get(&original(&img.src)).copied());
        if let Some(id) = id {
            return self.of_attachment(id, Some(img));
        }
        let file = upload_path(&img.src)?;
        let kind = kind_by_extension(&file).unwrap_or(MediaKind::Photo);
        Some(media(
            img.src.clone(),
            file,
            kind,
            img.alt.clone(),
            img.caption.clone(),
            None,
        ))
    }

    fn of_attachment(&self, id: u64, img: Option<&Image>) -> Option<Media> {
        let att = self.attachments.get(&id)?;
        let file = upload_path(&att.url)?;
        let kind = kind_by_extension(&file).unwrap_or(MediaKind::Photo);
        let alt = img.and_then(|i| i.alt.clone()).or_else(|| att.alt.clone());
        let caption = img
            .and_then(|i| i.caption.clone())
            .or_else(|| att.caption.clone());
        Some(media(
            att.url.clone(),
            file,
            kind,
            alt,
            caption,
            att.uploaded,
        ))
    }

    fn exists(&mut self, m: &Media) -> bool {
        let Some(dir) = &self.uploads else {
            return true;
        };
        if dir.join(&m.file).is_file() {
            return true;
        }
        let e = ExportError::MissingMedia {
            export: dir.clone(),
            entry: m.file.clone(),
        };
        self.export.problems.push(warning(&e));
        false
    }
}

fn media(
    uri: String,
    file: String,
    kind: MediaKind,
    alt: Option<String>,
    caption: Option<String>,
    uploaded: Option<DateTime<Utc>>,
) -> Media {
    Media {
        uri,
        file,
        kind,
        taken: None,
        gps: None,
        alt,
        caption,
        uploaded,
    }
}

/// Tags and categories as spelt, each once, without WordPress's default category.
fn tags(item: &Item) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for (domain, nicename, name) in &item.categories {
        let default =
            domain == "category" && (nicename == "uncategorized" || name == "Uncategorized");
        let known = domain == "post_tag" || domain == "category";
        if known && !default && !name.is_empty() && !tags.contains(name) {
            tags.push(name.clone());
        }
    }
    tags
}

/// `wp:post_date_gmt`, which a draft has as "0000-00-00 00:00:00".
fn gmt_date(item: &Item) -> Option<DateTime<Utc>> {
    let s = item.get(Ns::Wp, "post_date_gmt")?;
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()?;
    Some(t.and_utc())
}

/// `pubDate` (RFC 2822), which a draft has in year -1.
fn rss_date(item: &Item) -> Option<DateTime<Utc>> {
    let t = DateTime::parse_from_rfc2822(item.get(Ns::Rss, "pubDate")?).ok()?;
    Some(t.with_timezone(&Utc)).filter(|t| t.timestamp() > 0)
}

/// An address's path below `wp-content/uploads/` (`2019/03/x.jpg`), decoded; for
/// WordPress.com's `files.wordpress.com/2019/03/x.jpg`, the `YYYY/MM/name` at its end.
pub(crate) fn upload_path(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url)
        .or_else(|_| url::Url::parse("https://blog.invalid/")?.join(url))
        .ok()?;
    let segments: Vec<String> = parsed
        .path_segments()?
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || s == ".." || s == "." || s.contains('\\'))
    {
        return None;
    }
    let at = segments
        .windows(2)
        .position(|w| w[0] == "wp-content" && w[1] == "uploads");
    let rest = match at {
        Some(i) => &segments[i + 2..],
        None => {
            let n = segments.len();
            let dated = n >= 3 && segments[n - 3].len() == 4 && segments[n - 2].len() == 2;
            let digits = |s: &String| s.chars().all(|c| c.is_ascii_digit());
            if !(dated && digits(&segments[n - 3]) && digits(&segments[n - 2])) {
                return None;
            }
            &segments[n - 3..]
        }
    };
    (!rest.is_empty()).then(|| rest.join("/"))
}

/// The address of the original upload, for matching: no query, and no size suffix
/// (`-1024x768`), "-scaled" (WordPress 5.3's big-image copy) or edit stamp
/// (`-e1551234567`) before the extension.
fn original(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let url = url.trim_start_matches("https:").trim_start_matches("http:");
    let (stem, ext) = match url.rsplit_once('.') {
        Some((s, e)) if !e.contains('/') => (s, e),
        _ => (url, ""),
    };
    let mut stem = stem;
    while let Some((head, tail)) = stem.rsplit_once('-') {
        let size = tail
            .split_once('x')
            .is_some_and(|(w, h)| is_digits(w) && is_digits(h));
        let edit = tail
            .strip_prefix('e')
            .is_some_and(|d| d.len() >= 10 && is_digits(d));
        if !(size || edit || tail == "scaled") {
            break;
        }
        stem = head;
    }
    format!("{stem}.{}", ext.to_ascii_lowercase())
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The uploads folder: `media_dir` itself, or its `uploads` (it is `wp-content`) or
/// `wp-content/uploads` (it is the site); without one, those beside the export.
fn uploads_dir(wxr: &Path, media_dir: Option<&Path>) -> Option<PathBuf> {
    let below = |d: &Path| {
        [d.join("wp-content/uploads"), d.join("uploads")]
            .into_iter()
            .find(|p| p.is_dir())
    };
    match media_dir {
        Some(d) => Some(below(d).unwrap_or_else(|| d.to_path_buf())),
        None => below(wxr.parent().unwrap_or(Path::new("."))),
    }
}

pub(crate) fn read_upload(dir: &Path, file: &str) -> Result<Vec<u8>, ExportError> {
    let path = dir.join(file);
    let missing = || ExportError::MissingMedia {
        export: dir.to_path_buf(),
        entry: file.to_string(),
    };
    let meta = std::fs::metadata(&path).map_err(|_| missing())?;
    if meta.len() > MAX_ENTRY_BYTES {
        return Err(ExportError::TooLarge {
            export: dir.to_path_buf(),
            entry: file.to_string(),
            size: meta.len(),
            limit: MAX_ENTRY_BYTES,
        });
    }
    std::fs::read(&path).map_err(|e| ExportError::io(&path, e))
}

#[cfg(test)]
#[path = "wordpress_tests.rs"]
mod tests;
