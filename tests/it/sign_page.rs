//! The sign page as a visitor meets it: the photo's alt text, the breadcrumb, the place
//! line and the share button's markup.

use crate::common::*;

fn sample() -> tempfile::TempDir {
    site(
        &[("Kodak_CX7530.jpg", "nakuru.jpg"), ("Canon_40D.jpg", "lodge.jpg")],
        &[
            (
                "photos/nakuru.yaml",
                "title: Bus park\ncountry: Kenya\ncity: Nakuru\nplace: bus park\ntags: [text-only]\n",
            ),
            (
                "photos/lodge.yaml",
                "title: Valley Lodge\nalt: A brown wooden sign\nplace: Behind the reception\n\
                 tags: [pictogram]\n",
            ),
        ],
    )
}

#[test]
fn sign_page_photo_without_alt_is_described_from_what_is_known() {
    let dir = sample();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let nakuru = page(&out, "signs/nakuru");
    let alts: Vec<_> = select(&nakuru, "main .photo img")
        .iter()
        .map(|i| i.value().attr("alt").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        alts,
        ["Photo of a toilet door sign: Bus park, Nakuru, Kenya"]
    );
    // The curator's alt wins where there is one.
    let lodge = page(&out, "signs/lodge");
    assert_eq!(
        select(&lodge, "main .photo img")[0].value().attr("alt"),
        Some("A brown wooden sign")
    );
}

#[test]
fn sign_page_breadcrumb_leads_back_through_country_and_city() {
    let dir = sample();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let nakuru = page(&out, "signs/nakuru");
    assert_eq!(
        texts(&nakuru, "nav.breadcrumb li"),
        ["Signs", "Kenya", "Nakuru", "Bus park"]
    );
    let links = select(&nakuru, "nav.breadcrumb a");
    assert_eq!(links[3].value().attr("aria-current"), Some("page"));
    for a in &links {
        let href = a.value().attr("href").unwrap();
        assert!(
            file_for(&out, "/", href).is_some_and(|f| f.exists()),
            "breadcrumb link {href} is broken"
        );
    }
    // Without a country the breadcrumb is just the archive and the sign.
    let lodge = page(&out, "signs/lodge");
    assert_eq!(
        texts(&lodge, "nav.breadcrumb li"),
        ["Signs", "Valley Lodge"]
    );
}

#[test]
fn sign_page_shows_the_place_only_where_it_differs_from_the_title() {
    let dir = sample();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let dts = |html: &scraper::Html| texts(html, ".facts dt");
    assert!(!dts(&page(&out, "signs/nakuru")).contains(&"Place".to_string()));
    let lodge = page(&out, "signs/lodge");
    assert!(dts(&lodge).contains(&"Place".to_string()));
    assert!(texts(&lodge, ".facts dd").contains(&"Behind the reception".to_string()));
    // The share button waits, hidden, for sign.js to find an API that works.
    let share = select(&lodge, "p.share");
    assert_eq!(share.len(), 1);
    assert!(share[0].value().attr("hidden").is_some());
}
