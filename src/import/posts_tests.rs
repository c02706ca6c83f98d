use super::*;
use crate::import::export::{Media, Origin};
use crate::metadata::{ExifFacts, PhotoError};
use chrono::{DateTime, NaiveDate, Utc};

/// A fingerprint of its own for each seed (random bits: about 128 apart), and
/// `near(fp, n)` is `n` bits from `fp`.
fn fp(seed: u8) -> Fingerprint {
    let hex = blake3::hash(&[seed]).to_hex();
    Fingerprint::parse(&format!("p1:{hex}")).unwrap()
}

fn near(f: Fingerprint, bits: usize) -> Fingerprint {
    let hex = f.to_string();
    let mut bytes: Vec<u8> = (3..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    for b in 0..bits {
        bytes[4 + b / 8] ^= 1 << (b % 8);
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Fingerprint::parse(&format!("p1:{hex}")).unwrap()
}

fn photo(hash: &str, fingerprint: Fingerprint) -> Photo {
    Photo {
        facts: PhotoFacts {
            hash: hash.to_string(),
            bytes: 1,
            width: 100,
            height: 80,
            exif: ExifFacts {
                orientation: 1,
                ..ExifFacts::default()
            },
        },
        ext: "jpg",
        fingerprint,
    }
}

fn media(n: usize, kind: MediaKind) -> Media {
    Media {
        uri: format!("media/posts/202405/{n}_n_{n}.jpg"),
        file: format!("media/posts/202405/{n}_n_{n}.jpg"),
        kind,
        taken: None,
        gps: None,
        alt: None,
        caption: None,
        uploaded: None,
    }
}

fn post(caption: &str, media: Vec<Media>) -> Post {
    Post {
        id: media[0].uri.clone(),
        title: None,
        caption: Some(caption.to_string()),
        published: DateTime::<Utc>::from_timestamp(1_720_384_531, 0),
        tags: Vec::new(),
        draft: false,
        media,
        origin: Origin {
            file: "posts_1.json".into(),
            line: Some(2),
        },
    }
}

fn ok(media: usize, p: Photo) -> ReadPhoto {
    ReadPhoto { media, read: Ok(p) }
}

fn known() -> Known {
    Known {
        hashes: HashMap::new(),
        fingerprints: Vec::new(),
        origins: HashSet::new(),
        taken: HashSet::new(),
        languages: Vec::new(),
    }
}

fn no_file(_: &Path) -> bool {
    false
}

fn planner<'a>(known: Known, exists: &'a dyn Fn(&Path) -> bool) -> Planner<'a> {
    Planner::new(
        Kind::Instagram,
        Path::new("/site"),
        Path::new("/site/photos"),
        false,
        exists,
        known,
    )
}

fn sign(plan: &PostPlan) -> &Sign {
    match &plan.action {
        Action::Sign(s) => s,
        other => panic!("{other:?}"),
    }
}

fn names(sign: &Sign) -> Vec<String> {
    let rel = |p: &Path| {
        p.strip_prefix("/site/photos")
            .unwrap()
            .display()
            .to_string()
    };
    sign.photos.iter().map(|p| rel(&p.to)).collect()
}

