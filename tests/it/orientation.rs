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

/// `jpeg` with the value of its EXIF Orientation tag (IFD0, 0x0112) set to `value`, in
/// place: the bytes of the APP1 segment are read by hand, as the bad-input fixtures are
/// written (scripts/make_bad_fixtures.py), so the test does not depend on the EXIF reader
/// it checks.
fn with_orientation(jpeg: &[u8], value: u16) -> Vec<u8> {
    let mut b = jpeg.to_vec();
    let tiff = b
        .windows(6)
        .position(|w| w == b"Exif\0\0")
        .expect("an EXIF block")
        + 6;
    let big = &b[tiff..tiff + 2] == b"MM";
    let u16_at = |b: &[u8], i: usize| {
        let v = [b[i], b[i + 1]];
        if big {
            u16::from_be_bytes(v)
        } else {
            u16::from_le_bytes(v)
        }
    };
    let ifd0 = {
        let v = [b[tiff + 4], b[tiff + 5], b[tiff + 6], b[tiff + 7]];
        (if big {
            u32::from_be_bytes(v)
        } else {
            u32::from_le_bytes(v)
        }) as usize
            + tiff
    };
    let entries = u16_at(&b, ifd0) as usize;
    let entry = (0..entries)
        .map(|k| ifd0 + 2 + 12 * k)
        .find(|&e| u16_at(&b, e) == 0x0112)
        .expect("an Orientation tag in IFD0");
    assert_eq!(u16_at(&b, entry + 2), 3, "Orientation is a SHORT");
    let v = if big {
        value.to_be_bytes()
    } else {
        value.to_le_bytes()
    };
    b[entry + 8..entry + 10].copy_from_slice(&v);
    b
}

/// A phone's portrait is stored as the sensor's landscape pixels with Orientation 6.
/// Its largest rendition fits the box of the largest width (1600×1600), portrait-shaped,
/// instead of being 1600 px wide and 2400 tall; the smaller widths stay; the pixels are
/// upright; and the page's `srcset` names each file at its own width.
#[test]
fn portraits_fit_the_box_of_the_largest_width() {
    let landscape = std::fs::read(fixture("Landscape_1.jpg")).unwrap();
    let portrait = with_orientation(&landscape, 6);
    let facts = glyph::metadata::photo_facts(&portrait).unwrap();
    assert_eq!(
        (facts.width, facts.height, facts.exif.orientation),
        (1800, 1200, 6)
    );
    let dir = site(&[], &[]);
    std::fs::write(dir.path().join("photos/portrait.jpg"), &portrait).unwrap();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("signs.json")).unwrap()).unwrap();
    let images = json["signs"][0]["images"].as_array().unwrap().clone();
    let sizes: Vec<(u64, u64)> = images
        .iter()
        .map(|i| (i["width"].as_u64().unwrap(), i["height"].as_u64().unwrap()))
        .collect();
    assert_eq!(sizes, vec![(480, 720), (960, 1440), (1067, 1600)]);
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let img = rendition(&out, "portrait", i);
        assert_eq!((img.width() as u64, img.height() as u64), (w, h));
        assert!(w <= 1600 && h <= 1600 && w < h, "{w}×{h}");
    }

    // Upright: the stored landscape turned a quarter clockwise, as Orientation 6 asks.
    let thumb = rendition(&out, "portrait", 0).to_rgb8();
    let want = image::imageops::rotate90(
        &image::load_from_memory(&landscape)
            .unwrap()
            .resize_exact(720, 480, FilterType::Triangle)
            .to_rgb8(),
    );
    let small = |i: &RgbImage| image::imageops::resize(i, 32, 48, FilterType::Triangle);
    let d = mean_abs_diff(&small(&want), &small(&thumb));
    assert!(d < 6.0, "mean difference {d:.1} from the upright picture");

    let html = page(&out, "signs/portrait/");
    let img = select(&html, ".photo img")[0].value();
    let srcset = img.attr("srcset").unwrap();
    for (i, (w, _)) in sizes.iter().enumerate() {
        let url = images[i]["url"].as_str().unwrap();
        assert!(srcset.contains(&format!("{url} {w}w")), "{srcset}");
    }
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("960"), Some("1440"))
    );
}
