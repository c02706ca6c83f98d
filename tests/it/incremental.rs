//! Rebuilds that reuse the last build: only changed pages are rendered and written, and
//! the result is always exactly what a clean build makes.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::common::*;
use glyph::config::Overrides;

const PHOTOS: &[(&str, &str)] = &[
    ("Canon_40D.jpg", "canon.jpg"),
    ("Kodak_CX7530.jpg", "kodak.jpg"),
    ("png_with_exif_and_gps.png", "png.png"),
];

const FILES: &[(&str, &str)] = &[
    (
        "photos/canon.yaml",
        "title: Canon sign\nalt: x\ncountry: CA\ntags: [pictogram]\n",
    ),
    (
        "photos/kodak.yaml",
        "title: Kodak sign\nalt: x\ncountry: KE\ntags: [text-only]\n",
    ),
    (
        "photos/png.yaml",
        "title: PNG sign\nalt: x\ncountry: CZ\ntags: [art]\ndate: 2003-12-14\n",
    ),
    (
        "content/about.md",
        "---\ntitle: About\n---\nAbout the archive.\n",
    ),
];

/// A clean build of the same site into a fresh folder, with a fresh cache.
fn clean_build(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let copy = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        let rel = e.path().strip_prefix(root).unwrap();
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if matches!(first.as_deref(), Some("public" | ".glyph-cache")) {
            continue;
        }
        let to = copy.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let outcome = build_with(
        copy.path(),
        Overrides {
            output_dir: Some(out.path().join("site")),
            ..Overrides::default()
        },
    );
    assert_ok(&outcome);
    tree(&out.path().join("site"))
}

fn mtime(out: &Path, path: &str) -> (u64, i64, i64) {
    let m = std::fs::metadata(out.join(path)).unwrap();
    (m.ino(), m.mtime(), m.mtime_nsec())
}

#[test]
fn a_rebuild_touches_only_what_changed_and_equals_a_clean_build() {
    let dir = site(PHOTOS, FILES);
    let root = dir.path();
    let out = root.join("public");
    assert_ok(&build_site(root));
    let untouched = mtime(&out, "tags/text-only/index.html");
    let canon = mtime(&out, "signs/canon/index.html");

    // Nothing changed: the folder is left exactly as it was.
    let again = build_site(root);
    assert_ok(&again);
    assert!(!again.report.unwrap().output_changed);
    assert_eq!(mtime(&out, "signs/canon/index.html"), canon);

    // One sidecar edited: its page changes, a page it is not on stays the same file.
    write(
        root,
        "photos/canon.yaml",
        "title: Canon sign, renamed\nalt: x\ncountry: CA\ntags: [pictogram]\n",
    );
    let edited = build_site(root);
    assert_ok(&edited);
    assert!(edited.report.unwrap().output_changed);
    assert_ne!(mtime(&out, "signs/canon/index.html"), canon);
    assert_eq!(mtime(&out, "tags/text-only/index.html"), untouched);
    let sign = page(&out, "/signs/canon/");
    assert_eq!(texts(&sign, "h1"), ["Canon sign, renamed"]);
    assert_eq!(tree(&out), clean_build(root), "incremental equals clean");

    // A template of the site's own changes every page that uses it.
    write(
        root,
        "templates/404.html",
        "<!doctype html><title>Lost</title><p>Nothing here.</p>\n",
    );
    assert_ok(&build_site(root));
    assert_eq!(
        std::fs::read_to_string(out.join("404.html")).unwrap(),
        "<!doctype html><title>Lost</title><p>Nothing here.</p>\n"
    );
    assert_eq!(tree(&out), clean_build(root));

    // A page edited by hand in the output, and a file dropped there, do not survive.
    std::fs::write(out.join("signs/kodak/index.html"), "hand edit").unwrap();
    std::fs::write(out.join("stray.html"), "stray").unwrap();
    let fixed = build_site(root);
    assert_ok(&fixed);
    assert!(fixed.report.unwrap().output_changed);
    assert!(!out.join("stray.html").exists());
    assert_eq!(tree(&out), clean_build(root));

    // A deleted photo takes its pages with it.
    std::fs::remove_file(root.join("photos/kodak.jpg")).unwrap();
    std::fs::remove_file(root.join("photos/kodak.yaml")).unwrap();
    assert_ok(&build_site(root));
    assert!(!out.join("signs/kodak").exists());
    assert!(!out.join("countries/kenya").exists());
    assert_eq!(tree(&out), clean_build(root));
}

