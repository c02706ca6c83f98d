use super::*;
use crate::import::export::archive::tests::write_zip;
use crate::import::export::{detect, open};
use std::path::Path;

const JPEG: &[u8] = b"\xff\xd8\xff\xe0fake";
const MP4: &[u8] = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom";

/// What Instagram writes for `text`: each UTF-8 byte as one `\u00XX` escape.
fn ig(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii() {
                (b as char).to_string()
            } else {
                format!("\\u00{b:02x}")
            }
        })
        .collect()
}

/// A folder export with `files` (name, bytes); returns its tempdir.
fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn read_dir(dir: &Path) -> Export {
    assert_eq!(detect(dir).unwrap(), Kind::Instagram);
    open(dir, Kind::Instagram, None).unwrap()
}

fn one_photo_post(uri: &str, caption: &str, ts: i64) -> String {
    format!(
        r#"{{"media": [{{"uri": "{uri}", "creation_timestamp": {ts}, "title": ""}}],
            "title": "{}", "creation_timestamp": {ts}}}"#,
        ig(caption)
    )
}

#[test]
fn every_layout_is_found() {
    for layout in [
        "content",
        "your_instagram_activity/content",
        "your_instagram_activity/media",
    ] {
        let posts = format!(
            "[{}]",
            one_photo_post("media/posts/202407/1_n_2.jpg", "Hi", 1720384531)
        );
        let name = format!("{layout}/posts_1.json");
        let dir = folder(&[
            (&name, posts.as_bytes()),
            ("media/posts/202407/1_n_2.jpg", JPEG),
        ]);
        let export = read_dir(dir.path());
        assert_eq!(export.posts.len(), 1, "{layout}");
        let post = &export.posts[0];
        assert_eq!(post.id, "media/posts/202407/1_n_2.jpg");
        assert_eq!(post.caption.as_deref(), Some("Hi"));
        assert_eq!(
            post.published.unwrap().to_rfc3339(),
            "2024-07-07T20:35:31+00:00"
        );
        assert_eq!(post.origin.line, Some(1));
        assert!(post.origin.file.ends_with(&name));
        assert_eq!(export.read_media(&post.media[0]).unwrap(), JPEG);
    }
}

#[test]
fn single_object_file_and_several_files_in_order() {
    let p1 = one_photo_post("media/a.jpg", "first", 100);
    let p2 = format!(
        "[\n{},\n{}\n]",
        one_photo_post("media/b.jpg", "b", 200),
        one_photo_post("media/c.jpg", "c", 300)
    );
    let dir = folder(&[
        ("content/posts_2.json", p2.as_bytes()),
        ("content/posts_10.json", b"[]"),
        ("content/posts_1.json", p1.as_bytes()),
        ("media/a.jpg", JPEG),
        ("media/b.jpg", JPEG),
        ("media/c.jpg", JPEG),
    ]);
    let export = read_dir(dir.path());
    let ids: Vec<_> = export.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["media/a.jpg", "media/b.jpg", "media/c.jpg"]);
    let lines: Vec<_> = export.posts.iter().map(|p| p.origin.line).collect();
    assert_eq!(lines, [Some(1), Some(2), Some(4)]);
}

