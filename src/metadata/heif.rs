//! Recognising HEIC/HEIF photos, and (with the `heic` feature) their displayed size.
//!
//! HEIF keeps rotation and mirroring in the container (`irot`/`imir`), and libheif
//! applies them when decoding. iPhones also write the same rotation as EXIF
//! Orientation; honouring both would turn the picture twice, so for HEIF the EXIF
//! orientation is set aside and the size reported is the displayed one.

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

/// The primary image's size as displayed (after the container's rotation).
#[cfg(feature = "heic")]
pub(crate) fn displayed_size(bytes: &[u8]) -> Result<(u32, u32), super::PhotoError> {
    let heic = |what| {
        move |e: libheif_rs::HeifError| super::PhotoError::Heic {
            what,
            detail: e.message,
        }
    };
    let ctx = libheif_rs::HeifContext::read_from_bytes(bytes).map_err(heic("is unreadable"))?;
    let handle = ctx
        .primary_image_handle()
        .map_err(heic("has no main image"))?;
    Ok((handle.width(), handle.height()))
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
}
