//! HEIC/HEIF photos, the iPhone default, published like any photo by the default build:
//! the container's rotation and mirroring applied once, colours converted to sRGB,
//! damaged files refused with an error naming them.

use crate::common::*;
use image::{GenericImageView, RgbImage};

const SIDECAR: &str = "title: Blue Springs phlox\nalt: Purple flowers\ntags: [nature]\n";

#[test]
fn an_iphone_photo_is_published_with_its_place_and_true_colours() {
    let dir = site(
        &[("IMG_5195.HEIC", "2021/phlox.heic")],
        &[("photos/2021/phlox.yaml", SIDECAR)],
    );
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");
    let sign = page(&out, "/signs/phlox/");
    assert_eq!(texts(&sign, "h1"), ["Blue Springs phlox"]);
    // GPS and date from the HEIC's EXIF: Missouri, United States, 11 April 2021.
    let links = texts(&sign, "a").join(" | ");
    assert!(links.contains("United States"), "{links}");
    let time = select(&sign, "time")[0]
        .value()
        .attr("datetime")
        .unwrap()
        .to_string();
    assert!(time.starts_with("2021-04-11"), "{time}");

    // 2566×3313 displayed: portrait renditions, never upscaled.
    let thumb = rendition(&out, "phlox", 0);
    assert_eq!(thumb.dimensions(), (480, 620));
    // Against libheif's own decode, still in Display P3: the same picture with the
    // channels in order, and where colours are strong (the purple flowers) more
    // saturated, as the same colour takes larger sRGB values.
    let p3 = image::open(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/heic/IMG_5195-p3-24x31.png"),
    )
    .unwrap()
    .to_rgb8();
    let ours = box_down(&thumb.to_rgb8(), 24, 31);
    let d = mean_abs_diff(&ours, &p3);
    assert!(
        d < 6.0,
        "differs from libheif's decode by {d:.1} on average"
    );
    let mut swapped = p3.clone();
    swapped.pixels_mut().for_each(|p| p.0.swap(0, 2));
    assert!(
        mean_abs_diff(&swapped, &p3) > 6.0,
        "the check can see a channel swap"
    );
    let chroma =
        |p: &image::Rgb<u8>| *p.0.iter().max().unwrap() as i32 - *p.0.iter().min().unwrap() as i32;
    let mut vivid: Vec<(u32, u32)> = (0..24)
        .flat_map(|x| (0..31).map(move |y| (x, y)))
        .filter(|&(x, y)| chroma(p3.get_pixel(x, y)) > 60)
        .collect();
    vivid.sort();
    assert!(vivid.len() >= 3, "the photo has vivid blocks");
    let gain: i32 = vivid
        .iter()
        .map(|&(x, y)| chroma(ours.get_pixel(x, y)) - chroma(p3.get_pixel(x, y)))
        .sum::<i32>()
        / vivid.len() as i32;
    assert!(
        gain >= 3,
        "P3 colours converted to sRGB gain chroma, got {gain}"
    );
}

/// Average `img` down to `w`×`h` blocks (what Pillow's BOX filter does).
fn box_down(img: &RgbImage, w: u32, h: u32) -> RgbImage {
    let (iw, ih) = img.dimensions();
    RgbImage::from_fn(w, h, |bx, by| {
        let (x0, x1) = (bx * iw / w, (bx + 1) * iw / w);
        let (y0, y1) = (by * ih / h, (by + 1) * ih / h);
        let mut sum = [0u64; 3];
        for y in y0..y1 {
            for x in x0..x1 {
                let p = img.get_pixel(x, y);
                (0..3).for_each(|c| sum[c] += p[c] as u64);
            }
        }
        let n = ((x1 - x0) * (y1 - y0)) as u64;
        image::Rgb(sum.map(|v| ((v + n / 2) / n) as u8))
    })
}

#[test]
fn exif_orientation_turns_a_heic_whose_container_does_not() {
    // The file above with its `irot` renamed away, as an iPhone 7 writes: only EXIF
    // Orientation 6 says to turn it, and it is turned the same.
    let dir = site(&[("exif6-no-irot.heic", "iphone7.heic")], &[]);
    assert_ok(&build_site(dir.path()));
    let img = rendition(&dir.path().join("public"), "iphone7", 0).to_rgb8();
    assert_eq!(img.dimensions(), (64, 96), "portrait, as EXIF says");
    let top = img.get_pixel(32, 5);
    assert!(top[0] > 200 && top[2] < 60, "red at the top: {top:?}");
}