#[test]
fn carousel_of_five_and_mixed_with_video() {
    let media: Vec<String> = (1..=5)
        .map(|i| format!(r#"{{"uri": "media/posts/202401/{i}.jpg", "creation_timestamp": 1704067200, "title": ""}}"#))
        .collect();
    let five = format!(
        r#"{{"media": [{}], "title": "Five doors", "creation_timestamp": 1704067200}}"#,
        media.join(",")
    );
    let mixed = r#"{"media": [
        {"uri": "media/posts/202402/p.webp", "title": ""},
        {"uri": "media/posts/202402/v.mp4", "title": "", "media_metadata": {"video_metadata": {"exif_data": []}}},
        {"uri": "media/posts/202402/noext", "title": ""},
        {"uri": "media/posts/202402/p2.heic", "title": ""}
    ], "title": "Mixed", "creation_timestamp": 1706745600}"#;
    let posts = format!("[{five}, {mixed}]");
    let mut files: Vec<(String, &[u8])> = (1..=5)
        .map(|i| (format!("media/posts/202401/{i}.jpg"), JPEG))
        .collect();
    files.push(("media/posts/202402/p.webp".into(), b"RIFF\0\0\0\0WEBPVP8 "));
    files.push(("media/posts/202402/v.mp4".into(), MP4));
    files.push(("media/posts/202402/noext".into(), MP4));
    files.push(("media/posts/202402/p2.heic".into(), b"\0\0\0\x18ftypheic"));
    files.push((
        "your_instagram_activity/media/posts_1.json".into(),
        posts.as_bytes(),
    ));
    let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let dir = folder(&borrowed);
    let export = read_dir(dir.path());
    assert_eq!(export.posts[0].media.len(), 5);
    assert_eq!(export.posts[0].caption.as_deref(), Some("Five doors"));
    assert!(export.posts[0]
        .media
        .iter()
        .all(|m| m.caption.is_none() && m.kind == MediaKind::Photo));
    let kinds: Vec<_> = export.posts[1].media.iter().map(|m| m.kind).collect();
    use MediaKind::{Photo, Video};
    assert_eq!(kinds, [Photo, Video, Video, Photo]);
}

#[test]
fn caption_on_the_first_media_or_on_the_post() {
    let on_media = format!(
        r#"[{{"media": [{{"uri": "media/a.jpg", "title": "{}", "creation_timestamp": 1600000000}}]}},
            {{"media": [{{"uri": "media/b.jpg", "title": "", "creation_timestamp": 5}}], "title": "On post", "creation_timestamp": 1600000001}}]"#,
        ig("Café Central — Wien, Österreich 🇦🇹 #pictogram")
    );
    let dir = folder(&[
        ("content/posts_1.json", on_media.as_bytes()),
        ("media/a.jpg", JPEG),
        ("media/b.jpg", JPEG),
    ]);
    let export = read_dir(dir.path());
    let a = &export.posts[0];
    assert_eq!(
        a.caption.as_deref(),
        Some("Café Central — Wien, Österreich 🇦🇹 #pictogram")
    );
    assert_eq!(a.media[0].caption, None, "the post's caption, not repeated");
    assert_eq!(a.published.unwrap().timestamp(), 1600000000);
    let b = &export.posts[1];
    assert_eq!(b.caption.as_deref(), Some("On post"));
    assert_eq!(b.published.unwrap().timestamp(), 1600000001);
    assert_eq!(b.media[0].uploaded.unwrap().timestamp(), 5);
}

#[test]
fn mojibake_in_every_script_is_repaired() {
    for text in [
        "Un Taxi 🇨🇴",
        "Bar Pinotxo - Barcelona, España.",
        "Harpa, Reykjavík, Ísland",
        "渋谷駅 – 東京, 日本 @toiletglyphprj *a* _b_",
    ] {
        let posts = format!("[{}]", one_photo_post("media/a.jpg", text, 1));
        let dir = folder(&[
            ("content/posts_1.json", posts.as_bytes()),
            ("media/a.jpg", JPEG),
        ]);
        assert_eq!(read_dir(dir.path()).posts[0].caption.as_deref(), Some(text));
    }
}

#[test]
fn exif_data_gives_position_and_date_but_not_null_island() {
    let posts = r#"[{"media": [
        {"uri": "media/a.jpg", "media_metadata": {"photo_metadata": {"exif_data": [
            {"latitude": 64.1505, "longitude": -21.9326}, {"date_time_original": "2024:05:02 22:47:28", "lens_model": "x"}]}}},
        {"uri": "media/b.jpg", "media_metadata": {"photo_metadata": {"exif_data": [
            {"latitude": 0.0, "longitude": 0.0, "device_id": "y"}]}}}
    ], "title": "", "creation_timestamp": 1714690048, "backup_uri": "https://cdn.example/x.jpg", "cross_post_source": {"source_app": "FB"}}]"#;
    let dir = folder(&[
        ("content/posts_1.json", posts.as_bytes()),
        ("media/a.jpg", JPEG),
        ("media/b.jpg", JPEG),
    ]);
    let post = &read_dir(dir.path()).posts[0];
    assert_eq!(post.media[0].gps, Some((64.1505, -21.9326)));
    assert_eq!(
        post.media[0].taken.unwrap().to_string(),
        "2024-05-02 22:47:28"
    );
    assert_eq!(post.media[1].gps, None);
    assert_eq!(post.caption, None);
}

