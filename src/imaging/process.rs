//! Making the renditions of one photo: one decode, successive downscales, then for each
//! size orientation, sRGB conversion and encoding. Runs on the rayon pool, one photo a job.

use std::io::Cursor;
use std::path::Path;

use fast_image_resize::images::Image as FrImage;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage, RgbaImage};

use super::color::{srgb_transform, srgb_transform_to};
use super::error::{Error, TooLarge};
use super::limits::{MAX_DECODE_BYTES, MAX_SIDE};
use super::{Encoding, Rendition};
use crate::config::ImageFormat;
use crate::util::write_atomic;

/// libwebp's limit on either side.
const WEBP_MAX_SIDE: u32 = 16_383;

/// What making the renditions learnt about the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Made {
    /// The average colour, for a placeholder while the image loads.
    pub color: [u8; 3],
}

/// Decode `bytes` once and write every rendition into `dir`. An error explains, in
/// words for the curator, why the photo cannot be used.
pub fn make_renditions(
    bytes: &[u8],
    orientation: u8,
    renditions: &[Rendition],
    enc: Encoding,
    dir: &Path,
) -> Result<Made, Error> {
    let (pixels, transform) = decode(bytes, need(orientation, renditions))?;
    let keep_alpha = pixels.color().has_alpha() && enc.format == ImageFormat::Webp;
    let mut current = if keep_alpha {
        Pixels::Rgba(pixels.into_rgba8())
    } else {
        Pixels::Rgb(flatten(pixels))
    };
    let swap = orientation >= 5;
    let orient = Orientation::from_exif(orientation).unwrap_or(Orientation::NoTransforms);
    let mut color = [0u8; 3];
    let mut resizer = Resizer::new();
    for (i, r) in renditions.iter().enumerate().rev() {
        let (w, h) = if swap {
            (r.height, r.width)
        } else {
            (r.width, r.height)
        };
        current = current.resize(&mut resizer, w, h)?;
        // `current` stays the source of the next, smaller rendition. An upright photo
        // without a profile is encoded from it as it is; otherwise its turned or
        // converted copy is.
        let mut turned = current.oriented(orient);
        if let Some(t) = &transform {
            turned
                .get_or_insert_with(|| current.clone())
                .apply_transform(t);
        }
        let out = turned.as_ref().unwrap_or(&current);
        let encoded = encode(out, enc)?;
        write_atomic(&dir.join(&r.file_name), &encoded).map_err(|source| Error::Write {
            name: r.file_name.clone(),
            source,
        })?;
        if i == 0 {
            color = out.average();
        }
    }
    Ok(Made { color })
}

/// The largest rendition, in the photo's stored orientation: a JPEG is decoded at the
/// smallest DCT scale (1/8, 1/4, 1/2) that still covers it.
fn need(orientation: u8, renditions: &[Rendition]) -> Option<(u32, u32)> {
    renditions.last().map(|r| {
        if orientation >= 5 {
            (r.height, r.width)
        } else {
            (r.width, r.height)
        }
    })
}

/// Check that `bytes` decode as the build would decode them, without making anything
/// (`glyph check`).
pub fn verify(bytes: &[u8], orientation: u8, renditions: &[Rendition]) -> Result<(), Error> {
    decode(bytes, need(orientation, renditions)).map(|_| ())
}

/// The picture upright and small, for `glyph import`'s perceptual fingerprint: a JPEG
/// decoded at the smallest DCT scale that still gives `side` pixels a side (one
/// sixty-fourth of the pixels of a camera photo), anything else in full. Colours are
/// left as stored: the fingerprint is of the luma.
pub(crate) fn decode_upright(
    bytes: &[u8],
    orientation: u8,
    side: u32,
) -> Result<DynamicImage, Error> {
    let (mut img, _) = decode(bytes, Some((side, side)))?;
    img.apply_orientation(Orientation::from_exif(orientation).unwrap_or(Orientation::NoTransforms));
    Ok(img)
}

