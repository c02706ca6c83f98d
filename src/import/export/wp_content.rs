//! A WordPress post's content (`content:encoded`) into plain text and the images it
//! shows, in order.
//!
//! The content is HTML as the editor stored it: classic-editor text whose paragraphs
//! are blank lines (WordPress adds the `<p>`s only when it displays a post), Gutenberg
//! blocks (`<figure><img><figcaption>`, comments that carry the block's settings), and
//! shortcodes, which are plain text to an HTML parser: `[caption id="attachment_611"
//! caption="…"]<img/> text[/caption]`, `[gallery ids="1,2"]`, `[embed]url[/embed]`.
//! html5ever parses it (so entities and broken markup are handled as browsers do);
//! a walk over the tree then takes text, images and shortcodes in document order.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Content {
    /// Paragraphs separated by a blank line; lines within one by a newline.
    pub text: String,
    pub images: Vec<Image>,
    /// Attachment ids named by `[gallery ids="…"]`, in order.
    pub gallery: Vec<u64>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Image {
    pub src: String,
    pub alt: Option<String>,
    /// The attachment: `wp-image-N` class, else the enclosing `[caption id]`.
    pub id: Option<u64>,
    pub caption: Option<String>,
}

/// Elements that end a paragraph where they open and close.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "hr",
    "figure",
    "section",
    "article",
    "header",
    "footer",
];
/// Shortcodes whose content is markup or an address, never caption text.
const DROPPED: &[&str] = &[
    "embed",
    "video",
    "audio",
    "playlist",
    "wp_caption",
    "gallery",
];

#[derive(Default)]
struct Walk {
    out: Content,
    paragraphs: Vec<String>,
    line: String,
    /// Inside `[caption]`: its id, its `caption=` attribute, the text seen so far, and
    /// the first image inside it.
    caption: Option<(Option<u64>, Option<String>, String, usize)>,
    /// Inside a dropped shortcode: its name, to find its closing tag.
    dropped: Option<String>,
    /// Image count at each open `<figure>`.
    figures: Vec<usize>,
    figcaption: Option<String>,
    /// Inside `<script>`, `<style>`: skipped.
    hidden: usize,
}

pub(crate) fn parse(html: &str) -> Content {
    let doc = Html::parse_fragment(html);
    let mut w = Walk::default();
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => w.open(node.value()),
            Edge::Close(node) => w.close(node.value()),
        }
    }
    w.end_paragraph();
    w.out.text = w.paragraphs.join("\n\n");
    w.out
}

impl Walk {
    fn open(&mut self, node: &Node) {
        match node {
            Node::Text(t) if self.hidden == 0 => self.text(t),
            Node::Element(e) => match e.name() {
                "script" | "style" => self.hidden += 1,
                "img" => self.image(e),
                "br" => self.push_text("\n"),
                "figcaption" => self.figcaption = Some(String::new()),
                "figure" => {
                    self.end_paragraph();
                    self.figures.push(self.out.images.len());
                }
                name if BLOCKS.contains(&name) => self.end_paragraph(),
                _ => {}
            },
            _ => {}
        }
    }

    fn close(&mut self, node: &Node) {
        let Node::Element(e) = node else { return };
        match e.name() {
            "script" | "style" => self.hidden = self.hidden.saturating_sub(1),
            "figcaption" => self.end_figcaption(),
            "figure" => {
                self.figures.pop();
                self.end_paragraph();
            }
            name if BLOCKS.contains(&name) => self.end_paragraph(),
            _ => {}
        }
    }

    fn image(&mut self, e: &scraper::node::Element) {
        let Some(src) = e.attr("src").map(str::trim).filter(|s| !s.is_empty()) else {
            return;
        };
        let class_id = e
            .classes()
            .find_map(|c| c.strip_prefix("wp-image-")?.parse().ok());
        let caption_id = self.caption.as_ref().and_then(|c| c.0);
        self.out.images.push(Image {
            src: src.to_string(),
            alt: e.attr("alt").map(clean).filter(|a| !a.is_empty()),
            id: class_id.or(caption_id),
            caption: None,
        });
    }

    /// A figcaption belongs to the one image of its figure; a gallery's (a figure of
    /// several) is text of the post.
    fn end_figcaption(&mut self) {
        let text = clean(&self.figcaption.take().unwrap_or_default());
        let start = self.figures.last().copied().unwrap_or(0);
        match self.out.images.len().checked_sub(1) {
            Some(last) if last == start && !text.is_empty() => {
                self.out.images[last].caption = Some(text);
            }
            _ => self.push_text(&text),
        }
    }

    /// Text, with shortcodes taken out of it.
    fn text(&mut self, t: &str) {
        let mut rest = t;
        while let Some(open) = rest.find('[') {
            let (before, from) = rest.split_at(open);
            self.push_text(before);
            match shortcode(from) {
                Some((tag, len)) => {
                    self.shortcode(tag);
                    rest = &from[len..];
                }
                None => {
                    self.push_text("[");
                    rest = &from[1..];
                }
            }
        }
        self.push_text(rest);
    }

    fn shortcode(&mut self, tag: Tag) {
        match (tag.name.as_str(), tag.closing) {
            ("caption", false) => {
                let id = tag
                    .attr("id")
                    .and_then(|v| v.strip_prefix("attachment_")?.parse().ok());
                let attr = tag.attr("caption").map(clean).filter(|c| !c.is_empty());
                self.caption = Some((id, attr, String::new(), self.out.images.len()));
            }
            ("caption", true) => self.end_caption(),
            ("gallery", false) => {
                let ids = tag.attr("ids").unwrap_or_default();
                let ids = ids.split(',').filter_map(|i| i.trim().parse::<u64>().ok());
                self.out.gallery.extend(ids);
            }
            (name, false) if DROPPED.contains(&name) => self.dropped = Some(name.to_string()),
            (name, true) if self.dropped.as_deref() == Some(name) => self.dropped = None,
            _ => {}
        }
    }

