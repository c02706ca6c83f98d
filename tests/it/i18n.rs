//! Two languages: every page in English at the root and in Spanish under /es/, each
//! with its `lang`, reciprocal hreflang alternates and a language switch that leads to
//! a page; no English theme word on a Spanish page; plural forms; and a one-language
//! site built byte for byte as before languages existed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

const PHOTOS: &[(&str, &str)] = &[
    ("issue-exifr-59.jpg", "2015/yosemite.jpg"),
    ("Kodak_CX7530.jpg", "kodak.jpg"),
    ("png_with_exif_and_gps.png", "png.png"),
];

const FILES: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: {en: Toilet Glyphs, es: Glifos de baño}\n\
         description: {en: Door signs., es: Señales de puertas.}\n\
         base_url: https://glyphs.example.org/\nlanguages: [en, es]\nper_page: 2\n",
    ),
    (
        "photos/2015/yosemite.yaml",
        "title: Yosemite Valley Lodge\nalt: A wooden sign\ncity: Yosemite Valley\ncountry: US\ntags: [pictogram]\n",
    ),
    (
        "photos/kodak.yaml",
        "title: Nakuru\nalt: Letters\ncountry: Kenya\ncity: Nakuru\ntags: [pictogram, text-only]\n",
    ),
    (
        "photos/png.yaml",
        "title: PNG sign\nalt: A tiny sign\ncountry: CZ\ntags: [art]\ndate: 2003-12-14\n",
    ),
    (
        "content/about.md",
        "---\ntitle: About\nweight: 1\n---\nThe *Toilet Glyph Project*.\n",
    ),
];

fn bilingual() -> tempfile::TempDir {
    let dir = site(PHOTOS, FILES);
    assert_ok(&build_site(dir.path()));
    dir
}

