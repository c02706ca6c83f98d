//! `glyph check` and `glyph init`, run as the curator runs them: the real binary on
//! fixture archives, judged by exit code, messages and what is (not) written.

use std::process::{Command, Output};

use crate::common::*;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GOOD: &str = "title: Good\nalt: Two figures\ncountry: CA\nlocation: {lat: 43.59, lon: -79.64}\ntags: [pictogram, art]\n";

#[test]
fn a_clean_archive_passes_and_nothing_is_written() {
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg"), ("Kodak_CX7530.jpg", "b.jpg")],
        &[
            ("photos/a.yaml", GOOD),
            (
                "photos/b.yaml",
                "title: Also good\nalt: Letters\ncountry: KE\nlocation: {lat: -0.3, lon: 36.07}\ntags: [pictogram, art]\n\
                 caption: See [the other](/signs/a/), [about](/about/) and [a tag](../../tags/art/).\n",
            ),
            ("content/about.md", "---\ntitle: About\n---\nBack [home](/) or to [signs](/signs/a/#top).\n"),
        ],
    );
    let before = tree(dir.path());
    let out = glyph(&["check"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("all good"), "{}", stderr(&out));
    assert_eq!(before, tree(dir.path()), "check wrote something");
}

#[test]
fn lint_warns_about_what_the_curator_would_want_to_fix() {
    let dir = site(
        &[
            ("Canon_40D.jpg", "a.jpg"),
            ("Canon_40D.jpg", "copy.jpg"),
            ("Kodak_CX7530.jpg", "b.jpg"),
            ("Landscape_1.jpg", "c.jpg"),
            ("Landscape_2.jpg", "d.jpg"),
        ],
        &[
            ("photos/a.yaml", GOOD),
            ("photos/copy.yaml", "title: Copy\nalt: x\ncountry: CA\nlocation: {lat: 43.59, lon: -79.64}\ntags: [pictogram]\n"),
            ("photos/b.yaml", "title: No tags\nalt: x\ncountry: KE\nlocation: {lat: -0.3, lon: 36.07}\n"),
            (
                "photos/c.yaml",
                "title: Typo\nalt: x\ncountry: FR\nlocation: {lat: 48.85, lon: 2.35}\ntags:\n  - pictogarm\n\
                 caption: \"See [nowhere](/signs/nope/)\"\n",
            ),
            ("photos/d.yaml", "title: Nowhere\nalt: x\ncountry: FR\ntags: [art]\n"),
            ("content/about.md", "---\ntitle: About\n---\nA [dead link](/contact/) and [fine](https://example.org/).\n"),
        ],
    );
    let out = glyph(&["check"], dir.path());
    let err = stderr(&out);
    assert!(out.status.success(), "warnings alone pass: {err}");
    let expect = [
        "photos/b.yaml: no tags",
        "photos/c.yaml:6:5: the tag `pictogarm` is used only here",
        "did you mean `pictogram`?",
        "photos/d.yaml: no location",
        "photos/copy.jpg: this photo is byte-identical to photos/a.jpg",
        "photos/a.jpg: this photo is byte-identical to photos/copy.jpg",
        "photos/c.yaml:7:25: the link `/signs/nope/` leads to no page",
        "content/about.md:4:15: the link `/contact/` leads to no page",
    ];
    for e in expect {
        assert!(err.contains(e), "missing {e:?} in:\n{err}");
    }
    assert!(
        !err.contains("example.org"),
        "external links are not checked:\n{err}"
    );
    // The build does not lint, so publishing is not blocked by style advice.
    assert_ok(&build_site(dir.path()));

    let strict = glyph(&["check", "--strict"], dir.path());
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

/// Under a sub-path base_url, check judges links exactly as the build writes them: a
/// link from the site's root works, one that repeats the base path does not, and the
/// warning says how to write it.
#[test]
fn links_are_checked_as_the_build_writes_them_under_a_base_path() {
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg")],
        &[
            ("site.yaml", "base_url: https://example.org/archive/\n"),
            ("photos/a.yaml", GOOD),
            (
                "content/links.md",
                "---\ntitle: Links\n---\n[good](/signs/a/) and [doubled](/archive/signs/a/)\n",
            ),
        ],
    );
    let out = glyph(&["check"], dir.path());
    let err = stderr(&out);
    assert!(
        err.contains("content/links.md:4:33: the link `/archive/signs/a/` leads to no page"),
        "{err}"
    );
    assert!(
        err.contains("write `/signs/a/`") && err.contains("base path `/archive/`"),
        "{err}"
    );
    assert!(!err.contains("`/signs/a/` leads"), "{err}");

    assert_ok(&build_site(dir.path()));
    let page = page(&dir.path().join("public"), "/links/");
    let sel = scraper::Selector::parse("main a").unwrap();
    let hrefs: Vec<_> = page
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/archive/signs/a/"), "{hrefs:?}");
    assert!(dir.path().join("public/signs/a/index.html").is_file());
}

#[test]
fn errors_fail_the_check_with_every_problem_listed() {
    let dir = site(
        &[("Canon_40D.jpg", "a.jpg"), ("Kodak_CX7530.jpg", "b.jpg")],
        &[
            ("photos/a.yaml", "title: A\ntgas: [x]\n"),
            ("photos/b.yaml", "title: B\nlocation: {lat: 123, lon: 0}\n"),
            ("photos/broken.jpg", "not a photo at all"),
        ],
    );
    let before = tree(dir.path());
    let out = glyph(&["check"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for e in [
        "photos/a.yaml:2:1",
        "did you mean `tags`",
        "photos/b.yaml:2",
        "photos/broken.jpg",
    ] {
        assert!(err.contains(e), "missing {e:?} in:\n{err}");
    }
    assert!(err.contains("Check failed"), "{err}");
    assert_eq!(before, tree(dir.path()), "check wrote something");
}

#[test]
fn init_makes_an_archive_that_builds() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("Mein Archiv");
    let out = Command::new(env!("CARGO_BIN_EXE_glyph"))
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("photos").is_dir());
    assert!(dir.join("themes/default/templates/base.html").is_file());
    let yaml = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    assert!(yaml.contains("title: \"Mein Archiv\""), "{yaml}");

    // The new archive builds, with its about page, once a photo is in.
    std::fs::copy(fixture("Canon_40D.jpg"), dir.join("photos/first.jpg")).unwrap();
    write(&dir, "photos/first.yaml", GOOD);
    let built = build_site(&dir);
    assert_ok(&built);
    let about = page(&dir.join("public"), "/about/");
    assert_eq!(texts(&about, "h1"), ["About"]);
    let home = page(&dir.join("public"), "/");
    assert_eq!(texts(&home, "main h2 a, main h3 a"), ["Good"]);
    // …and the menu leads to it.
    let menu: Vec<_> = select(&home, "header nav a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(menu.iter().any(|h| h.ends_with("/about/")), "{menu:?}");

    // A second init into the same folder is refused and changes nothing.
    let before = tree(&dir);
    let again = Command::new(env!("CARGO_BIN_EXE_glyph"))
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
    assert_eq!(before, tree(&dir));
}
