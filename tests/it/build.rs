//! Building whole fixture sites and checking what a visitor would get.

use crate::common::*;
use glyph::config::Overrides;

const SIDECARS: &[(&str, &str)] = &[
    (
        "photos/2015/yosemite.yaml",
        "title: Yosemite Valley Lodge\nalt: A brown wooden sign with a man and a woman pictogram\n\
         place: Valley Lodge\ncity: Yosemite Valley\ncountry: US\ntags: [pictogram, vintage]\n\
         caption: |\n  Carved in wood, *of course*. See [about](/about/).\n",
    ),
    (
        "photos/kodak.yaml",
        "title: Nakuru\nalt: Hand-painted letters\ncountry: Kenya\ncity: Nakuru\ntags: text-only\n",
    ),
    (
        "photos/canon.yaml",
        "title: \"<script>alert(1)</script> & {{ 'braces' }}\"\nalt: \"Quote \\\" and <b>tag</b>\"\n\
         place: Somewhere\ncountry: CA\ncity: Mississauga\ntags: [pictogram, Family Room]\n",
    ),
    (
        "photos/png.yaml",
        "title: PNG sign\nalt: A tiny sign\ncountry: CZ\ntags: [art]\ndate: 2003-12-14\n",
    ),
    ("photos/draft.yaml", "title: Not yet\nalt: x\ndraft: true\ntags: [secret]\ncountry: JP\n"),
    ("content/about.md", "---\ntitle: About\nweight: 1\n---\nThe *Toilet Glyph Project*.\n"),
    ("content/_index.md", "---\ntitle: Home\n---\nSigns from everywhere.\n"),
];

const PHOTOS: &[(&str, &str)] = &[
    ("issue-exifr-59.jpg", "2015/yosemite.jpg"),
    ("Kodak_CX7530.jpg", "kodak.jpg"),
    ("Canon_40D.jpg", "canon.jpg"),
    ("png_with_exif_and_gps.png", "png.png"),
    ("testorig.jpg", "draft.jpg"),
    ("denali.webp", "no-sidecar.webp"),
];

fn sample() -> tempfile::TempDir {
    site(PHOTOS, SIDECARS)
}

