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
    let want: BTreeMap<String, String> =
        std::fs::read_to_string(fixtures.join("one-language.sha256"))
            .unwrap()
            .lines()
            .map(|l| {
                let (hash, path) = l.split_once("  ").unwrap();
                (path.to_string(), hash.to_string())
            })
            .collect();
    let got: BTreeMap<String, String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, sha256_hex(&std::fs::read(e.path()).unwrap()))
        })
        .collect();
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

/// SHA-256 (FIPS 180-4), to compare with the hashes `sha256sum` recorded.
fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes(chunk[i * 4..i * 4 + 4].try_into().unwrap());
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

#[test]
fn sha256_matches_the_standard_vectors() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}
