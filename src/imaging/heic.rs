//! Decoding HEIC/HEIF photos through libheif (feature `heic`).
//!
//! libheif applies the container's rotation and mirroring while decoding, so the
//! pixels come out as displayed; the caller must not apply EXIF orientation again
//! (`metadata::photo_facts` records orientation 1 for HEIF). Colour is converted to
//! sRGB like the other formats: from the embedded ICC profile (iPhones write Display
//! P3), or from the `nclx` primaries when there is no ICC profile.

use image::{DynamicImage, RgbImage};
use libheif_rs::{ColorSpace, DecodingOptions, HeifContext, LibHeif, RgbChroma};

use super::color::{srgb, srgb_transform};
use super::error::{Error, TooLarge};
use super::limits::{MAX_DECODE_BYTES, MAX_SIDE};

pub fn decode(bytes: &[u8]) -> Result<(DynamicImage, Option<qcms::Transform>), Error> {
    let lib = LibHeif::new();
    let ctx = HeifContext::read_from_bytes(bytes)
        .map_err(|e| Error::Heic(format!("the HEIC file is unreadable: {}", e.message)))?;
    let handle = ctx
        .primary_image_handle()
        .map_err(|e| Error::Heic(format!("the HEIC file has no main image: {}", e.message)))?;
    let (w, h) = (handle.width(), handle.height());
    if w == 0 || h == 0 {
        return Err(Error::Heic(format!("the image has no pixels ({w}×{h})")));
    }
    if w > MAX_SIDE || h > MAX_SIDE || w as u64 * h as u64 * 4 > MAX_DECODE_BYTES {
        return Err(Error::TooLarge(TooLarge::Pixels(w, h)));
    }
    // Strict: a file cut short must fail, not come out with grey tiles.
    let options = DecodingOptions::new().map(|mut o| {
        o.set_strict_decoding(true);
        o
    });
    let image = lib
        .decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), options)
        .map_err(|e| Error::Heic(format!("the HEIC image cannot be decoded: {}", e.message)))?;
    let planes = image.planes();
    let plane = planes
        .interleaved
        .ok_or_else(|| Error::Heic("libheif gave no RGB pixels for this HEIC image".into()))?;
    let (pw, ph) = (plane.width as usize, plane.height as usize);
    let row = pw * 3;
    if plane.stride < row || plane.data.len() < plane.stride * (ph - 1) + row {
        return Err(Error::Heic("libheif gave a malformed pixel buffer".into()));
    }
    let mut rgb = Vec::with_capacity(row * ph);
    for y in 0..ph {
        rgb.extend_from_slice(&plane.data[y * plane.stride..y * plane.stride + row]);
    }
    let img = RgbImage::from_raw(pw as u32, ph as u32, rgb)
        .ok_or_else(|| Error::Heic("bad HEIC pixel buffer".into()))?;
    let transform = match handle.color_profile_raw() {
        Some(icc) => srgb_transform(&icc.data, qcms::DataType::RGB8),
        None => handle.color_profile_nclx().and_then(|n| {
            let primaries = [
                (n.color_primary_red_x(), n.color_primary_red_y()),
                (n.color_primary_green_x(), n.color_primary_green_y()),
                (n.color_primary_blue_x(), n.color_primary_blue_y()),
            ];
            let white = (n.color_primary_white_x(), n.color_primary_white_y());
            nclx_transform(primaries, white)
        }),
    };
    Ok((DynamicImage::ImageRgb8(img), transform))
}

/// sRGB's primaries and white point: pixels in these need no conversion.
const SRGB: ([(f32, f32); 3], (f32, f32)) =
    ([(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)], (0.3127, 0.3290));

/// A transform to sRGB for pixels with other primaries (Display P3, BT.2020) and the
/// sRGB tone curve, which is what phones pair them with for still photos.
fn nclx_transform(primaries: [(f32, f32); 3], white: (f32, f32)) -> Option<qcms::Transform> {
    let close =
        |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).abs() < 0.002 && (a.1 - b.1).abs() < 0.002;
    let same = primaries.iter().zip(SRGB.0).all(|(a, b)| close(*a, b)) && close(white, SRGB.1);
    if same || primaries.iter().any(|p| p.1 <= 0.0) || white.1 <= 0.0 {
        return None;
    }
    let xyy = |(x, y): (f32, f32)| qcms::CIE_xyY {
        x: x as f64,
        y: y as f64,
        Y: 1.0,
    };
    let table: Vec<u16> = (0..1024)
        .map(|i| {
            let v = i as f64 / 1023.0;
            let lin = if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            };
            (lin * 65535.0).round() as u16
        })
        .collect();
    let input = qcms::Profile::new_rgb_with_table(
        xyy(white),
        qcms::CIE_xyYTRIPLE {
            red: xyy(primaries[0]),
            green: xyy(primaries[1]),
            blue: xyy(primaries[2]),
        },
        &table,
    )?;
    qcms::Transform::new(
        &input,
        &srgb(),
        qcms::DataType::RGB8,
        qcms::Intent::Perceptual,
    )
}
