//! Markdown (pulldown-cmark) for captions and content pages.
//!
//! Root-relative links (`/about/`) are rewritten under the site's base path, so a
//! caption written for the site root still works when the site lives at `/glyphs/`.
//!
//! Content pages may hold raw HTML (the curator's own pages, like Zola's). Captions may
//! not: sidecars arrive from imports and phones, so HTML in a caption is shown as the
//! text it is, and links to `javascript:`, `data:` or `vbscript:` URLs lose their target.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// Whether raw HTML in the Markdown is passed through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    Allowed,
    AsText,
}

pub fn to_html(md: &str, base_path: &str, raw: RawHtml) -> String {
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
            dest_url: safe(rebase(dest_url, base_path), raw),
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
            dest_url: safe(rebase(dest_url, base_path), raw),
            title,
            id,
        }),
        Event::Html(h) | Event::InlineHtml(h) if raw == RawHtml::AsText => Event::Text(h),
        other => other,
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// A URL that runs code when followed is dropped where raw HTML is not allowed.
fn safe(url: CowStr<'_>, raw: RawHtml) -> CowStr<'_> {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    let runs_code =
        url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data");
    if raw == RawHtml::AsText && runs_code {
        CowStr::from("")
    } else {
        url
    }
}

fn rebase<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if base_path != "/" && url.starts_with('/') && !url.starts_with("//") {
        CowStr::from(format!("{}{}", base_path, &url[1..]))
    } else {
        url
    }
}

/// The words of a Markdown text, without markup (raw HTML kept as the text it is),
/// one space between blocks: for search.
pub fn to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Every link target in a Markdown text (images too), for checking that internal links
/// resolve.
pub fn links(md: &str) -> Vec<String> {
    Parser::new(md)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
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
            RawHtml::AsText,
        );
        assert!(html.contains("href=\"/glyphs/about/\""), "{html}");
        assert!(html.contains("href=\"https://x.org/\""));
        assert!(html.contains("<em>now</em>"));
        assert!(to_html("[a](/about/)", "/", RawHtml::AsText).contains("href=\"/about/\""));
    }

    #[test]
    fn captions_show_html_as_text_and_drop_script_links() {
        let md = "Hi <script>alert(1)</script> [x](javascript:alert(2)) [y]( JavaScript:z)\n\n<div>block</div>\n";
        let html = to_html(md, "/", RawHtml::AsText);
        assert!(
            !html.contains("<script>") && !html.contains("<div>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        let page = to_html(md, "/", RawHtml::Allowed);
        assert!(
            page.contains("<div>block</div>"),
            "content pages keep their HTML"
        );
    }

    #[test]
    fn lists_links() {
        assert_eq!(links("[a](/x/) and [b](#top)"), vec!["/x/", "#top"]);
    }
}
