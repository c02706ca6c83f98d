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
/// A build with libjpeg-turbo (`--features turbojpeg`) decodes to slightly different
/// pixels, so its renditions are named apart: a cache never mixes the two.
const PIPELINE_VERSION: &str = if cfg!(feature = "turbojpeg") {
    "glyph-imaging-4+turbojpeg"
} else {
    "glyph-imaging-4"
};

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

/// The renditions of one photo, smallest first, named after `name`.
///
/// The largest rendition, the full-size view, fits a square box of the largest
/// configured width (1600×1600 by default): a landscape is as wide as the box, a
/// portrait as tall (a phone's 3000×4000 portrait becomes 1200×1600, not 1600×2133).
/// Nothing is upscaled: a photo smaller than the box keeps its own size. So the largest
/// rendition of a 12-megapixel photo needs at most half its pixels a side in either
/// orientation, and its JPEG is decoded at half scale. The smaller widths (cards,
/// `srcset`) stay width-driven: each is kept when it is narrower than the largest; the
/// largest itself is added unless a kept width is within 10% of it, so no two
/// renditions are nearly the same size.
pub fn plan(name: &str, facts: &PhotoFacts, settings: &ImageConfig) -> Vec<Rendition> {
    let (dw, dh) = facts.display_size();
    let side = settings.widths.iter().copied().max().unwrap_or(0);
    let lw = largest_width((dw, dh), side);
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|w| *w <= lw)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    let largest_kept = widths.last().copied().unwrap_or(0);
    let wants_larger = settings.widths.iter().any(|w| *w > lw);
    // Keep the largest unless a kept width is already within 10% of it.
    if wants_larger && (largest_kept as f64) < lw as f64 * 0.9 {
        widths.push(lw);
    }
    widths
        .into_iter()
        .map(|w| {
            let h = ((w as u64 * dh as u64 + dw as u64 / 2) / dw.max(1) as u64).max(1) as u32;
            // A rounded width may round the height up past the box by a pixel.
            let h = if dh > side { h.min(side) } else { h };
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

/// The width of a `dw`×`dh` photo fitted into a `side`×`side` box, never enlarged.
fn largest_width((dw, dh): (u32, u32), side: u32) -> u32 {
    if dw.max(dh) <= side {
        dw
    } else if dw >= dh {
        side
    } else {
        ((dw as u64 * side as u64 + dh as u64 / 2) / dh as u64).max(1) as u32
    }
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
        // Stored 2048×1536 with Orientation 6: shown 1536×2048, a portrait.
        let p = plan("x", &facts(2048, 1536, 6), &ImageConfig::default());
        let sizes: Vec<_> = p.iter().map(|r| (r.width, r.height)).collect();
        assert_eq!(sizes, vec![(480, 640), (960, 1280), (1200, 1600)]);
        // Stored turned (1536×2048) and turned back: a landscape, as wide as the box.
        let p = plan("x", &facts(1536, 2048, 6), &ImageConfig::default());
        assert_eq!((p[0].width, p[0].height), (480, 360));
        assert_eq!(p.last().map(|r| (r.width, r.height)), Some((1600, 1200)));
    }

    fn sizes(w: u32, h: u32, orientation: u8, s: &ImageConfig) -> Vec<(u32, u32)> {
        plan("x", &facts(w, h, orientation), s)
            .iter()
            .map(|r| (r.width, r.height))
            .collect()
    }

    #[test]
    fn the_largest_rendition_fits_a_box_of_the_largest_width() {
        let s = ImageConfig::default();
        // A phone's portrait: 4000×3000 stored, Orientation 6.
        assert_eq!(
            sizes(4000, 3000, 6, &s),
            vec![(480, 640), (960, 1280), (1200, 1600)]
        );
        // The same photo stored upright is planned the same.
        assert_eq!(sizes(3000, 4000, 1, &s), sizes(4000, 3000, 6, &s));
        // Landscapes are as before: the box's width.
        assert_eq!(
            sizes(4000, 3000, 1, &s),
            vec![(480, 360), (960, 720), (1600, 1200)]
        );
        assert_eq!(sizes(4000, 4000, 1, &s).last(), Some(&(1600, 1600)));
        // A 9:16 phone portrait: 960 would be 1707 tall, so it goes; 900 is the largest.
        assert_eq!(sizes(4000, 2250, 6, &s), vec![(480, 853), (900, 1600)]);
        // A tall strip: one rendition, as tall as the box.
        assert_eq!(sizes(1000, 4000, 1, &s), vec![(400, 1600)]);
        // A portrait smaller than the box keeps its own size; 960 is within 10% of
        // its 1000 px and stands for it.
        assert_eq!(sizes(1000, 1500, 1, &s), vec![(480, 720), (960, 1440)]);
        // 1200×1800 (Portrait_6.jpg as shown) fits the box at 1067×1600, just over 10%
        // wider than 960.
        assert_eq!(
            sizes(1800, 1200, 6, &s),
            vec![(480, 720), (960, 1440), (1067, 1600)]
        );
        // A 4:5 portrait fits it at 1280×1600.
        assert_eq!(sizes(2000, 1600, 6, &s).last(), Some(&(1280, 1600)));
        // Widths are rounded, heights never pass the box: 2252×4000 is 901×1600.
        assert_eq!(sizes(4000, 2252, 6, &s).last(), Some(&(901, 1600)));
        // Another box: widths [320, 640].
        let small = ImageConfig {
            widths: vec![640, 320],
            ..ImageConfig::default()
        };
        assert_eq!(sizes(4000, 3000, 6, &small), vec![(320, 427), (480, 640)]);
    }

    #[test]
    fn renditions_stay_in_the_box_never_upscale_and_are_never_near_twins() {
        let s = ImageConfig::default();
        for w in (100..=6000).step_by(97) {
            for h in (100..=6000).step_by(89) {
                for o in [1, 6] {
                    let got = sizes(w, h, o, &s);
                    let (dw, dh) = if o == 6 { (h, w) } else { (w, h) };
                    assert!(!got.is_empty(), "{w}×{h} o{o}");
                    for &(rw, rh) in &got {
                        assert!(rw <= 1600 && rh <= 1600, "{w}×{h} o{o}: {got:?}");
                        assert!(rw <= dw && rh <= dh, "{w}×{h} o{o} upscaled: {got:?}");
                    }
                    for pair in got.windows(2) {
                        assert!(
                            (pair[0].0 as f64) < pair[1].0 as f64 * 0.9,
                            "{w}×{h} o{o}: {got:?}"
                        );
                    }
                    // Portrait-shaped photos give portrait-shaped renditions (or, for
                    // a nearly square one, square ones), landscapes landscape ones.
                    for &(rw, rh) in &got {
                        assert!(dw >= dh || rw <= rh, "{w}×{h} o{o}: {got:?}");
                        assert!(dw <= dh || rw >= rh, "{w}×{h} o{o}: {got:?}");
                    }
                }
            }
        }
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
