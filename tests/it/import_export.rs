//! `glyph import` of Instagram and WordPress exports, as the curator runs it: the real
//! binary on the exports of tests/fixtures/import (made by
//! scripts/make_import_fixtures.py from the real photos of tests/fixtures), checking
//! the signs and sidecars it drafts and that the export is never changed.

use std::path::{Path, PathBuf};

use crate::common::*;

fn export(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The photos folder: every file's path below it.
fn photos(root: &Path) -> Vec<String> {
    tree(&root.join("photos")).into_keys().collect()
}

fn assert_has(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "{p:?} in\n{text}");
    }
}

const MEDIA: &str = "media/posts/202405/";

#[test]
fn an_instagram_export_becomes_signs_with_their_photos_and_places() {
    let site = site(&[], &[]);
    let root = site.path();
    let ig = export("instagram-2025");
    let before = tree(&ig);
    let out = import(&ig, root, &[]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert_eq!(before, tree(&ig), "the export is never changed");
    // Every photo is read, the HEIC one too (its decoder is in every build).
    assert_has(
        &text,
        &[
            "Read 6 posts from the Instagram export: drafted 6 signs with 10 photos.",
            "Skipped: 2 videos in posts, 2 stories, 1 reel",
        ],
    );
    assert!(!text.contains("HEIC"), "{text}");

    // A carousel of five: the cover, then the others in the post's order, as copies.
    let cover = "2008/2008-05-30-simons-square-one";
    let simons = read(root, &format!("photos/{cover}.yaml"));
    assert_has(
        &simons,
        &[
            "# Imported from Instagram, post of 2024-05-02 (caption kept verbatim below).\n",
            "title: Simons (Square One)\n",
            "city: Mississauga\ncountry: CA",
            "tags: [toiletsign, pictogram]\n",
            "photos:\n  - 2008-05-30-simons-square-one-2.jpg\n  - 2008-05-30-simons-square-one-3.jpg\n  - 2008-05-30-simons-square-one-4.jpg\n  - 2008-05-30-simons-square-one-5.jpg\n",
            "published: 2024-05-02T11:40:00Z\n",
            &format!("origin: \"instagram:{MEDIA}10000000000000001_n_1.jpg\"\n"),
            "draft: true\n",
            "# Simons (Square One) – Mississauga, Canada. #toiletsign #pictogram\n",
        ],
    );
    for (i, suffix) in ["", "-2", "-3", "-4", "-5"].iter().enumerate() {
        let copy = std::fs::read(root.join(format!("photos/{cover}{suffix}.jpg"))).unwrap();
        let original =
            std::fs::read(ig.join(format!("{MEDIA}1000000000000000{}_n_{}.jpg", i + 1, i + 1)))
                .unwrap();
        assert!(copy == original, "photo {} of the carousel", i + 1);
    }
    // Its second photo has GPS in Kenya, which wins and is pointed out.
    assert_has(&simons, &["location: {lat: -0.371300, lon: 36.056417}"]);
    assert_has(
        &text,
        &["the photo's GPS is in Kenya, the caption names Canada"],
    );

    // Photo and videos: the photo is the sign, no video is copied. No GPS: the city's.
    let cafe = read(root, "photos/2024/2024-05-02-cafe-central.yaml");
    assert_has(
        &cafe,
        &[
            "title: Café Central\n",
            "city: Vienna\ncountry: AT",
            "# location: the position of Vienna, Austria, from the caption — not of the door.\nlocation: {lat: 48.2",
            "caption: |\n  Die #Damen links, die Herren rechts. @cafecentralwien\n",
            "tags: [damen]\n",
        ],
    );
    assert!(!cafe.contains("photos:"), "{cafe}");
    assert!(photos(root)
        .iter()
        .all(|p| !p.ends_with(".mp4") && Path::new(p).extension().is_some()));
    assert_has(
        &text,
        &[
            "Positions taken from the city the caption names, not the door's (2):",
            "Vienna, Austria",
            "Barcelona, Spain",
        ],
    );

    // WebP kept as WebP; a caption's Markdown escaped, Spanish country name read.
    let pinotxo = read(root, "photos/2010/2010-08-13-bar-pinotxo.yaml");
    assert_has(
        &pinotxo,
        &[
            "city: Barcelona\ncountry: ES",
            "caption: |\n  \\*Senyores\\* i \\_senyors\\_",
        ],
    );
    assert!(root
        .join("photos/2010/2010-08-13-bar-pinotxo.webp")
        .is_file());

    // GPS and date in exif_data win over the city named; Icelandic text and tags.
    let pool = read(root, "photos/2024/2024-05-01-sundholl-reykjavikur.yaml");
    assert_has(
        &pool,
        &[
            "place: Sundhöll Reykjavíkur\ncity: Reykjavík\ncountry: IS",
            "location: {lat: 64.146331, lon: -21.930289}\n",
            "date: 2024-05-01 09:12:44\n",
            "caption: |\n  Karlar til vinstri, konur til hægri.\n",
            "tags: [sundlaug, island]\n",
        ],
    );
    assert!(!pool.contains("from the caption"), "{pool}");
}

#[test]
fn a_re_run_changes_nothing_and_dry_run_writes_nothing() {
    let site = site(&[], &[]);
    let root = site.path();
    let ig = export("instagram-2025");
    let before = tree(root);
    let dry = import(&ig, root, &["--dry-run"]);
    let text = stdout(&dry);
    assert!(dry.status.success(), "{text}");
    assert_has(&text, &["would import", "Nothing was changed (--dry-run)."]);
    assert_eq!(
        before,
        tree(root),
        "--dry-run writes nothing, not even the cache"
    );

    assert!(import(&ig, root, &[]).status.success());
    let first = tree(&root.join("photos"));
    let again = import(&ig, root, &[]);
    let text = stdout(&again);
    assert!(again.status.success(), "{text}");
    assert_eq!(first, tree(&root.join("photos")), "{text}");
    let signs = first.keys().filter(|k| k.ends_with(".yaml")).count();
    assert_has(
        &text,
        &[
            "drafted 0 signs with 0 photos",
            &format!("{signs} posts imported before"),
        ],
    );
}

#[test]
fn publish_leaves_out_draft() {
    let site = site(&[], &[]);
    let out = import(
        &export("instagram-2024-single"),
        site.path(),
        &["--publish"],
    );
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert_has(
        &text,
        &[
            "imported posts_1.json:1",
            "Read 1 post from the Instagram export: imported 1 sign with 1 photo.",
        ],
    );
    // A single-object posts_1.json; "City, Country" with the country's own name.
    let sidecar = read(site.path(), "photos/2024/2024-03-09-ciudad-de-mexico.yaml");
    assert_has(
        &sidecar,
        &[
            "title: Ciudad de México\n",
            "city: Mexico City\ncountry: MX",
            "tags: [cdmx, banos]\n",
        ],
    );
    assert!(!sidecar.contains("draft:"), "{sidecar}");
}

#[test]
fn a_zipped_export_with_japanese_and_mojibake_captions() {
    let site = site(&[], &[]);
    let root = site.path();
    let zip = export("instagram-2021.zip");
    let out = import(&zip, root, &[]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert_has(
        &text,
        &[
            "Read 2 posts",
            "drafted 2 signs",
            "Skipped: 1 story.",
            "Captions with no place found (1):\n  posts_2.json:1 “Un Taxi 🇨🇴 #bogota”",
        ],
    );
    let sidecars: Vec<String> = photos(root)
        .iter()
        .filter(|p| p.ends_with(".yaml"))
        .map(|p| read(root, &format!("photos/{p}")))
        .collect();
    let shibuya = sidecars
        .iter()
        .find(|s| s.contains("60000000000000001_n_1.jpg\"\n"));
    let shibuya = shibuya.unwrap_or_else(|| panic!("{sidecars:?}"));
    assert_has(
        shibuya,
        &[
            "title: 渋谷駅\nplace: 渋谷駅\n",
            "city: Tokyo\ncountry: JP",
            ", pictogram]\n",
            "# 渋谷駅 – 東京, 日本 #トイレ #pictogram\n",
        ],
    );
    let taxi = read(root, "photos/2008/2008-05-30.yaml");
    assert_has(
        &taxi,
        &["# title: \n", "tags: [bogota]\n", "# Un Taxi 🇨🇴 #bogota\n"],
    );
}

#[test]
fn photos_already_in_the_archive_are_named_with_their_twin() {
    let site = site(
        &[
            ("Landscape_1.jpg", "2019/landscape.jpg"),
            ("Canon_40D.jpg", "2008/canon.jpg"),
        ],
        &[],
    );
    let root = site.path();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/similar/img_1771_no_exif-320-q70.jpg"),
        root.join("photos/2019/pool-small.jpg"),
    )
    .unwrap();
    let out = import(&export("instagram-2025"), root, &[]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert_has(
        &text,
        &[
            "Duplicates, not imported (3):",
            // The same bytes: the carousel's cover.
            &format!("{MEDIA}10000000000000001_n_1.jpg is the same photo as photos/2008/canon.jpg; its 4 other photos are left out too"),
            // Instagram's smaller copy of a camera original in the archive.
            &format!("{MEDIA}20000000000000001_n_6.jpg is the same picture as photos/2019/landscape.jpg (re-encoded or resized"),
            // A camera original whose smaller copy is in the archive.
            &format!("{MEDIA}60000000000000001_n_12.jpg is the same picture as photos/2019/pool-small.jpg"),
        ],
    );
    let names = photos(root);
    assert!(
        !names
            .iter()
            .any(|n| n.contains("simons") || n.contains("cafe") || n.contains("sundholl")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.contains("bar-pinotxo")), "{names:?}");
    // The archive's fingerprints are remembered, so the next import decodes none again.
    // The manifest is binary (postcard): a map entry is the key's length and bytes, then
    // the value's length and bytes, so the photo's hash is followed by its fingerprint.
    let manifest = std::fs::read(root.join(".glyph-cache/manifest.bin")).unwrap();
    let hash = blake3::hash(&std::fs::read(root.join("photos/2019/landscape.jpg")).unwrap());
    let key = hash.to_hex();
    let remembered = manifest
        .windows(key.len() + 4)
        .any(|w| w.starts_with(key.as_bytes()) && &w[key.len() + 1..] == b"p1:");
    assert!(remembered, "no fingerprint recorded for {key}");
}

#[test]
fn a_wordpress_export_with_its_uploads() {
    let site = site(&[], &[]);
    let root = site.path();
    let wxr = export("wordpress/toiletglyphs.wordpress.2019-04-05.xml");
    let before = tree(&export("wordpress"));
    let out = import(&wxr, root, &[]);
    let text = stdout(&out);
    assert!(
        out.status.success(),
        "a missing upload is named, not a failure:\n{text}"
    );
    assert_eq!(before, tree(&export("wordpress")));
    assert_has(
        &text,
        &[
            "Read 2 posts from the WordPress export: drafted 2 signs with 3 photos.",
            "Skipped: 1 page.",
            "Missing from the export (1):\n  2019/03/gone.jpg",
        ],
    );
    // The classic editor's [caption] forms, categories and tags, the featured image.
    let cafe = read(root, "photos/2008/2008-05-30-cafe-central-wien.yaml");
    assert_has(
        &cafe,
        &[
            "# Imported from WordPress, post of 2019-03-02",
            "title: \"Café Central, Wien\"\n",
            "tags: [damen, Europe, Pictogram]\n",
            "caption: |\n  Seen at the Café Central – the #Damen door.\n\n  Second paragraph, with a line\n  break.\n",
            "alt: A door with a woman pictogram\n",
            "# The cover photo's own caption: The ladies' door\n",
            "photos:\n  - 2008-05-30-cafe-central-wien-2.jpg\n    # its own caption: Featured photo\n",
            "origin: \"wordpress:10\"\n",
        ],
    );
    // Gutenberg's figure, a CDATA title, a draft post: a draft sign even with --publish.
    let harpa = read(root, "photos/2015/2015-06-12-harpa-the-sea.yaml");
    assert_has(
        &harpa,
        &[
            "title: \"Harpa & the sea\"\n",
            "alt: Two pictograms on glass\n",
            "# The cover photo's own caption: Level 2, by the hall\n",
            "draft: true\n",
        ],
    );

    // The same .xml alone, its uploads given with --media.
    let alone = tempfile::tempdir().unwrap();
    let copy = alone.path().join("blog.xml");
    std::fs::copy(&wxr, &copy).unwrap();
    let other = crate::common::site(&[], &[]);
    let with = import(
        &copy,
        other.path(),
        &[
            "--media",
            export("wordpress/wp-content").to_str().unwrap(),
            "--publish",
        ],
    );
    assert!(with.status.success(), "{}", stdout(&with));
    assert!(!read(
        other.path(),
        "photos/2008/2008-05-30-cafe-central-wien.yaml"
    )
    .contains("draft:"));
    // Without them, nothing can be read: exit 1, and the hint says what to give.
    let without = import(&copy, crate::common::site(&[], &[]).path(), &[]);
    let text = stdout(&without);
    assert_eq!(without.status.code(), Some(1), "{text}");
    assert_has(
        &text,
        &["no uploads folder was given", "Unreadable, not imported"],
    );
}

#[test]
fn bad_exports_and_options_are_refused_with_where_and_why() {
    let site = site(&[], &[]);
    let root = site.path();
    let broken = tempfile::tempdir().unwrap();
    write(
        broken.path(),
        "content/posts_1.json",
        "[\n  {\"media\": [}\n]\n",
    );
    let out = import(broken.path(), root, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_has(
        &err,
        &[
            "posts_1.json:2:",
            "invalid JSON",
            "hint: the export file is damaged",
        ],
    );

    let html = tempfile::tempdir().unwrap();
    write(
        html.path(),
        "your_instagram_activity/content/posts_1.html",
        "<html></html>",
    );
    let err = String::from_utf8_lossy(&import(html.path(), root, &[]).stderr).into_owned();
    assert_has(&err, &["Instagram's HTML export", "choose the JSON format"]);

    let out = import(&export("instagram-2024-single"), root, &["--move"]);
    assert_eq!(out.status.code(), Some(1));
    assert_has(
        &String::from_utf8_lossy(&out.stderr),
        &["--move is for a folder of photos"],
    );
    let out = import(
        &export("instagram-2024-single"),
        root,
        &["--from", "wordpress"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(photos(root), Vec::<String>::new());

    // A photo that does not decode is named, the rest imported, and the exit code is 1.
    let ig = tempfile::tempdir().unwrap();
    let posts = r#"[{"media": [{"uri": "media/posts/1.jpg", "creation_timestamp": 1714650000}, {"uri": "media/posts/2.jpg", "creation_timestamp": 1714650000}], "title": "Mississauga, Canada", "creation_timestamp": 1714650000}]"#;
    write(
        ig.path(),
        "your_instagram_activity/media/posts_1.json",
        posts,
    );
    std::fs::create_dir_all(ig.path().join("media/posts")).unwrap();
    std::fs::copy(fixture("testorig.jpg"), ig.path().join("media/posts/1.jpg")).unwrap();
    let truncated = std::fs::read(fixture("noexif.jpg")).unwrap();
    std::fs::write(
        ig.path().join("media/posts/2.jpg"),
        &truncated[..truncated.len() / 2],
    )
    .unwrap();
    let out = import(ig.path(), root, &["--from", "instagram"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_has(
        &text,
        &[
            "drafted 1 sign with 1 photo",
            "Unreadable, not imported (1):",
            "media/posts/2.jpg: the JPEG is truncated",
        ],
    );
}

/// What the build makes of an import: one sign per post, its page showing every photo
/// of the carousel in order, none of them a sign of its own.
#[test]
fn an_imported_carousel_is_one_sign_page_with_every_photo() {
    let site = site(&[], &[]);
    let root = site.path();
    let out = import(&export("instagram-2025"), root, &[]);
    assert!(out.status.success(), "{}", stdout(&out));
    let drafts = glyph::config::Overrides {
        drafts: true,
        ..Default::default()
    };
    let outcome = build_with(root, drafts);
    assert_ok(&outcome);
    let drafted = outcome.report.as_ref().unwrap().signs;
    assert_eq!(
        drafted,
        stdout(&out)
            .lines()
            .filter(|l| l.starts_with("drafted "))
            .count(),
        "{}",
        stdout(&out)
    );
    let public = root.join("public");
    let slug = "2008-05-30-simons-square-one";
    let sign_page = page(&public, &format!("signs/{slug}/"));
    let imgs = select(&sign_page, "figure.photo a.photo-link > img");
    assert_eq!(imgs.len(), 5);
    for (i, img) in imgs.iter().enumerate() {
        let src = img.value().attr("src").unwrap();
        let name = src.rsplit('/').next().unwrap();
        let prefix = if i == 0 {
            format!("{slug}-")
        } else {
            format!("{slug}-{}-", i + 1)
        };
        assert!(
            name.starts_with(&prefix) && name[prefix.len()..].starts_with(char::is_numeric),
            "photo {i}: {src}"
        );
    }
    assert!(
        !public.join(format!("signs/{slug}-2")).exists(),
        "a carousel photo is no sign"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("signs.json")).unwrap()).unwrap();
    let sign = json["signs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == slug)
        .unwrap();
    assert_eq!(sign["photos"].as_array().unwrap().len(), 5);
    // The caption's place and the position of its city reach the pages.
    let cafe = page(&public, "signs/2024-05-02-cafe-central/");
    let text = texts(&cafe, "main").join(" ");
    assert_has(
        &text,
        &["Café Central", "Vienna", "Austria", "Die #Damen links"],
    );
    // Drafts until published: the plain build has none of them.
    let plain = build_site(root);
    assert_ok(&plain);
    assert_eq!(plain.report.as_ref().unwrap().signs, 0);
}

#[test]
fn published_wordpress_photos_keep_their_alt_text_on_the_page() {
    let site = site(&[], &[]);
    let root = site.path();
    let wxr = export("wordpress/toiletglyphs.wordpress.2019-04-05.xml");
    let out = import(&wxr, root, &["--publish"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let outcome = build_site(root);
    assert_ok(&outcome);
    // The blog's draft stays a draft; its published post is a sign.
    assert_eq!(outcome.report.as_ref().unwrap().signs, 1);
    let page = page(&root.join("public"), "signs/2008-05-30-cafe-central-wien/");
    let alts: Vec<&str> = select(&page, "figure.photo a.photo-link > img")
        .iter()
        .map(|i| i.value().attr("alt").unwrap_or_default())
        .collect();
    // The featured photo has no alt of its own: the sign's serves.
    assert_eq!(
        alts,
        [
            "A door with a woman pictogram",
            "A door with a woman pictogram"
        ]
    );
}