/// Decode to pixels, converting grey and CMYK colour spaces with an ICC profile to sRGB
/// right away (they are rare); an RGB profile's transform is returned so it can run on
/// each small rendition instead of the full-size photo.
fn decode(
    bytes: &[u8],
    need: Option<(u32, u32)>,
) -> Result<(DynamicImage, Option<qcms::Transform>), Error> {
    if crate::metadata::heif::is_heif(bytes) {
        return super::heic::decode(bytes);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::Undecodable(e.to_string()))?;
    let format = reader.format();
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(Error::decoding)?;
    let (w, h) = decoder.dimensions();
    let too_large = || Error::TooLarge(TooLarge::Pixels(w, h));
    // `Limits::max_alloc` binds the decoder's own buffers, not the pixel buffer
    // `from_decoder` allocates for the whole picture: check that one before it exists.
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(too_large());
    }
    let icc = decoder
        .icc_profile()
        .ok()
        .flatten()
        .filter(|p| p.len() >= 20);
    let space = icc.as_deref().map(|p| &p[16..20]);
    // A progressive JPEG also holds all its coefficients while decoding, beside the
    // pixels at the scale it is decoded at.
    let coefficients = super::budget::progressive_coefficient_bytes(bytes);
    let jpeg = format == Some(image::ImageFormat::Jpeg);
    let scale = match need {
        Some(need) if jpeg && space != Some(b"CMYK") => jpeg_scale((w, h), need),
        _ => None,
    };
    let too_many_coefficients = |k: u64| {
        (coefficients > 0 && coefficients + decoder.total_bytes() / (k * k) > MAX_DECODE_BYTES)
            .then_some(Error::TooLarge(TooLarge::Coefficients(w, h, coefficients)))
    };
    if let Some(e) = too_many_coefficients(scale.map_or(1, u64::from)) {
        return Err(e);
    }
    if space == Some(b"CMYK") && format == Some(image::ImageFormat::Jpeg) {
        if coefficients + w as u64 * h as u64 * 7 > MAX_DECODE_BYTES {
            return Err(too_large());
        }
        let icc = icc.as_deref().unwrap_or_default();
        if let Some(rgb) = cmyk_jpeg_to_srgb(bytes, icc) {
            return Ok((DynamicImage::ImageRgb8(rgb), None));
        }
    }
    let scaled = match (scale, need) {
        (Some(k), Some(need)) => {
            turbo_scaled(bytes, k, need).or_else(|| jpeg_scaled(bytes, k, need))
        }
        _ => None,
    };
    // The scaled decoder declined: a full-size decode needs room for all the pixels.
    if let (None, Some(e)) = (scaled.as_ref(), too_many_coefficients(1)) {
        return Err(e);
    }
    let img = match scaled {
        Some(img) => img,
        None => DynamicImage::from_decoder(decoder).map_err(|e| match e {
            image::ImageError::Limits(_) => too_large(),
            e => Error::decoding(e),
        })?,
    };
    match (space, icc.as_deref()) {
        (Some(b"RGB "), Some(icc)) => Ok((img, srgb_transform(icc, qcms::DataType::RGB8))),
        (Some(b"GRAY"), Some(icc)) if !img.color().has_color() => {
            Ok((gray_to_srgb(img, icc), None))
        }
        // Anything else (a CMYK profile on RGB pixels, Lab…) would do more harm than good.
        _ => Ok((img, None)),
    }
}

/// The DCT scale (8, 4 or 2) a JPEG can be decoded at and still give renditions of
/// `need` pixels; `None` when they need more than half its size.
fn jpeg_scale((w, h): (u32, u32), (nw, nh): (u32, u32)) -> Option<u32> {
    [8u32, 4, 2]
        .into_iter()
        .find(|k| w.div_ceil(*k) >= nw && h.div_ceil(*k) >= nh)
}

