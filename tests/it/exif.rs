//! EXIF facts of real camera photos, against the values in tests/fixtures/photos/README.md.

use crate::common;
use crate::common::fixture;
use glyph::metadata::photo_facts;

fn facts(name: &str) -> glyph::metadata::PhotoFacts {
    photo_facts(&std::fs::read(fixture(name)).unwrap()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn gps_with_hemisphere_references() {
    // (file, lat, lon): west of Greenwich, south of the equator, and EXIF inside a PNG.
    for (name, lat, lon) in [
        ("issue-exifr-59.jpg", 37.746765, -119.529883),
        ("Kodak_CX7530.jpg", -0.371300, 36.056417),
        ("png_with_exif_and_gps.png", 50.299603, 14.820294),
    ] {
        let (got_lat, got_lon) = facts(name)
            .exif
            .location
            .unwrap_or_else(|| panic!("{name} has GPS"));
        assert!(
            close(got_lat, lat) && close(got_lon, lon),
            "{name}: {got_lat}, {got_lon}"
        );
    }
    for name in ["Canon_40D.jpg", "noexif.jpg", "testorig.jpg", "denali.webp"] {
        assert!(facts(name).exif.location.is_none(), "{name} has no GPS");
    }
}

#[test]
fn capture_dates_cameras_and_sizes() {
    for (name, taken, camera, size) in [
        (
            "issue-exifr-59.jpg",
            Some("2015-06-12 13:40:32"),
            Some("Canon EOS 600D"),
            (150, 100),
        ),
        (
            "Canon_40D.jpg",
            Some("2008-05-30 15:56:01"),
            Some("Canon EOS 40D"),
            (100, 68),
        ),
        (
            "Kodak_CX7530.jpg",
            Some("2005-08-13 09:47:23"),
            None,
            (100, 78),
        ),
        (
            "denali.webp",
            Some("2010-08-13 21:00:01"),
            Some("Canon EOS 7D"),
            (600, 315),
        ),
        // Its EXIF chunk starts with JPEG's `Exif\0\0`, as several tools write it.
        (
            "denali-exif-prefix.webp",
            Some("2010-08-13 21:00:01"),
            Some("Canon EOS 7D"),
            (600, 315),
        ),
        (
            "png_with_exif_and_gps.png",
            Some("2003-12-14 12:01:44"),
            Some("Canon PowerShot S40"),
            (1, 1),
        ),
        ("noexif.jpg", None, None, (250, 188)),
    ] {
        let f = facts(name);
        assert_eq!(
            f.exif.taken.map(|t| t.to_string()).as_deref(),
            taken,
            "{name}"
        );
        if camera.is_some() {
            assert_eq!(f.exif.camera().as_deref(), camera, "{name}");
        }
        assert_eq!((f.width, f.height), size, "{name}");
        assert!(f.exif.warnings.is_empty(), "{name}: {:?}", f.exif.warnings);
    }
}

#[test]
fn orientation_values_as_stored() {
    for n in 0..=8u8 {
        let f = facts(&format!("Landscape_{n}.jpg"));
        // 0 is invalid in EXIF and treated as 1 (no transform).
        assert_eq!(f.exif.orientation, n.max(1), "Landscape_{n}");
        assert_eq!(
            f.display_size(),
            (1800, 1200),
            "Landscape_{n} displays landscape"
        );
    }
}

#[test]
fn the_content_hash_is_blake3_of_the_bytes() {
    let bytes = std::fs::read(fixture("noexif.jpg")).unwrap();
    assert_eq!(
        photo_facts(&bytes).unwrap().hash,
        blake3::hash(&bytes).to_hex().to_string()
    );
}

/// Canon_40D.jpg with its capture date (DateTimeOriginal and DateTimeDigitized) rewritten.
fn canon_taken(date: &[u8; 19]) -> Vec<u8> {
    let mut bytes = std::fs::read(fixture("Canon_40D.jpg")).unwrap();
    let old = b"2008:05:30 15:56:01";
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(old.len()).position(|w| w == old) {
        bytes[at + i..at + i + old.len()].copy_from_slice(date);
        at += i + old.len();
    }
    bytes
}

#[test]
fn an_impossible_exif_date_is_a_warning_and_an_unset_clock_is_not() {
    let f = photo_facts(&canon_taken(b"2020:13:45 25:61:61")).unwrap();
    assert_eq!(f.exif.taken, None);
    assert_eq!(
        f.exif.warnings,
        ["the photo's EXIF date `2020:13:45 25:61:61` cannot be read as a date, so it is not used"]
    );
    let f = photo_facts(&canon_taken(b"0000:00:00 00:00:00")).unwrap();
    assert_eq!(f.exif.taken, None);
    assert!(f.exif.warnings.is_empty(), "{:?}", f.exif.warnings);
}

#[test]
fn an_exif_date_in_the_future_is_a_warning_unless_the_sidecar_dates_it() {
    let dir = common::site(&[], &[]);
    std::fs::write(
        dir.path().join("photos/future.jpg"),
        canon_taken(b"2099:05:30 15:56:01"),
    )
    .unwrap();
    common::write(dir.path(), "photos/future.yaml", "title: Future\n");
    let outcome = common::build_site(dir.path());
    common::assert_ok(&outcome);
    let warned = |o: &glyph::pipeline::BuildOutcome| {
        o.diagnostics
            .iter()
            .any(|d| d.message.contains("EXIF date 2099-05-30 is in the future"))
    };
    assert!(warned(&outcome), "{:#?}", outcome.diagnostics);

    common::write(
        dir.path(),
        "photos/future.yaml",
        "title: Future\ndate: 2019-05-30\n",
    );
    let outcome = common::build_site(dir.path());
    assert!(!warned(&outcome), "{:#?}", outcome.diagnostics);
}
