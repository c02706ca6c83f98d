//! Bad input: every problem is reported at once, with file, line and column, and the
//! last good site stays exactly as it was.

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn good_site() -> tempfile::TempDir {
    site(
        &[
            ("issue-exifr-59.jpg", "a.jpg"),
            ("Canon_40D.jpg", "b.jpg"),
            ("noexif.jpg", "c.jpg"),
            ("testorig.jpg", "d.jpg"),
        ],
        &[
            ("photos/a.yaml", "title: A\nalt: a\n"),
            ("photos/b.yaml", "title: B\nalt: b\n"),
            ("photos/c.yaml", "title: C\nalt: c\n"),
            ("photos/d.yaml", "title: D\nalt: d\n"),
        ],
    )
}

fn find<'a>(o: &'a glyph::pipeline::BuildOutcome, file: &str) -> &'a glyph::diag::Diagnostic {
    o.diagnostics
        .iter()
        .find(|d| d.is_error() && d.file.as_deref() == Some(Path::new(file)))
        .unwrap_or_else(|| panic!("no error for {file}: {:#?}", o.diagnostics))
}

#[test]
fn bad_sidecars_are_all_reported_with_positions_and_the_old_site_survives() {
    let dir = good_site();
    assert_ok(&build_site(dir.path()));
    let before = tree_hash(&dir.path().join("public"));

    write(
        dir.path(),
        "photos/a.yaml",
        "title: A\nalt: a\ntgas: [pictogram]\n",
    );
    write(
        dir.path(),
        "photos/b.yaml",
        "title: B\nlocation:\n  lat: north\n  lon: 3\n",
    );
    write(dir.path(), "photos/c.yaml", "title: \"C\nalt: c\n");
    write(dir.path(), "photos/d.yaml", "title: D\ndate: yesterday\n");
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());

    let a = find(&outcome, "photos/a.yaml");
    assert_eq!((a.line, a.column), (Some(3), Some(1)));
    assert_eq!(a.message, "unknown key `tgas`");
    assert!(a.hint.as_deref().unwrap().contains("did you mean `tags`?"));

    let b = find(&outcome, "photos/b.yaml");
    assert_eq!(b.line, Some(3));
    assert!(b.column.is_some());
    assert!(
        b.message.contains("`location.lat`: expected a number"),
        "{}",
        b.message
    );

    let c = find(&outcome, "photos/c.yaml");
    assert!(c.line.is_some() && c.column.is_some(), "{c}");

    let d = find(&outcome, "photos/d.yaml");
    assert_eq!(d.line, Some(2));
    assert!(
        d.message.contains("`yesterday` is not a date"),
        "{}",
        d.message
    );

    assert_eq!(
        before,
        tree_hash(&dir.path().join("public")),
        "the previous site is intact"
    );
}

#[test]
fn undecodable_photos_are_named_and_the_rest_still_checked() {
    let dir = good_site();
    std::fs::write(dir.path().join("photos/empty.jpg"), b"").unwrap();
    std::fs::write(
        dir.path().join("photos/text.jpg"),
        b"I am not a photo, I am a note.\n",
    )
    .unwrap();
    let bytes = std::fs::read(fixture("Canon_40D.jpg")).unwrap();
    std::fs::write(
        dir.path().join("photos/cut.jpg"),
        &bytes[..bytes.len() * 2 / 3],
    )
    .unwrap();
    // An unknown country in another sign must be reported in the same run.
    write(
        dir.path(),
        "photos/a.yaml",
        "title: A\nalt: a\ncountry: Cnada\n",
    );
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());
    assert!(find(&outcome, "photos/empty.jpg").message.contains("empty"));
    assert!(find(&outcome, "photos/text.jpg")
        .message
        .contains("not an image"));
    assert!(find(&outcome, "photos/cut.jpg")
        .message
        .contains("truncated"));
    let a = find(&outcome, "photos/a.yaml");
    assert_eq!(a.line, Some(3));
    assert!(a.hint.as_deref().unwrap().contains("Canada"));
    assert!(!dir.path().join("public").exists(), "nothing published");
}

