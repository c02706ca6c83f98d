//! `site.yaml`: the site's settings, every key optional, unknown keys refused.
//!
//! Owns the defaults and the command-line overrides (`--output`, `--base-url`,
//! `--drafts`), and resolves every configured folder against the site root.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::yaml;

pub(crate) const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Config {
    pub(crate) title: String,
    /// Where the site is published; may carry a sub-path (`https://example.org/glyphs/`).
    pub(crate) base_url: String,
    pub(crate) description: String,
    /// BCP 47 language tag of the site's text.
    pub(crate) language: String,
    pub(crate) author: String,
    pub(crate) theme: String,
    pub(crate) photos_dir: PathBuf,
    pub(crate) content_dir: PathBuf,
    pub(crate) output_dir: PathBuf,
    pub(crate) cache_dir: PathBuf,
    /// Signs per page on the home page.
    pub(crate) per_page: usize,
    /// Signs in the Atom feed.
    pub(crate) feed_limit: usize,
    /// Decimal places kept of every published coordinate (3 ≈ 100 m).
    pub(crate) location_precision: u8,
    pub(crate) images: ImageConfig,
    pub(crate) map: MapConfig,
}

/// `images:` in site.yaml: the derived images every photo gets.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImageConfig {
    /// Widths of the derived images, in pixels; never larger than the photo.
    pub widths: Vec<u32>,
    /// The file format of the derived images.
    pub format: ImageFormat,
    /// Encoder quality, 1–100.
    pub quality: u8,
}

/// `images.format`: how the derived images are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// JPEG (`.jpg`), the default: every browser and feed reader shows it.
    Jpeg,
    /// WebP (`.webp`): smaller files, and transparency is kept.
    Webp,
}

impl ImageFormat {
    /// The file extension of images in this format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Webp => "webp",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct MapConfig {
    pub(crate) tile_url: String,
    pub(crate) attribution: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Toilet Glyphs".into(),
            base_url: "/".into(),
            description: "Photographs of toilet door signs from around the world.".into(),
            language: "en".into(),
            author: String::new(),
            theme: "default".into(),
            photos_dir: "photos".into(),
            content_dir: "content".into(),
            output_dir: "public".into(),
            cache_dir: ".glyph-cache".into(),
            per_page: 24,
            feed_limit: 20,
            location_precision: 3,
            images: ImageConfig::default(),
            map: MapConfig::default(),
        }
    }
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            widths: vec![480, 960, 1600],
            format: ImageFormat::Jpeg,
            quality: 80,
        }
    }
}

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig {
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            attribution: "© <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors".into(),
        }
    }
}

/// What the command line may change, on top of `site.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--output`: the folder to write the site into, instead of `output_dir`.
    pub output_dir: Option<PathBuf>,
    /// `--base-url`: the address the site is published at, instead of `base_url`.
    pub base_url: Option<String>,
    /// `--drafts`: include signs and pages marked `draft: true`.
    pub drafts: bool,
}

/// The settings of one build, with folders made absolute and `base_url` understood.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub(crate) root: PathBuf,
    pub(crate) config: Config,
    pub(crate) photos: PathBuf,
    pub(crate) content: PathBuf,
    pub(crate) output: PathBuf,
    pub(crate) cache: PathBuf,
    /// `base_url` with a trailing slash (absolute, or `/` when none is set).
    pub(crate) base_url: String,
    /// The path part of `base_url`, with leading and trailing slash (`/glyphs/`).
    pub(crate) base_path: String,
    pub(crate) drafts: bool,
}

/// The error for a folder without `site.yaml`, or no folder at all.
pub(crate) fn not_a_site(root: &Path) -> Diagnostic {
    let shown = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let why = if root.exists() {
        format!("it has no {CONFIG_FILE}")
    } else {
        "the folder does not exist".to_string()
    };
    Diagnostic::error(format!("{} is not a glyph site: {why}", shown.display()))
    .hint("run the command in the site's folder or pass --root DIR; `glyph init DIR` starts a new site (an empty site.yaml is enough to use every default)")
}

