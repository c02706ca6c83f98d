//! The maps and visual index pages: /countries/ (covers, counts, world overview, by
//! count and by name), country and city maps, /tags/ covers, SVG flags, and the map
//! page's offline base layer.

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
    // Every country with a located sign has its place on the world overview.
    let dots = select(&html, ".world-overview a[data-country] circle");
    assert_eq!(dots.len(), 3);
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
