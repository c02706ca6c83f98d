use super::*;
use crate::import::export::{detect, open};

/// A WXR document of `items`, for version `v` ("1.1", "1.2") and `scheme`.
fn wxr(scheme: &str, v: &str, items: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="{scheme}://wordpress.org/export/{v}/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="{scheme}://wordpress.org/export/{v}/">
<channel>
	<title>Signs</title>
	<wp:wxr_version>{v}</wp:wxr_version>
{items}
</channel>
</rss>
"#
    )
}

const U: &str = "https://blog.example/wp-content/uploads";

fn attachment(id: u64, parent: u64, file: &str, alt: &str, excerpt: &str) -> String {
    format!(
        r#"<item><title>{file}</title>
	<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
	<wp:post_id>{id}</wp:post_id><wp:post_date_gmt><![CDATA[2019-03-02 10:00:00]]></wp:post_date_gmt>
	<wp:status>inherit</wp:status><wp:post_parent>{parent}</wp:post_parent>
	<wp:post_type><![CDATA[attachment]]></wp:post_type>
	<wp:attachment_url>{U}/{file}</wp:attachment_url>
	<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>
</item>"#
    )
}

fn post(id: u64, status: &str, kind: &str, content: &str, extra: &str) -> String {
    format!(
        r#"<item>
	<title>Caf&#xE9; Central</title>
	<pubDate>Sat, 02 Mar 2019 11:00:00 +0000</pubDate>
	<content:encoded><![CDATA[{content}]]></content:encoded>
	<wp:post_id>{id}</wp:post_id>
	<wp:post_date_gmt>2019-03-02 11:00:00</wp:post_date_gmt>
	<wp:status>{status}</wp:status>
	<wp:post_type>{kind}</wp:post_type>
	<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>
	<category domain="category" nicename="europe">Europe</category>
	<category domain="post_tag" nicename="pictogram"><![CDATA[Pictogram]]></category>
	{extra}
</item>"#
    )
}

fn write(dir: &Path, xml: &str, uploads: &[&str]) -> PathBuf {
    let path = dir.join("signs.WordPress.2019-03-04.xml");
    std::fs::write(&path, xml).unwrap();
    for f in uploads {
        let p = dir.join("wp-content/uploads").join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"\xff\xd8\xff").unwrap();
    }
    path
}

fn blog_items() -> String {
    let content = format!(
        "Seen in Wien &amp; loved.\n\n[caption id=\"attachment_611\" align=\"alignnone\"]\
         <img class=\"wp-image-611 size-large\" src=\"{U}/2019/03/door-1024x768.jpg\" alt=\"\" /> The door[/caption]\n\n\
         <figure><img src=\"{U}/2019/03/men-scaled.jpg?w=640\" alt=\"Men\"><figcaption>Upstairs</figcaption></figure>\n\
         [caption id=\"attachment_99\" caption=\"Gone\"]<img src=\"{U}/2019/03/gone.jpg\">[/caption]"
    );
    [
        attachment(611, 10, "2019/03/door.jpg", "A door", "Door excerpt"),
        attachment(612, 10, "2019/03/men-scaled.jpg", "", ""),
        attachment(613, 10, "2019/03/featured.jpg", "", "<em>Featured</em>"),
        attachment(99, 0, "2019/03/gone.jpg", "", ""),
        post(10, "publish", "post", &content, ""),
        post(
            11,
            "draft",
            "post",
            &format!("<img src=\"{U}/2019/03/x.jpg\">"),
            "",
        ),
        post(12, "publish", "page", "", ""),
        post(13, "trash", "post", "", ""),
        post(14, "publish", "post", "Only words.", ""),
        post(15, "publish", "nav_menu_item", "", ""),
    ]
    .join("\n")
}