#[test]
fn a_carousel_is_one_sign_with_its_photos_in_order() {
    let mut m = vec![
        media(1, MediaKind::Photo),
        media(2, MediaKind::Video),
        media(3, MediaKind::Photo),
        media(4, MediaKind::Photo),
    ];
    m[0].taken = NaiveDate::from_ymd_opt(2024, 5, 2)
        .unwrap()
        .and_hms_opt(22, 47, 28);
    m[2].alt = Some("The pair of doors".into());
    let p = post(
        "Simons (Square One) – Mississauga, Canada. #toiletsign #pictogram",
        m,
    );
    let read = vec![
        ok(0, photo("a", fp(0))),
        ok(2, photo("b", fp(1))),
        ok(3, photo("c", fp(2))),
    ];
    let empty = no_file;
    let mut planner = planner(known(), &empty);
    let plan = planner.plan(&p, read);
    assert_eq!(plan.videos, 1);
    let s = sign(&plan);
    assert_eq!(
        names(s),
        [
            "2024/2024-05-02-simons-square-one.jpg",
            "2024/2024-05-02-simons-square-one-2.jpg",
            "2024/2024-05-02-simons-square-one-3.jpg"
        ]
    );
    assert_eq!(
        s.sidecar,
        Path::new("/site/photos/2024/2024-05-02-simons-square-one.yaml")
    );
    assert_eq!(s.notes, [Note::FromCity("Mississauga, Canada".into())]);
    let t = &s.text;
    for line in [
        "title: Simons (Square One)\n",
        "place: Simons (Square One)\n",
        "city: Mississauga\n",
        "country: CA   # Canada\n",
        "date: 2024-05-02 22:47:28\n",
        "tags: [toiletsign, pictogram]\n",
        "  - file: 2024-05-02-simons-square-one-2.jpg\n    alt: The pair of doors\n",
        "  - 2024-05-02-simons-square-one-3.jpg\n",
        "published: 2024-07-07T20:35:31Z\n",
        "origin: \"instagram:media/posts/202405/1_n_1.jpg\"\n",
        "draft: true\n",
        "# Simons (Square One) – Mississauga, Canada. #toiletsign #pictogram\n",
    ] {
        assert!(t.contains(line), "{line} in\n{t}");
    }
    assert!(
        t.contains("# location: the position of Mississauga, Canada"),
        "{t}"
    );
    assert_eq!(
        s.summary,
        "+2 photos; Simons (Square One), Mississauga, CA; the city's position"
    );
}

#[test]
fn a_re_run_skips_what_was_imported() {
    let p = post("Mississauga, Canada", vec![media(1, MediaKind::Photo)]);
    let mut k = known();
    k.origins.insert(origin(Kind::Instagram, &p));
    let empty = no_file;
    let plan = planner(k, &empty).plan(&p, vec![]);
    assert!(matches!(plan.action, Action::Already), "{plan:?}");
}

#[test]
fn duplicates_name_their_twin() {
    let mut k = known();
    k.hashes.insert("same".into(), "photos/2019/old.jpg".into());
    k.fingerprints
        .push((fp(4), "photos/2019/original.jpg".into()));
    let empty = no_file;
    let mut planner = planner(k, &empty);
    // The second photo is the archive's bytes: the whole post is a duplicate.
    let p = post(
        "x",
        vec![media(1, MediaKind::Photo), media(2, MediaKind::Photo)],
    );
    let plan = planner.plan(
        &p,
        vec![ok(0, photo("new", fp(1))), ok(1, photo("same", fp(3)))],
    );
    match &plan.action {
        Action::Duplicate {
            media,
            twin,
            same,
            others,
        } => {
            assert_eq!(media, "media/posts/202405/2_n_2.jpg");
            assert_eq!(twin, Path::new("photos/2019/old.jpg"));
            assert_eq!((*same, *others), (Same::Bytes, 1));
        }
        other => panic!("{other:?}"),
    }
    // Re-encoded: a few bits away.
    let p = post("y", vec![media(3, MediaKind::Photo)]);
    let plan = planner.plan(&p, vec![ok(0, photo("smaller", near(fp(4), 12)))]);
    assert!(
        matches!(&plan.action, Action::Duplicate { same: Same::Picture(12), twin, .. } if twin == Path::new("photos/2019/original.jpg")),
        "{plan:?}"
    );
    // Not near enough: a sign of its own.
    let p = post("z", vec![media(4, MediaKind::Photo)]);
    let plan = planner.plan(&p, vec![ok(0, photo("other", near(fp(4), 41)))]);
    sign(&plan);
    // A later post repeating that one is its duplicate, by where it went.
    let p = post("again", vec![media(5, MediaKind::Photo)]);
    let plan = planner.plan(&p, vec![ok(0, photo("other", fp(9)))]);
    assert!(
        matches!(&plan.action, Action::Duplicate { twin, .. } if twin.starts_with("photos/")),
        "{plan:?}"
    );
}

