//! `site.yaml`: the site's settings, every key optional, unknown keys refused.
//!
//! Owns the defaults and the command-line overrides (`--output`, `--base-url`,
//! `--drafts`), and resolves every configured folder against the site root. The
//! `deploy:` section (where `glyph deploy` publishes) is read and checked here too;
//! what a deploy does with it belongs to `deploy`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::i18n::Localized;
use crate::yaml;

pub(crate) const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Config {
    /// One title, or one per language (`title: {en: …, es: …}`).
    pub(crate) title: Localized,
    /// Where the site is published; may carry a sub-path (`https://example.org/glyphs/`).
    pub(crate) base_url: String,
    pub(crate) description: Localized,
    /// BCP 47 language tag of the site's text, when it has one language.
    pub(crate) language: String,
    /// The site's languages, the default first (at the root; each other under
    /// `/<code>/`). Replaces `language` when set.
    pub(crate) languages: Option<Vec<String>>,
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
    /// Where `glyph deploy` publishes the site; `None` when the section is absent.
    pub(crate) deploy: Option<DeployConfig>,
}

/// `deploy:` in site.yaml: one target, `git:` or `rsync:`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeployConfig {
    #[serde(default)]
    pub(crate) git: Option<GitTarget>,
    #[serde(default)]
    pub(crate) rsync: Option<RsyncTarget>,
}

/// `deploy.git`: a branch of a repository that a Pages host serves (GitHub, Codeberg).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GitTarget {
    /// Anything `git push` takes: a URL, `host:path`, or a folder (relative to the site).
    pub(crate) remote: String,
    #[serde(default = "default_branch")]
    pub(crate) branch: String,
    /// The custom domain the Pages host should serve the site at (a `CNAME` file).
    #[serde(default)]
    pub(crate) cname: Option<String>,
}

fn default_branch() -> String {
    "pages".into()
}

/// `deploy.rsync`: a folder on a host reached over SSH.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RsyncTarget {
    /// `user@host:/path/` as rsync takes it.
    pub(crate) dest: String,
    /// The ssh command (`ssh -o …`), instead of `RSYNC_RSH` or plain `ssh`.
    #[serde(default)]
    pub(crate) ssh: Option<String>,
    #[serde(default)]
    pub(crate) port: Option<u16>,
    /// The private key to log in with (`~/` is the home folder).
    #[serde(default)]
    pub(crate) identity: Option<PathBuf>,
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
            title: Localized::One("Toilet Glyphs".into()),
            base_url: "/".into(),
            description: Localized::One(
                "Photographs of toilet door signs from around the world.".into(),
            ),
            language: "en".into(),
            languages: None,
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
            deploy: None,
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
    /// The site's languages, the default first: `languages`, else `[language]`.
    pub(crate) languages: Vec<String>,
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
            languages: config
                .languages
                .clone()
                .unwrap_or_else(|| vec![config.language.clone()]),
            config,
        })
    }

    /// The default language: the first of `languages`.
    pub(crate) fn default_lang(&self) -> &str {
        &self.languages[0]
    }

    /// Whether the site is built in more than one language.
    pub(crate) fn multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Where a language's pages live below the site root: `""` for the default,
    /// `es/` for the others.
    pub(crate) fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_lang() {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// The site's title in `lang` (else the default language's).
    pub(crate) fn title(&self, lang: &str) -> &str {
        self.config.title.get(lang, self.default_lang())
    }

    /// The site's description in `lang` (else the default language's).
    pub(crate) fn description(&self, lang: &str) -> &str {
        self.config.description.get(lang, self.default_lang())
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
    if let Some(d) = &c.deploy {
        for (key, msg, hint) in deploy_problems(d) {
            bad(key, msg, hint);
        }
    }
    out.extend(crate::i18n::settings::language_problems(c, text));
    out
}

/// What is wrong with a `deploy:` section: (the key to point at, message, hint).
fn deploy_problems(d: &DeployConfig) -> Vec<(&'static str, String, &'static str)> {
    let mut out = Vec::new();
    match (&d.git, &d.rsync) {
        (None, None) => out.push((
            "deploy",
            "`deploy` names no target".into(),
            "write `git: { remote: …, branch: pages }` or `rsync: { dest: user@host:/var/www/glyphs/ }` under it",
        )),
        (Some(_), Some(_)) => out.push((
            "deploy.rsync",
            "`deploy` has both `git` and `rsync`; it publishes to one target".into(),
            "keep one of them (comment the other out)",
        )),
        _ => {}
    }
    if let Some(g) = &d.git {
        if g.remote.trim().is_empty() || g.remote.starts_with('-') {
            out.push((
                "deploy.git.remote",
                // Not quoted: a remote may carry a token, and errors never show one.
                "`deploy.git.remote` is not a repository".into(),
                "write what `git push` takes: https://github.com/you/glyphs.git, git@codeberg.org:you/pages.git or a folder",
            ));
        }
        if !is_branch_name(&g.branch) {
            out.push((
                "deploy.git.branch",
                format!("`deploy.git.branch` is not a branch name: `{}`", g.branch),
                "the branch the Pages host serves, such as pages or gh-pages",
            ));
        }
        if g.cname.as_deref().is_some_and(|c| !is_host_name(c)) {
            out.push((
                "deploy.git.cname",
                "`deploy.git.cname` must be a domain name alone".into(),
                "write the domain, such as glyphs.example.org (no https://, no path)",
            ));
        }
    }
    if let Some(r) = &d.rsync {
        if r.dest.trim().is_empty() || r.dest.starts_with('-') {
            out.push((
                "deploy.rsync.dest",
                format!("`deploy.rsync.dest` is not a destination: `{}`", r.dest),
                "write user@host:/var/www/glyphs/ (or a local folder)",
            ));
        }
        if r.port == Some(0) {
            out.push((
                "deploy.rsync.port",
                "`deploy.rsync.port` must be between 1 and 65535".into(),
                "SSH listens on 22 unless the host says otherwise",
            ));
        }
    }
    out
}

/// A name git accepts for a branch (the rules of `git check-ref-format` that matter).
fn is_branch_name(b: &str) -> bool {
    !b.is_empty()
        && !b.starts_with(['-', '/', '.'])
        && !b.ends_with(['/', '.'])
        && !b.ends_with(".lock")
        && !b.contains("..")
        && !b.contains("//")
        && !b.contains("@{")
        && !b
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c))
}

