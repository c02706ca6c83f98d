//! Offline reverse geocoding with real coordinates: borders decide the country, then
//! the city is a place of that same country.

use crate::common;
use crate::common::*;
use glyph::geo::locate::{city_near, country_code_at, distance_km};

fn place(lat: f64, lon: f64) -> (Option<&'static str>, Option<&'static str>) {
    let cc = country_code_at(lat, lon);
    (
        cc,
        cc.and_then(|c| city_near(c, lat, lon))
            .map(|(name, _)| name),
    )
}

#[test]
fn border_towns_get_their_own_country() {
    // A nearest-city lookup alone would put San Ysidro in Tijuana and Windsor in Detroit.
    let cases = [
        ("San Ysidro", 32.5556, -117.0470, "US", None),
        ("Tijuana", 32.5149, -117.0382, "MX", Some("Tijuana")),
        ("Detroit", 42.3314, -83.0458, "US", Some("Detroit")),
        ("Windsor", 42.3149, -83.0364, "CA", Some("Windsor")),
        ("Gibraltar", 36.1408, -5.3536, "GI", Some("Gibraltar")),
        (
            "La Línea",
            36.1680,
            -5.3477,
            "ES",
            Some("La Línea de la Concepción"),
        ),
        ("Basel", 47.5596, 7.5886, "CH", Some("Basel")),
        (
            "Weil am Rhein",
            47.5934,
            7.6206,
            "DE",
            Some("Weil am Rhein"),
        ),
        ("Saint-Louis", 47.5900, 7.5600, "FR", Some("Saint-Louis")),
        ("Vatican City", 41.9029, 12.4534, "VA", Some("Vatican City")),
        ("Singapore", 1.2903, 103.8519, "SG", Some("Singapore")),
    ];
    for (what, lat, lon, cc, city) in cases {
        let (got_cc, got_city) = place(lat, lon);
        assert_eq!(got_cc, Some(cc), "{what}: country");
        if let Some(city) = city {
            assert_eq!(got_city, Some(city), "{what}: city");
        }
    }
    // San Ysidro is a district of San Diego, not a place of its own in GeoNames: the
    // city is an American one either way, never Tijuana.
    let (_, city) = place(32.5556, -117.0470);
    assert!(city.is_some_and(|c| c != "Tijuana"), "{city:?}");
}

#[test]
fn both_hemispheres_and_unicode_names() {
    let cases = [
        // South of the equator, west of Greenwich, and names with accents.
        ("São Paulo", -23.5566, -46.6857, "BR", "São Paulo"),
        ("Zürich", 47.3779, 8.5403, "CH", "Zürich"),
        ("Sydney", -33.8613, 151.2110, "AU", "Sydney"),
        ("Wellington", -41.2865, 174.7762, "NZ", "Wellington"),
        (
            "London (west of Greenwich)",
            51.4966,
            -0.1722,
            "GB",
            "London",
        ),
        ("Lisbon", 38.7114, -9.1300, "PT", "Lisbon"),
        ("Mississauga", 43.5931, -79.6424, "CA", "Mississauga"),
        // Districts of big cities resolve to the city.
        ("Madrid (Moncloa)", 40.446972, -3.724753, "ES", "Madrid"),
        (
            "Helsinki (West Harbour)",
            60.146706,
            24.906772,
            "FI",
            "Helsinki",
        ),
        ("Arezzo", 43.467448, 11.885127, "IT", "Arezzo"),
        (
            "Nakuru (south of the equator)",
            -0.3713,
            36.056417,
            "KE",
            "Nakuru",
        ),
        (
            "Yosemite Valley",
            37.746765,
            -119.529883,
            "US",
            "Yosemite Valley",
        ),
    ];
    for (what, lat, lon, cc, city) in cases {
        assert_eq!(place(lat, lon), (Some(cc), Some(city)), "{what}");
    }
}

#[test]
fn the_open_sea_has_no_country_and_no_city() {
    assert_eq!(place(30.0, -40.0), (None, None), "open Atlantic");
    assert_eq!(place(-45.0, -120.0), (None, None), "South Pacific");
    // Far from any town: a country, but no city rather than a wrong one.
    let (cc, city) = place(-23.0, 128.0); // the Gibson Desert
    assert_eq!((cc, city), (Some("AU"), None));
}

#[test]
fn distances_are_great_circle_kilometres() {
    let d = distance_km(51.5074, -0.1278, 48.8566, 2.3522); // London–Paris
    assert!((d - 343.5).abs() < 1.5, "{d}");
    let d = distance_km(0.0, 179.9, 0.0, -179.9); // across the antimeridian
    assert!((d - 22.2).abs() < 0.2, "{d}");
}

