//! The maps and visual index pages: /countries/ (covers, counts, the choropleth world
//! overview, by count and by name), country and city maps (the country's own outline,
//! framed on it), /tags/ covers, SVG flags, and the map page's offline base layer.

use crate::common::*;

/// Three located signs in three countries (two in the United States would be nicer,
/// but the fixtures with GPS are these), one style each.
fn located_site() -> tempfile::TempDir {
    site(
        &[
            ("issue-exifr-59.jpg", "yosemite.jpg"),
            ("Kodak_CX7530.jpg", "kodak.jpg"),
            ("png_with_exif_and_gps.png", "czech.png"),
        ],
        &[
            ("site.yaml", "base_url: https://example.org/\n"),
            (
                "photos/yosemite.yaml",
                "title: Yosemite\nalt: a sign\ntags: [wood]\n",
            ),
            (
                "photos/kodak.yaml",
                "title: Kodak\nalt: a sign\ntags: [wood]\n",
            ),
            (
                "photos/czech.yaml",
                "title: Czech\nalt: a sign\ntags: [enamel]\n",
            ),
        ],
    )
}

#[test]
fn maps_countries_page_is_visual_with_both_orders_and_a_world_overview() {
    let dir = located_site();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let html = page(&out, "/countries/");
    let tiles = select(&html, "#by-count .index-tile");
    assert_eq!(tiles.len(), 3, "a tile per country");
    for t in &tiles {
        let img = t
            .select(&scraper::Selector::parse("img:not(.flag)").unwrap())
            .next();
        let src = img.expect("a cover photo").value().attr("src").unwrap();
        assert!(
            file_for(&out, "/", src).is_some_and(|f| f.exists()),
            "{src}"
        );
        assert!(t.text().collect::<String>().contains("1 sign"), "a count");
    }
    // Every country with signs is shaded on the world overview (the choropleth has its
    // own test below).
    let codes: Vec<_> = select(&html, ".world-overview a[data-country]")
        .iter()
        .map(|a| a.value().attr("data-country").unwrap().to_string())
        .collect();
    for cc in ["US", "KE", "CZ"] {
        assert!(codes.iter().any(|c| c == cc), "{cc} in {codes:?}");
    }
    // By name, reachable without JavaScript.
    assert_eq!(select(&html, "a[href='#by-name']").len(), 1);
    let names = texts(&html, "#by-name .country-name a");
    assert_eq!(names, ["Czechia", "Kenya", "United States"]);
}

#[test]
fn maps_flags_are_svg_images_and_only_used_ones_ship() {
    let dir = located_site();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let html = page(&out, "/countries/kenya/");
    let flag = select(&html, "h1 img.flag");
    let src = flag[0].value().attr("src").unwrap();
    assert!(src.ends_with("vendor/flag-icons/4x3/ke.svg"), "{src}");
    let flags = out.join("vendor/flag-icons/4x3");
    let mut shipped: Vec<_> = std::fs::read_dir(&flags)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    shipped.sort();
    assert_eq!(shipped, ["cz.svg", "ke.svg", "us.svg"]);
    assert!(std::fs::read_to_string(flags.join("ke.svg"))
        .unwrap()
        .contains("<svg"));
}

#[test]
fn maps_country_and_city_pages_have_maps_framed_on_them() {
    let dir = located_site();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let country = page(&out, "/countries/kenya/");
    let svg = select(&country, ".minimap svg");
    let vb: Vec<f64> = svg[0]
        .value()
        .attr("viewBox")
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    // Kenya is around lon 36, lat 0: x ≈ 216, y ≈ 90 on the world map.
    assert!(vb[2] < 360.0, "zoomed in: {vb:?}");
    assert!(vb[0] < 216.0 && vb[0] + vb[2] > 216.0, "{vb:?}");
    assert!(vb[1] < 90.0 && vb[1] + vb[3] > 90.0, "{vb:?}");
    let city_link = select(&country, ".cities a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let city = page(&out, &city_link);
    assert_eq!(
        select(&city, ".minimap circle").len(),
        1,
        "a map on the city page"
    );
}

#[test]
fn maps_styles_page_has_covers_and_counts() {
    let dir = located_site();
    assert_ok(&build_site(dir.path()));
    let html = page(&dir.path().join("public"), "/tags/");
    let tiles = select(&html, ".index-tile");
    assert_eq!(tiles.len(), 2);
    let text: Vec<String> = tiles.iter().map(|t| t.text().collect()).collect();
    assert!(text.iter().any(|t| t.contains("2 signs")), "{text:?}");
    assert_eq!(select(&html, ".index-tile img").len(), 2, "a cover each");
}

#[test]
fn maps_map_page_has_the_outline_base_layer() {
    let dir = located_site();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let html = page(&out, "/map/");
    let map = select(&html, "#map");
    let world = map[0].value().attr("data-world").unwrap();
    assert!(world.ends_with("map/world.svg"), "{world}");
    assert!(out.join("map/world.svg").exists());
}

/// The numbers of an element's viewBox.
fn view_box(el: &scraper::ElementRef) -> Vec<f64> {
    el.value()
        .attr("viewBox")
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect()
}

/// The bounding box (x0, y0, x1, y1) of an SVG path of M/l/z commands, as
/// src/render/shapes.rs writes them (absolute move, then relative steps).
fn path_box(d: &str) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for ring in d.split('M').filter(|r| !r.is_empty()) {
        let ring = ring.trim_end_matches('z');
        let (start, steps) = ring.split_once('l').unwrap();
        let mut at: Vec<f64> = start.split(' ').map(|n| n.parse().unwrap()).collect();
        let nums: Vec<f64> = steps.split(' ').map(|n| n.parse().unwrap()).collect();
        b = [
            b[0].min(at[0]),
            b[1].min(at[1]),
            b[2].max(at[0]),
            b[3].max(at[1]),
        ];
        for d in nums.chunks(2) {
            at = vec![at[0] + d[0], at[1] + d[1]];
            b = [
                b[0].min(at[0]),
                b[1].min(at[1]),
                b[2].max(at[0]),
                b[3].max(at[1]),
            ];
        }
    }
    b
}

