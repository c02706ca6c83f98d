//! Listings as a visitor meets them: cards that keep each photo's shape, one h1 on
//! the home page, a share image on every index page and the random sign page.

use std::path::Path;

use crate::common::*;

/// A photo of `w`×`h` pixels, with a gradient so it encodes like a real one.
fn photo(root: &Path, name: &str, w: u32, h: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let to = root.join("photos").join(name);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    img.save(to).unwrap();
}

/// A portrait and a landscape sign in one style, country and city, and an About page.
fn shapes(intro: &str) -> tempfile::TempDir {
    let dir = site(
        &[],
        &[
            ("site.yaml", "title: Door Signs\nbase_url: https://example.org/\n"),
            (
                "photos/tall.yaml",
                "title: Tall sign\nalt: A tall sign\ncountry: JP\ncity: Tokyo\ntags: [pictogram]\ndate: 2020-01-02\n",
            ),
            (
                "photos/wide.yaml",
                "title: Wide sign\nalt: A wide sign\ncountry: JP\ncity: Tokyo\ntags: [pictogram]\ndate: 2021-01-02\n",
            ),
            ("content/about.md", "---\ntitle: About\n---\nAbout us.\n"),
            ("content/_index.md", intro),
        ],
    );
    photo(dir.path(), "tall.jpg", 400, 640);
    photo(dir.path(), "wide.jpg", 640, 400);
    dir
}

fn built(intro: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = shapes(intro);
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    (dir, out)
}

/// Each card's `--ar` and its image's width/height, by card title.
fn card_ratios(html: &scraper::Html) -> Vec<(String, f64, f64)> {
    select(html, "ul.grid > li.card")
        .iter()
        .map(|card| {
            let style = card.value().attr("style").expect("a card has its ratio");
            let ar: f64 = style
                .strip_prefix("--ar: ")
                .and_then(|s| s.trim_end_matches(';').trim().parse().ok())
                .unwrap_or_else(|| panic!("--ar in {style:?}"));
            let img = card
                .select(&scraper::Selector::parse("img").unwrap())
                .next()
                .unwrap();
            let dim = |a: &str| img.value().attr(a).unwrap().parse::<f64>().unwrap();
            let title = card
                .text()
                .collect::<String>()
                .trim()
                .lines()
                .next()
                .unwrap()
                .to_string();
            (title, ar, dim("width") / dim("height"))
        })
        .collect()
}

#[test]
fn grid_cards_carry_their_photos_aspect_ratio() {
    let (_dir, out) = built("Signs.\n");
    for path in ["/", "/tags/pictogram/"] {
        let ratios = card_ratios(&page(&out, path));
        assert_eq!(ratios.len(), 2, "{path}: {ratios:?}");
        for (title, ar, img) in ratios {
            let want = if title.starts_with("Tall") {
                400.0 / 640.0
            } else {
                640.0 / 400.0
            };
            assert!(
                (ar - want).abs() < 0.01,
                "{path} {title}: --ar {ar}, photo {want}"
            );
            assert!(
                (img - want).abs() < 0.01,
                "{path} {title}: img {img}, photo {want}"
            );
        }
    }
}

#[test]
fn grid_home_has_one_h1_and_it_is_the_intros_own() {
    let (_dir, out) = built("# Doors of the world\n\nSigns.\n");
    let home = page(&out, "/");
    assert_eq!(texts(&home, "h1"), ["Doors of the world"]);

    // Without a heading in the intro, the one h1 is the site title, for screen readers
    // only: the header already shows it.
    let (_dir, out) = built("Signs.\n");
    let home = page(&out, "/");
    let h1 = select(&home, "h1");
    assert_eq!(texts(&home, "h1"), ["Door Signs"]);
    assert_eq!(h1[0].value().attr("class"), Some("visually-hidden"));
}

#[test]
fn grid_every_index_page_has_an_og_image() {
    let (_dir, out) = built("Signs.\n");
    let pages = html_files(&out);
    let index: Vec<&String> = pages
        .keys()
        .filter(|p| !p.starts_with("signs/") && !p.starts_with("random/"))
        .collect();
    for want in [
        "index.html",
        "tags/index.html",
        "tags/pictogram/index.html",
        "countries/index.html",
        "map/index.html",
        "search/index.html",
        "about/index.html",
    ] {
        assert!(pages.contains_key(want), "{want} in {index:?}");
    }
    assert!(
        index
            .iter()
            .any(|p| p.matches('/').count() == 3 && p.starts_with("countries/")),
        "a city page: {index:?}"
    );
    for path in index {
        let html = &pages[path];
        let meta = |sel: &str| {
            select(html, sel)
                .first()
                .and_then(|e| e.value().attr("content"))
                .unwrap_or_else(|| panic!("{path}: no {sel}"))
                .to_string()
        };
        let url = meta("meta[property='og:image']");
        let file = url
            .strip_prefix("https://example.org/")
            .unwrap_or_else(|| panic!("{path}: {url} is absolute"));
        // Lists are newest first: the wide sign (2021) is their image.
        assert!(file.starts_with("media/wide-"), "{path}: {url}");
        let img = image::open(out.join(file)).unwrap();
        assert_eq!(
            meta("meta[property='og:image:width']"),
            img.width().to_string(),
            "{path}"
        );
        assert_eq!(
            meta("meta[property='og:image:height']"),
            img.height().to_string(),
            "{path}"
        );
        assert_eq!(
            meta("meta[name='twitter:card']"),
            "summary_large_image",
            "{path}"
        );
        assert_eq!(select(html, "meta[property='og:image']").len(), 1, "{path}");
    }
}

#[test]
fn grid_random_page_links_to_a_real_sign_and_is_stable() {
    let (_dir, out) = built("Signs.\n");
    let first = std::fs::read(out.join("random/index.html")).unwrap();
    let html = page(&out, "/random/");
    let href = select(&html, "body a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(href.starts_with("/signs/"), "{href}");
    assert!(
        out.join(href.trim_start_matches('/'))
            .join("index.html")
            .is_file(),
        "{href}"
    );
    let refresh = select(&html, "meta[http-equiv='refresh']")[0]
        .value()
        .attr("content")
        .unwrap();
    assert_eq!(refresh, format!("0; url={href}"));
    // The script picks from every sign: each one it may pick exists.
    let script = texts(&html, "script").concat();
    for slug in ["tall", "wide"] {
        assert!(script.contains(&format!("\"/signs/{slug}/\"")), "{script}");
    }
    // Linked from every page's footer.
    assert!(select(&page(&out, "/"), "footer a[href='/random/']").len() == 1);

    // The same archive built again (in another folder) picks the same sign.
    let (_again, out) = built("Signs.\n");
    let second = std::fs::read(out.join("random/index.html")).unwrap();
    assert_eq!(second, first, "same inputs, same page");
}