#[test]
fn rotation_is_applied_once_when_container_and_exif_both_say_it() {
    // Stored 96×64 with a red band on the left; `irot` and EXIF Orientation 6 both
    // say "turn 90° clockwise": displayed 64×96 with the red band at the top.
    let dir = site(&[("rotated-irot-exif6.heic", "turned.heic")], &[]);
    assert_ok(&build_site(dir.path()));
    let img = rendition(&dir.path().join("public"), "turned", 0).to_rgb8();
    assert_eq!(img.dimensions(), (64, 96), "portrait, not turned back");
    let top = img.get_pixel(32, 5);
    let bottom = img.get_pixel(32, 90);
    assert!(top[0] > 200 && top[2] < 60, "red at the top: {top:?}");
    assert!(bottom[2] > 200 && bottom[0] < 60, "blue below: {bottom:?}");
}

#[test]
fn import_takes_iphone_photos() {
    let inbox = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("IMG_5195.HEIC"), inbox.path().join("IMG_5195.HEIC")).unwrap();
    let dir = site(&[], &[]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_glyph"))
        .arg("import")
        .arg(inbox.path())
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let yaml = walkdir::WalkDir::new(dir.path().join("photos/2021"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .unwrap_or_else(|| panic!("no sidecar written: {text}"));
    let name = yaml.file_name().to_string_lossy().into_owned();
    assert!(name.starts_with("2021-04-11-"), "{name}");
    let sidecar =
        glyph::metadata::parse_sidecar(&std::fs::read_to_string(yaml.path()).unwrap()).unwrap();
    assert_eq!(sidecar.country.as_deref(), Some("US"));
    assert!(yaml.path().with_extension("heic").is_file());
    assert_ok(&build_with(
        dir.path(),
        glyph::config::Overrides {
            drafts: true,
            ..Default::default()
        },
    ));
}

#[test]
fn every_orientation_in_the_container_is_applied() {
    // Stored 48×32 in quadrants, red and green over blue and white, each written with
    // EXIF Orientation N as `irot`/`imir` boxes (scripts/make_heic_fixtures.py; 2, 4, 5
    // and 7 mirror). Displayed size, then the corners as displayed: top left, top right,
    // bottom left, bottom right.
    let expected = [
        (1, (48, 32), "RGBW"),
        (2, (48, 32), "GRWB"),
        (3, (48, 32), "WBGR"),
        (4, (48, 32), "BWRG"),
        (5, (32, 48), "RBGW"),
        (6, (32, 48), "BRWG"),
        (7, (32, 48), "WGBR"),
        (8, (32, 48), "GWRB"),
    ];
    let names: Vec<(String, String)> = (1..=8)
        .map(|n| {
            (
                format!("../heic/orientation-{n}.heic"),
                format!("orientation-{n}.heic"),
            )
        })
        .collect();
    let photos: Vec<(&str, &str)> = names.iter().map(|(a, b)| (&a[..], &b[..])).collect();
    let dir = site(&photos, &[]);
    assert_ok(&build_site(dir.path()));
    let named = |p: &image::Rgb<u8>| match p.0.map(|c| c > 128) {
        [true, false, false] => 'R',
        [false, true, false] => 'G',
        [false, false, true] => 'B',
        [true, true, true] => 'W',
        _ => '?',
    };
    for (n, size, corners) in expected {
        let img = rendition(&dir.path().join("public"), &format!("orientation-{n}"), 0).to_rgb8();
        let (w, h) = img.dimensions();
        let seen: String = [(3, 3), (w - 4, 3), (3, h - 4), (w - 4, h - 4)]
            .iter()
            .map(|&(x, y)| named(img.get_pixel(x, y)))
            .collect();
        assert_eq!(((w, h), &seen[..]), (size, corners), "orientation {n}");
    }
}

#[test]
fn a_damaged_heic_is_an_error_naming_it() {
    let dir = site(&[], &[]);
    let bytes = std::fs::read(fixture("IMG_5195.HEIC")).unwrap();
    std::fs::write(
        dir.path().join("photos/cut.heic"),
        &bytes[..bytes.len() / 2],
    )
    .unwrap();
    // One byte changed a third of the way into the HEVC data (the `mdat` box, whose
    // size is in the 64-bit field): decoded, it would smear the tiles after it.
    let mdat = bytes.windows(4).position(|w| w == b"mdat").unwrap() - 4;
    assert_eq!(
        bytes[mdat..mdat + 4],
        [0, 0, 0, 1],
        "a 64-bit box size follows"
    );
    let size = u64::from_be_bytes(bytes[mdat + 8..mdat + 16].try_into().unwrap()) as usize;
    let mut flipped = bytes.clone();
    flipped[mdat + 16 + (size - 16) / 3] ^= 0xFF;
    std::fs::write(dir.path().join("photos/flipped.heic"), &flipped).unwrap();
    std::fs::copy(fixture("Canon_40D.jpg"), dir.path().join("photos/fine.jpg")).unwrap();
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());
    let errors: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    for name in ["photos/cut.heic", "photos/flipped.heic"] {
        assert!(
            errors.iter().any(|e| e.contains(name)),
            "{name}: {errors:?}"
        );
    }
}