#[test]
fn a_decompression_bomb_is_refused_by_the_decoder_limit() {
    // A valid PNG header declaring 30000×30000 pixels, with a tiny body.
    let dir = good_site();
    let png = bomb_png(30000, 30000);
    assert!(
        png.len() < 100_000,
        "the bomb is small on disk: {} bytes",
        png.len()
    );
    std::fs::write(dir.path().join("photos/bomb.png"), &png).unwrap();
    let outcome = build_site(dir.path());
    let e = find(&outcome, "photos/bomb.png");
    assert!(
        e.message.contains("too large") || e.message.contains("corrupt"),
        "{}",
        e.message
    );
}

#[test]
fn the_cli_exits_1_on_errors_and_2_on_bad_arguments() {
    let bin = env!("CARGO_BIN_EXE_glyph");
    let dir = good_site();
    let ok = Command::new(bin)
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    write(dir.path(), "photos/a.yaml", "tgas: [x]\n");
    let bad = Command::new(bin)
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("photos/a.yaml:1:1: unknown key `tgas`"),
        "{stderr}"
    );

    let usage = Command::new(bin)
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

/// A folder without site.yaml (a mistyped --root, a command run in the wrong folder)
/// is refused by every command, and nothing is written into it or made beside it.
#[test]
fn a_folder_without_site_yaml_is_refused_and_left_alone() {
    let bin = env!("CARGO_BIN_EXE_glyph");
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("holiday photos");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(fixture("Canon_40D.jpg"), folder.join("IMG_0001.jpg")).unwrap();
    let incoming = dir.path().join("incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    std::fs::copy(fixture("noexif.jpg"), incoming.join("new.jpg")).unwrap();
    let missing = dir.path().join("no such folder");
    let incoming = incoming.to_str().unwrap();
    for (root, args) in [
        (&folder, vec!["build"]),
        (&folder, vec!["check"]),
        (&folder, vec!["serve", "--port", "0"]),
        (&folder, vec!["import", incoming]),
        (&missing, vec!["build"]),
    ] {
        let out = Command::new(bin)
            .args(&args)
            .arg("--root")
            .arg(root)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        let why = if root == &missing {
            "is not a glyph site: the folder does not exist"
        } else {
            "is not a glyph site: it has no site.yaml"
        };
        assert!(
            stderr.contains(why) && stderr.contains("glyph init"),
            "{args:?}: {stderr}"
        );
    }
    let names = |p: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&folder), ["IMG_0001.jpg"]);
    assert_eq!(names(dir.path()), ["holiday photos", "incoming"]);
}

#[test]
fn unknown_site_yaml_keys_are_errors() {
    let dir = good_site();
    write(dir.path(), "site.yaml", "title: X\nper_pgae: 10\n");
    let outcome = build_site(dir.path());
    let e = find(&outcome, "site.yaml");
    assert_eq!(e.line, Some(2));
    assert!(e.hint.as_deref().unwrap().contains("per_page"));
}

#[test]
fn an_output_folder_over_the_photos_is_refused() {
    let dir = good_site();
    let outcome = build_with(
        dir.path(),
        glyph::config::Overrides {
            output_dir: Some("photos".into()),
            ..Default::default()
        },
    );
    assert!(!outcome.ok());
    assert!(
        dir.path().join("photos/a.jpg").is_file(),
        "photos untouched"
    );
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let dir = good_site();
    write(dir.path(), "templates/404.html", "<p>\n{% if %}\n</p>\n");
    let outcome = build_site(dir.path());
    let e = outcome.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(e.file.as_deref(), Some(Path::new("templates/404.html")));
    assert_eq!(e.line, Some(2), "{e}");
}

