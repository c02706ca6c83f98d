//! Decoding HEIC/HEIF photos with heifer, in pure Rust: no C library, no system
//! package. docs/heic.md has the measurements against libheif that chose it.
//!
//! heifer applies the container's crop, rotation and mirroring while decoding, so the
//! pixels come out as displayed; the caller must not apply EXIF orientation again
//! (`metadata::photo_facts` records orientation 1 for HEIF). Colour is converted to
//! sRGB like the other formats: an embedded ICC profile (iPhones write Display P3) gives
//! a qcms transform that runs on each small rendition; without one, heifer converts the
//! whole picture from its `nclx` or HEVC colour description (nothing to do for sRGB).

use heifer::heifer_isobmff::HeifFile;
use image::{DynamicImage, RgbImage};

use super::color::srgb_transform;
use super::error::{Error, TooLarge};
use super::limits::{MAX_DECODE_BYTES, MAX_SIDE};

pub fn decode(bytes: &[u8]) -> Result<(DynamicImage, Option<qcms::Transform>), Error> {
    let ((w, h), _) =
        crate::metadata::heif::displayed_size(bytes).map_err(|e| Error::Corrupt(e.to_string()))?;
    // The decoder's planes count, not only the picture: a 200-MP HEIC would otherwise
    // pass at 800 MB of pixels and peak at 1.26 GB.
    let peak = w as u64 * h as u64 * super::budget::HEIC_BYTES_PER_PIXEL;
    if w > MAX_SIDE || h > MAX_SIDE || peak > MAX_DECODE_BYTES {
        return Err(Error::TooLarge(TooLarge::Pixels(w, h)));
    }
    let options = heifer::Options {
        // Every core for the tiles of one photo, like libheif: in `glyph serve` one photo
        // is often all there is to decode.
        max_threads: 0,
        // Tiles and the grid they make are bounded too, not only the declared size.
        max_pixels: MAX_DECODE_BYTES / 4,
    };
    let file = HeifFile::parse(bytes).map_err(|e| heic(e.into()))?;
    let icc = file
        .icc_profile(file.primary_id)
        .map_err(|e| heic(e.into()))?;
    let image = match icc {
        Some(_) => heifer::decode_rgba8(bytes, &options),
        // HDR transfers (PQ, HLG) and unknown primaries are refused by the conversion:
        // those are shown as coded, as a JPEG without a profile is.
        None => heifer::decode_srgb_rgba8(bytes, &options).or_else(|e| match e {
            heifer::Error::Unsupported(_) => heifer::decode_rgba8(bytes, &options),
            e => Err(e),
        }),
    }
    .map_err(heic)?;
    let (width, height) = (image.width, image.height);
    let img = RgbImage::from_raw(width, height, image.into_rgb8())
        .ok_or_else(|| Error::Corrupt("the HEIC decoder gave a short pixel buffer".into()))?;
    let transform = icc.and_then(|p| srgb_transform(p, qcms::DataType::RGB8));
    Ok((DynamicImage::ImageRgb8(img), transform))
}

/// heifer's error, sorted into glyph's kinds: what it does not implement, or broken data.
fn heic(e: heifer::Error) -> Error {
    match e {
        heifer::Error::Unsupported(what) => Error::Unsupported(format!("HEIC: {what}")),
        heifer::Error::Hevc(e @ heifer::heifer_hevc_dec::Error::Unimplemented(_)) => {
            Error::Unsupported(format!("HEIC: {e}"))
        }
        e => Error::Corrupt(format!("HEIC: {e}")),
    }
}