#[test]
fn maps_world_overview_shades_each_country_by_its_count_with_a_legend() {
    // Two signs in the United States, one each in Kenya and Czechia.
    let dir = site(
        &[
            ("issue-exifr-59.jpg", "yosemite.jpg"),
            ("issue-exifr-59.jpg", "yosemite-2.jpg"),
            ("Kodak_CX7530.jpg", "kodak.jpg"),
            ("png_with_exif_and_gps.png", "czech.png"),
        ],
        &[("site.yaml", "base_url: https://example.org/\n")],
    );
    assert_ok(&build_site(dir.path()));
    let html = page(&dir.path().join("public"), "/countries/");
    let svg = select(&html, ".world-overview svg");
    assert_eq!(view_box(&svg[0]), [0.0, 0.0, 360.0, 150.0]);
    let shaded: Vec<(String, String, usize)> = select(&html, ".world-overview a[data-country]")
        .iter()
        .map(|a| {
            let d = a
                .select(&scraper::Selector::parse("path").unwrap())
                .next()
                .and_then(|p| p.value().attr("d"))
                .unwrap_or("");
            (
                a.value().attr("data-country").unwrap().to_string(),
                a.value().attr("class").unwrap().to_string(),
                d.len(),
            )
        })
        .collect();
    let class_of = |cc: &str| shaded.iter().find(|s| s.0 == cc).map(|s| s.1.as_str());
    // The most signs take the darkest step, the fewest the lightest.
    assert_eq!(class_of("US"), Some("step-5"), "{shaded:?}");
    assert_eq!(class_of("KE"), Some("step-1"), "{shaded:?}");
    assert_eq!(class_of("CZ"), Some("step-1"), "{shaded:?}");
    for (cc, _, d) in &shaded {
        assert!(*d > 50, "{cc} is drawn by its outline");
    }
    // The US outline sits where the US is (x = lon + 180: about 55 to 115).
    let us = select(&html, ".world-overview a[data-country='US'] path");
    let b = path_box(us[0].value().attr("d").unwrap());
    assert!(b[0] < 70.0 && b[2] > 110.0, "{b:?}");
    // The legend names each step's counts beside its swatch.
    let legend = texts(&html, ".world-overview .legend li");
    assert_eq!(legend, ["1 sign", "2 signs"]);
    let swatches = select(&html, ".legend .swatch");
    let classes: Vec<_> = swatches
        .iter()
        .map(|s| s.value().attr("class").unwrap())
        .collect();
    assert_eq!(classes, ["swatch step-1", "swatch step-5"]);
    // Still sorted by count: the United States first.
    let first = texts(&html, "#by-count .index-tile-name");
    assert!(first[0].contains("United States"), "{first:?}");
}

#[test]
fn maps_country_page_shades_the_country_framed_on_it() {
    let dir = located_site();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    for (url, lon, lat) in [
        ("/countries/kenya/", 36.0, 0.0),
        ("/countries/czechia/", 15.5, 49.8),
    ] {
        let html = page(&out, url);
        let svg = select(&html, ".minimap svg");
        let vb = view_box(&svg[0]);
        let own = select(&html, ".minimap path.map-country");
        let d = own[0].value().attr("d").unwrap();
        let b = path_box(d);
        // The country's own outline is drawn, and the view frames it: all of it
        // inside, with no more than a few times its size around it.
        assert!(
            b[0] >= vb[0] && b[2] <= vb[0] + vb[2],
            "{url}: {b:?} in {vb:?}"
        );
        assert!(
            b[1] >= vb[1] && b[3] <= vb[1] + vb[3],
            "{url}: {b:?} in {vb:?}"
        );
        assert!(vb[2] < (b[2] - b[0]) * 4.0, "{url}: framed on it, {vb:?}");
        let (x, y) = (lon + 180.0, 90.0 - lat);
        assert!(b[0] < x && x < b[2] && b[1] < y && y < b[3], "{url}: {b:?}");
        // Its neighbours are drawn as plain land.
        let land = select(&html, ".minimap path.map-land");
        assert!(land[0].value().attr("d").unwrap().len() > 100, "{url}");
    }
}
