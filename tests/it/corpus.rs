//! The bad-input corpus (tests/fixtures/bad/, see its README): every case ends in a
//! clear message that names the file (with line and column where there is one) and
//! says what to do, or, for the cases that must work, in a published sign. No case may
//! panic, hang (each build runs under a time limit) or take unbounded memory.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;
use glyph::diag::Diagnostic;
use glyph::pipeline::BuildOutcome;

fn bad(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(path)
}

/// Run `f` on its own thread; fail the test if it panics or takes over a minute.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer within 60 s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: the build panicked"),
    }
}

fn build_bounded(what: &str, root: &Path) -> BuildOutcome {
    let root = root.to_path_buf();
    bounded(what, move || build_site(&root))
}

fn errors(o: &BuildOutcome) -> Vec<&Diagnostic> {
    o.diagnostics.iter().filter(|d| d.is_error()).collect()
}

fn warnings(o: &BuildOutcome) -> Vec<&Diagnostic> {
    o.diagnostics.iter().filter(|d| !d.is_error()).collect()
}

/// The one error a case must give: in `file`, at `pos` when given, with `words` in its
/// message, and a hint.
fn assert_error(o: &BuildOutcome, file: &str, pos: Option<(usize, usize)>, words: &str) {
    assert!(!o.ok(), "{file}: the build should fail");
    let es = errors(o);
    let e = es
        .iter()
        .find(|d| d.file.as_deref() == Some(Path::new(file)))
        .unwrap_or_else(|| panic!("{file}: no error names it: {es:#?}"));
    assert!(
        e.message.to_lowercase().contains(&words.to_lowercase()),
        "{file}: message {:?} should say {words:?}",
        e.message
    );
    if let Some((line, col)) = pos {
        assert_eq!((e.line, e.column), (Some(line), Some(col)), "{file}: {e:?}");
    }
    assert!(
        e.hint.as_deref().is_some_and(|h| !h.is_empty()),
        "{file}: no hint: {e:?}"
    );
}

/// A site of one photo (`testorig.jpg` as `case.jpg`) whose sidecar is the corpus file.
fn sidecar_case(name: &str) -> (tempfile::TempDir, BuildOutcome) {
    let dir = site(&[("testorig.jpg", "case.jpg")], &[]);
    std::fs::copy(
        bad(&format!("sidecars/{name}")),
        dir.path().join("photos/case.yaml"),
    )
    .unwrap();
    let outcome = build_bounded(name, dir.path());
    (dir, outcome)
}

#[test]
fn bad_sidecars_are_errors_at_their_line_and_column() {
    // (file, where the error points, words its message must have)
    type Case = (&'static str, Option<(usize, usize)>, &'static str);
    let cases: &[Case] = &[
        ("tabs.yaml", Some((2, 1)), "tab"),
        ("unclosed-quote.yaml", Some((1, 8)), "never closed"),
        ("duplicate-key.yaml", Some((3, 1)), "appears twice"),
        ("lat-north.yaml", Some((3, 8)), "lat"),
        ("tags-map.yaml", Some((2, 7)), "tags"),
        ("date-yesterday.yaml", Some((2, 7)), "date"),
        ("unknown-key.yaml", Some((2, 1)), "unknown key `captoin`"),
        ("lat-out-of-range.yaml", Some((2, 11)), "latitude"),
        ("slug-traversal.yaml", Some((2, 7)), "slug"),
        ("latin1.yaml", Some((1, 11)), "UTF-8"),
        ("utf16.yaml", None, "UTF-16"),
    ];
    for (name, pos, words) in cases {
        let (_dir, outcome) = sidecar_case(name);
        assert_error(&outcome, "photos/case.yaml", *pos, words);
    }
    // The unknown key's hint suggests the right one.
    let (_dir, outcome) = sidecar_case("unknown-key.yaml");
    let hint = errors(&outcome)[0].hint.clone().unwrap();
    assert!(hint.contains("`caption`"), "{hint}");
}

#[test]
fn sidecars_with_a_bom_crlf_or_nothing_at_all_work() {
    for (name, title, tag) in [
        ("bom.yaml", "With a BOM", Some("bom")),
        ("crlf.yaml", "Windows line ends", Some("crlf")),
        ("empty.yaml", "Case", None),
    ] {
        let (dir, outcome) = sidecar_case(name);
        assert_ok(&outcome);
        let sign = page(&dir.path().join("public"), "/signs/case/");
        assert_eq!(texts(&sign, "h1"), [title], "{name}");
        if let Some(tag) = tag {
            assert!(
                dir.path()
                    .join(format!("public/tags/{tag}/index.html"))
                    .is_file(),
                "{name}: tag page"
            );
        }
    }
}

