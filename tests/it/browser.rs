//! The map page in a real browser (headless Chromium), offline: tiles are unreachable,
//! yet markers and clusters appear; without JavaScript (or with its scripts blocked)
//! the SVG map shows one linked dot per sign. Needs `chromium` (Debian's package; `.ci/run` installs it). Without
//! it the tests say so and pass, except under CI, where they fail.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .or_else(|| {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium for the browser tests"
        );
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
        None
    })
}

/// A minimal static file server on loopback for one test, on its own thread.
fn serve(root: &Path, block: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let mut out = &stream;
                let blocked = block.is_some_and(|b| path.contains(b));
                match std::fs::read(&file)
                    .ok()
                    .filter(|_| !path.contains("..") && !blocked)
                {
                    Some(body) => {
                        let mime = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("css") => "text/css",
                            Some("js") => "text/javascript",
                            Some("json") => "application/json",
                            Some("svg") => "image/svg+xml",
                            Some("png") => "image/png",
                            Some("jpg") => "image/jpeg",
                            _ => "application/octet-stream",
                        };
                        let _ = write!(out, "HTTP/1.1 200 OK\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                        let _ = out.write_all(&body);
                    }
                    None => {
                        let _ = write!(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    }
                }
            });
        }
    });
    format!("http://{addr}/")
}

fn dump_dom(browser: &Path, url: &str) -> scraper::Html {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=8000",
        "--dump-dom",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()));
    let out = cmd.arg(url).output().expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    scraper::Html::parse_document(&String::from_utf8_lossy(&out.stdout))
}

fn map_site() -> tempfile::TempDir {
    // Seven signs: five near each other in one city (they cluster), two far apart.
    let mut files = vec![("site.yaml".to_string(), "title: Map test\n".to_string())];
    let photos = [
        "noexif.jpg",
        "testorig.jpg",
        "Canon_40D.jpg",
        "Kodak_CX7530.jpg",
        "issue-exifr-59.jpg",
        "denali.webp",
        "png_with_exif_and_gps.png",
    ];
    let spots = [
        (52.52, 13.40),
        (52.521, 13.401),
        (52.522, 13.402),
        (52.519, 13.399),
        (52.523, 13.398),
        (-33.86, 151.21),
        (40.71, -74.0),
    ];
    for (i, (lat, lon)) in spots.iter().enumerate() {
        files.push((
            format!("photos/s{i}.yaml"),
            format!("title: Sign {i}\nalt: a sign\nlocation: {{ lat: {lat}, lon: {lon} }}\n"),
        ));
    }
    let photo_pairs: Vec<(String, String)> = photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p.to_string(),
                format!("s{i}.{}", p.rsplit('.').next().unwrap()),
            )
        })
        .collect();
    let photo_refs: Vec<(&str, &str)> = photo_pairs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let file_refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site(&photo_refs, &file_refs)
}

#[test]
fn the_map_shows_markers_and_clusters_offline() {
    let Some(browser) = chromium() else { return };
    let dir = map_site();
    assert_ok(&build_site(dir.path()));
    let base = serve(&dir.path().join("public"), None);
    let dom = dump_dom(&browser, &format!("{base}map/"));
    let map = select(&dom, "#map");
    assert_eq!(
        map[0].value().attr("hidden"),
        None,
        "the interactive map is shown"
    );
    assert_eq!(
        map[0].value().attr("data-markers"),
        Some("7"),
        "every located sign became a marker"
    );
    let clusters = select(&dom, ".marker-cluster");
    let markers = select(&dom, ".leaflet-marker-icon:not(.marker-cluster)");
    assert!(!clusters.is_empty(), "the five Berlin signs are clustered");
    assert!(markers.len() >= 2, "the far-apart signs are single markers");
    // Tiles never load here (no network): the bundled outline is the base layer.
    let rings: usize = map[0]
        .value()
        .attr("data-outline")
        .unwrap_or("0")
        .parse()
        .unwrap();
    assert!(rings > 100, "the world outline was drawn: {rings} rings");
    assert!(!select(&dom, ".leaflet-outline-pane path.map-land").is_empty());
    // Pins and clusters are the theme's (glyph.css colours them), not Leaflet's.
    assert!(markers
        .iter()
        .all(|m| m.value().classes().any(|c| c == "map-pin")));
    assert!(clusters
        .iter()
        .all(|m| m.value().classes().any(|c| c == "map-cluster")));
    assert!(select(&dom, "#static-map")[0]
        .value()
        .attr("hidden")
        .is_some());
}

