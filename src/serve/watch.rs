//! What `glyph serve` watches (notify, debounced), and which changes matter.
//!
//! Only the curator's inputs are watched: `site.yaml`, the photos and content folders,
//! the theme and the site's templates/static/i18n. The output and cache folders and editor
//! temp files are not, so a build never triggers itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::config::{Site, CONFIG_FILE};
use crate::scan::is_ignored_name;

/// Long enough to fold an editor's save (write temp, rename, chmod) into one change;
/// short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// Folders watched recursively now.
    watched: BTreeSet<PathBuf>,
}

/// The inputs of a site: `(folder, recursive)`. The root itself is watched shallowly,
/// for `site.yaml` and for input folders that do not exist yet.
pub fn inputs(root: &Path, site: Option<&Site>) -> BTreeSet<PathBuf> {
    let mut dirs: BTreeSet<PathBuf> =
        ["photos", "content", "templates", "static", "themes", "i18n"]
            .iter()
            .map(|d| root.join(d))
            .collect();
    if let Some(site) = site {
        dirs.insert(site.photos.clone());
        dirs.insert(site.content.clone());
    }
    dirs.into_iter().filter(|d| d.is_dir()).collect()
}

impl Watcher {
    pub fn new(root: &Path, tx: mpsc::Sender<DebounceEventResult>) -> notify::Result<Watcher> {
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx)?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        Ok(Watcher {
            debouncer,
            watched: BTreeSet::new(),
        })
    }

    /// Watch exactly `dirs` (recursively) from now on. Returns the folders that could
    /// not be watched, with why.
    pub fn watch(&mut self, dirs: BTreeSet<PathBuf>) -> Vec<(PathBuf, notify::Error)> {
        let mut failed = Vec::new();
        for gone in self.watched.difference(&dirs) {
            let _ = self.debouncer.unwatch(gone);
        }
        for new in dirs.difference(&self.watched) {
            if let Err(e) = self.debouncer.watch(new, RecursiveMode::Recursive) {
                failed.push((new.clone(), e));
            }
        }
        self.watched = dirs
            .into_iter()
            .filter(|d| !failed.iter().any(|(f, _)| f == d))
            .collect();
        failed
    }
}

/// Whether an event is a change. Opening and reading a file are events too (inotify
/// reports them), and the build reads every input: counting them would rebuild forever.
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(m)) => !matches!(
            m,
            MetadataKind::AccessTime | MetadataKind::Extended | MetadataKind::Ownership
        ),
        _ => true,
    }
}

/// Whether a changed path can change the site. `site` is the last loaded config, to
/// know the output and cache folders (they may be anywhere).
pub fn matters(path: &Path, root: &Path, site: Option<&Site>) -> bool {
    if let Some(site) = site {
        if path.starts_with(&site.output) || path.starts_with(&site.cache) {
            return false;
        }
        if path.starts_with(&site.photos) || path.starts_with(&site.content) {
            return !has_ignored_part(path, root);
        }
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let Some(first) = parts.next() else {
        return false;
    };
    let first = first.as_os_str();
    if first == CONFIG_FILE {
        return true;
    }
    let inputs = ["photos", "content", "templates", "static", "themes", "i18n"];
    inputs.iter().any(|d| first == *d) && !has_ignored_part(path, root)
}

fn has_ignored_part(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .any(|c| is_ignored_name(c.as_os_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_matter() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.yaml",
            "/site/photos/2020/a.jpg",
            "/site/photos/2020/a.yaml",
            "/site/content/about.md",
            "/site/templates/sign.html",
            "/site/themes/default/static/css/x.css",
            "/site/themes/default/i18n/es.yaml",
            "/site/i18n/es.yaml",
        ] {
            assert!(matters(Path::new(yes), root, None), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/.glyph-cache/manifest.bin",
            "/site/photos/.a.yaml.swp",
            "/site/photos/a.yaml~",
            "/site/photos/.#a.yaml",
            "/site/README.md",
            "/site/.git/index",
            "/elsewhere/site.yaml",
        ] {
            assert!(!matters(Path::new(no), root, None), "{no}");
        }
    }
}