#[test]
fn every_sign_tag_and_country_gets_a_page_with_matching_counts() {
    let dir = sample();
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");

    // Five published signs (the draft is left out), newest first on the home page.
    let home = page(&out, "/");
    let titles = texts(&home, "main h2 a, main h3 a");
    assert_eq!(titles.len(), 5, "{titles:?}");
    assert_eq!(
        titles[0], "Yosemite Valley Lodge",
        "newest (2015) first: {titles:?}"
    );
    assert!(!out.join("signs/draft").exists());
    for slug in ["yosemite", "kodak", "canon", "png", "no-sidecar"] {
        let p = page(&out, &format!("/signs/{slug}/"));
        assert_eq!(select(&p, "h1").len(), 1, "{slug} has one h1");
    }

    // Styles: shown as the curator spells them, at slugged URLs, with counts that agree
    // with the sidecars.
    let tags = page(&out, "/tags/");
    let listed = texts(&tags, "main li");
    for (tag, name, n) in [
        ("pictogram", "pictogram", 2),
        ("vintage", "vintage", 1),
        ("text-only", "text-only", 1),
        ("family-room", "Family Room", 1),
        ("art", "art", 1),
    ] {
        assert!(
            listed
                .iter()
                .any(|l| l.contains(name) && l.contains(&n.to_string())),
            "{name} {n} in {listed:?}"
        );
        let p = page(&out, &format!("/tags/{tag}/"));
        assert_eq!(select(&p, "main img:not(.flag)").len(), n, "tag {tag}");
        assert!(texts(&p, "h1")[0].contains(name), "{tag}");
    }
    let canon = page(&out, "/signs/canon/");
    assert!(
        texts(&canon, ".tag-list a").contains(&"Family Room".to_string()),
        "{:?}",
        texts(&canon, ".tag-list a")
    );
    assert!(
        !out.join("tags/secret").exists(),
        "a draft's tag has no page"
    );

    // Countries from codes and English names; cities under them.
    for (slug, name, n) in [
        ("united-states", "United States", 1),
        ("kenya", "Kenya", 1),
        ("canada", "Canada", 1),
        ("czechia", "Czechia", 1),
    ] {
        let p = page(&out, &format!("/countries/{slug}/"));
        assert!(texts(&p, "h1")[0].contains(name));
        assert_eq!(select(&p, "main img:not(.flag)").len(), n);
    }
    assert!(out.join("countries/canada/mississauga/index.html").exists());
    assert!(!out.join("countries/japan").exists());

    // The content page, the home intro, and the feeds.
    let about = page(&out, "/about/");
    assert!(texts(&about, "main em").contains(&"Toilet Glyph Project".to_string()));
    assert!(texts(&home, "main p")
        .iter()
        .any(|t| t.contains("Signs from everywhere")));
    for f in [
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "signs.json",
        "favicon.svg",
        "css/glyph.css",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn internal_links_resolve_and_images_are_complete() {
    let dir = sample();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let pages = html_files(&out);
    assert!(pages.len() > 15);
    for (name, html) in &pages {
        for url in internal_urls(html) {
            let file = file_for(&out, "/", &url).unwrap();
            assert!(
                file.is_file(),
                "{name} links to {url}, which does not exist"
            );
        }
        for img in select(html, "img:not(.flag)") {
            let a = |k: &str| img.value().attr(k);
            assert!(a("alt").is_some(), "{name}: img without alt");
            assert!(
                a("srcset").is_some_and(|s| s.contains("w")),
                "{name}: img without srcset"
            );
            let w: u32 = a("width").unwrap().parse().unwrap();
            let h: u32 = a("height").unwrap().parse().unwrap();
            assert!(w > 0 && h > 0);
        }
    }
    // The yosemite photo is 150 px wide: never upscaled, one rendition.
    let sign = page(&out, "/signs/yosemite/");
    let img = select(&sign, "main img")[0];
    assert_eq!(img.value().attr("width"), Some("150"));
    assert_eq!(
        img.value().attr("alt"),
        Some("A brown wooden sign with a man and a woman pictogram")
    );
    let decoded =
        image::open(file_for(&out, "/", img.value().attr("src").unwrap()).unwrap()).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (150, 100));
}

#[test]
fn curator_text_is_escaped_everywhere() {
    let dir = sample();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let sign = page(&out, "/signs/canon/");
    assert_eq!(
        texts(&sign, "h1")[0],
        "<script>alert(1)</script> & {{ 'braces' }}"
    );
    assert!(select(&sign, "script:not([type=\"application/ld+json\"])")
        .iter()
        .all(|s| !s.inner_html().contains("alert(1)")));
    let ld: serde_json::Value = serde_json::from_str(
        &select(&sign, "script[type=\"application/ld+json\"]")[0].inner_html(),
    )
    .unwrap();
    assert_eq!(ld["name"], "<script>alert(1)</script> & {{ 'braces' }}");
    assert_eq!(
        select(&sign, "main img")[0].value().attr("alt"),
        Some("Quote \" and <b>tag</b>")
    );
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(!feed.contains("<script>"), "feed carries raw markup");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("signs.json")).unwrap()).unwrap();
    let canon = json["signs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "canon")
        .unwrap();
    assert_eq!(canon["title"], "<script>alert(1)</script> & {{ 'braces' }}");
}

#[test]
fn signs_json_is_open_data_in_the_documented_shape() {
    let dir = sample();
    assert_ok(&build_site(dir.path()));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("public/signs.json")).unwrap())
            .unwrap();
    let signs = json["signs"].as_array().unwrap();
    assert_eq!(signs.len(), 5);
    // The documented field order (serde_json's Value sorts keys, so read the raw text).
    let raw = std::fs::read_to_string(dir.path().join("public/signs.json")).unwrap();
    let first = &raw[..raw.find("\"images\"").unwrap()];
    let order: Vec<usize> = [
        "\"slug\"",
        "\"url\"",
        "\"title\"",
        "\"date\"",
        "\"city\"",
        "\"country\"",
        "\"country_name\"",
        "\"location\"",
        "\"tags\"",
        "\"alt\"",
    ]
    .iter()
    .map(|k| first.find(k).unwrap_or_else(|| panic!("{k} in {first}")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "field order {order:?} in {first}"
    );
    let y = &signs[0];
    assert_eq!(y["slug"], "yosemite");
    assert_eq!(y["url"], "/signs/yosemite/");
    assert_eq!(y["date"], "2015-06-12");
    assert_eq!(y["country"], "US");
    assert_eq!(y["country_name"], "United States");
    assert_eq!(y["city"], "Yosemite Valley");
    // EXIF 37.746765, -119.529883 rounded to the default 3 places.
    assert_eq!(y["location"]["lat"], 37.747);
    assert_eq!(y["location"]["lon"], -119.53);
    assert_eq!(y["tags"], serde_json::json!(["pictogram", "vintage"]));
    let img = &y["images"][0];
    assert_eq!(
        (img["width"].as_u64(), img["height"].as_u64()),
        (Some(150), Some(100))
    );
    assert!(img["url"]
        .as_str()
        .unwrap()
        .starts_with("/media/yosemite-150."));
}