fn attr(html: &scraper::Html, css: &str, name: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

#[test]
fn every_page_has_its_lang_reciprocal_alternates_and_a_switch_that_resolves() {
    let dir = bilingual();
    let out = dir.path().join("public");
    let pages = html_files(&out);
    let es_pages = pages.keys().filter(|p| p.starts_with("es/")).count();
    assert!(es_pages >= 10, "{es_pages} Spanish pages");
    let mut alternates: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (path, html) in &pages {
        if path.starts_with("random/") || path.starts_with("es/random/") {
            continue;
        }
        let want = if path.starts_with("es/") { "es" } else { "en" };
        assert_eq!(attr(html, "html", "lang"), [want], "{path}");
        let links = select(html, r#"link[rel="alternate"][hreflang]"#);
        let map: BTreeMap<String, String> = links
            .iter()
            .map(|l| {
                (
                    l.value().attr("hreflang").unwrap().to_string(),
                    l.value().attr("href").unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            map.keys().collect::<Vec<_>>(),
            ["en", "es", "x-default"],
            "{path}"
        );
        let own = format!(
            "https://glyphs.example.org/{}",
            path.trim_end_matches("index.html")
        );
        assert_eq!(map[want], own, "{path}: its own alternate");
        assert_eq!(map["x-default"], map["en"], "{path}");
        let locale = attr(html, r#"meta[property="og:locale"]"#, "content");
        assert_eq!(
            locale,
            [if want == "es" { "es_ES" } else { "en_US" }],
            "{path}"
        );
        // The switch leads to the other language's page, which exists.
        let switch = attr(html, "nav.lang-switch a", "href");
        assert_eq!(switch.len(), 1, "{path}: {switch:?}");
        let file = file_for(&out, "/", &switch[0]).unwrap();
        assert!(file.is_file(), "{path}: switch to {} is missing", switch[0]);
        alternates.insert(own, map);
    }
    // Reciprocal: each page's alternates name it back.
    for (own, map) in &alternates {
        for (lang, other) in map.iter().filter(|(l, _)| *l != "x-default") {
            let back = alternates
                .get(other)
                .unwrap_or_else(|| panic!("{own}: {lang} alternate {other} has no page"));
            assert!(
                back.values().any(|u| u == own),
                "{other} does not name {own}"
            );
        }
    }
}

#[test]
fn spanish_pages_carry_no_english_theme_word() {
    let dir = bilingual();
    let out = dir.path().join("public");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    let read = |f: &str| -> BTreeMap<String, serde_norway::Value> {
        serde_norway::from_str(&std::fs::read_to_string(theme.join(f)).unwrap()).unwrap()
    };
    let (en, es) = (read("en.yaml"), read("es.yaml"));
    // Every English phrase (each plural form) that Spanish says otherwise, as it reads
    // on a page: markup and {placeholders} cut away, only runs of words long enough to
    // be a phrase and not a name.
    let mut phrases = Vec::new();
    for (key, value) in &en {
        if es.get(key) == Some(value) || key.starts_with("js.") || key == "lang.name" {
            continue;
        }
        let texts: Vec<String> = match value {
            serde_norway::Value::String(s) => vec![s.clone()],
            serde_norway::Value::Mapping(m) => m
                .values()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => vec![],
        };
        for t in texts {
            let plain = scraper::Html::parse_fragment(&t)
                .root_element()
                .text()
                .collect::<String>();
            for part in plain.split(['{', '}']).step_by(2) {
                let part = part.trim_matches(|c: char| !c.is_alphanumeric());
                if part.len() >= 6 && part.contains(' ') || part.len() >= 8 {
                    phrases.push((key.clone(), part.to_string()));
                }
            }
        }
    }
    assert!(phrases.len() > 50, "{}", phrases.len());
    let mut seen = 0;
    for (path, html) in html_files(&out)
        .iter()
        .filter(|(p, _)| p.starts_with("es/"))
    {
        seen += 1;
        // The page's text and its attributes that people read.
        // (A noscript's content is parsed as raw text, its markup and URLs with it.)
        let mut text: String = html
            .root_element()
            .descendants()
            .filter_map(|n| {
                let parent = n.parent()?.value().as_element()?.name();
                let raw = matches!(parent, "noscript" | "script" | "style");
                n.value().as_text().filter(|_| !raw).map(|t| t.to_string())
            })
            .collect::<Vec<_>>()
            .join(" ");
        for a in ["alt", "aria-label", "placeholder", "title"] {
            text.push_str(&attr(html, &format!("[{a}]"), a).join(" "));
        }
        text.push_str(&attr(html, r#"meta[name="description"]"#, "content").join(" "));
        // Curator text (titles, style names) is not the theme's.
        for (key, phrase) in &phrases {
            assert!(
                !text.contains(phrase.as_str()),
                "{path}: English `{phrase}` ({key})"
            );
        }
    }
    assert!(seen >= 10);
}

#[test]
fn counts_take_the_plural_form_of_their_language() {
    let dir = bilingual();
    let out = dir.path().join("public");
    let subtitle = |p: &str| texts(&page(&out, p), "h1 .subtitle");
    assert_eq!(subtitle("/es/tags/art/"), ["1 señal"]);
    assert_eq!(subtitle("/es/tags/pictogram/"), ["2 señales"]);
    assert_eq!(subtitle("/tags/art/"), ["1 sign"]);
    assert_eq!(subtitle("/tags/pictogram/"), ["2 signs"]);
    assert_eq!(subtitle("/es/countries/"), ["3 países"]);
    let home = page(&out, "/es/");
    assert_eq!(texts(&home, ".intro .count"), ["3 señales en el archivo"]);
    assert_eq!(texts(&home, "title"), ["Glifos de baño"]);
    // Feeds, search indexes and 404 pages per language; one signs.json.
    for f in [
        "atom.xml",
        "es/atom.xml",
        "search.json",
        "es/search.json",
        "404.html",
        "es/404.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert!(!out.join("es/signs.json").exists());
    assert!(!out.join("es/robots.txt").exists());
    let feed = std::fs::read_to_string(out.join("es/atom.xml")).unwrap();
    assert!(feed.contains(r#"xml:lang="es""#), "{feed}");
    assert!(
        feed.contains("https://glyphs.example.org/es/signs/"),
        "{feed}"
    );
    let index = std::fs::read_to_string(out.join("es/search.json")).unwrap();
    assert!(index.contains("\"/es/signs/"), "{index}");
    // Images are shared: a Spanish page shows the root's media.
    let sign = page(&out, "/es/signs/kodak/");
    for src in attr(&sign, "img", "src") {
        assert!(!src.starts_with("/es/"), "{src}");
        assert!(file_for(&out, "/", &src).unwrap().is_file(), "{src}");
    }
    // The sitemap lists both languages with their alternates.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    assert!(sitemap.contains("<loc>https://glyphs.example.org/es/signs/kodak/</loc>"));
    assert!(sitemap.contains(
        r#"<xhtml:link rel="alternate" hreflang="es" href="https://glyphs.example.org/es/signs/kodak/"/>"#
    ));
    // The about page has no Spanish text yet: it is marked English on the Spanish side.
    let about = page(&out, "/es/about/");
    assert_eq!(attr(&about, "article.page", "lang"), ["en"]);
}

#[test]
fn a_missing_word_warns_naming_file_and_key_and_falls_back() {
    let mut files = FILES.to_vec();
    files.push(("i18n/es.yaml", "nav.map: Planisferio\n"));
    files.push(("i18n/fr.yaml", "nav.map: Carte\n"));
    let dir = site(PHOTOS, &files);
    // French is not in `languages`: its file is ignored. The site's es.yaml overrides
    // one key of the theme's and keeps the rest.
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");
    let nav = texts(&page(&out, "/es/"), ".site-nav a");
    assert!(nav.contains(&"Planisferio".to_string()), "{nav:?}");
    assert!(nav.contains(&"Estilos".to_string()), "{nav:?}");

    // A language whose theme file lacks a key: a warning names file and key, and the
    // page shows the default language's text.
    let dir = site(PHOTOS, &files);
    let es = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n/es.yaml");
    let text = std::fs::read_to_string(es).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("nav.search:"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(dir.path(), "themes/default/i18n/es.yaml", &without);
    let outcome = build_site(dir.path());
    assert_ok(&outcome);
    let warning = outcome
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .find(|d| d.contains("nav.search"))
        .expect("a warning for the missing key");
    assert!(warning.contains("es.yaml"), "{warning}");
    let nav = texts(&page(&dir.path().join("public"), "/es/"), ".site-nav a");
    assert!(nav.contains(&"Search".to_string()), "{nav:?}");
}

#[test]
fn an_unknown_language_is_an_error_at_its_line() {
    let dir = site(
        &[],
        &[("site.yaml", "title: X\nlanguages:\n  - en\n  - sp\n")],
    );
    let outcome = build_site(dir.path());
    assert!(!outcome.ok());
    let err = outcome
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .unwrap()
        .to_string();
    assert!(err.contains("site.yaml:4:"), "{err}");
    assert!(err.contains("`sp`"), "{err}");
}

/// The one-language fixture builds to the very bytes main's binary made before
/// languages existed (tests/fixtures/one-language/README.md). The theme's scripts and
/// stylesheet are the exception: the scripts now read their words from the page when
/// it gives them, and the stylesheet has the language switch's rules.
#[test]
fn a_one_language_site_builds_byte_identical_to_before() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let from = fixtures.join("one-language");
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&from).unwrap();
        if e.file_type().is_file() && !matches!(rel.to_str(), Some("README.md" | "photos.txt")) {
            let to = dir.path().join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(e.path(), to).unwrap();
        }
    }
    for line in std::fs::read_to_string(from.join("photos.txt"))
        .unwrap()
        .lines()
    {
        let (src, dest) = line.split_once(' ').unwrap();
        std::fs::copy(fixtures.join("photos").join(src), dir.path().join(dest)).unwrap();
    }
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let want: BTreeMap<String, String> = std::fs::read_to_string(fixtures.join("one-language.b3"))
        .unwrap()
        .lines()
        .map(|l| {
            let (hash, path) = l.split_once("  ").unwrap();
            (path.to_string(), hash.to_string())
        })
        .collect();
    let got = tree_hash(&out);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "the same files"
    );
    // The theme's own assets changed with languages: the scripts read their words from
    // the page, and the stylesheet styles the language switch. Every page, feed, index
    // and image is as it was.
    let scripts = ["js/search.js", "js/sign.js", "js/map.js", "css/glyph.css"];
    let changed: Vec<&String> = want
        .iter()
        .filter(|(p, h)| got[*p] != **h && !scripts.contains(&p.as_str()))
        .map(|(p, _)| p)
        .collect();
    assert!(changed.is_empty(), "changed: {changed:?}");
}
