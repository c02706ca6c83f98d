//! Each committed export of tests/fixtures/import/ (made by
//! scripts/make_import_fixtures.py) read through `detect` and `open`.

use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn read(name: &str, kind: Kind) -> Export {
    let path = fixture(name);
    assert_eq!(detect(&path).unwrap(), kind, "{name}");
    open(&path, kind, None).unwrap()
}

fn captions(export: &Export) -> Vec<&str> {
    export
        .posts
        .iter()
        .map(|p| p.caption.as_deref().unwrap_or(""))
        .collect()
}

/// Every media of every post can be read, and is what its kind says.
fn read_all_media(export: &Export) {
    for m in export.posts.iter().flat_map(|p| &p.media) {
        let bytes = export.read_media(m).unwrap();
        let sniffed = instagram::sniff(&bytes[..bytes.len().min(16)]);
        assert_eq!(sniffed, Some(m.kind), "{}", m.file);
    }
}

#[test]
fn instagram_2025_folder() {
    let export = read("instagram-2025", Kind::Instagram);
    assert!(export.problems.is_empty(), "{:?}", export.problems);
    assert_eq!(
        captions(&export),
        [
            "Simons (Square One) – Mississauga, Canada. #toiletsign #pictogram",
            "Café Central — Wien, Österreich 🇦🇹 Die #Damen links, die Herren rechts. @cafecentralwien",
            "Bar Pinotxo - Barcelona, España. *Senyores* i _senyors_ #barcelona #wc",
            "Harpa, Reykjavík, Ísland\n\nSigns in the concert hall. #iceland #restroom",
            "Museo del Oro – Bogotá, Colombia 🇨🇴 @museodeloro #pictogram",
            "Sundhöll Reykjavíkur – Reykjavík, Ísland.\nKarlar til vinstri, konur til hægri. #sundlaug #ísland",
        ]
    );
    let counts: Vec<_> = export.posts.iter().map(|p| p.media.len()).collect();
    assert_eq!(counts, [5, 3, 1, 1, 1, 1]);
    let kinds: Vec<_> = export.posts[1].media.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [MediaKind::Photo, MediaKind::Video, MediaKind::Video]
    );
    let harpa = &export.posts[3].media[0];
    assert_eq!(harpa.gps, Some((64.150481, -21.932628)));
    assert_eq!(harpa.taken.unwrap().to_string(), "2024-05-02 22:47:28");
    assert_eq!(export.posts[4].media[0].gps, None);
    let pool = &export.posts[5].media[0];
    assert_eq!(pool.gps, Some((64.146331, -21.930289)));
    assert_eq!(pool.taken.unwrap().to_string(), "2024-05-01 09:12:44");
    assert_eq!(export.posts[2].published.unwrap().timestamp(), 1714670000);
    assert_eq!((export.skipped.stories, export.skipped.reels), (2, 1));
    read_all_media(&export);
}

#[test]
fn instagram_2021_zip() {
    let export = read("instagram-2021.zip", Kind::Instagram);
    assert_eq!(
        captions(&export),
        [
            "渋谷駅 – 東京, 日本 #トイレ #pictogram",
            "Un Taxi 🇨🇴 #bogota"
        ]
    );
    assert_eq!(
        export.posts[0].id,
        "media/posts/202106/60000000000000001_n_1.jpg"
    );
    assert_eq!(export.skipped.stories, 1);
    read_all_media(&export);
}

#[test]
fn instagram_2024_single_object() {
    let export = read("instagram-2024-single", Kind::Instagram);
    assert_eq!(captions(&export), ["Ciudad de México, México #cdmx #baños"]);
    read_all_media(&export);
}

#[test]
fn wordpress_with_one_upload_missing() {
    let export = read(
        "wordpress/toiletglyphs.wordpress.2019-04-05.xml",
        Kind::WordPress,
    );
    let [cafe, harpa] = &export.posts[..] else {
        panic!("{:#?}", export.posts)
    };
    assert_eq!(cafe.title.as_deref(), Some("Café Central, Wien"));
    assert_eq!(
        cafe.caption.as_deref(),
        Some(
            "Seen at the Café Central – the #Damen door.\n\nSecond paragraph, with a line\nbreak."
        )
    );
    assert_eq!(cafe.tags, ["Europe", "Pictogram"]);
    let files: Vec<_> = cafe.media.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(files, ["2019/03/door.jpg", "2019/03/featured.jpg"]);
    assert_eq!(cafe.media[0].caption.as_deref(), Some("The ladies' door"));
    assert_eq!(
        cafe.media[0].alt.as_deref(),
        Some("A door with a woman pictogram")
    );
    assert_eq!(cafe.media[1].caption.as_deref(), Some("Featured photo"));
    assert!(harpa.draft && harpa.published.is_some());
    assert_eq!(harpa.title.as_deref(), Some("Harpa & the sea"));
    assert_eq!(
        harpa.caption.as_deref(),
        Some("Harpa, Reykjavík & the sea.")
    );
    assert_eq!(
        harpa.media[0].caption.as_deref(),
        Some("Level 2, by the hall")
    );
    assert_eq!(
        harpa.media[0].alt.as_deref(),
        Some("Two pictograms on glass")
    );
    assert_eq!(export.skipped.pages, 1);
    assert_eq!(export.problems.len(), 1);
    assert!(export.problems[0].message.contains("2019/03/gone.jpg"));
    read_all_media(&export);
}
