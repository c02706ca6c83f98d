//! Content pages: YAML front matter between `---` lines, then Markdown.

use serde::Deserialize;

use super::sidecar::SignDate;
use crate::diag::Diagnostic;
use crate::yaml;

/// A page's front matter; every key is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PageMeta {
    /// The page's title (the file name when absent).
    pub title: Option<String>,
    /// A summary for search engines and link previews.
    pub description: Option<String>,
    /// When it was written or last changed (for the sitemap).
    pub date: Option<SignDate>,
    /// Only in previews and `--drafts` builds.
    pub draft: bool,
    /// Order in the navigation menu (lower first); pages without one are not in the menu.
    pub weight: Option<i64>,
    /// Replaces the file name in the page's URL.
    pub slug: Option<String>,
}

/// A content page, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Its front matter (defaults when it has none).
    pub meta: PageMeta,
    /// Markdown body.
    pub body: String,
}

/// Split and parse a page. Positions in errors are lines of the whole file.
pub fn parse_page(text: &str) -> Result<Page, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split(text)?;
    let meta = match front {
        Some(yaml_text) => yaml::parse::<PageMeta>(yaml_text).map_err(|mut d| {
            // The YAML starts on the line after the opening `---`.
            d.line = d.line.map(|l| l + 1);
            d
        })?,
        None => PageMeta::default(),
    };
    Ok(Page {
        meta,
        body: body.to_string(),
    })
}

/// `(front matter, body)`; a page that does not start with `---` has no front matter.
pub fn split(text: &str) -> Result<(Option<&str>, &str), Diagnostic> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Ok((None, text));
    }
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &text[first_end..offset];
            return Ok((Some(front), &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(Diagnostic::error("the front matter is not closed")
        .at(1, 1)
        .hint("end the YAML block with a line of three dashes: ---"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let p = parse_page("---\ntitle: About\nweight: 1\n---\n# Hello\n").unwrap();
        assert_eq!(p.meta.title.as_deref(), Some("About"));
        assert_eq!(p.body, "# Hello\n");
        let p = parse_page("\u{feff}---\r\ntitle: A\r\n---\r\nbody").unwrap();
        assert_eq!(p.meta.title.as_deref(), Some("A"));
        assert_eq!(p.body, "body");
    }

    #[test]
    fn no_front_matter_is_fine() {
        let p = parse_page("# Just Markdown\n\n--- not a fence").unwrap();
        assert!(p.meta.title.is_none());
    }

    #[test]
    fn errors_point_into_the_file() {
        let err = parse_page("---\ntitle: A\ntitel: B\n---\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = parse_page("---\ntitle: A\n").unwrap_err();
        assert!(err.message.contains("not closed"));
    }
}