impl Site {
    /// Load `root/site.yaml` (empty means all defaults; absent is an error) and apply
    /// the overrides.
    pub(crate) fn load(root: &Path, overrides: &Overrides) -> Result<Site, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => yaml::parse::<Config>(&text).map_err(|d| vec![d.file(CONFIG_FILE)])?,
            // Refuse rather than build an empty site (and write public/ and a cache)
            // into whatever folder the command happened to run in.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![not_a_site(root)]);
            }
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(format!("cannot read it: {e}")).file(path)
                ])
            }
        };
        if let Some(url) = &overrides.base_url {
            config.base_url = url.clone();
        }
        if let Some(out) = &overrides.output_dir {
            config.output_dir = out.clone();
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let problems = validate(&config, &text);
        if !problems.is_empty() {
            return Err(problems);
        }
        let (base_url, base_path) = split_base_url(&config.base_url).expect("validated above");
        let abs = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                root.join(p)
            }
        };
        Ok(Site {
            root: root.to_path_buf(),
            photos: abs(&config.photos_dir),
            content: abs(&config.content_dir),
            output: abs(&config.output_dir),
            cache: abs(&config.cache_dir),
            base_url,
            base_path,
            drafts: overrides.drafts,
            config,
        })
    }

    /// Whether `base_url` is absolute, so feeds and sitemaps can carry full URLs.
    pub(crate) fn has_absolute_base(&self) -> bool {
        self.base_url.starts_with("http://") || self.base_url.starts_with("https://")
    }
}

fn validate(c: &Config, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut bad = |key: &str, msg: String, hint: &str| {
        out.push(
            Diagnostic::error(msg)
                .file(CONFIG_FILE)
                .at_opt(yaml::path_position(text, key))
                .hint(hint),
        );
    };
    if split_base_url(&c.base_url).is_none() {
        bad(
            "base_url",
            format!("`base_url` is not a URL: `{}`", c.base_url),
            "write the address the site is published at, such as https://example.org/ or https://example.org/glyphs/",
        );
    }
    if c.per_page == 0 {
        bad(
            "per_page",
            "`per_page` must be at least 1".into(),
            "24 is a good number for a phone grid",
        );
    }
    if c.images.widths.is_empty() || c.images.widths.iter().any(|w| *w == 0 || *w > 8192) {
        bad(
            "images.widths",
            "`images.widths` must list widths between 1 and 8192 pixels".into(),
            "the default is [480, 960, 1600]",
        );
    }
    if !(1..=100).contains(&c.images.quality) {
        bad(
            "images.quality",
            "`images.quality` must be between 1 and 100".into(),
            "80 is a good balance",
        );
    }
    if c.location_precision > 6 {
        bad(
            "location_precision",
            "`location_precision` must be 0 to 6 decimal places".into(),
            "3 decimals is about 100 m, enough for a map and kind to privacy",
        );
    }
    out
}

/// Split a base URL into (url with trailing slash, path with slashes on both ends).
/// Accepts an absolute http(s) URL, or a bare path (`/`, `/glyphs/`) for sites that
/// only need root-relative links.
pub(crate) fn split_base_url(raw: &str) -> Option<(String, String)> {
    let raw = raw.trim();
    if raw.starts_with('/') {
        let path = format!("/{}/", raw.trim_matches('/'));
        let path = path.replace("//", "/");
        return Some((path.clone(), path));
    }
    let url = url::Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let path = format!("/{}/", url.path().trim_matches('/')).replace("//", "/");
    let mut base = url.clone();
    base.set_path(&path);
    base.set_query(None);
    base.set_fragment(None);
    Some((base.to_string(), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_get_a_trailing_slash_and_a_path() {
        assert_eq!(
            split_base_url("https://example.org/glyphs"),
            Some(("https://example.org/glyphs/".into(), "/glyphs/".into()))
        );
        assert_eq!(
            split_base_url("https://example.org"),
            Some(("https://example.org/".into(), "/".into()))
        );
        assert_eq!(split_base_url("/"), Some(("/".into(), "/".into())));
        assert_eq!(split_base_url("example.org"), None);
        assert_eq!(split_base_url("ftp://example.org/"), None);
    }

    #[test]
    fn unknown_config_key_is_an_error_with_suggestion() {
        let err = yaml::parse::<Config>("titel: X\n").unwrap_err();
        assert!(err.hint.unwrap().contains("`title`"));
        let err = yaml::parse::<Config>("images:\n  widht: [1]\n").unwrap_err();
        assert!(err.message.contains("widht"), "{}", err.message);
    }

    #[test]
    fn bad_image_settings_point_at_their_own_line() {
        let text = "title: X\nimages:\n  format: jpeg\n  widths: [480, 0]\n  quality: 101\n";
        let config = yaml::parse::<Config>(text).unwrap();
        let lines: Vec<_> = validate(&config, text)
            .iter()
            .map(|d| {
                (
                    d.line,
                    d.message.split('`').nth(1).unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (Some(4), "images.widths".to_string()),
                (Some(5), "images.quality".to_string())
            ]
        );
    }

    #[test]
    fn defaults_fill_missing_keys() {
        let c = yaml::parse::<Config>("title: Mine\nimages: { quality: 70 }\n").unwrap();
        assert_eq!(c.title, "Mine");
        assert_eq!(c.images.quality, 70);
        assert_eq!(c.images.widths, vec![480, 960, 1600]);
        assert!(validate(&c, "").is_empty());
    }
}