#[test]
fn a_sub_path_base_url_prefixes_every_link() {
    let dir = sample();
    let outcome = build_with(
        dir.path(),
        Overrides {
            base_url: Some("https://example.org/glyphs/".into()),
            ..Default::default()
        },
    );
    assert_ok(&outcome);
    let out = dir.path().join("public");
    for (name, html) in html_files(&out) {
        for url in internal_urls(&html) {
            assert!(
                url.starts_with("/glyphs/"),
                "{name}: {url} ignores the base path"
            );
            assert!(
                file_for(&out, "/glyphs/", &url).unwrap().is_file(),
                "{name}: {url} is missing"
            );
        }
        let canonical = select(&html, "link[rel=canonical]");
        if name != "404.html" {
            assert!(canonical[0]
                .value()
                .attr("href")
                .unwrap()
                .starts_with("https://example.org/glyphs/"));
        }
    }
    // Markdown links written for the root follow the base path too.
    let sign = page(&out, "/signs/yosemite/");
    let hrefs: Vec<_> = select(&sign, "main a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/glyphs/about/"), "{hrefs:?}");
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(feed.contains("https://example.org/glyphs/signs/yosemite/"));
}

#[test]
fn drafts_are_built_only_when_asked() {
    let dir = sample();
    let outcome = build_with(
        dir.path(),
        Overrides {
            drafts: true,
            ..Default::default()
        },
    );
    assert_ok(&outcome);
    assert!(dir.path().join("public/signs/draft/index.html").is_file());
    assert!(dir
        .path()
        .join("public/countries/japan/index.html")
        .is_file());

    // Without --drafts the draft is left out, and the summary says so.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_glyph"))
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("signs (1 draft left out; --drafts builds it)"),
        "{stderr}"
    );
    assert!(!dir.path().join("public/signs/draft").exists());
}

#[test]
fn a_photo_without_sidecar_is_published_with_a_warning() {
    let dir = sample();
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let w = outcome
        .diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some(std::path::Path::new("photos/no-sidecar.webp")))
        .expect("a warning names the photo");
    assert!(!w.is_error() && w.message.contains("no sidecar"));
    let p = page(&dir.path().join("public"), "/signs/no-sidecar/");
    assert_eq!(texts(&p, "h1")[0], "No sidecar");
}

#[test]
fn rebuild_with_nothing_changed_decodes_nothing_and_is_identical() {
    let dir = sample();
    let first = build_site(dir.path());
    assert_ok(&first);
    assert!(first.report.as_ref().unwrap().images_made > 0);
    let before = tree_hash(&dir.path().join("public"));
    let second = build_site(dir.path());
    assert_ok(&second);
    assert_eq!(
        second.report.unwrap().images_made,
        0,
        "no image decoded again"
    );
    assert_eq!(
        before,
        tree_hash(&dir.path().join("public")),
        "byte-identical output"
    );
}

#[test]
fn stale_files_do_not_survive_and_deleted_photos_disappear() {
    let dir = sample();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    std::fs::write(out.join("leftover.html"), "old").unwrap();
    std::fs::remove_file(dir.path().join("photos/kodak.jpg")).unwrap();
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    assert!(!out.join("leftover.html").exists());
    assert!(!out.join("signs/kodak").exists());
    assert!(!out.join("countries/kenya").exists());
    assert!(std::fs::read_dir(out.join("media"))
        .unwrap()
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().starts_with("kodak")));
    // The sidecar left behind is a warning, not an error.
    assert!(outcome
        .diagnostics
        .iter()
        .any(|d| !d.is_error() && d.message.contains("without a photo")));
}