/// A site with the corpus photo `name` as `photos/<name>`, with a plain sidecar.
fn photo_case(name: &str) -> (tempfile::TempDir, BuildOutcome) {
    let dir = site(&[], &[]);
    std::fs::copy(
        bad(&format!("photos/{name}")),
        dir.path().join("photos").join(name),
    )
    .unwrap();
    let stem = name.rsplit_once('.').unwrap().0;
    write(
        dir.path(),
        &format!("photos/{stem}.yaml"),
        "title: Case\nalt: x\n",
    );
    let outcome = build_bounded(name, dir.path());
    (dir, outcome)
}

#[test]
fn unusable_photos_are_named_with_the_reason() {
    for (name, words) in [
        ("zero-byte.jpg", "empty"),
        ("text.jpg", "not"),
        ("truncated.jpg", "truncated"),
        ("bomb-30000.png", "too large"),
    ] {
        let (_dir, outcome) = photo_case(name);
        assert_error(&outcome, &format!("photos/{name}"), None, words);
    }
}

#[test]
fn hostile_exif_is_ignored_with_a_warning_and_odd_formats_work() {
    for name in ["exif-zero-denominators.jpg", "exif-gps-ref-x.jpg"] {
        let (dir, outcome) = photo_case(name);
        assert_ok(&outcome);
        let w = warnings(&outcome);
        assert!(
            w.iter().any(
                |d| d.file.as_deref() == Some(Path::new(&format!("photos/{name}")))
                    && d.message.contains("GPS")
            ),
            "{name}: a warning about its GPS: {w:#?}"
        );
        let json = std::fs::read_to_string(dir.path().join("public/signs.json")).unwrap();
        assert!(
            !json.contains("\"location\""),
            "{name}: no position published"
        );
    }
    // Damaged image data that the decoder tolerates (it paints the lost blocks grey) is
    // published, with a warning that says so.
    let (dir, outcome) = photo_case("damaged-scan.jpg");
    assert_ok(&outcome);
    let w = warnings(&outcome);
    assert!(
        w.iter().any(
            |d| d.file.as_deref() == Some(Path::new("photos/damaged-scan.jpg"))
                && d.message.contains("image data is damaged")
        ),
        "a warning that the image is damaged: {w:#?}"
    );
    assert!(dir
        .path()
        .join("public/signs/damaged-scan/index.html")
        .is_file());
    for name in ["cmyk.jpg", "rgb-16bit.png"] {
        let (dir, outcome) = photo_case(name);
        assert_ok(&outcome);
        let stem = name.rsplit_once('.').unwrap().0;
        let thumb = rendition(&dir.path().join("public"), stem, 0).to_rgb8();
        assert!(thumb.width() > 0, "{name}");
    }
}

/// `glyph build` through the real binary under a 2 GB address-space limit: what it
/// must refuse is refused by its own limits, not killed by running out of memory.
fn build_within_2gb(root: &Path) -> (std::process::Output, String) {
    let glyph = env!("CARGO_BIN_EXE_glyph");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2000000 && exec '{glyph}' build --root '{}'",
            root.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stderr)
}

/// The decompression bomb, through the real binary, under an address-space limit far
/// below what its pixels would need: refused by the decoder limit with a message, not
/// killed by running out of memory.
#[test]
fn a_decompression_bomb_is_refused_within_bounded_memory() {
    let dir = site(&[], &[]);
    std::fs::copy(
        bad("photos/bomb-30000.png"),
        dir.path().join("photos/bomb.png"),
    )
    .unwrap();
    let (out, stderr) = build_within_2gb(dir.path());
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("photos/bomb.png"), "{stderr}");
    assert!(stderr.contains("too large"), "{stderr}");
}