/// A photo rewritten in place by a tool that puts its size and modification time back
/// (`exiftool -P` fixing the camera's clock) is read again: its new date is published.
#[test]
fn a_photo_edited_in_place_with_its_mtime_kept_is_read_again() {
    let dir = site(PHOTOS, FILES);
    let root = dir.path();
    let out = root.join("public");
    assert_ok(&build_site(root));
    let date = |out: &Path| {
        let sign = page(out, "/signs/canon/");
        let sel = scraper::Selector::parse("time[datetime]").unwrap();
        let t = sign.select(&sel).next().expect("a date").value();
        t.attr("datetime").unwrap().to_string()
    };
    assert!(date(&out).starts_with("2008-05-30"), "{}", date(&out));

    let photo = root.join("photos/canon.jpg");
    let before = std::fs::metadata(&photo).unwrap();
    let bytes = std::fs::read(&photo).unwrap();
    let mut edited = bytes.clone();
    let old = b"2008:05:30 15:56:01";
    let mut at = 0;
    while let Some(i) = edited[at..].windows(old.len()).position(|w| w == old) {
        edited[at + i..at + i + old.len()].copy_from_slice(b"2011:02:03 04:05:06");
        at += i + old.len();
    }
    assert_ne!(edited, bytes);
    std::fs::write(&photo, &edited).unwrap();
    let file = std::fs::File::options().write(true).open(&photo).unwrap();
    file.set_modified(before.modified().unwrap()).unwrap();
    drop(file);
    let after = std::fs::metadata(&photo).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), before.modified().unwrap())
    );

    assert_ok(&build_site(root));
    assert!(date(&out).starts_with("2011-02-03"), "{}", date(&out));
    assert_eq!(tree(&out), clean_build(root));
}

