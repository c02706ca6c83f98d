//! The site as `glyph serve` holds it: where each file of the preview is read from (a
//! page in the preview folder, a rendition in the cache, a theme file on disk or in the
//! binary), looked up by URL path. Nothing outside this map can ever be served, so no
//! request path can escape the site, whatever `..` or encoding it uses.

use std::collections::HashMap;

use crate::pipeline::preview::PreviewFiles;
use crate::render::theme::Source;

#[derive(Debug, Default)]
pub struct MemSite {
    /// Key below the site root → where its bytes are.
    files: HashMap<String, Source>,
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A file of the site, by its key.
    File(String),
    /// A folder asked for without its trailing slash: redirect so relative links work.
    Redirect(String),
    NotFound,
}

impl MemSite {
    /// The site a build wrote into `dir`: `files` are its paths below it.
    pub fn on_disk(dir: &std::path::Path, files: &[String]) -> MemSite {
        let map = files
            .iter()
            .filter(|p| p.as_str() != crate::output::MARKER)
            .map(|p| (p.clone(), Source::File(dir.join(p))))
            .collect();
        MemSite { files: map }
    }

    /// The site of a preview: its pages in the preview folder, theme files and
    /// renditions where they are.
    pub fn preview(p: &PreviewFiles) -> MemSite {
        let pages = p
            .pages
            .iter()
            .map(|k| (k.clone(), Source::File(p.dir.join(k))));
        let statics = p.statics.iter().cloned();
        let media = p.media.iter().map(|(name, file)| {
            // Where the output puts them (`output::plan`).
            (format!("media/{name}"), Source::File(file.clone()))
        });
        MemSite {
            files: statics.chain(media).chain(pages).collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Source> {
        self.files.get(key)
    }

    /// Resolve a request path (`/tags/art/`, percent-encoded as sent) to a file key.
    pub fn lookup(&self, path: &str) -> Lookup {
        let Some(key) = key_of(path) else {
            return Lookup::NotFound;
        };
        if key.is_empty() || key.ends_with('/') {
            let index = format!("{key}index.html");
            return if self.files.contains_key(&index) {
                Lookup::File(index)
            } else {
                Lookup::NotFound
            };
        }
        if self.files.contains_key(&key) {
            return Lookup::File(key);
        }
        if self.files.contains_key(&format!("{key}/index.html")) {
            return Lookup::Redirect(format!("/{key}/"));
        }
        Lookup::NotFound
    }
}

/// The site key for a request path: decoded, without the leading slash. `None` for a
/// path no site file can have (a `..` or `.` segment, a NUL, a backslash, bad UTF-8).
pub fn key_of(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let key = decoded.strip_prefix('/').unwrap_or(&decoded);
    let segments: Vec<&str> = key.split('/').collect();
    // An empty segment is only allowed last (`tags/art/`).
    let bad_segment = segments
        .iter()
        .enumerate()
        .any(|(i, seg)| *seg == ".." || *seg == "." || (seg.is_empty() && i + 1 < segments.len()));
    if bad_segment || key.contains(['\0', '\\']) {
        return None;
    }
    Some(key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> MemSite {
        let files = [
            "index.html",
            "tags/art/index.html",
            "café/index.html",
            "signs.json",
            "css/glyph.css",
            "media/a-480.1234abcd.webp",
        ];
        let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        MemSite::on_disk(std::path::Path::new("/preview"), &files)
    }

    #[test]
    fn finds_pages_files_and_folders() {
        let s = site();
        assert_eq!(s.lookup("/"), Lookup::File("index.html".into()));
        assert_eq!(
            s.lookup("/tags/art/"),
            Lookup::File("tags/art/index.html".into())
        );
        assert_eq!(s.lookup("/tags/art"), Lookup::Redirect("/tags/art/".into()));
        assert_eq!(
            s.lookup("/caf%C3%A9/"),
            Lookup::File("café/index.html".into())
        );
        assert_eq!(
            s.lookup("/css/glyph.css"),
            Lookup::File("css/glyph.css".into())
        );
        assert_eq!(
            s.lookup("/media/a-480.1234abcd.webp"),
            Lookup::File("media/a-480.1234abcd.webp".into())
        );
        assert_eq!(s.lookup("/tags/"), Lookup::NotFound);
        assert_eq!(s.lookup("/nope"), Lookup::NotFound);
    }

    #[test]
    fn never_leaves_the_site() {
        let s = site();
        for evil in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/tags/../../index.html",
            "/./index.html",
            "//etc/passwd",
            "/index.html%00",
            "/..%5c..%5cwindows",
            "/%ff",
        ] {
            assert_eq!(s.lookup(evil), Lookup::NotFound, "{evil}");
        }
    }
}
