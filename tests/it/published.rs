//! When a sign appeared in the archive (`published:`, else its photo's date) orders the
//! home page and the feed, and the feed says it; search finds the words on the signs.

use crate::common::*;

fn archive() -> tempfile::TempDir {
    site(
        &[
            ("noexif.jpg", "old.jpg"),
            ("noexif.jpg", "recent.jpg"),
            ("noexif.jpg", "undated.jpg"),
        ],
        &[
            ("site.yaml", "base_url: https://example.org/\n"),
            (
                "photos/old.yaml",
                "title: Old photo, posted today\ndate: 2017-06-03\npublished: 2026-11-30T09:00:00+01:00\n\
                 alt: A door marked DAMEN in gold letters\n\
                 caption: |\n  Found in a *Vienna* café & kept for years.\n\n  Second paragraph.\n",
            ),
            ("photos/recent.yaml", "title: Recent photo\ndate: 2025-05-01\n"),
            ("photos/undated.yaml", "title: Undated\n"),
        ],
    )
}

fn entries(atom: &str) -> Vec<(String, String, String, String)> {
    let doc = roxmltree::Document::parse(atom).expect("atom.xml is XML");
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| {
                e.children()
                    .find(|n| n.has_tag_name(name))
                    .and_then(|n| n.text())
                    .unwrap_or_default()
                    .to_string()
            };
            (
                child("title"),
                child("published"),
                child("updated"),
                child("summary"),
            )
        })
        .collect()
}

#[test]
fn a_photo_published_today_leads_the_home_page_and_the_feed() {
    let dir = archive();
    assert_ok(&build_site(dir.path()));
    let out = dir.path().join("public");
    let home = page(&out, "/");
    assert_eq!(
        texts(&home, ".grid .card-title a"),
        vec!["Old photo, posted today", "Recent photo", "Undated"]
    );

    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let feed = entries(&atom);
    let titles: Vec<&str> = feed.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        titles,
        vec!["Old photo, posted today", "Recent photo", "Undated"]
    );
    let (_, published, updated, summary) = &feed[0];
    assert_eq!(published, "2026-11-30T09:00:00+01:00");
    assert_eq!(updated, published);
    // The summary is the caption as text, not the alt text.
    assert!(
        summary.starts_with("Found in a Vienna café & kept for years. Second paragraph."),
        "{summary}"
    );
    // Without `published:` the photo's date stands in; every entry has both dates.
    assert_eq!(feed[1].1, "2025-05-01T00:00:00Z");
    for (title, published, updated, _) in &feed {
        assert!(
            chrono::DateTime::parse_from_rfc3339(published).is_ok()
                && chrono::DateTime::parse_from_rfc3339(updated).is_ok(),
            "{title}: {published} / {updated}"
        );
    }
    // The feed was updated when its newest entry appeared.
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let feed_updated = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("updated"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(feed_updated, "2026-11-30T09:00:00+01:00");

    // The sign page says when it was published, apart from when it was taken.
    let sign = page(&out, "/signs/old/");
    assert!(texts(&sign, ".facts dt").contains(&"Published".to_string()));
}

#[test]
fn search_finds_the_words_on_the_sign_in_its_alt_text() {
    let dir = archive();
    assert_ok(&build_site(dir.path()));
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("public/search.json")).unwrap())
            .unwrap();
    assert_eq!(index["v"], 2);
    let old = index["signs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s[1] == "Old photo, posted today")
        .unwrap();
    assert_eq!(old[11], "A door marked DAMEN in gold letters");
}