#[test]
fn a_photo_repeated_within_a_post_is_left_out() {
    let p = post(
        "x",
        vec![
            media(1, MediaKind::Photo),
            media(2, MediaKind::Photo),
            media(3, MediaKind::Photo),
        ],
    );
    let read = vec![
        ok(0, photo("a", fp(0))),
        ok(1, photo("b", near(fp(0), 3))),
        ok(2, photo("a", fp(0))),
    ];
    let empty = no_file;
    let plan = planner(known(), &empty).plan(&p, read);
    let s = sign(&plan);
    assert_eq!(s.photos.len(), 1);
    let repeats: Vec<_> = s.repeats.iter().map(|(_, i, same)| (*i, *same)).collect();
    assert_eq!(repeats, [(0, Same::Picture(3)), (0, Same::Bytes)]);
}

#[test]
fn names_never_meet_another_sign_s_photos_or_a_file() {
    let exists = |p: &Path| p.ends_with("2024/2024-07-07-mississauga-5.jpg");
    let mut planner = planner(known(), &exists);
    let three = post(
        "Mississauga, Canada",
        vec![
            media(1, MediaKind::Photo),
            media(2, MediaKind::Photo),
            media(3, MediaKind::Photo),
        ],
    );
    let read = vec![
        ok(0, photo("a", fp(0))),
        ok(1, photo("b", fp(1))),
        ok(2, photo("c", fp(2))),
    ];
    let first = planner.plan(&three, read);
    assert_eq!(names(sign(&first))[0], "2024/2024-07-07-mississauga.jpg");
    let one = post("Mississauga, Canada", vec![media(4, MediaKind::Photo)]);
    let second = planner.plan(&one, vec![ok(0, photo("d", fp(3)))]);
    assert_eq!(names(sign(&second)), ["2024/2024-07-07-mississauga-4.jpg"]);
    let two = post(
        "Mississauga, Canada",
        vec![media(5, MediaKind::Photo), media(6, MediaKind::Photo)],
    );
    let third = planner.plan(
        &two,
        vec![ok(0, photo("e", fp(5))), ok(1, photo("f", fp(6)))],
    );
    // -5 is a file already there, so -5 and -5-2 are not used.
    assert_eq!(
        names(sign(&third)),
        [
            "2024/2024-07-07-mississauga-6.jpg",
            "2024/2024-07-07-mississauga-6-2.jpg"
        ]
    );
}

#[test]
fn gps_wins_over_the_caption_s_city() {
    let mut m = media(1, MediaKind::Photo);
    m.gps = Some((64.150_481, -21.932_628));
    let p = post(
        "Harpa, Reykjavík, Ísland\n\nSigns in the concert hall.",
        vec![m],
    );
    let empty = no_file;
    let plan = planner(known(), &empty).plan(&p, vec![ok(0, photo("a", fp(0)))]);
    let s = sign(&plan);
    assert!(s.notes.is_empty(), "{:?}", s.notes);
    assert!(
        s.text
            .contains("location: {lat: 64.150481, lon: -21.932628}\n"),
        "{}",
        s.text
    );
    assert!(
        s.text.contains("city: Reykjavík\n") && s.text.contains("country: IS"),
        "{}",
        s.text
    );
    assert!(
        s.text
            .contains("caption: |\n  Signs in the concert hall.\n"),
        "{}",
        s.text
    );
}

