//! Markdown (pulldown-cmark) for captions and content pages.
//!
//! Root-relative links (`/about/`) are rewritten under the site's base path, so a
//! caption written for the site root still works when the site lives at `/glyphs/`.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

pub fn to_html(md: &str, base_path: &str) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let events = Parser::new_ext(md, opts).map(|ev| match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: rebase(dest_url, base_path),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: rebase(dest_url, base_path),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn rebase<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if base_path != "/" && url.starts_with('/') && !url.starts_with("//") {
        CowStr::from(format!("{}{}", base_path, &url[1..]))
    } else {
        url
    }
}

/// Every link target in a Markdown text, for checking that internal links resolve.
pub fn links(md: &str) -> Vec<String> {
    Parser::new(md)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_rebases_root_links() {
        let html = to_html(
            "See [about](/about/) and [x](https://x.org/) *now*",
            "/glyphs/",
        );
        assert!(html.contains("href=\"/glyphs/about/\""), "{html}");
        assert!(html.contains("href=\"https://x.org/\""));
        assert!(html.contains("<em>now</em>"));
        assert!(to_html("[a](/about/)", "/").contains("href=\"/about/\""));
    }

    #[test]
    fn lists_links() {
        assert_eq!(links("[a](/x/) and [b](#top)"), vec!["/x/", "#top"]);
    }
}