/// A progressive JPEG keeps every coefficient of the whole picture while it decodes, far
/// more than its pixels at thumbnail scale: one that would need more than the limit is
/// refused before decoding, with a message that says why.
#[test]
fn a_huge_progressive_jpeg_is_refused_before_it_decodes() {
    let mut small = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut small, 80);
    enc.set_progressive(true);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    enc.encode(&[90u8; 64 * 64 * 3], 64, 64, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    // The same file declaring 15000×15000 (4:4:4: 1.3 GB of coefficients).
    let sof = small.windows(2).position(|w| w == [0xFF, 0xC2]).unwrap();
    small[sof + 5..sof + 9].copy_from_slice(&[0x3A, 0x98, 0x3A, 0x98]);
    let dir = site(&[], &[]);
    std::fs::write(dir.path().join("photos/huge.jpg"), &small).unwrap();
    let (out, stderr) = build_within_2gb(dir.path());
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("photos/huge.jpg: the image is too large to process safely (a progressive JPEG of 15000×15000 pixels"),
        "{stderr}"
    );
    assert!(stderr.contains("publish a smaller copy"), "{stderr}");
}

#[test]
fn odd_file_names_get_clean_urls() {
    use std::os::unix::ffi::OsStrExt;
    let names: [(&[u8], &str); 4] = [
        (b"with space.jpg", "with-space"),
        ("café.jpg".as_bytes(), "cafe"),        // NFC
        ("cafe\u{301}.jpg".as_bytes(), "cafe"), // NFD, as macOS writes it
        (b"caf\xe9-latin1.jpg", "caf-latin1"),  // not UTF-8 at all
    ];
    for (name, slug) in names {
        let dir = site(&[], &[]);
        let path = dir
            .path()
            .join("photos")
            .join(std::ffi::OsStr::from_bytes(name));
        std::fs::copy(fixture("testorig.jpg"), &path).unwrap();
        let outcome = build_bounded(slug, dir.path());
        assert_ok(&outcome);
        let out = dir.path().join("public");
        assert!(
            out.join(format!("signs/{slug}/index.html")).is_file(),
            "{:?} → /signs/{slug}/: {:#?}",
            String::from_utf8_lossy(name),
            outcome.diagnostics
        );
    }
}

#[test]
fn duplicate_slugs_name_both_files() {
    let dir = site(
        &[("testorig.jpg", "a/sign.jpg"), ("noexif.jpg", "b/sign.jpg")],
        &[],
    );
    let outcome = build_bounded("duplicates", dir.path());
    assert!(!outcome.ok());
    let e = errors(&outcome)
        .into_iter()
        .find(|d| d.message.contains("a/sign.jpg") || d.message.contains("b/sign.jpg"))
        .unwrap_or_else(|| panic!("{:#?}", outcome.diagnostics));
    let text = e.to_string();
    assert!(
        text.contains("a/sign.jpg") && text.contains("b/sign.jpg"),
        "{text}"
    );
}

#[test]
fn symlinks_are_not_followed_out_of_the_archive_or_in_loops() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("testorig.jpg"), outside.path().join("secret.jpg")).unwrap();
    let dir = site(&[("noexif.jpg", "real.jpg")], &[]);
    let photos = dir.path().join("photos");
    std::os::unix::fs::symlink(outside.path().join("secret.jpg"), photos.join("linked.jpg"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), photos.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(&photos, photos.join("loop")).unwrap();
    let outcome = build_bounded("symlinks", dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");
    assert!(out.join("signs/real/index.html").is_file());
    assert!(
        !out.join("signs/linked").exists(),
        "a linked photo is not published"
    );
    assert!(!out.join("signs/secret").exists(), "nothing from outside");
    let w = warnings(&outcome);
    assert!(
        w.iter()
            .any(|d| d.to_string().contains("linked.jpg") && d.message.contains("link")),
        "the curator is told about the link: {w:#?}"
    );
}

#[test]
fn broken_front_matter_and_template_errors_are_positioned() {
    for (name, pos, words) in [
        ("broken-front-matter.md", None, "weight"),
        ("unclosed-front-matter.md", Some((1, 1)), "front matter"),
    ] {
        let dir = site(&[("testorig.jpg", "a.jpg")], &[]);
        let to = dir.path().join("content").join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(bad(&format!("content/{name}")), to).unwrap();
        let outcome = build_bounded(name, dir.path());
        assert_error(&outcome, &format!("content/{name}"), pos, words);
        let e = errors(&outcome)[0];
        assert!(e.line.is_some(), "{name}: a line: {e:?}");
    }

    let dir = site(&[("testorig.jpg", "a.jpg")], &[]);
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::copy(
        bad("templates/sign.html"),
        dir.path().join("templates/sign.html"),
    )
    .unwrap();
    let outcome = build_bounded("template", dir.path());
    assert!(!outcome.ok());
    let e = errors(&outcome)[0];
    assert_eq!(
        e.file.as_deref(),
        Some(Path::new("templates/sign.html")),
        "{e:?}"
    );
    assert_eq!(e.line, Some(3), "{e:?}");
}

/// A template that parses but fails while rendering (an unknown filter) is reported
/// once, at the line that uses the filter, not once per page without a line.
#[test]
fn a_template_failing_on_every_page_is_one_positioned_error() {
    let dir = site(
        &[("testorig.jpg", "a.jpg"), ("noexif.jpg", "b.jpg")],
        &[(
            "templates/sign.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ sign.title | shout }}</h1>\n{% endblock content %}\n",
        )],
    );
    let outcome = build_bounded("render error", dir.path());
    assert!(!outcome.ok());
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0];
    assert_eq!(e.file.as_deref(), Some(Path::new("templates/sign.html")));
    assert_eq!((e.line, e.column), (Some(3), Some(21)), "{e:?}");
    assert!(e.message.contains("shout"), "{}", e.message);
    assert!(e.message.ends_with("(and 1 more page)"), "{}", e.message);
}