#[test]
fn an_ambiguous_or_unknown_city_gets_no_position() {
    let empty = no_file;
    let mut planner = planner(known(), &empty);
    let p = post("Diner – Springfield, USA", vec![media(1, MediaKind::Photo)]);
    let plan = planner.plan(&p, vec![ok(0, photo("a", fp(0)))]);
    let s = sign(&plan);
    assert!(
        matches!(&s.notes[..], [Note::Ambiguous(why)] if why.contains("Springfield")),
        "{:?}",
        s.notes
    );
    assert!(!s.text.contains("\nlocation:"), "{}", s.text);
    let p = post(
        "Diner – Nowhereville, Canada",
        vec![media(2, MediaKind::Photo)],
    );
    let plan = planner.plan(&p, vec![ok(0, photo("b", fp(1)))]);
    let s = sign(&plan);
    assert_eq!(s.notes, [Note::CityNotFound("Nowhereville, Canada".into())]);
    let p = post("Un Taxi 🇨🇴 #bogota", vec![media(3, MediaKind::Photo)]);
    let plan = planner.plan(&p, vec![ok(0, photo("c", fp(2)))]);
    let s = sign(&plan);
    assert_eq!(s.notes, [Note::NoPlace]);
    assert!(
        s.text.contains("# title: \n") && s.text.contains("tags: [bogota]"),
        "{}",
        s.text
    );
    // No date of its own: the post's, said so.
    assert!(
        s.text.contains("# date: when the post was published"),
        "{}",
        s.text
    );
    assert_eq!(names(s), ["2024/2024-07-07.jpg"]);
}

#[test]
fn what_cannot_be_read_is_listed_and_videos_alone_make_no_sign() {
    let p = post(
        "x",
        vec![
            media(1, MediaKind::Photo),
            media(2, MediaKind::Photo),
            media(3, MediaKind::Photo),
        ],
    );
    let read = vec![
        ReadPhoto {
            media: 0,
            read: Err(Problem::Photo(PhotoError::NotAnImage)),
        },
        ReadPhoto {
            media: 1,
            read: Err(Problem::Photo(PhotoError::Truncated)),
        },
        ok(2, photo("a", fp(0))),
    ];
    let empty = no_file;
    let mut planner = planner(known(), &empty);
    let plan = planner.plan(&p, read);
    assert_eq!(plan.unreadable.len(), 2);
    assert_eq!(plan.unreadable[0].0, "media/posts/202405/1_n_1.jpg");
    assert_eq!(sign(&plan).photos[0].media, 2);
    let videos = post(
        "y",
        vec![media(4, MediaKind::Video), media(5, MediaKind::Video)],
    );
    let plan = planner.plan(&videos, vec![]);
    assert!(matches!(plan.action, Action::NoPhoto) && plan.videos == 2);
}

#[test]
fn publish_drops_draft_but_a_wordpress_draft_stays_one() {
    let empty = no_file;
    let mut wp = Planner::new(
        Kind::WordPress,
        Path::new("/site"),
        Path::new("/site/photos"),
        true,
        &empty,
        known(),
    );
    let mut p = post(
        "Seen at the Café Central.",
        vec![media(1, MediaKind::Photo)],
    );
    p.title = Some("Café Central, Wien".into());
    p.tags = vec!["Europe".into(), "Pictogram".into()];
    p.id = "10".into();
    let plan = wp.plan(&p, vec![ok(0, photo("a", fp(0)))]);
    let s = sign(&plan);
    assert!(!s.text.contains("draft: true"), "{}", s.text);
    assert!(
        s.text.contains("origin: \"wordpress:10\"") && s.text.contains("tags: [Europe, Pictogram]"),
        "{}",
        s.text
    );
    assert!(
        s.text.contains("title: Café Central, Wien\n")
            || s.text.contains("title: \"Café Central, Wien\"\n"),
        "{}",
        s.text
    );
    p.draft = true;
    p.id = "11".into();
    let plan = wp.plan(&p, vec![ok(0, photo("b", fp(1)))]);
    assert!(sign(&plan).text.contains("draft: true"));
}