#[test]
fn duplicate_slugs_are_an_error_naming_both_files() {
    let dir = site(
        &[("noexif.jpg", "2019/a.jpg"), ("testorig.jpg", "2020/a.jpg")],
        &[],
    );
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());
    let e = outcome
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .unwrap()
        .to_string();
    assert!(
        e.contains("photos/2019/a.jpg") && e.contains("photos/2020/a.jpg"),
        "{e}"
    );
}

#[test]
fn feed_and_sitemap_are_well_formed_and_complete() {
    let dir = sample();
    write(
        dir.path(),
        "site.yaml",
        "base_url: https://example.org/\nfeed_limit: 3\n",
    );
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    // Root-relative links inside captions resolve against the site, not the reader.
    assert_eq!(
        feed.attribute(("http://www.w3.org/XML/1998/namespace", "base")),
        Some("https://example.org/")
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 3, "feed_limit");
    for e in &entries {
        let child = |name: &str| {
            e.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_string()
        };
        assert!(child("id").starts_with("https://example.org/signs/"));
        assert!(
            chrono::DateTime::parse_from_rfc3339(&child("updated")).is_ok(),
            "{}",
            child("updated")
        );
        assert!(!child("title").is_empty());
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .map(str::to_string)
        .collect();
    // Every page but 404.html and the random/ redirect.
    let pages = html_files(&out).len() - 2;
    assert_eq!(locs.len(), pages);
    assert!(locs.iter().all(|l| l.starts_with("https://example.org/")));
    assert!(locs.contains(&"https://example.org/signs/kodak/".to_string()));
}

#[test]
fn the_home_page_is_paginated_with_prev_and_next() {
    let dir = sample();
    write(dir.path(), "site.yaml", "per_page: 2\n");
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let mut seen = Vec::new();
    for (n, path) in ["/", "/page/2/", "/page/3/"].iter().enumerate() {
        let p = page(&out, path);
        let cards = texts(&p, "main h2 a, main h3 a");
        assert_eq!(cards.len(), if n < 2 { 2 } else { 1 }, "{path}");
        seen.extend(cards);
        let next = select(&p, "a[rel=next]");
        assert_eq!(next.is_empty(), n == 2, "{path} next link");
        let prev = select(&p, "a[rel=prev]");
        assert_eq!(prev.is_empty(), n == 0, "{path} prev link");
    }
    assert_eq!(seen.len(), 5, "every sign on exactly one page");
    assert!(!out.join("page/4").exists());
}

#[test]
fn unicode_and_spaced_file_names_get_clean_slugs() {
    let nfd = "Zu\u{308}rich cafe\u{301}.jpg"; // decomposed, as macOS writes names
    let dir = site(
        &[("noexif.jpg", "São Paulo bar.jpg"), ("testorig.jpg", nfd)],
        &[],
    );
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    assert!(out.join("signs/sao-paulo-bar/index.html").is_file());
    assert!(out.join("signs/zurich-cafe/index.html").is_file());
    assert_eq!(
        texts(&page(&out, "/signs/sao-paulo-bar/"), "h1")[0],
        "São Paulo bar"
    );
}

#[test]
fn style_country_and_city_pages_are_paginated_too() {
    let dir = sample();
    write(dir.path(), "site.yaml", "per_page: 1\n");
    write(
        dir.path(),
        "photos/png.yaml",
        "title: PNG sign\nalt: x\ncountry: CA\ncity: Mississauga\ntags: [art]\n",
    );
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    // Follow each list's pages from the first: one sign a page, each sign once.
    for first in [
        "/tags/pictogram/",
        "/countries/canada/",
        "/countries/canada/mississauga/",
    ] {
        let mut url = first.to_string();
        let mut seen = Vec::new();
        loop {
            let p = page(&out, &url);
            let cards = texts(&p, "main .card-title a");
            assert_eq!(cards.len(), 1, "{url}: one sign a page");
            seen.extend(cards);
            let next = select(&p, ".pagination a[rel=next]");
            match next.first() {
                Some(a) => url = a.value().attr("href").unwrap().to_string(),
                None => break,
            }
            assert!(seen.len() < 20, "the pages end");
        }
        let p = page(&out, first);
        let total: usize = texts(&p, "h1 .subtitle")[0]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(seen.len(), total, "{first}: every sign on exactly one page");
        assert!(total >= 2, "{first} has more than one page");
    }
}