/// Decode a JPEG at a reduced DCT scale when the renditions need at most half its
/// size: the inverse DCT, colour conversion and resizing then work on a quarter of the
/// pixels or fewer (libvips' "shrink on load"). `None` when it cannot help or the
/// decoder declines the file; the caller then decodes at full scale, which also gives
/// the proper error for a broken file.
fn jpeg_scaled(bytes: &[u8], k: u32, (nw, nh): (u32, u32)) -> Option<DynamicImage> {
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    d.read_info().ok()?;
    let info = d.info()?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let (sw, sh) = (w.div_ceil(k), h.div_ceil(k));
    let (gw, gh) = d
        .scale(u16::try_from(sw).ok()?, u16::try_from(sh).ok()?)
        .ok()?;
    let (gw, gh) = (u32::from(gw), u32::from(gh));
    if gw < nw || gh < nh {
        return None;
    }
    let pixels = d.decode().ok()?;
    match d.info()?.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            RgbImage::from_raw(gw, gh, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(gw, gh, pixels).map(DynamicImage::ImageLuma8)
        }
        _ => None,
    }
}

/// `jpeg_scaled` by libjpeg-turbo (`--features turbojpeg`), in about half the time.
/// `None` for anything it does not decode cleanly (a warning counts, and so does a file
/// jpeg-decoder could not read: arithmetic coding, lossless, CMYK), so such a photo
/// takes the pure-Rust path and gets the same pixels or error as without the feature.
#[cfg(feature = "turbojpeg")]
fn turbo_scaled(bytes: &[u8], k: u32, (nw, nh): (u32, u32)) -> Option<DynamicImage> {
    use turbojpeg::{Colorspace, Decompressor, Image, PixelFormat, ScalingFactor};
    let mut d = Decompressor::new().ok()?;
    let head = d.read_header(bytes).ok()?;
    let (format, channels) = match head.colorspace {
        _ if head.is_lossless || head.is_arithmetic => return None,
        Colorspace::YCbCr | Colorspace::RGB => (PixelFormat::RGB, 3),
        Colorspace::Gray => (PixelFormat::GRAY, 1),
        Colorspace::CMYK | Colorspace::YCCK => return None,
    };
    let factor = ScalingFactor::new(1, k as usize);
    d.set_scaling_factor(factor).ok()?;
    // A progressive JPEG of thousands of tiny scans costs time out of all proportion to
    // its size; no camera writes more than a few dozen.
    d.set_scan_limit(500).ok()?;
    let s = head.scaled(factor);
    let (w, h) = (u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?);
    if w < nw || h < nh {
        return None;
    }
    let mut img = Image {
        pixels: vec![0u8; s.width * s.height * channels],
        width: s.width,
        pitch: s.width * channels,
        height: s.height,
        format,
    };
    d.decompress(bytes, img.as_deref_mut()).ok()?;
    match channels {
        1 => image::GrayImage::from_raw(w, h, img.pixels).map(DynamicImage::ImageLuma8),
        _ => RgbImage::from_raw(w, h, img.pixels).map(DynamicImage::ImageRgb8),
    }
}

#[cfg(not(feature = "turbojpeg"))]
fn turbo_scaled(_: &[u8], _: u32, _: (u32, u32)) -> Option<DynamicImage> {
    None
}

/// A CMYK JPEG with its own CMYK profile: decode the inks (the decoder's own CMYK→RGB
/// is a naive formula that ignores the profile) and convert them with the profile.
fn cmyk_jpeg_to_srgb(bytes: &[u8], icc: &[u8]) -> Option<RgbImage> {
    use zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    let opts = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::CMYK)
        .set_max_width(MAX_SIDE as usize)
        .set_max_height(MAX_SIDE as usize);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), opts);
    let mut inks = dec.decode().ok()?;
    let (w, h) = dec.dimensions()?;
    if inks.len() != w * h * 4 {
        return None;
    }
    // Adobe-style JPEGs (Photoshop, Pillow) store CMYK inverted; qcms wants ink amounts.
    for v in inks.iter_mut() {
        *v = 255 - *v;
    }
    let t = srgb_transform_to(icc, qcms::DataType::CMYK)?;
    let mut rgb = vec![0u8; w * h * 3];
    t.convert(&inks, &mut rgb);
    RgbImage::from_raw(w as u32, h as u32, rgb)
}

