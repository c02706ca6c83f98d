//! `glyph import` as the curator runs it: the real binary, real EXIF photos, and a
//! check that nothing it should not touch changed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use glyph::config::Overrides;
use glyph::metadata::Text;

/// An import folder as a phone export looks: camera names, a duplicate, a broken file.
fn inbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let put = |src: &str, dest: &str| {
        let to = dir.path().join(dest);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture(src), to).unwrap();
    };
    put("issue-exifr-59.jpg", "IMG_0001.JPG");
    put("Kodak_CX7530.jpg", "DCIM/100KODAK/DSC_0042.jpg");
    put("png_with_exif_and_gps.png", "PXL_20031214_101010.png");
    put("noexif.jpg", "IMG_9999.jpg");
    put("issue-exifr-59.jpg", "DCIM/again/IMG_0001 (1).jpg");
    std::fs::write(dir.path().join("IMG_0002.jpg"), b"\xFF\xD8 not really").unwrap();
    std::fs::write(dir.path().join(".hidden.jpg"), b"ignored").unwrap();
    dir
}

fn archive() -> tempfile::TempDir {
    site(
        &[("Canon_40D.jpg", "2008/canon.jpg")],
        &[(
            "photos/2008/canon.yaml",
            "title: Canon\nalt: x\ncountry: CA\ntags: [pictogram, art, pictogram-art]\n",
        )],
    )
}

fn sidecar(root: &Path, path: &str) -> glyph::metadata::Sidecar {
    let text = std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    glyph::metadata::parse_sidecar(&text).unwrap()
}

