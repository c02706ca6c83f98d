//! A photo's perceptual fingerprint from its bytes: decoded small and upright by
//! `imaging` (a JPEG at a reduced DCT scale), hashed by `similar`. The cache keeps
//! them by content hash (`Cache::fingerprint`), so a re-run decodes only new photos.

use super::similar::{self, Fingerprint};
use crate::imaging;
use crate::metadata::{self, PhotoFacts};

/// The decoded picture's smaller side is at least this: enough detail for a 32×32
/// hash input, and a camera JPEG is decoded at 1/8 scale.
const DECODE_SIDE: u32 = 256;

/// The fingerprint of a photo whose facts are known (for its orientation); an error
/// when its pixels do not decode.
pub(crate) fn of_photo(bytes: &[u8], facts: &PhotoFacts) -> Result<Fingerprint, imaging::Error> {
    let img = imaging::decode_upright(bytes, facts.exif.orientation, DECODE_SIDE)?;
    Ok(similar::fingerprint(&img))
}

/// The fingerprint of any photo file's bytes, when it is a photo that decodes.
pub(crate) fn of_bytes(bytes: &[u8]) -> Option<Fingerprint> {
    let facts = metadata::photo_facts(bytes).ok()?;
    of_photo(bytes, &facts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn bytes(path: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
    }

    /// Decoded small (the original at 1/2 scale, the copy in full), the measured pair
    /// stays well inside the threshold, and different pictures well outside it.
    #[test]
    fn scaled_decodes_keep_the_threshold_s_margins() {
        let original = of_bytes(&bytes("tests/fixtures/similar/img_1771_no_exif.jpg")).unwrap();
        let copy = of_bytes(&bytes(
            "tests/fixtures/similar/img_1771_no_exif-320-q70.jpg",
        ))
        .unwrap();
        let d = similar::distance(&original, &copy);
        assert!(d <= similar::SAME_PICTURE_MAX_DISTANCE / 2, "distance {d}");
        let tokyo = of_bytes(&bytes("tests/fixtures/similar/tokyo-haneda-terminal-3.jpg")).unwrap();
        let reykjavik = of_bytes(&bytes(
            "tests/fixtures/similar/reykjavik-harbour-concert-hall.jpg",
        ))
        .unwrap();
        let d = similar::distance(&tokyo, &reykjavik);
        assert!(d > 2 * similar::SAME_PICTURE_MAX_DISTANCE, "distance {d}");
    }

    #[test]
    fn a_camera_photo_and_its_instagram_copy_match() {
        let original = of_bytes(&bytes("tests/fixtures/photos/Landscape_1.jpg")).unwrap();
        let copy = of_bytes(&bytes(
            "tests/fixtures/import/instagram-2025/media/posts/202405/20000000000000001_n_6.jpg",
        ))
        .unwrap();
        let d = similar::distance(&original, &copy);
        assert!(similar::is_same_picture(&original, &copy), "distance {d}");
        assert!(of_bytes(b"not a photo").is_none());
    }
}