fn gray_to_srgb(img: DynamicImage, icc: &[u8]) -> DynamicImage {
    let Some(t) = srgb_transform_to(icc, qcms::DataType::Gray8) else {
        return img;
    };
    let alpha = img.color().has_alpha().then(|| img.to_luma_alpha8());
    let luma = img.into_luma8();
    let (w, h) = luma.dimensions();
    let mut rgb = vec![0u8; luma.len() * 3];
    t.convert(luma.as_raw(), &mut rgb);
    let rgb = RgbImage::from_raw(w, h, rgb).expect("sized above");
    match alpha {
        Some(la) => {
            let mut rgba = DynamicImage::ImageRgb8(rgb).into_rgba8();
            for (p, a) in rgba.pixels_mut().zip(la.pixels()) {
                p[3] = a[1];
            }
            DynamicImage::ImageRgba8(rgba)
        }
        None => DynamicImage::ImageRgb8(rgb),
    }
}

/// Pixels with or without alpha, in the photo's stored orientation.
#[derive(Clone)]
enum Pixels {
    Rgb(RgbImage),
    Rgba(RgbaImage),
}

impl Pixels {
    fn size(&self) -> (u32, u32) {
        match self {
            Pixels::Rgb(i) => i.dimensions(),
            Pixels::Rgba(i) => i.dimensions(),
        }
    }

    fn resize(self, resizer: &mut Resizer, w: u32, h: u32) -> Result<Pixels, Error> {
        if self.size() == (w, h) {
            return Ok(self);
        }
        let (sw, sh) = self.size();
        let (buf, ty) = match self {
            Pixels::Rgb(i) => (i.into_raw(), PixelType::U8x3),
            Pixels::Rgba(i) => (i.into_raw(), PixelType::U8x4),
        };
        let src =
            FrImage::from_vec_u8(sw, sh, buf, ty).map_err(|e| Error::Encode(e.to_string()))?;
        let mut dst = FrImage::new(w, h, ty);
        let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
        resizer
            .resize(&src, &mut dst, &opts)
            .map_err(|e| Error::Encode(format!("resize failed: {e}")))?;
        let raw = dst.into_vec();
        let bad = || Error::Encode("resize produced a bad buffer".into());
        Ok(match ty {
            PixelType::U8x4 => Pixels::Rgba(RgbaImage::from_raw(w, h, raw).ok_or_else(bad)?),
            _ => Pixels::Rgb(RgbImage::from_raw(w, h, raw).ok_or_else(bad)?),
        })
    }

    /// A copy turned upright by `o`, as `DynamicImage::apply_orientation` would, made
    /// straight from these pixels; `None` when they are upright already.
    fn oriented(&self, o: Orientation) -> Option<Pixels> {
        match self {
            Pixels::Rgb(i) => oriented(i, o).map(Pixels::Rgb),
            Pixels::Rgba(i) => oriented(i, o).map(Pixels::Rgba),
        }
    }

    /// Convert the colour channels with `t` (an RGB to sRGB transform); alpha is kept.
    fn apply_transform(&mut self, t: &qcms::Transform) {
        match self {
            Pixels::Rgb(i) => t.apply(i),
            Pixels::Rgba(i) => {
                let mut rgb: Vec<u8> = i.pixels().flat_map(|p| [p[0], p[1], p[2]]).collect();
                t.apply(&mut rgb);
                for (p, c) in i.pixels_mut().zip(rgb.chunks_exact(3)) {
                    p[0] = c[0];
                    p[1] = c[1];
                    p[2] = c[2];
                }
            }
        }
    }