#[test]
fn without_javascript_the_svg_map_has_one_dot_per_sign() {
    // What a browser without JavaScript shows is the page as served.
    let dir = map_site();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let html = page(&out, "/map/");
    assert!(
        select(&html, "#map")[0].value().attr("hidden").is_some(),
        "no script, no Leaflet"
    );
    assert_eq!(select(&html, "#static-map")[0].value().attr("hidden"), None);
    assert_eq!(
        select(&html, "#static-map a circle").len(),
        7,
        "one dot per sign"
    );
    for a in select(&html, "#static-map a") {
        let href = a.value().attr("href").unwrap();
        assert!(file_for(&out, "/", href).unwrap().is_file(), "{href}");
    }
    assert!(out.join("map/world.svg").is_file());

    // And in a real browser whose scripts cannot load (blocked, offline), the SVG
    // map stays in place.
    let Some(browser) = chromium() else { return };
    let base = serve(&out, Some("/vendor/"));
    let dom = dump_dom(&browser, &format!("{base}map/"));
    assert!(select(&dom, "#map")[0].value().attr("hidden").is_some());
    assert_eq!(select(&dom, "#static-map")[0].value().attr("hidden"), None);
    assert_eq!(select(&dom, "#static-map a circle").len(), 7);
}

/// The search page, in a real browser: a word from a caption (without its accent),
/// a style and a country each find the right signs, from the index the build wrote.
#[test]
fn search_finds_signs_by_caption_words_style_and_country() {
    let Some(browser) = chromium() else { return };
    let dir = site(
        &[
            ("Canon_40D.jpg", "canon.jpg"),
            ("Kodak_CX7530.jpg", "kodak.jpg"),
            ("noexif.jpg", "plain.jpg"),
        ],
        &[
            (
                "photos/canon.yaml",
                "title: Airport lounge\nalt: x\ncountry: CA\ntags: [pictogram]\n\
                 caption: A *crème brûlée* coloured door in the departures hall.\n",
            ),
            (
                "photos/kodak.yaml",
                "title: Market stall\nalt: x\ncountry: KE\ntags: [text-only]\n\
                 caption: Hand-painted letters on blue.\n",
            ),
            (
                "photos/plain.yaml",
                "title: Museum\nalt: x\ncountry: CA\ntags: [text-only]\n",
            ),
        ],
    );
    assert_ok(&build_site(dir.path()));
    let base = serve(&dir.path().join("public"), None);
    let found = |query: &str| -> Vec<String> {
        let dom = dump_dom(&browser, &format!("{base}search/?{query}"));
        let mut titles = texts(&dom, "#search-results .card-title a");
        titles.sort();
        titles
    };
    assert_eq!(
        found("q=creme"),
        ["Airport lounge"],
        "a caption word, accent ignored"
    );
    assert_eq!(
        found("q=DEPARTURES+door"),
        ["Airport lounge"],
        "all words, any case"
    );
    assert_eq!(found("tag=text-only"), ["Market stall", "Museum"]);
    assert_eq!(found("country=CA&tag=text-only"), ["Museum"]);
    assert_eq!(
        found("q=kenya"),
        ["Market stall"],
        "country names are words too"
    );
    assert!(found("q=nothing-like-this").is_empty());
    let dom = dump_dom(&browser, &format!("{base}search/?q=creme"));
    assert_eq!(texts(&dom, "#search-status"), ["1 sign found."]);
}