/// The shortcut of a build with nothing to do (`pipeline::unchanged`) is taken only
/// when the sources and the output are exactly as the last silent build left them: any
/// edit of either, and any warning, means a real build.
#[test]
fn a_build_with_nothing_to_do_stops_early_but_sees_every_change() {
    let mut files = FILES.to_vec();
    files.push(("site.yaml", "base_url: https://example.org/\n"));
    let dir = site(PHOTOS, &files);
    let root = dir.path();
    let out = root.join("public");
    let record = || {
        std::fs::read_dir(root.join(".glyph-cache"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("unchanged-"))
    };
    let first = build_site(root);
    assert_ok(&first);
    assert!(first.diagnostics.is_empty());
    assert!(record(), "a silent build leaves the record");
    let canon = mtime(&out, "signs/canon/index.html");
    let again = build_site(root);
    assert_ok(&again);
    let report = again.report.unwrap();
    assert!(!report.output_changed);
    assert_eq!(report.signs, 3);
    assert_eq!(report.pages, first.report.as_ref().unwrap().pages);
    assert_eq!(mtime(&out, "signs/canon/index.html"), canon);

    // A sidecar edited in place, to the same size.
    write(
        root,
        "photos/canon.yaml",
        "title: Canon sigN\nalt: x\ncountry: CA\ntags: [pictogram]\n",
    );
    assert_ok(&build_site(root));
    assert_eq!(texts(&page(&out, "/signs/canon/"), "h1"), ["Canon sigN"]);
    assert_eq!(tree(&out), clean_build(root));

    // A sidecar edited and an output file edited by hand, both before one build: the
    // output is not as the record says, so every file is checked, and the one edited
    // made again although it shows no sign.
    assert_ok(&build_site(root));
    let robots = std::fs::read(out.join("robots.txt")).unwrap();
    std::fs::write(out.join("robots.txt"), b"edited by hand").unwrap();
    write(
        root,
        "photos/canon.yaml",
        "title: Canon sigM\nalt: x\ncountry: CA\ntags: [pictogram]\n",
    );
    assert_ok(&build_site(root));
    assert_eq!(std::fs::read(out.join("robots.txt")).unwrap(), robots);
    assert_eq!(texts(&page(&out, "/signs/canon/"), "h1"), ["Canon sigM"]);
    assert_eq!(tree(&out), clean_build(root));

    // A site template added, then the output edited in place and a file dropped deep
    // inside it.
    write(
        root,
        "templates/404.html",
        "<!doctype html><title>Lost</title>\n",
    );
    assert_ok(&build_site(root));
    assert!(std::fs::read_to_string(out.join("404.html"))
        .unwrap()
        .contains("Lost"));
    let before = std::fs::read(out.join("signs/kodak/index.html")).unwrap();
    let mut edited = before.clone();
    edited[0] ^= 1;
    std::fs::write(out.join("signs/kodak/index.html"), &edited).unwrap();
    std::fs::write(out.join("signs/canon/stray.html"), "stray").unwrap();
    let fixed = build_site(root);
    assert!(fixed.report.unwrap().output_changed);
    assert_eq!(
        std::fs::read(out.join("signs/kodak/index.html")).unwrap(),
        before
    );
    assert!(!out.join("signs/canon/stray.html").exists());
    assert_eq!(tree(&out), clean_build(root));

    // A warning is told by every build, not only the first.
    write(
        root,
        "photos/canon.yaml",
        "title: Canon sign\nalt: x\ncountry: CA\ntags: [pictogram, \"!!\"]\n",
    );
    for _ in 0..2 {
        let warned = build_site(root);
        assert_ok(&warned);
        assert!(!warned.diagnostics.is_empty(), "{:?}", warned.diagnostics);
        assert!(!record(), "no shortcut past a warning");
    }
}

/// An edit plans only the pages that show what it changed (`render::touched`); a page
/// the output lost is planned too, and the sitemap still lists every page in the site's
/// order, planned or kept, as a clean build does.
#[test]
fn an_edit_plans_what_it_touches_and_what_the_output_lost() {
    let files = [
        ("site.yaml", "base_url: https://example.org/\nper_page: 1\n"),
        (
            "photos/canon.yaml",
            "title: Canon sign\nalt: x\ncountry: CA\ntags: [pictogram]\n",
        ),
        (
            "photos/kodak.yaml",
            "title: Kodak sign\nalt: x\ncountry: CA\ntags: [text-only]\n",
        ),
        (
            "photos/png.yaml",
            "title: PNG sign\nalt: x\ncountry: CZ\ntags: [art]\ndate: 2003-12-14\n",
        ),
    ];
    let dir = site(PHOTOS, &files);
    let root = dir.path();
    let out = root.join("public");
    assert_ok(&build_site(root));
    let canada = "countries/canada/index.html";
    assert!(out.join("countries/canada/page/2/index.html").is_file());
    let robots = mtime(&out, "robots.txt");
    // Canada's first page is lost; the edit is of a sign in another country.
    std::fs::remove_file(out.join(canada)).unwrap();
    write(
        root,
        "photos/png.yaml",
        "title: PNG sign, edited\nalt: x\ncountry: CZ\ntags: [art]\ndate: 2003-12-14\n",
    );
    assert_ok(&build_site(root));
    assert!(out.join(canada).is_file());
    assert_eq!(
        texts(&page(&out, "/signs/png/"), "h1"),
        ["PNG sign, edited"]
    );
    assert_eq!(
        mtime(&out, "robots.txt"),
        robots,
        "a page it does not touch"
    );
    assert_eq!(tree(&out), clean_build(root));
}