    /// The average colour (alpha ignored).
    fn average(&self) -> [u8; 3] {
        let (raw, step) = match self {
            Pixels::Rgb(i) => (i.as_raw(), 3),
            Pixels::Rgba(i) => (i.as_raw(), 4),
        };
        let n = (raw.len() / step).max(1) as u64;
        let mut sum = [0u64; 3];
        for p in raw.chunks_exact(step) {
            for c in 0..3 {
                sum[c] += p[c] as u64;
            }
        }
        sum.map(|s| (s / n) as u8)
    }
}

/// `img` turned by `o` into a new buffer (the rotations cannot be done in place), or
/// `None` for no transform. The same pixels as `DynamicImage::apply_orientation`.
fn oriented<P: image::Pixel<Subpixel = u8> + 'static>(
    img: &image::ImageBuffer<P, Vec<u8>>,
    o: Orientation,
) -> Option<image::ImageBuffer<P, Vec<u8>>> {
    use image::imageops::{flip_horizontal, flip_horizontal_in_place, flip_vertical, rotate180};
    Some(match o {
        Orientation::NoTransforms => return None,
        Orientation::Rotate90 => quarter_turn(img, true),
        Orientation::Rotate180 => rotate180(img),
        Orientation::Rotate270 => quarter_turn(img, false),
        Orientation::FlipHorizontal => flip_horizontal(img),
        Orientation::FlipVertical => flip_vertical(img),
        Orientation::Rotate90FlipH => {
            let mut turned = quarter_turn(img, true);
            flip_horizontal_in_place(&mut turned);
            turned
        }
        Orientation::Rotate270FlipH => {
            let mut turned = quarter_turn(img, false);
            flip_horizontal_in_place(&mut turned);
            turned
        }
    })
}

/// `img` turned a quarter clockwise (`imageops::rotate90`) or anticlockwise
/// (`rotate270`), with whole pixels of a known size copied along the source's rows
/// (`imageops` goes through `get_pixel` and `put_pixel` for each).
fn quarter_turn<P: image::Pixel<Subpixel = u8> + 'static>(
    img: &image::ImageBuffer<P, Vec<u8>>,
    clockwise: bool,
) -> image::ImageBuffer<P, Vec<u8>> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let out = match P::CHANNEL_COUNT {
        3 => turn::<3>(img.as_raw(), w, h, clockwise),
        4 => turn::<4>(img.as_raw(), w, h, clockwise),
        _ => unreachable!("renditions are RGB or RGBA"),
    };
    image::ImageBuffer::from_raw(h as u32, w as u32, out).expect("sized above")
}

/// `quarter_turn` of `C`-byte pixels, `w`×`h` in, `h`×`w` out.
fn turn<const C: usize>(src: &[u8], w: usize, h: usize, clockwise: bool) -> Vec<u8> {
    let mut out = vec![0u8; w * h * C];
    for (y, row) in src.chunks_exact(w * C).enumerate() {
        for (x, px) in row.chunks_exact(C).enumerate() {
            // Source pixel (x, y) goes to (h - 1 - y, x) clockwise, (y, w - 1 - x) not.
            let o = if clockwise {
                (x * h + (h - 1 - y)) * C
            } else {
                ((w - 1 - x) * h + y) * C
            };
            out[o..o + C].copy_from_slice(px);
        }
    }
    out
}

