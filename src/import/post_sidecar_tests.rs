use super::*;
use crate::metadata::Text;
use chrono::{NaiveDate, NaiveTime, TimeZone};
use serde_norway::{Mapping, Value};

fn draft() -> Draft {
    Draft {
        from: "Instagram",
        published: Some(Utc.with_ymd_and_hms(2024, 7, 7, 20, 15, 31).unwrap()),
        title: Some("Simons (Square One)".into()),
        place: Some("Simons (Square One)".into()),
        city: Some("Mississauga".into()),
        country: Some(("CA".into(), "Canada".into())),
        position: Some(Position::City {
            lat: 43.589_04,
            lon: -79.644_19,
            city: "Mississauga".into(),
            country: "Canada".into(),
        }),
        date: Some((
            SignDate {
                date: NaiveDate::from_ymd_opt(2024, 5, 2).unwrap(),
                time: NaiveTime::from_hms_opt(22, 47, 28),
                offset: None,
            },
            DateFrom::Photo,
        )),
        tags: vec!["pictogram".into(), "canada".into(), "yes".into()],
        caption: Some(
            "A \\*classic\\*.\n\n\\# not a heading\nline\u{2028}break, 東京 🇨🇴\u{7}".into(),
        ),
        alt: Some("Two pictograms: \"him\" and 'her'".into()),
        cover_caption: None,
        photos: vec![
            OtherPhoto {
                file: "2024-05-02-simons-square-one-2.jpg".into(),
                ..OtherPhoto::default()
            },
            OtherPhoto {
                file: "2024-05-02-simons-square-one-3.webp".into(),
                alt: Some("The pair of doors".into()),
                caption: Some("side by side\nreally".into()),
            },
        ],
        origin: "instagram:media/posts/202405/1_n_1.jpg".into(),
        draft: true,
        original: Some(
            "Simons (Square One) – Mississauga, Canada.\n\n#pictogram #canada\r\n# not a key: x"
                .into(),
        ),
        languages: Vec::new(),
    }
}

#[test]
fn a_draft_on_a_site_of_two_languages_says_how_to_translate_and_still_parses() {
    let d = Draft {
        languages: vec!["en".into(), "es".into()],
        ..draft()
    };
    let text = text(&d);
    assert!(text.contains("#   title: {en: …, es: …}"), "{text}");
    assert!(text.contains("#     es: |"), "{text}");
    let m = yaml(&text);
    assert_eq!(
        m.get("title").and_then(Value::as_str),
        Some("Simons (Square One)")
    );
    assert!(!text_of_one_language().contains("To translate"));
}

fn text_of_one_language() -> String {
    text(&draft())
}

fn yaml(text: &str) -> Mapping {
    match serde_norway::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => m,
        other => panic!("{other:?}\n{text}"),
    }
}

fn get<'a>(m: &'a Mapping, key: &str) -> &'a Value {
    m.get(key).unwrap_or_else(|| panic!("no {key}"))
}

/// The sidecar as the build reads it.
fn parsed(text: &str) -> crate::metadata::Sidecar {
    crate::metadata::parse_sidecar(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn the_drafted_text_reads_back_as_drafted() {
    let d = draft();
    let text = text(&d);
    let m = yaml(&text);
    let s = parsed(&text);
    assert_eq!(
        s.title.as_ref().map(Text::first),
        Some("Simons (Square One)")
    );
    assert_eq!(
        s.alt.as_ref().map(Text::first),
        Some("Two pictograms: \"him\" and 'her'")
    );
    assert_eq!(
        (s.city.as_ref().map(Text::first), s.country.as_deref()),
        (Some("Mississauga"), Some("CA"))
    );
    assert_eq!(s.date, Some(d.date.unwrap().0));
    assert_eq!(s.tags, ["pictogram", "canada", "yes"]);
    let loc = s.location.unwrap().unwrap();
    assert_eq!((loc.lat, loc.lon), (43.589, -79.644));
    assert!(s.draft);
    assert_eq!(
        s.caption.as_ref().map(Text::first),
        Some("A \\*classic\\*.\n\n\\# not a heading\nline\nbreak, 東京 🇨🇴\n")
    );
    let photos: Vec<_> = (s.photos.iter())
        .map(|p| (p.file.as_str(), p.alt.as_ref().map(Text::first)))
        .collect();
    assert_eq!(
        photos,
        [
            ("2024-05-02-simons-square-one-2.jpg", None),
            (
                "2024-05-02-simons-square-one-3.webp",
                Some("The pair of doors")
            )
        ]
    );
    let published = s.published.unwrap();
    assert_eq!(
        (
            published.date.to_string(),
            published.time.unwrap().to_string()
        ),
        ("2024-07-07".into(), "20:15:31".into())
    );
    assert_eq!(get(&m, "published").as_str(), Some("2024-07-07T20:15:31Z"));
    assert_eq!(s.origin.as_deref(), Some(d.origin.as_str()));
    assert!(text.contains(
        "# location: the position of Mississauga, Canada, from the caption — not of the door.\n"
    ));
    assert!(text.contains("    # its own caption: side by side really\n"));
    assert!(text.ends_with(
        "# Original caption:\n# Simons (Square One) – Mississauga, Canada.\n#\n# #pictogram #canada\n# # not a key: x\n"
    ));
    assert!(text.starts_with(
        "# Imported from Instagram, post of 2024-07-07 (caption kept verbatim below).\n"
    ));
}

#[test]
fn what_is_unknown_is_a_comment_and_publish_drops_draft() {
    let d = Draft {
        title: None,
        place: None,
        city: None,
        country: None,
        position: Some(Position::Unknown(
            "\"Springfield\" names several places".into(),
        )),
        date: None,
        tags: vec![],
        caption: None,
        alt: None,
        photos: vec![],
        published: None,
        original: None,
        languages: Vec::new(),
        draft: false,
        ..draft()
    };
    let text = text(&d);
    let s = parsed(&text);
    assert!(s.title.is_none() && s.location.is_none() && s.date.is_none() && !s.draft);
    assert!(text.contains("# location: {lat: …, lon: …} (\"Springfield\" names several places)"));
    assert!(text.starts_with("# Imported from Instagram.\n"));
    let gps = Draft {
        position: Some(Position::Gps {
            lat: 64.150_481,
            lon: -21.932_628,
        }),
        date: Some((
            SignDate::day(NaiveDate::from_ymd_opt(2024, 5, 2).unwrap()),
            DateFrom::Post,
        )),
        ..d
    };
    let text = super::text(&gps);
    let s = parsed(&text);
    let loc = s.location.unwrap().unwrap();
    assert_eq!((loc.lat, loc.lon), (64.150_481, -21.932_628));
    assert!(text.contains("# date: when the post was published"));
}

#[test]
fn the_origin_is_found_in_the_text_alone() {
    for origin in [
        "instagram:media/posts/1_n_1.jpg",
        "wordpress:10",
        "a \"quoted\": #x",
    ] {
        let d = Draft {
            origin: origin.into(),
            ..draft()
        };
        // With a key the schema rejects, the text still gives its origin.
        let t = format!("{}unknown_key: 1\n", text(&d));
        assert_eq!(origin_of(&t).as_deref(), Some(origin));
    }
    assert_eq!(
        origin_of("title: x\norigin: instagram:media/a.jpg   # hand-written\n").as_deref(),
        Some("instagram:media/a.jpg")
    );
    assert_eq!(
        origin_of("# origin: x\n  origin: y\ncaption: |\n  origin: z\n"),
        None
    );
    assert_eq!(origin_of("origin:\n"), None);
}