#[test]
fn wxr_in_every_version_and_scheme() {
    for (scheme, v) in [
        ("http", "1.1"),
        ("https", "1.2"),
        ("http", "1.2"),
        ("http", "1.0"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let uploads = [
            "2019/03/door.jpg",
            "2019/03/men-scaled.jpg",
            "2019/03/featured.jpg",
            "2019/03/x.jpg",
        ];
        let path = write(dir.path(), &wxr(scheme, v, &blog_items()), &uploads);
        assert_eq!(detect(&path).unwrap(), Kind::WordPress, "{scheme} {v}");
        let export = open(&path, Kind::WordPress, None).unwrap();
        assert_eq!(export.posts.len(), 2, "{scheme} {v}");
        check_first_post(&export.posts[0]);
        let draft = &export.posts[1];
        assert!(draft.draft);
        assert_eq!(draft.media[0].file, "2019/03/x.jpg");
        let s = export.skipped;
        assert_eq!((s.pages, s.deleted, s.without_media, s.other), (1, 1, 1, 1));
        // The missing upload is named by its path below uploads, and the rest is read.
        assert_eq!(export.problems.len(), 1, "{:?}", export.problems);
        assert!(export.problems[0].message.contains("2019/03/gone.jpg"));
        assert_eq!(
            export.read_media(&export.posts[0].media[0]).unwrap(),
            b"\xff\xd8\xff"
        );
    }
}

fn check_first_post(p: &Post) {
    assert_eq!(p.id, "10");
    assert_eq!(p.title.as_deref(), Some("Café Central"));
    assert_eq!(p.caption.as_deref(), Some("Seen in Wien & loved."));
    assert_eq!(
        p.published.unwrap().to_rfc3339(),
        "2019-03-02T11:00:00+00:00"
    );
    assert_eq!(p.tags, ["Europe", "Pictogram"]);
    assert!(!p.draft);
    assert_eq!(p.origin.line.map(|l| l > 1), Some(true));
    let files: Vec<_> = p.media.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "2019/03/door.jpg",
            "2019/03/men-scaled.jpg",
            "2019/03/featured.jpg"
        ]
    );
    let door = &p.media[0];
    assert_eq!(door.uri, format!("{U}/2019/03/door.jpg"));
    assert_eq!(
        door.alt.as_deref(),
        Some("A door"),
        "the attachment's alt when the img has none"
    );
    assert_eq!(
        door.caption.as_deref(),
        Some("The door"),
        "the content's caption first"
    );
    assert_eq!(
        door.uploaded.unwrap().to_rfc3339(),
        "2019-03-02T10:00:00+00:00"
    );
    assert_eq!(p.media[1].alt.as_deref(), Some("Men"));
    assert_eq!(p.media[1].caption.as_deref(), Some("Upstairs"));
    assert_eq!(p.media[2].caption.as_deref(), Some("Featured"));
}

#[test]
fn media_dir_may_be_uploads_wp_content_or_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        &wxr("https", "1.2", &blog_items()),
        &["2019/03/x.jpg"],
    );
    let site = dir.path();
    for given in [
        site.to_path_buf(),
        site.join("wp-content"),
        site.join("wp-content/uploads"),
    ] {
        let export = open(&path, Kind::WordPress, Some(&given)).unwrap();
        let draft = export.posts.iter().find(|p| p.id == "11").unwrap();
        assert!(
            export.read_media(&draft.media[0]).is_ok(),
            "{}",
            given.display()
        );
    }
}

#[test]
fn without_uploads_the_posts_are_read_and_a_warning_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xml");
    std::fs::write(&path, wxr("https", "1.2", &blog_items())).unwrap();
    let export = open(&path, Kind::WordPress, None).unwrap();
    assert_eq!(export.posts.len(), 2);
    assert_eq!(export.problems.len(), 1);
    let e = export.read_media(&export.posts[0].media[0]).unwrap_err();
    assert!(matches!(e, ExportError::NoMediaDir { .. }));
}

#[test]
fn invalid_xml_has_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let xml = wxr("https", "1.2", "<item><title>x</titel></item>");
    let path = dir.path().join("export.xml");
    std::fs::write(&path, xml).unwrap();
    let e = open(&path, Kind::WordPress, None).unwrap_err();
    assert!(matches!(e, ExportError::Xml { line: 10, .. }), "{e:?}");
    let d = crate::diag::Diagnostic::from(&e);
    assert!(d.column.is_some() && d.hint.is_some());
}

#[test]
fn rss_that_is_not_wxr_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, "<rss version=\"2.0\"><channel></channel></rss>").unwrap();
    assert!(detect(&path).is_err());
    assert!(matches!(
        open(&path, Kind::WordPress, None),
        Err(ExportError::NotWxr { .. })
    ));
}

#[test]
fn upload_paths_and_originals() {
    assert_eq!(
        upload_path(&format!("{U}/2019/03/x%20y.jpg")).as_deref(),
        Some("2019/03/x y.jpg")
    );
    assert_eq!(
        upload_path("https://signs.files.wordpress.com/2019/03/x.jpg?w=1024").as_deref(),
        Some("2019/03/x.jpg")
    );
    assert_eq!(upload_path("https://cdn.example/images/x.jpg"), None);
    assert_eq!(upload_path(&format!("{U}/../../etc/passwd")), None);
    assert_eq!(
        original("http://b.example/2019/03/x-1024x768.JPG"),
        "//b.example/2019/03/x.jpg"
    );
    assert_eq!(
        original("https://b.example/2019/03/x-scaled-e1551234567.jpg?w=2"),
        "//b.example/2019/03/x.jpg"
    );
    assert_eq!(
        original("https://b.example/2019/03/my-door.jpg"),
        "//b.example/2019/03/my-door.jpg"
    );
}