/// To 8-bit RGB; transparent areas become white (a sign on a page, not on black).
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = p[3] as u32;
        for c in 0..3 {
            o[c] = ((p[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

fn encode(img: &Pixels, enc: Encoding) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    match enc.format {
        ImageFormat::Jpeg => {
            // jpeg-encoder (SIMD) rather than `image`'s encoder: encoding took a third
            // of a cold build's time. Below quality 90 it subsamples chroma (4:2:0), as
            // cameras do. Its optimised Huffman tables would save ~16% of the bytes, but
            // zune-jpeg (the `image` crate's decoder) misreads those files, so they are
            // off until that is understood: every decoder must read what we publish.
            // Alpha is only kept for WebP; a JPEG is made from RGB as it is.
            let rgb = match img {
                Pixels::Rgb(i) => std::borrow::Cow::Borrowed(i),
                Pixels::Rgba(i) => {
                    std::borrow::Cow::Owned(DynamicImage::ImageRgba8(i.clone()).into_rgb8())
                }
            };
            let (w, h) = (
                u16::try_from(rgb.width())
                    .map_err(|_| Error::Encode("a rendition wider than 65,535 pixels".into()))?,
                u16::try_from(rgb.height())
                    .map_err(|_| Error::Encode("a rendition taller than 65,535 pixels".into()))?,
            );
            let mut encoder = jpeg_encoder::Encoder::new(&mut buf, enc.quality);
            encoder.set_optimized_huffman_tables(false);
            encoder
                .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| Error::Encode(format!("JPEG encoding failed: {e}")))?;
        }
        ImageFormat::Webp => {
            let (w, h) = img.size();
            if w > WEBP_MAX_SIDE || h > WEBP_MAX_SIDE {
                return Err(Error::Encode(format!(
                    "a {w}×{h} rendition is too large for WebP (at most {WEBP_MAX_SIDE} pixels a side); use `images.format: jpeg` or smaller widths"
                )));
            }
            let q = enc.quality as f32;
            let mem = match img {
                Pixels::Rgba(i) => webp::Encoder::from_rgba(i, w, h).encode_simple(false, q),
                Pixels::Rgb(i) => webp::Encoder::from_rgb(i, w, h).encode_simple(false, q),
            }
            .map_err(|e| Error::Encode(format!("WebP encoding failed: {e:?}")))?;
            buf.extend_from_slice(&mem);
        }
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_photos_decode_at_half_scale_in_either_orientation() {
        use crate::config::ImageConfig;
        use crate::metadata::{ExifFacts, PhotoFacts};
        // 12 MP landscapes and portraits as cameras and phones store them (Orientation
        // 6 is a phone held upright), a 9:16 phone photo and a 4:3 one of 12.2 MP.
        for (w, h, orientation) in [
            (4000, 3000, 1),
            (4000, 3000, 6),
            (3000, 4000, 1),
            (3000, 4000, 6),
            (4032, 3024, 6),
            (4000, 2250, 6),
            (4000, 2250, 8),
        ] {
            let facts = PhotoFacts {
                hash: "ab".repeat(32),
                bytes: 1,
                width: w,
                height: h,
                exif: ExifFacts {
                    orientation,
                    ..Default::default()
                },
            };
            let plan = super::super::plan("x", &facts, &ImageConfig::default());
            let need = need(orientation, &plan).unwrap();
            assert_eq!(
                jpeg_scale((w, h), need),
                Some(2),
                "{w}×{h}, orientation {orientation}: largest {need:?} (stored orientation)"
            );
        }
    }

    #[test]
    fn every_orientation_turns_as_the_image_crate_does() {
        // Odd sizes, wider and taller than a tile, with every pixel different.
        let rgb = RgbImage::from_fn(70, 33, |x, y| image::Rgb([x as u8, y as u8, (x ^ y) as u8]));
        let rgba = RgbaImage::from_fn(33, 70, |x, y| {
            image::Rgba([x as u8, y as u8, (x * y) as u8, (x + y) as u8])
        });
        for n in 1..=8 {
            let o = Orientation::from_exif(n).unwrap();
            let mut want = DynamicImage::ImageRgb8(rgb.clone());
            want.apply_orientation(o);
            let got = oriented(&rgb, o).unwrap_or_else(|| rgb.clone());
            assert_eq!(Some(&got), want.as_rgb8(), "orientation {n}, RGB");
            let mut want = DynamicImage::ImageRgba8(rgba.clone());
            want.apply_orientation(o);
            let got = oriented(&rgba, o).unwrap_or_else(|| rgba.clone());
            assert_eq!(Some(&got), want.as_rgba8(), "orientation {n}, RGBA");
        }
    }

    #[test]
    fn transparent_becomes_white() {
        let img = DynamicImage::ImageRgba8(RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 0])));
        assert_eq!(flatten(img).get_pixel(0, 0).0, [255, 255, 255]);
    }
}
