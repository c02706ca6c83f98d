//! Imaging: plans every derived image of every sign and makes the ones the cache lacks.
//!
//! A rendition's name carries a hash of the source bytes and the settings, so a cached
//! file is valid forever and an unchanged photo is never decoded again. Making happens
//! in `process`: decode under memory limits, resize, orient, convert to sRGB, encode
//! without metadata. Nothing is ever written next to the source photos.

pub(crate) mod budget;
mod color;
mod error;
mod heic;
mod limits;
mod process;

use serde::Serialize;

use crate::config::{ImageConfig, ImageFormat};
use crate::metadata::PhotoFacts;
pub use error::{Error, TooLarge};
pub(crate) use process::{decode_upright, verify};
pub use process::{make_renditions, Made};

/// Bump when the pixels we produce for the same inputs change, to invalidate caches.
const PIPELINE_VERSION: &str = "glyph-imaging-3";

/// One derived image of a photo: its size and its content-addressed file name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendition {
    /// Width in pixels, as displayed (after EXIF orientation).
    pub width: u32,
    /// Height in pixels, as displayed.
    pub height: u32,
    /// `<slug>-<width>.<hash8>.<ext>`, a file name under `/media/`.
    pub file_name: String,
}

/// One photo's renditions, smallest first, and its average colour (the placeholder
/// while it loads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoImages {
    /// Smallest first.
    pub renditions: Vec<Rendition>,
    /// Average colour, grey until the photo has been decoded.
    pub color: [u8; 3],
}

/// The renditions of photo `index` of a sign (0 is the cover), smallest first: named
/// `<slug>-<width>.<hash8>.<ext>` for the cover, as they always were, and
/// `<slug>-<index + 1>-<width>.<hash8>.<ext>` for the others. Another sign's names
/// could only be the same with the same photo bytes (the hash is of those), which
/// makes the very same file.
pub fn plan_photo(
    slug: &str,
    index: usize,
    facts: &PhotoFacts,
    settings: &ImageConfig,
) -> Vec<Rendition> {
    match index {
        0 => plan(slug, facts, settings),
        i => plan(&format!("{slug}-{}", i + 1), facts, settings),
    }
}

/// The renditions of one photo, smallest first, named after `name`. Widths never exceed
/// the photo's own (display) width; when the largest configured width would upscale,
/// the photo's own width takes its place so the full-size view is as sharp as the
/// photo allows.
pub fn plan(name: &str, facts: &PhotoFacts, settings: &ImageConfig) -> Vec<Rendition> {
    let (dw, dh) = facts.display_size();
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|w| *w <= dw)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    let largest_kept = widths.last().copied().unwrap_or(0);
    let wants_larger = settings.widths.iter().any(|w| *w > dw);
    // Keep the photo's own width unless a kept width is already within 10% of it.
    if wants_larger && (largest_kept as f64) < dw as f64 * 0.9 {
        widths.push(dw);
    }
    widths
        .into_iter()
        .map(|w| {
            let h = ((w as u64 * dh as u64 + dw as u64 / 2) / dw.max(1) as u64).max(1) as u32;
            Rendition {
                width: w,
                height: h,
                file_name: format!(
                    "{name}-{w}.{}.{}",
                    rendition_hash(&facts.hash, w, settings),
                    settings.format.extension()
                ),
            }
        })
        .collect()
}

fn rendition_hash(source_hash: &str, width: u32, s: &ImageConfig) -> String {
    let mut h = blake3::Hasher::new();
    h.update(PIPELINE_VERSION.as_bytes());
    h.update(source_hash.as_bytes());
    h.update(&width.to_le_bytes());
    h.update(s.format.extension().as_bytes());
    h.update(&[s.quality]);
    h.finalize().to_hex()[..8].to_string()
}

/// Encoder settings of one build, shared by every job.
#[derive(Debug, Clone, Copy)]
pub struct Encoding {
    /// JPEG or WebP.
    pub format: ImageFormat,
    /// Encoder quality, 1–100.
    pub quality: u8,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::ExifFacts;

    fn facts(w: u32, h: u32, orientation: u8) -> PhotoFacts {
        PhotoFacts {
            hash: "ab".repeat(32),
            bytes: 1,
            width: w,
            height: h,
            exif: ExifFacts {
                orientation,
                ..Default::default()
            },
        }
    }

    #[test]
    fn never_upscales_and_keeps_full_width() {
        let s = ImageConfig::default();
        let p = plan("x", &facts(4000, 3000, 1), &s);
        let w: Vec<_> = p.iter().map(|r| (r.width, r.height)).collect();
        assert_eq!(w, vec![(480, 360), (960, 720), (1600, 1200)]);
        let p = plan("x", &facts(1200, 800, 1), &s);
        let w: Vec<_> = p.iter().map(|r| r.width).collect();
        assert_eq!(w, vec![480, 960, 1200]);
        let p = plan("x", &facts(100, 68, 1), &s);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].width, p[0].height), (100, 68));
    }

    #[test]
    fn rotated_photos_plan_on_display_size() {
        let p = plan("x", &facts(2048, 1536, 6), &ImageConfig::default());
        assert_eq!((p[0].width, p[0].height), (480, 640));
        assert_eq!(p.last().unwrap().width, 1536);
    }

    #[test]
    fn a_signs_other_photos_are_numbered_from_two() {
        let s = ImageConfig::default();
        let f = facts(4000, 3000, 1);
        assert_eq!(plan_photo("door", 0, &f, &s), plan("door", &f, &s));
        let second = plan_photo("door", 1, &f, &s);
        assert!(second[0].file_name.starts_with("door-2-480."), "{second:?}");
        let hash = |r: &Rendition| r.file_name.split('.').nth(1).map(str::to_string);
        assert_eq!(
            hash(&second[0]),
            hash(&plan("door", &f, &s)[0]),
            "same bytes, same hash"
        );
    }

    #[test]
    fn names_change_with_settings_not_with_nothing() {
        let s = ImageConfig::default();
        let a = plan("x", &facts(4000, 3000, 1), &s);
        assert_eq!(a, plan("x", &facts(4000, 3000, 1), &s));
        assert!(a[0].file_name.starts_with("x-480.") && a[0].file_name.ends_with(".jpg"));
        let q = ImageConfig { quality: 70, ..s };
        assert_ne!(
            a[0].file_name,
            plan("x", &facts(4000, 3000, 1), &q)[0].file_name
        );
    }
}
