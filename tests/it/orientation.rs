//! All eight EXIF orientations come out upright: the pixels, not only the dimensions.
//!
//! Landscape_N.jpg stores the same picture transformed by orientation N; correctly
//! handled, every one looks like Landscape_1.jpg.

use crate::common::*;
use image::{imageops::FilterType, GenericImageView, RgbImage};

fn thumb(out: &std::path::Path, slug: &str) -> RgbImage {
    let img = rendition(out, slug, 0);
    assert_eq!(
        img.dimensions(),
        (480, 320),
        "{slug} thumbnail is landscape 3:2"
    );
    img.resize_exact(48, 32, FilterType::Triangle).to_rgb8()
}

#[test]
fn every_orientation_is_upright() {
    let photos: Vec<(String, String)> = (0..=8)
        .map(|n| (format!("Landscape_{n}.jpg"), format!("o{n}.jpg")))
        .collect();
    let refs: Vec<(&str, &str)> = photos
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = site(&refs, &[]);
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let upright = thumb(&out, "o1");
    let mirrored = image::imageops::flip_horizontal(&upright);
    let rotated = image::imageops::rotate180(&upright);
    // Make sure the comparison can tell a wrong orientation apart at all.
    assert!(mean_abs_diff(&upright, &mirrored) > 20.0);
    assert!(mean_abs_diff(&upright, &rotated) > 20.0);
    for n in [0, 2, 3, 4, 5, 6, 7, 8] {
        let t = thumb(&out, &format!("o{n}"));
        let d = mean_abs_diff(&upright, &t);
        assert!(
            d < 6.0,
            "orientation {n}: mean difference {d:.1} from the upright picture"
        );
    }
}

#[test]
fn derived_images_carry_no_metadata() {
    let dir = site(
        &[
            ("issue-exifr-59.jpg", "gps.jpg"),
            ("png_with_exif_and_gps.png", "png.png"),
        ],
        &[],
    );
    assert_ok(&build_site(dir.path()));
    for entry in std::fs::read_dir(dir.path().join("public/media"))
        .unwrap()
        .flatten()
    {
        let bytes = std::fs::read(entry.path()).unwrap();
        let exif = glyph::metadata::read_exif(&bytes);
        assert!(
            exif.location.is_none() && exif.make.is_none() && exif.taken.is_none(),
            "{:?}",
            entry.path()
        );
        assert!(
            !bytes.windows(6).any(|w| w == b"Exif\0\0"),
            "{:?} has an EXIF block",
            entry.path()
        );
    }
}

/// The published thumbnail of a real photo stays close to an uncompressed, carefully
/// scaled reference, and small. The thresholds come from `cargo bench --bench quality`
/// (JPEG quality 80 at 480 px: DSSIM 0.0018 on average over the shared camera photos,
/// 0.0029 at worst), with room for encoder updates but not for a visible regression.
#[test]
fn thumbnails_keep_their_quality_and_size() {
    use rgb::FromSlice;
    let dir = site(&[("Landscape_1.jpg", "l.jpg")], &[]);
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let thumb = rendition(&out, "l", 0).to_rgb8();
    let reference = image::open(fixture("Landscape_1.jpg"))
        .unwrap()
        .resize_exact(thumb.width(), thumb.height(), FilterType::Lanczos3)
        .to_rgb8();
    let d = dssim_core::Dssim::new();
    let (w, h) = (thumb.width() as usize, thumb.height() as usize);
    let a = d
        .create_image_rgb(reference.as_raw().as_rgb(), w, h)
        .unwrap();
    let b = d.create_image_rgb(thumb.as_raw().as_rgb(), w, h).unwrap();
    let dssim = f64::from(d.compare(&a, b).0);
    assert!(dssim < 0.003, "DSSIM {dssim:.5} against the reference");
    let bytes = std::fs::read_dir(out.join("media"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("l-480."))
        .unwrap()
        .metadata()
        .unwrap()
        .len();
    assert!(bytes < 60 * 1024, "the 480-px thumbnail is {bytes} bytes");
    eprintln!("DSSIM {dssim:.5}, {bytes} bytes");
}