#[test]
fn photos_with_gps_get_the_country_of_their_readme() {
    // The GPS fixtures, published without sidecars: country and city come from EXIF alone.
    let dir = site(
        &[
            ("issue-exifr-59.jpg", "yosemite.jpg"),
            ("Kodak_CX7530.jpg", "kodak.jpg"),
            ("png_with_exif_and_gps.png", "czech.png"),
        ],
        &[(
            "site.yaml",
            "base_url: https://example.org/\nlocation_precision: 2\n",
        )],
    );
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("signs.json")).unwrap()).unwrap();
    let by_slug = |slug: &str| {
        json["signs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["slug"] == slug)
            .unwrap()
            .clone()
    };
    for (slug, cc, name) in [
        ("yosemite", "US", "United States"),
        ("kodak", "KE", "Kenya"),
        ("czech", "CZ", "Czechia"),
    ] {
        let s = by_slug(slug);
        assert_eq!(s["country"], cc, "{slug}");
        assert_eq!(s["country_name"], name, "{slug}");
        assert!(s["city"].is_string(), "{slug} has a city");
    }
    // Published coordinates are rounded to location_precision (2 places here).
    let y = by_slug("yosemite");
    assert_eq!(
        (y["location"]["lat"].as_f64(), y["location"]["lon"].as_f64()),
        (Some(37.75), Some(-119.53))
    );
    // Country and city pages agree with the signs.
    let countries = page(&out, "/countries/");
    let listed = texts(&countries, "main li");
    for name in ["United States", "Kenya", "Czechia"] {
        assert!(
            listed.iter().any(|l| l.contains(name)),
            "{name} in {listed:?}"
        );
    }
    assert_eq!(
        select(&page(&out, "/countries/kenya/"), "main img:not(.flag)").len(),
        1
    );
    // Every coordinate shown on a page is rounded too.
    for (name, html) in html_files(&out) {
        for el in select(&html, "[href*='mlat=']") {
            let href = el.value().attr("href").unwrap();
            let lat = href
                .split("mlat=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap();
            assert!(
                lat.split('.').nth(1).is_none_or(|d| d.len() <= 2),
                "{name}: {href}"
            );
        }
    }
    // The sign page lists the other signs nearest first, with distances in km.
    let sign = page(&out, "/signs/czech/");
    let nearby = texts(&sign, ".nearby li");
    assert_eq!(nearby.len(), 2, "{nearby:?}");
    assert!(nearby[0].contains("km"), "{nearby:?}");
    let kenya_km: f64 = nearby
        .iter()
        .find(|t| t.contains("Kenya"))
        .and_then(|t| {
            t.split(" km")
                .next()?
                .rsplit(' ')
                .next()?
                .replace(',', "")
                .parse()
                .ok()
        })
        .unwrap();
    // Great-circle Benátky nad Jizerou – Nakuru is 5,984 km (and Yosemite is farther).
    assert!((5950.0..6020.0).contains(&kenya_km), "{kenya_km}");
    assert!(nearby[0].contains("Kenya"), "nearest first: {nearby:?}");
    assert_eq!(
        select(&sign, ".minimap circle").len(),
        1,
        "a small map of the sign"
    );
    assert_eq!(
        select(&page(&out, "/countries/kenya/"), ".minimap circle").len(),
        1
    );
    let city = by_slug("kodak")["city"].as_str().unwrap().to_string();
    let city_page = page(&out, &format!("/countries/kenya/{}/", slug_of(&city)));
    assert!(texts(&city_page, "h1")[0].contains(&city));
}

fn slug_of(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

#[test]
fn the_shared_test_photos_get_the_country_their_readme_lists() {
    // ../shared/testdata/photos (the project's shared set) when it is beside the repo;
    // the copies in tests/fixtures cover three of these files when it is not.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/photos");
    if !dir.is_dir() {
        eprintln!("skipped: {} is not there", dir.display());
        return;
    }
    for (file, cc) in [
        ("DSCN0010.jpg", "IT"),
        ("DSCN0042.jpg", "IT"),
        ("HMD_Nokia_8.3_5G.jpg", "FI"),
        ("iphone_hdr_NO.jpg", "ES"),
        ("Kodak_CX7530.jpg", "KE"),
        ("issue-exifr-59.jpg", "US"),
        ("IMG_5195.HEIC", "US"),
        ("png_with_exif_and_gps.png", "CZ"),
    ] {
        let exif = glyph::metadata::read_exif(&std::fs::read(dir.join(file)).unwrap());
        let (lat, lon) = exif.location.unwrap_or_else(|| panic!("{file} has GPS"));
        assert_eq!(country_code_at(lat, lon), Some(cc), "{file}");
        assert!(
            city_near(cc, lat, lon).is_some(),
            "{file} has a town nearby"
        );
    }
}

#[test]
fn a_sidecar_country_that_contradicts_the_position_is_a_warning() {
    let dir = common::site(
        &[("testorig.jpg", "berlin.jpg"), ("noexif.jpg", "paris.jpg")],
        &[
            (
                "photos/berlin.yaml",
                "title: Berlin\nalt: x\ncountry: FR\nlocation: {lat: 52.52, lon: 13.40}\n",
            ),
            (
                "photos/paris.yaml",
                "title: Paris\nalt: x\ncountry: FR\nlocation: {lat: 48.8566, lon: 2.3522}\n",
            ),
        ],
    );
    let outcome = common::build_site(dir.path());
    common::assert_ok(&outcome);
    let warned: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("but the position"))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:#?}");
    let w = warned[0];
    assert_eq!(
        w.file.as_deref(),
        Some(std::path::Path::new("photos/berlin.yaml"))
    );
    assert_eq!((w.line, w.column), (Some(3), Some(10)));
    assert!(
        w.message.contains("France") && w.message.contains("Germany"),
        "{}",
        w.message
    );
    // The sidecar still wins.
    let out = dir.path().join("public");
    assert!(out.join("countries/france/index.html").is_file());
    assert!(!out.join("countries/germany").exists());
}