/// Curator text that looks like markup or template code is text everywhere it appears:
/// pages, attributes, the feed, the sitemap and the map's data.
#[test]
fn markup_and_template_code_in_sidecars_stay_text_everywhere() {
    let title = "<script>alert('t')</script> \"quoted\" & {{ site.title }}";
    let place = "<img src=x onerror=alert('p')> {% raw %}";
    let city = "<i>Town</i>";
    let sidecar = format!(
        "title: {title:?}\nalt: {title:?}\nplace: {place:?}\ncity: {city:?}\ncountry: CA\n\
         tags: [\"<b>bold</b>\", \"{{{{tag}}}}\"]\n\
         caption: \"Hi <script>alert('c')</script> [link](javascript:alert('l'))\"\n"
    );
    let dir = site(
        &[("testorig.jpg", "case.jpg")],
        &[
            ("photos/case.yaml", &sidecar),
            ("site.yaml", "title: Safe\nbase_url: https://example.org/\n"),
        ],
    );
    let outcome = build_bounded("escaping", dir.path());
    assert_ok(&outcome);
    let out = dir.path().join("public");

    let sign = page(&out, "/signs/case/");
    assert_eq!(texts(&sign, "h1"), [title]);
    let body = texts(&sign, "main").join(" ");
    // Tags are shown as written; the caption's quotes get typographic ones.
    for literal in [place, city, "<b>bold</b>", "{{tag}}", "Hi <script>alert("] {
        assert!(
            body.contains(literal),
            "{literal:?} shown as text in {body}"
        );
    }
    // Every page: nothing the curator wrote became an element or an attribute.
    for (path, html) in html_files(&out) {
        for el in html
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            let v = el.value();
            assert!(
                !(v.name() == "script"
                    && v.attr("type") != Some("application/ld+json")
                    && el.inner_html().contains("alert(")),
                "{path}: a script from the sidecar"
            );
            assert!(
                !(v.name() == "img" && v.attr("src") == Some("x")),
                "{path}: an element from the sidecar"
            );
            assert!(
                v.name() != "b" && v.name() != "i",
                "{path}: <{}> from the sidecar",
                v.name()
            );
            for (name, value) in v.attrs() {
                assert!(!name.starts_with("on"), "{path}: event handler {name}");
                assert!(
                    !value.to_lowercase().starts_with("javascript:"),
                    "{path}: {name}={value}"
                );
            }
        }
    }
    let alt = select(&sign, "main img")[0]
        .value()
        .attr("alt")
        .map(str::to_string);
    assert_eq!(alt.as_deref(), Some(title));

    // The feed and sitemap are well-formed XML with the text intact.
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).expect("atom.xml is XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(titles, [title]);
    roxmltree::Document::parse(&std::fs::read_to_string(out.join("sitemap.xml")).unwrap())
        .expect("sitemap.xml is XML");

    // The map's data (signs.json) carries the text as JSON strings.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("signs.json")).unwrap()).unwrap();
    let s = &json["signs"][0];
    assert_eq!(s["title"], title);
    assert_eq!(s["place"], place);
    assert_eq!(s["city"], city);
}
