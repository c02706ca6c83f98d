//! Signs with several photos (a carousel kept whole): a sidecar's `photos:` claims
//! photos beside it for its sign, the sign page shows them all in order, every other
//! page and the map show the cover, and `signs.json` lists them.

use std::path::Path;
use std::process::Command;

use crate::common::*;
use glyph::diag::Diagnostic;

/// `door.jpg` with two more photos: `door-2.jpg` (stored on its side, EXIF orientation
/// 6) and `door-3.jpg` with an alt text of its own; and one other sign.
const PHOTOS: &[(&str, &str)] = &[
    ("Landscape_1.jpg", "2024/door.jpg"),
    ("Landscape_6.jpg", "2024/door-2.jpg"),
    ("testorig.jpg", "2024/door-3.jpg"),
    ("Canon_40D.jpg", "other.jpg"),
];

const DOOR: &str = "title: The door\nalt: A door with a man and a woman\ntags: [pictogram]\n\
photos:\n  - door-2.jpg\n  - file: door-3.jpg\n    alt: The pair of doors, side by side\n\
published: 2024-07-07T20:15:31Z\norigin: instagram:media/posts/202407/12345_n_678.jpg\n";

const OTHER: &str = "title: Another\nalt: An iguana\ntags: [pictogram]\ndate: 2008-05-30\n";

fn carousel() -> tempfile::TempDir {
    site(
        PHOTOS,
        &[
            ("photos/2024/door.yaml", DOOR),
            ("photos/other.yaml", OTHER),
        ],
    )
}

fn signs_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("signs.json")).unwrap()).unwrap()
}

fn media_names(out: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join("media"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
}

fn errors(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_sign_page_shows_every_photo_in_order() {
    let dir = carousel();
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");
    let page = page(&out, "signs/door/");
    let imgs = select(&page, "figure.photo a.photo-link > img");
    let src = |i: usize, attr: &str| imgs[i].value().attr(attr).unwrap_or_default().to_string();
    assert_eq!(imgs.len(), 3);
    for (i, prefix) in ["door-", "door-2-", "door-3-"].iter().enumerate() {
        let file = src(i, "src").rsplit('/').next().unwrap().to_string();
        assert!(
            file.starts_with(prefix) && file[prefix.len()..].starts_with(char::is_numeric),
            "photo {i}: {file}"
        );
        assert!(
            src(i, "srcset").contains(" 480w") || i == 2,
            "{}",
            src(i, "srcset")
        );
        assert!(!src(i, "sizes").is_empty());
        assert!(src(i, "width").parse::<u32>().unwrap() > 0);
    }
    let alts: Vec<String> = (0..3).map(|i| src(i, "alt")).collect();
    assert_eq!(
        alts,
        [
            "A door with a man and a woman",
            "A door with a man and a woman",
            "The pair of doors, side by side"
        ]
    );
    // The one stored on its side is shown as it is displayed: landscape, and upright.
    assert_eq!(
        (src(1, "width"), src(1, "height")),
        ("960".into(), "640".into())
    );
    assert_eq!(src(0, "loading"), "eager");
    assert_eq!(src(2, "loading"), "lazy");
    let cover = image::open(out.join(src(0, "src").trim_start_matches('/'))).unwrap();
    let side = image::open(out.join(src(1, "src").trim_start_matches('/'))).unwrap();
    let d = mean_abs_diff(&cover.to_rgb8(), &side.to_rgb8());
    assert!(
        d < 6.0,
        "the second photo differs from the upright one by {d:.1}"
    );
    // Each photo's full size is linked, and the page says when it was published.
    assert_eq!(select(&page, ".facts dd a[href*='/media/door-']").len(), 3);
    let published = select(&page, ".facts time[datetime='2024-07-07T20:15:31+00:00']");
    assert_eq!(published.len(), 1, "{:?}", texts(&page, ".facts"));
}

#[test]
fn other_pages_and_signs_json_use_the_cover() {
    let dir = carousel();
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");
    let cover_thumb = media_names(&out, "door-480.")[0].clone();
    // The style page's card of the sign shows its cover, and no page but the sign's
    // own shows the other photos.
    let tag = page(&out, "tags/pictogram/");
    let cards: Vec<String> = select(&tag, ".card img")
        .iter()
        .map(|i| i.value().attr("src").unwrap().to_string())
        .collect();
    assert!(cards.iter().any(|c| c.ends_with(&cover_thumb)), "{cards:?}");
    // A neighbour's newer/older link names the photo the viewer moves on to
    // (`data-photo`, the sign's last photo when it is the newer one); nothing else does.
    for (path, html) in html_files(&out) {
        let mut text = std::fs::read_to_string(out.join(&path)).unwrap();
        for a in select(&html, ".prev-next a[data-photo]") {
            text = text.replace(a.value().attr("data-photo").unwrap(), "");
        }
        let shows_more = text.contains("/media/door-2-") || text.contains("/media/door-3-");
        assert_eq!(shows_more, path == "signs/door/index.html", "{path}");
    }
    for file in ["search.json", "atom.xml"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(
            !text.contains("door-2-") && !text.contains("door-3-"),
            "{file}"
        );
    }

    let json = signs_json(&out);
    let signs = json["signs"].as_array().unwrap();
    let mut slugs: Vec<&str> = signs.iter().map(|s| s["slug"].as_str().unwrap()).collect();
    slugs.sort_unstable();
    assert_eq!(
        slugs,
        ["door", "other"],
        "the listed photos are no signs of their own"
    );
    let door = signs.iter().find(|s| s["slug"] == "door").unwrap();
    let other = signs.iter().find(|s| s["slug"] == "other").unwrap();
    let photos = door["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 3);
    assert_eq!(photos[0]["images"], door["images"], "the cover comes first");
    assert_eq!(photos[2]["alt"], "The pair of doors, side by side");
    assert_eq!(photos[1]["alt"], door["alt"]);
    let url = photos[1]["images"][0]["url"].as_str().unwrap();
    assert!(url.contains("/media/door-2-480."), "{url}");
    assert_eq!(other["photos"].as_array().unwrap().len(), 1);
    assert_eq!(other["photos"][0]["images"], other["images"]);
    assert!(!out.join("signs/door-2").exists());
    // Nothing warns that the listed photos have no sidecar.
    let about_them: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| {
            d.file
                .as_deref()
                .is_some_and(|f| f.to_string_lossy().contains("door-"))
        })
        .collect();
    assert!(about_them.is_empty(), "{about_them:?}");
}

#[test]
fn a_missing_listed_photo_fails_the_build_at_its_line() {
    let dir = site(
        &PHOTOS[..2],
        &[(
            "photos/2024/door.yaml",
            "title: The door\nalt: x\nphotos:\n  - door-2.jpg\n  - door-3.jpg\n",
        )],
    );
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());
    assert_eq!(
        errors(&outcome.diagnostics),
        ["error: photos/2024/door.yaml:5:5: the listed photo `door-3.jpg` is not there\n  hint: check the file name (names in `photos:` are relative to the sidecar's folder), or remove the entry"]
    );
    assert!(!dir.path().join("public").exists(), "nothing is published");
}

#[test]
fn two_signs_claiming_one_photo_fail_naming_both() {
    let dir = site(
        &[
            ("Canon_40D.jpg", "a.jpg"),
            ("Kodak_CX7530.jpg", "b.jpg"),
            ("noexif.jpg", "shared.jpg"),
        ],
        &[
            ("photos/a.yaml", "alt: x\nphotos: [shared.jpg]\n"),
            ("photos/b.yaml", "alt: y\nphotos:\n  - shared.jpg\n"),
        ],
    );
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());
    let errors = errors(&outcome.diagnostics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("error: photos/b.yaml:3:5: the photo `shared.jpg` is listed by two sidecars: this one and photos/a.yaml:2:10"),
        "{}",
        errors[0]
    );
}