#[test]
fn imports_with_readable_names_and_drafted_sidecars() {
    let inbox = inbox();
    let site = archive();
    let root = site.path();
    let before_inbox = tree(inbox.path());
    let out = import(inbox.path(), root, &[]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the broken file is a problem:\n{text}"
    );
    assert!(
        text.contains("Imported 4 photos, 1 duplicate skipped, 1 problem."),
        "{text}"
    );
    assert!(
        text.contains("IMG_0002.jpg"),
        "the problem names the file:\n{text}"
    );

    let yosemite = sidecar(root, "photos/2015/2015-06-12-yosemite-valley.yaml");
    assert_eq!(yosemite.country.as_deref(), Some("US"));
    assert_eq!(yosemite.city, Some(Text::from("Yosemite Valley")));
    assert_eq!(yosemite.date.unwrap().date.to_string(), "2015-06-12");
    assert!(yosemite.draft && yosemite.title.is_none() && yosemite.tags.is_empty());
    let loc = yosemite.location.unwrap().unwrap();
    assert!(
        (loc.lat - 37.7).abs() < 0.2 && (loc.lon + 119.6).abs() < 0.2,
        "{loc:?}"
    );

    let kenya = sidecar(root, "photos/2005/2005-08-13-nakuru.yaml");
    assert_eq!(
        (kenya.country.as_deref(), kenya.city),
        (Some("KE"), Some(Text::from("Nakuru")))
    );
    let czech = sidecar(root, "photos/2003/2003-12-14-benatky-nad-jizerou.yaml");
    assert_eq!(
        czech.city,
        Some(Text::from("Benátky nad Jizerou")),
        "Unicode kept"
    );

    // No date, no GPS, a camera name: a plain name in undated/.
    let plain = sidecar(root, "photos/undated/sign.yaml");
    assert!(plain.date.is_none() && plain.location.is_none());
    let text_of = std::fs::read_to_string(root.join("photos/undated/sign.yaml")).unwrap();
    assert!(
        text_of.contains("IMG_9999.jpg"),
        "the original name is recorded"
    );
    assert!(
        text_of.contains("pictogram (1)") && text_of.contains("pictogram-art (1)"),
        "tags in use are listed:\n{text_of}"
    );
    for name in tree(&root.join("photos")).keys() {
        assert!(
            !name.to_lowercase().contains("img") && !name.contains("DSC"),
            "{name}"
        );
    }
    // Copies are byte-identical, and the import folder is untouched.
    assert_eq!(
        std::fs::read(root.join("photos/2015/2015-06-12-yosemite-valley.jpg")).unwrap(),
        std::fs::read(fixture("issue-exifr-59.jpg")).unwrap()
    );
    assert_eq!(before_inbox, tree(inbox.path()));

    // The archive builds with the drafts shown, and without them they stay out.
    let with = build_with(
        root,
        Overrides {
            drafts: true,
            ..Overrides::default()
        },
    );
    assert_ok(&with);
    assert_eq!(with.report.as_ref().unwrap().signs, 5);
    let without = build_site(root);
    assert_ok(&without);
    assert_eq!(without.report.as_ref().unwrap().signs, 1);

    // A second import of the same folder imports nothing.
    let before = tree(root);
    let again = import(inbox.path(), root, &[]);
    let text = stdout(&again);
    assert!(
        text.contains("Imported 0 photos, 5 duplicates skipped, 1 problem."),
        "{text}"
    );
    assert!(
        text.contains("same photo as photos/2015/2015-06-12-yosemite-valley.jpg"),
        "{text}"
    );
    let after = tree(root);
    let photos = |t: &BTreeMap<String, Vec<u8>>| {
        t.iter()
            .filter(|(k, _)| k.starts_with("photos"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(photos(&before), photos(&after));
}

#[test]
fn dry_run_changes_nothing() {
    let inbox = inbox();
    let site = archive();
    let before = (tree(inbox.path()), tree(site.path()));
    let out = import(inbox.path(), site.path(), &["--dry-run"]);
    let text = stdout(&out);
    assert!(text.contains("would import"), "{text}");
    assert!(text.contains("Nothing was changed"), "{text}");
    assert_eq!(before, (tree(inbox.path()), tree(site.path())));
}

#[test]
fn never_overwrites_and_moves_only_after_the_copy() {
    let inbox = inbox();
    let site = archive();
    let root = site.path();
    // Something is already where the Yosemite photo would go, and a sign has the slug.
    write(
        root,
        "photos/2015/2015-06-12-yosemite-valley.jpg",
        "the curator's own file",
    );
    write(
        root,
        "photos/other.yaml",
        "title: Taken\nslug: 2015-06-12-yosemite-valley-2\n",
    );
    std::fs::copy(fixture("Landscape_1.jpg"), root.join("photos/other.jpg")).unwrap();
    let out = import(inbox.path(), root, &["--move"]);
    let text = stdout(&out);
    assert_eq!(
        std::fs::read_to_string(root.join("photos/2015/2015-06-12-yosemite-valley.jpg")).unwrap(),
        "the curator's own file"
    );
    let moved = root.join("photos/2015/2015-06-12-yosemite-valley-3.jpg");
    assert_eq!(
        std::fs::read(&moved).unwrap(),
        std::fs::read(fixture("issue-exifr-59.jpg")).unwrap(),
        "{text}"
    );
    assert!(text.contains("moved"), "{text}");
    assert!(
        text.contains(
            "IMG_0001.JPG is the same photo as photos/2015/2015-06-12-yosemite-valley-3.jpg"
        ),
        "a duplicate names where its twin went:\n{text}"
    );
    // Moved photos are gone from the inbox; the duplicate and the broken file stay.
    let left: Vec<String> = tree(inbox.path()).into_keys().collect();
    assert_eq!(
        left,
        [".hidden.jpg", "IMG_0001.JPG", "IMG_0002.jpg"],
        "{text}"
    );
}

#[test]
fn a_sidecar_beside_the_photo_is_carried_over() {
    let inbox = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("Kodak_CX7530.jpg"),
        inbox.path().join("nakuru-market.jpg"),
    )
    .unwrap();
    let mine = "title: Market toilets\nalt: Letters painted on a wall\ntags: [text-only]\n";
    std::fs::write(inbox.path().join("nakuru-market.yaml"), mine).unwrap();
    let site = archive();
    let out = import(inbox.path(), site.path(), &[]);
    assert!(out.status.success(), "{}", stdout(&out));
    let copied = std::fs::read_to_string(site.path().join("photos/2005/2005-08-13-nakuru.yaml"));
    assert_eq!(copied.unwrap(), mine);

    // A sidecar whose name spells "é" as e + accent (NFD, as macOS tools write it) still
    // belongs to the photo whose name has the one character.
    let inbox = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("testorig.jpg"), inbox.path().join("caf\u{e9}.jpg")).unwrap();
    let mine = "title: Caf\u{e9} door\nalt: A door\n";
    std::fs::write(inbox.path().join("cafe\u{301}.yaml"), mine).unwrap();
    let out = import(inbox.path(), site.path(), &[]);
    assert!(out.status.success(), "{}", stdout(&out));
    let carried = walkdir::WalkDir::new(site.path().join("photos"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .any(|e| std::fs::read_to_string(e.path()).unwrap() == mine);
    assert!(carried, "{}", stdout(&out));
}

#[test]
fn refuses_to_import_the_archive_into_itself() {
    let site = archive();
    let out = import(&site.path().join("photos"), site.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("overlaps the archive's photos folder"),
        "{err}"
    );
}

/// A link in the import folder is named as a problem, never silently skipped or moved.
#[test]
fn symbolic_links_are_problems_not_silent_skips() {
    let inbox = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("real.jpg");
    std::fs::copy(fixture("testorig.jpg"), &target).unwrap();
    std::os::unix::fs::symlink(&target, inbox.path().join("link.jpg")).unwrap();
    let site = archive();
    let out = import(inbox.path(), site.path(), &["--move"]);
    let text = stdout(&out);
    assert!(
        text.contains("link.jpg: it is a symbolic link, which import does not follow"),
        "{text}"
    );
    assert!(
        text.contains("0 photos") && text.contains("1 problem"),
        "{text}"
    );
    assert!(target.is_file() && inbox.path().join("link.jpg").exists());
}