#[test]
fn stories_reels_archived_and_deleted_are_counted() {
    let dir = folder(&[
        ("your_instagram_activity/content/posts_1.json", b"[]"),
        (
            "your_instagram_activity/content/stories.json",
            br#"{"ig_stories": [{"uri": "a"}, {"uri": "b"}]}"#,
        ),
        (
            "your_instagram_activity/content/reels.json",
            br#"{"ig_reels_media": [{"media": []}]}"#,
        ),
        (
            "your_instagram_activity/content/archived_posts.json",
            br#"{"ig_archived_post_media": [{}, {}, {}]}"#,
        ),
        (
            "your_instagram_activity/content/recently_deleted_content.json",
            br#"{"ig_recently_deleted_media": [{}]}"#,
        ),
    ]);
    let export = read_dir(dir.path());
    assert!(export.posts.is_empty());
    let s = export.skipped;
    assert_eq!((s.stories, s.reels, s.archived, s.deleted), (2, 1, 3, 1));
}

#[test]
fn a_missing_photo_is_a_warning_and_the_rest_is_read() {
    let posts = r#"[{"media": [{"uri": "media/a.jpg"}, {"uri": "media/gone.jpg"}], "title": "x"},
                    {"media": [{"uri": "media/gone2.jpg"}], "title": "y"}]"#;
    let dir = folder(&[
        ("content/posts_1.json", posts.as_bytes()),
        ("media/a.jpg", JPEG),
    ]);
    let export = read_dir(dir.path());
    assert_eq!(export.posts.len(), 1);
    assert_eq!(export.posts[0].media.len(), 1);
    assert_eq!(export.skipped.without_media, 1);
    assert_eq!(export.problems.len(), 2);
    assert!(export.problems[0].message.contains("media/gone.jpg"));
}

#[test]
fn html_export_is_refused_with_a_hint() {
    let dir = folder(&[(
        "your_instagram_activity/content/posts_1.html",
        b"<html></html>",
    )]);
    let e = detect(dir.path()).unwrap_err();
    assert!(matches!(e, ExportError::HtmlExport { .. }));
    assert!(e.hint().unwrap().contains("JSON"));
    assert!(open(dir.path(), Kind::Instagram, None).is_err());
}

#[test]
fn invalid_json_has_file_line_and_column() {
    let dir = folder(&[("content/posts_1.json", b"[\n  {\"media\": [}\n]")]);
    let e = open(dir.path(), Kind::Instagram, None).unwrap_err();
    let d = crate::diag::Diagnostic::from(&e);
    assert!(d.file.unwrap().ends_with("content/posts_1.json"));
    assert_eq!((d.line, d.column), (Some(2), Some(14)));
}

#[test]
fn zip_with_a_top_folder_is_read_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("instagram-someone-2021.zip");
    let posts = format!(
        "[{}]",
        one_photo_post("media/posts/202107/x.jpg", "Zip", 1625097600)
    );
    write_zip(
        &path,
        &[
            ("instagram-someone/content/posts_1.json", posts.as_bytes()),
            ("instagram-someone/media/posts/202107/x.jpg", JPEG),
        ],
    );
    assert_eq!(detect(&path).unwrap(), Kind::Instagram);
    let export = open(&path, Kind::Instagram, None).unwrap();
    assert_eq!(export.posts[0].caption.as_deref(), Some("Zip"));
    assert_eq!(export.read_media(&export.posts[0].media[0]).unwrap(), JPEG);
}

#[test]
fn zip_with_a_parent_entry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.zip");
    write_zip(
        &path,
        &[("content/posts_1.json", b"[]"), ("../../outside.jpg", JPEG)],
    );
    assert!(matches!(
        detect(&path),
        Err(ExportError::UnsafeEntry { .. })
    ));
}

#[test]
fn post_lines_skip_braces_in_strings() {
    let text = b"[\n {\"title\": \"{[\\\"\"},\n\n {\"a\": {\"b\": 1}}\n]";
    assert_eq!(object_lines(text), [2, 4]);
    assert_eq!(object_lines(b"\n{\"media\": [{}]}"), [2]);
}