    /// `caption="…"` wins; else the text after the image inside the shortcode.
    fn end_caption(&mut self) {
        let Some((_, attr, inner, first)) = self.caption.take() else {
            return;
        };
        let text = attr.unwrap_or_else(|| clean(&inner));
        if let Some(img) = self.out.images.get_mut(first) {
            img.caption = (!text.is_empty()).then_some(text);
        }
    }

    fn push_text(&mut self, s: &str) {
        if self.dropped.is_some() || s.is_empty() {
            return;
        }
        if let Some(buf) = self.figcaption.as_mut() {
            buf.push_str(s);
        } else if let Some((.., inner, _)) = self.caption.as_mut() {
            inner.push_str(s);
        } else {
            // A blank line in classic-editor text is a paragraph.
            let mut parts = s.split("\n\n");
            self.line.push_str(parts.next().unwrap_or_default());
            for part in parts {
                self.end_paragraph();
                self.line.push_str(part);
            }
        }
    }

    fn end_paragraph(&mut self) {
        let text = clean_lines(&std::mem::take(&mut self.line));
        if !text.is_empty() {
            self.paragraphs.push(text);
        }
    }
}

/// Whitespace collapsed (a no-break space is a space), line breaks kept.
fn clean_lines(s: &str) -> String {
    s.lines()
        .map(clean)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn clean(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A shortcode tag at the start of `s` (`[name a="b" c='d' e=f]`, `[/name]`) and its
/// length; only names WordPress itself or common plugins use count, so "[sic]" and
/// "[1]" stay text.
fn shortcode(s: &str) -> Option<(Tag, usize)> {
    const KNOWN: &[&str] = &[
        "caption",
        "wp_caption",
        "gallery",
        "embed",
        "video",
        "audio",
        "playlist",
    ];
    let end = s.find(']')?;
    let inner = &s[1..end];
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = inner
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    if !KNOWN.contains(&name) {
        return None;
    }
    let name = if name == "wp_caption" {
        "caption"
    } else {
        name
    };
    let tag = Tag {
        name: name.to_string(),
        closing,
        attrs: attributes(&inner[name_len..]),
    };
    Some((tag, end + 1))
}

fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    while let Some(eq) = s.find('=') {
        let key = s[..eq].trim().trim_end_matches('/').to_ascii_lowercase();
        let rest = s[eq + 1..].trim_start();
        let (value, after) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                Some(close) => (&rest[1..1 + close], &rest[close + 2..]),
                None => (&rest[1..], ""),
            },
            _ => {
                let stop = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (&rest[..stop], &rest[stop..])
            }
        };
        let key = key
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or_default()
            .to_string();
        attrs.push((key, value.to_string()));
        s = after;
    }
    attrs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_shortcode_with_text_inside() {
        let c = parse(
            "Seen at the station.\n\n[caption id=\"attachment_611\" align=\"alignnone\" width=\"300\"]\
             <a href=\"https://b.example/x.jpg\"><img class=\"size-medium\" src=\"https://b.example/wp-content/uploads/2019/03/x-300x200.jpg\" alt=\"A man &amp; a woman\" /></a> \
             The door on the left[/caption]\n\nSecond paragraph &ndash; with &eacute;.",
        );
        assert_eq!(c.text, "Seen at the station.\n\nSecond paragraph – with é.");
        assert_eq!(c.images.len(), 1);
        let img = &c.images[0];
        assert_eq!(img.id, Some(611));
        assert_eq!(img.alt.as_deref(), Some("A man & a woman"));
        assert_eq!(img.caption.as_deref(), Some("The door on the left"));
    }

    #[test]
    fn caption_shortcode_with_attribute() {
        let c = parse(
            "[caption id=\"attachment_7\" caption=\"Café &amp; bar\"]<img class=\"wp-image-8\" src=\"/a.jpg\">[/caption]",
        );
        assert_eq!(c.images[0].id, Some(8));
        assert_eq!(c.images[0].caption.as_deref(), Some("Café & bar"));
        assert_eq!(c.text, "");
    }

    #[test]
    fn figure_with_figcaption_and_gallery() {
        let c = parse(
            "<!-- wp:image {\"id\":611} --><figure class=\"wp-block-image\"><img src=\"/x.jpg\" alt=\"\" class=\"wp-image-611\"/>\
             <figcaption>Harpa, <em>Reykjavík</em></figcaption></figure><!-- /wp:image -->\
             <p>Line one<br>line two</p><p>[gallery ids=\"12, 13\"] [sic] [embed]https://v.example/1[/embed]</p>",
        );
        assert_eq!(c.images[0].id, Some(611));
        assert_eq!(c.images[0].alt, None);
        assert_eq!(c.images[0].caption.as_deref(), Some("Harpa, Reykjavík"));
        assert_eq!(c.gallery, [12, 13]);
        assert_eq!(c.text, "Line one\nline two\n\n[sic]");
    }

    #[test]
    fn gallery_figure_caption_is_post_text() {
        let c = parse(
            "<figure class=\"wp-block-gallery\"><figure><img src=\"/a.jpg\"></figure>\
             <figure><img src=\"/b.jpg\"><figcaption>B</figcaption></figure>\
             <figcaption>Both doors</figcaption></figure><script>x()</script>",
        );
        assert_eq!(c.images[1].caption.as_deref(), Some("B"));
        assert_eq!(c.images[0].caption, None);
        assert_eq!(c.text, "Both doors");
    }
}
