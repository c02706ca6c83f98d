//! What a listing page shows when it is shared: its `og_image`, the newest sign of the
//! listing (or of the archive, for pages that list no signs), so a link to the home
//! page, a style or a country unfurls with a photo rather than a bare title.

use serde::Serialize;

use super::context::{SignView, Urls};
use super::jobs::Part;

/// `og_image` in a listing page's context. Documented in docs/templates.md.
#[derive(Debug, Clone, Serialize)]
pub struct OgImage {
    /// Absolute URL (social sites do not resolve relative ones).
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// The image for a page with these context parts: the first sign of its `signs`
/// (lists are newest first), else the archive's newest sign; none for an empty archive.
pub fn og_image(urls: &Urls, views: &[SignView], parts: &[(&str, Part)]) -> Option<OgImage> {
    let listed = parts.iter().find_map(|(key, part)| match (*key, part) {
        ("signs", Part::Range(r)) => Some(r.clone().next()),
        ("signs", Part::Signs(idx)) => Some(idx.first().copied()),
        _ => None,
    });
    let v = views.get(listed.unwrap_or(Some(0))?)?;
    // The sign page's own og:image is this same rendition (`image.src`).
    let path = v
        .image
        .src
        .strip_prefix(&urls.base_path)
        .unwrap_or(&v.image.src);
    Some(OgImage {
        url: urls.file_permalink(path),
        width: v.image.width,
        height: v.image.height,
        alt: v.alt.clone(),
    })
}