#[test]
fn glyph_check_reports_the_same_and_writes_nothing() {
    let dir = site(
        &[
            ("Canon_40D.jpg", "a.jpg"),
            ("Kodak_CX7530.jpg", "b.jpg"),
            ("noexif.jpg", "shared.jpg"),
            ("testorig.jpg", "c.jpg"),
        ],
        &[
            (
                "photos/a.yaml",
                "alt: x\nphotos:\n  - shared.jpg\n  - gone.jpg\n  - clip.mp4\n  - a.jpg\n",
            ),
            ("photos/b.yaml", "alt: y\nphotos: [c.jpg, shared.jpg]\n"),
            ("photos/clip.mp4", "not a photo"),
            ("photos/c.yaml", "alt: z\n"),
        ],
    );
    let before = tree(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_glyph"))
        .args(["check", "--root"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for said in [
        "photos/a.yaml:4:5: the listed photo `gone.jpg` is not there",
        "photos/a.yaml:5:5: `clip.mp4` is not a photo glyph can read",
        "photos/a.yaml:6:5: `a.jpg` is the photo beside this sidecar",
        "photos/b.yaml:2:17: the photo `shared.jpg` is listed by two sidecars: this one and photos/a.yaml:3:5",
        "photos/c.yaml: this sidecar is beside `c.jpg`, which photos/b.yaml:2:10 lists as a photo of its sign",
    ] {
        assert!(stderr.contains(said), "{said}\n{stderr}");
    }
    assert_eq!(before, tree(dir.path()), "check wrote something");
}

#[test]
fn changing_the_third_photo_makes_its_renditions_again() {
    let dir = carousel();
    let root = dir.path();
    assert_ok(&build_site(root));
    let out = root.join("public");
    let covers = media_names(&out, "door-");
    let third = media_names(&out, "door-3-");
    assert_eq!(third.len(), 1, "a 227-px photo has one size: {third:?}");

    std::fs::copy(fixture("noexif.jpg"), root.join("photos/2024/door-3.jpg")).unwrap();
    let outcome = build_site(root);
    assert_ok(&outcome);
    let now = media_names(&out, "door-3-");
    assert_eq!(now.len(), 1);
    assert_ne!(now, third, "the new photo's renditions have new names");
    assert!(now[0].starts_with("door-3-250."), "{now:?}");
    let page = page(&out, "signs/door/");
    let srcs: Vec<&str> = select(&page, "figure.photo img")
        .iter()
        .map(|i| i.value().attr("src").unwrap())
        .collect();
    assert!(srcs[2].ends_with(&now[0]), "{srcs:?}");
    // The other photos' renditions are the same files as before.
    let unchanged: Vec<_> = covers
        .iter()
        .filter(|n| !n.starts_with("door-3-"))
        .collect();
    let kept: Vec<_> = media_names(&out, "door-")
        .into_iter()
        .filter(|n| !n.starts_with("door-3-"))
        .collect();
    assert_eq!(kept.iter().collect::<Vec<_>>(), unchanged);
    let report = outcome.report.unwrap();
    assert_eq!(report.images_made, 1, "only the new photo was made");
}
