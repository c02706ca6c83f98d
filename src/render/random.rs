//! `random/`: the "random sign" page. Without JavaScript it sends the reader to one
//! sign picked per build by a hash of the catalog's slugs (so the same inputs give the
//! same bytes); with JavaScript it picks afresh from the list embedded in the page.
//! A redirect, not a page of its own: `noindex`, its canonical URL is the sign's, and
//! the sitemap leaves it out.

use super::context::{Lang, SignView, Urls};
use super::escape;

/// The URL segment of the page, which a content page may not take.
pub const SEGMENT: &str = "random";

/// The page's output path and bytes.
pub fn page(urls: &Urls, lang: &Lang, title: &str, views: &[SignView]) -> (String, Vec<u8>) {
    let (target, canonical, name) = match pick(views) {
        Some(v) => (v.url.clone(), v.permalink.clone(), v.title.clone()),
        None => (urls.url(""), urls.permalink(""), title.to_string()),
    };
    let list: Vec<&str> = views.iter().map(|v| v.url.as_str()).collect();
    // `</` would end the script early; a slug cannot hold it, but a base path could.
    let list = serde_json::to_string(&list)
        .expect("strings serialise")
        .replace("</", "<\\/");
    let (target, name, title) = (escape(&target), escape(&name), escape(title));
    let canonical = escape(&canonical);
    // A theme without translation files still gets the page, in English.
    let word =
        |key: &str, english: &str| escape(lang.words.text(lang.code, key).unwrap_or(english));
    let heading = word("footer.random", "A random sign");
    let taking = word("random.taking_you", "Taking you to a random sign:");
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<title>{heading} — {title}</title>
<script>(function(){{var u={list};if(u.length)location.replace(u[Math.floor(Math.random()*u.length)]);}})();</script>
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>{taking} <a href="{target}">{name}</a>.</p>
</body>
</html>
"#,
        lang = escape(lang.code),
    );
    (
        format!("{}{SEGMENT}/index.html", urls.prefix),
        html.into_bytes(),
    )
}

/// The sign of this build: a stable hash (FNV-1a) of every slug, so it changes when the
/// archive does and not from run to run.
fn pick(views: &[SignView]) -> Option<&SignView> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in views.iter().flat_map(|v| v.slug.bytes().chain([b'\n'])) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let n = u64::try_from(views.len()).ok().filter(|&n| n > 0)?;
    views.get(usize::try_from(h % n).ok()?)
}
