//! EXIF extraction and the photo facts built on it: any bytes (a JPEG, PNG, WebP or
//! HEIF container with hostile EXIF) give facts or an error message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let facts = glyph::metadata::read_exif(data);
    if let Some((lat, lon)) = facts.location {
        assert!(lat.abs() <= 90.0 && lon.abs() <= 180.0, "{lat}, {lon}");
    }
    assert!((1..=8).contains(&facts.orientation), "{}", facts.orientation);
    let _ = glyph::metadata::photo_facts(data);
});