#[test]
fn sources_are_never_modified() {
    let dir = good_site();
    let photos = dir.path().join("photos");
    let before = tree_hash(&photos);
    assert_ok(&build_site(dir.path()));
    write(dir.path(), "photos/a.yaml", "broken: [\n");
    let _ = build_site(dir.path());
    let mut after = tree_hash(&photos);
    after.remove("a.yaml");
    let mut expected = before.clone();
    expected.remove("a.yaml");
    assert_eq!(expected, after);
}

/// A PNG whose header declares `w`×`h` RGB pixels but which holds only a few rows of
/// (uncompressed) data: what a decompression bomb looks like to a decoder.
fn bomb_png(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= *b as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    // zlib header, then one stored (uncompressed) deflate block of zeros, not final.
    let mut idat = vec![0x78, 0x01, 0x00];
    let len: u16 = 60_000;
    idat.extend_from_slice(&len.to_le_bytes());
    idat.extend_from_slice(&(!len).to_le_bytes());
    idat.extend(std::iter::repeat_n(0u8, len as usize));
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn an_existing_folder_glyph_did_not_make_is_never_replaced() {
    let dir = good_site();
    let precious = dir.path().join("thesis");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("chapter1.txt"), "years of work").unwrap();
    let outcome = build_with(
        dir.path(),
        glyph::config::Overrides {
            output_dir: Some(precious.clone()),
            ..Default::default()
        },
    );
    assert!(!outcome.ok());
    assert!(
        outcome.diagnostics[0].message.contains("not made by glyph"),
        "{}",
        outcome.diagnostics[0]
    );
    assert_eq!(
        std::fs::read_to_string(precious.join("chapter1.txt")).unwrap(),
        "years of work"
    );
    // Glyph's own output is replaced build after build.
    assert_ok(&build_site(dir.path()));
    assert_ok(&build_site(dir.path()));
}

#[test]
fn strict_mode_publishes_nothing_when_there_are_warnings() {
    let dir = good_site();
    std::fs::copy(
        fixture("noexif.jpg"),
        dir.path().join("photos/no-sidecar.jpg"),
    )
    .unwrap();
    let strict = |root: &Path| {
        glyph::pipeline::build(&glyph::pipeline::BuildOptions {
            root: root.to_path_buf(),
            strict: true,
            ..Default::default()
        })
    };
    let outcome = strict(dir.path());
    assert!(!outcome.ok());
    assert!(!dir.path().join("public").exists());
    // A static file that clashes with a page is reported (with its path) before anything is written.
    write(dir.path(), "site.yaml", "base_url: https://example.org/\n");
    write(dir.path(), "photos/no-sidecar.yaml", "title: N\nalt: n\n");
    write(dir.path(), "static/robots.txt", "mine\n");
    let outcome = strict(dir.path());
    let w = outcome
        .diagnostics
        .iter()
        .find(|d| d.message.contains("robots.txt"))
        .expect("clash reported");
    assert_eq!(w.file.as_deref(), Some(Path::new("static/robots.txt")));
    assert!(!dir.path().join("public").exists());
}

#[test]
fn a_photo_too_tall_for_webp_fits_the_box_instead() {
    // 600×20000 is beyond WebP's 16,383 pixels a side. Once this was an error; now the
    // largest rendition fits the box of the largest width (960×960 here, and widths
    // are at most 8192), so no rendition can be too large for WebP.
    let dir = good_site();
    write(
        dir.path(),
        "site.yaml",
        "images: { format: webp, widths: [480, 960] }\n",
    );
    image::RgbImage::from_pixel(600, 20_000, image::Rgb([200, 30, 30]))
        .save(dir.path().join("photos/tall.png"))
        .unwrap();
    let outcome = build_site(dir.path());
    assert!(
        !outcome.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        outcome.diagnostics
    );
    let img = rendition(&dir.path().join("public"), "tall", 0);
    assert_eq!((img.width(), img.height()), (29, 960));
}