fn is_host_name(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
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
    fn deploy_section_errors_point_at_their_key() {
        let problems = |text: &str| -> Vec<(Option<usize>, Option<usize>, String)> {
            match yaml::parse::<Config>(text) {
                Err(d) => vec![(d.line, d.column, d.message)],
                Ok(c) => validate(&c, text)
                    .into_iter()
                    .map(|d| (d.line, d.column, d.message))
                    .collect(),
            }
        };
        let text = "title: X\ndeploy:\n  git:\n    remote: git@github.com:me/site.git\n    branch: my pages\n    cname: https://x.org/\n";
        let found = problems(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (Some(5), Some(5)), "{found:?}");
        assert!(found[0].2.contains("deploy.git.branch"), "{found:?}");
        assert_eq!(found[1].0, Some(6), "{found:?}");

        let both = problems("deploy:\n  git: { remote: x }\n  rsync: { dest: h:/w/ }\n");
        assert_eq!(both.len(), 1, "{both:?}");
        assert_eq!(both[0].0, Some(3));
        assert!(both[0].2.contains("both"), "{both:?}");
        let none = problems("deploy: {}\n");
        assert_eq!(
            (none[0].0, none[0].2.as_str()),
            (Some(1), "`deploy` names no target")
        );

        let typo = yaml::parse::<Config>("deploy:\n  rsync:\n    dest: h:/w/\n    prot: 22\n")
            .unwrap_err();
        assert_eq!(typo.line, Some(4));
        assert!(typo.hint.unwrap().contains("`port`"));
        let missing = yaml::parse::<Config>("deploy:\n  git:\n    branch: pages\n").unwrap_err();
        assert!(missing.message.contains("`remote`"), "{}", missing.message);

        let flow = "deploy: { git: { remote: ../pages.git } }\n";
        let c = yaml::parse::<Config>(flow).unwrap();
        assert!(validate(&c, flow).is_empty());
        assert_eq!(c.deploy.unwrap().git.unwrap().branch, "pages");
    }

    #[test]
    fn unknown_language_codes_are_errors_at_their_entry() {
        let text =
            "title: {en: Glyphs, es: Glifos, fr: Glyphes}\nlanguages:\n  - en\n  - xx\n  - es\n";
        let c = yaml::parse::<Config>(text).unwrap();
        let found: Vec<_> = validate(&c, text)
            .into_iter()
            .map(|d| (d.line, d.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, Some(4), "{found:?}");
        assert!(found[0].1.contains("`xx`"), "{found:?}");
        assert!(found[1].1.contains("`fr`"), "{found:?}");
        let flow = "languages: [en, es-MX]\n";
        let c = yaml::parse::<Config>(flow).unwrap();
        assert!(validate(&c, flow).is_empty());
        assert_eq!(c.title.get("es-MX", "en"), "Toilet Glyphs");
    }

    #[test]
    fn defaults_fill_missing_keys() {
        let c = yaml::parse::<Config>("title: Mine\nimages: { quality: 70 }\n").unwrap();
        assert_eq!(c.title.get("en", "en"), "Mine");
        assert_eq!(c.images.quality, 70);
        assert_eq!(c.images.widths, vec![480, 960, 1600]);
        assert!(validate(&c, "").is_empty());
    }
}
