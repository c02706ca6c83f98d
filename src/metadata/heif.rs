//! Recognising HEIC/HEIF photos, and their displayed size read from the container.
//!
//! HEIF keeps cropping, rotation and mirroring in the container (`clap`, `irot`,
//! `imir`), and the decoder (heifer, in `imaging::heic`) applies them. iPhones also
//! write the same rotation as EXIF Orientation; honouring both would turn the picture
//! twice, so when the container turns or mirrors the picture its EXIF orientation is
//! set aside and the size reported is the displayed one. Older iPhones (the 7) write
//! no `irot` and only EXIF Orientation: then the EXIF orientation applies, as for a
//! JPEG.

use heifer::heifer_isobmff::{boxes::Property, HeifFile};

use super::PhotoError;

/// Brands of HEIF files with HEVC-coded still images (what phones write).
const BRANDS: &[&[u8; 4]] = &[
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
];

/// Whether `bytes` are a HEIF file with HEVC images: an `ftyp` box whose major or a
/// compatible brand is one of `BRANDS` (and not AVIF, which HEIF also carries).
pub(crate) fn is_heif(bytes: &[u8]) -> bool {
    if bytes.len() < 16 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = size.clamp(16, bytes.len().min(256));
    let mut brands = std::iter::once(&bytes[8..12]).chain(bytes[16..end].chunks_exact(4));
    let avif = bytes[8..12] == *b"avif" || bytes[8..12] == *b"avis";
    !avif && brands.any(|b| BRANDS.iter().any(|x| &x[..] == b))
}

/// The primary image's size as displayed: its `ispe` after the container's crop and
/// quarter turns, in the order they are listed (as the decoder applies them); and
/// whether the container turns or mirrors it at all.
pub(crate) fn displayed_size(bytes: &[u8]) -> Result<((u32, u32), bool), PhotoError> {
    let heic = |what| {
        move |e: heifer::heifer_isobmff::Error| PhotoError::Heic {
            what,
            detail: e.to_string(),
        }
    };
    let file = HeifFile::parse(bytes).map_err(heic("is unreadable"))?;
    let id = file.primary_id;
    let coded = match file.image_size(id).map_err(heic("has no main image"))? {
        Some(size) => size,
        // `ispe` is mandatory, but a grid's own header also says its size.
        None => {
            let grid = file
                .grid(id)
                .map_err(heic("has no size for its main image"))?;
            (grid.output_width, grid.output_height)
        }
    };
    let mut size = coded;
    let mut transformed = false;
    for property in file
        .item_properties(id)
        .map_err(heic("has no main image"))?
    {
        size = match *property {
            Property::CleanAperture {
                width,
                height,
                horiz_offset,
                vert_offset,
            } => crop(size, width, height, horiz_offset, vert_offset),
            Property::Rotation(q) => {
                transformed |= q % 4 != 0;
                if q % 2 == 1 {
                    (size.1, size.0)
                } else {
                    size
                }
            }
            Property::Mirror(_) => {
                transformed = true;
                size
            }
            _ => size,
        };
    }
    match size {
        (0, _) | (_, 0) => Err(PhotoError::NoPixels(size.0, size.1)),
        _ => Ok((size, transformed)),
    }
}

/// The size left by a `clap` crop (ISO/IEC 14496-12), rounded and clamped as heifer
/// crops the pixels. A zero denominator keeps the size: decoding then refuses the file.
fn crop(
    (w, h): (u32, u32),
    width: (u32, u32),
    height: (u32, u32),
    horiz: (i32, u32),
    vert: (i32, u32),
) -> (u32, u32) {
    if width.1 == 0 || height.1 == 0 || horiz.1 == 0 || vert.1 == 0 {
        return (w, h);
    }
    let side = |full: u32, (n, d): (u32, u32), (on, od): (i32, u32)| {
        let kept = f64::from(n) / f64::from(d);
        let centre = f64::from(on) / f64::from(od) + (f64::from(full) - 1.0) / 2.0;
        let start = ((centre - (kept - 1.0) / 2.0).round().max(0.0) as u32).min(full);
        (kept.round() as u32).min(full - start)
    };
    (side(w, width, horiz), side(h, height, vert))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_heic_but_not_avif_or_jpeg() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        assert!(is_heif(&heic));
        let mut avif = vec![0, 0, 0, 24];
        avif.extend_from_slice(b"ftypavif\0\0\0\0mif1miaf");
        assert!(!is_heif(&avif));
        assert!(!is_heif(&[
            0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        ]));
    }

    #[test]
    fn a_clean_aperture_keeps_its_centred_size_inside_the_picture() {
        // 100×80 cropped to 50×40 about the centre.
        assert_eq!(crop((100, 80), (50, 1), (40, 1), (0, 1), (0, 1)), (50, 40));
        // Shifted 40 px right: only 35 columns remain inside the picture.
        assert_eq!(crop((100, 80), (50, 1), (40, 1), (40, 1), (0, 1)), (35, 40));
        // Fractions round: 99/2 is 49.5, kept as 50.
        assert_eq!(crop((100, 80), (99, 2), (80, 1), (0, 1), (0, 1)), (50, 80));
        assert_eq!(crop((100, 80), (50, 0), (40, 1), (0, 1), (0, 1)), (100, 80));
    }
}
