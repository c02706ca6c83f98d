//! Themes: templates and static files, layered. The default theme is embedded in the
//! binary; a theme folder on disk replaces it file by file, and the site's own
//! `templates/` and `static/` replace the theme's (Zola's rule). Translation files
//! (`i18n/`) are kept in two layers, the theme's and the site's, which `i18n::Words`
//! merges key by key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::config::Site;
use crate::diag::{rel, Diagnostic};

pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a file of the theme comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Embedded(&'static [u8]),
    File(PathBuf),
}

impl Source {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::Embedded(b) => Ok(b.to_vec()),
            Source::File(p) => std::fs::read(p),
        }
    }

    /// For messages: the file on disk, or where it sits in the embedded theme.
    pub fn describe(&self, name: &str, kind: &str) -> PathBuf {
        match self {
            Source::Embedded(_) => PathBuf::from(format!("(built-in theme)/{kind}/{name}")),
            Source::File(p) => p.clone(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Theme {
    /// Template name (`sign.html`, `partials/x.html`) → source.
    pub templates: BTreeMap<String, Source>,
    /// Path below the output root (`css/glyph.css`) → source.
    pub statics: BTreeMap<String, Source>,
    /// The theme's translation files (`es.yaml`) → source.
    pub i18n: BTreeMap<String, Source>,
    /// The site's own `i18n/` files, which override the theme's key by key.
    pub site_i18n: BTreeMap<String, Source>,
}

impl Theme {
    pub fn load(site: &Site) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::default();
        let name = &site.config.theme;
        let on_disk = site.root.join("themes").join(name);
        if name == "default" {
            theme.add_embedded();
        } else if !on_disk.is_dir() {
            return Err(Diagnostic::error(format!("theme `{name}` not found"))
                .file(crate::config::CONFIG_FILE)
                .hint(format!(
                    "create {} or set `theme: default`",
                    rel(&site.root, &on_disk).display()
                )));
        }
        theme.add_dir(&on_disk.join("templates"), Layer::Templates);
        theme.add_dir(&on_disk.join("static"), Layer::Static);
        theme.add_dir(&on_disk.join("i18n"), Layer::I18n);
        theme.add_dir(&site.root.join("templates"), Layer::Templates);
        theme.add_dir(&site.root.join("static"), Layer::Static);
        theme.add_dir(&site.root.join("i18n"), Layer::SiteI18n);
        Ok(theme)
    }

    fn add_embedded(&mut self) {
        let layers = [
            ("templates", Layer::Templates),
            ("static", Layer::Static),
            ("i18n", Layer::I18n),
        ];
        for (sub, layer) in layers {
            if let Some(dir) = DEFAULT_THEME.get_dir(sub) {
                let mut stack = vec![dir];
                while let Some(d) = stack.pop() {
                    stack.extend(d.dirs());
                    for f in d.files() {
                        let name = f.path().strip_prefix(sub).unwrap_or(f.path());
                        let name = name.to_string_lossy().replace('\\', "/");
                        self.layer(layer)
                            .insert(name, Source::Embedded(f.contents()));
                    }
                }
            }
        }
    }

    fn add_dir(&mut self, dir: &Path, layer: Layer) {
        if !dir.is_dir() {
            return;
        }
        let files = crate::scan::walk(dir)
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file());
        for e in files {
            let name = rel(dir, e.path()).to_string_lossy().replace('\\', "/");
            self.layer(layer)
                .insert(name, Source::File(e.path().to_path_buf()));
        }
    }

    fn layer(&mut self, layer: Layer) -> &mut BTreeMap<String, Source> {
        match layer {
            Layer::Templates => &mut self.templates,
            Layer::Static => &mut self.statics,
            Layer::I18n => &mut self.i18n,
            Layer::SiteI18n => &mut self.site_i18n,
        }
    }
}

#[derive(Clone, Copy)]
enum Layer {
    Templates,
    Static,
    I18n,
    SiteI18n,
}

/// Where the vendored flags (flag-icons, 4:3) live among the static files.
pub const FLAGS_DIR: &str = "vendor/flag-icons/4x3/";

/// Keep only the flags of `codes` (ISO 3166-1 alpha-2, any case): the theme vendors
/// 270 of them, and a site should not publish flags it never shows.
pub fn drop_unused_flags<'a>(
    statics: &mut BTreeMap<String, Source>,
    codes: impl Iterator<Item = &'a str>,
) {
    let keep: std::collections::BTreeSet<String> = codes
        .map(|c| format!("{FLAGS_DIR}{}.svg", c.to_lowercase()))
        .collect();
    statics.retain(|path, _| !path.starts_with(FLAGS_DIR) || keep.contains(path));
}
