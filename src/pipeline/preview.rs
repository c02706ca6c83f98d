//! The preview target of `glyph serve`: the site written into the session's own folder
//! in the cache, page by page, with what each page was made from held in memory.
//!
//! A build to disk learns what the output folder holds from its record and checks that
//! the folder is intact (a stat of every file), stages the site and swaps it in whole;
//! at 10,000 signs that is most of an edit's cost. The preview folder belongs to the
//! session alone, so none of that is needed: a changed page is written in place (a
//! temporary file renamed over it, so the server never reads half a page), a page the
//! site no longer has is deleted, and theme files and renditions are not copied at all —
//! the server reads them where they are.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{rel, Diagnostic};
use crate::output::{self, SiteFiles};

const MARKER_TEXT: &str = "This folder is glyph serve's preview, made by glyph.\n";
use crate::render::{theme::Source, RenderMemo};

/// What a serve session's preview folder holds, between builds.
#[derive(Default)]
pub struct Preview {
    /// Every page of the last render, with its fingerprint; taken for a render and put
    /// back only when it succeeded, so a failed render (which may have written some
    /// pages) makes the next one render every page again.
    pub(super) memo: RenderMemo,
    /// The files the render makes every time (`signs.json`…): a hash of their bytes.
    generated: HashMap<String, u64>,
    /// Every file written into the folder and still wanted.
    written: HashSet<String>,
}

/// The files of a preview, for the server: where each one is read from.
#[derive(Debug, Default)]
pub struct PreviewFiles {
    /// The preview folder.
    pub dir: PathBuf,
    /// Pages and generated files, below `dir`.
    pub pages: Vec<String>,
    /// Theme and site static files: site path → source.
    pub statics: Vec<(String, Source)>,
    /// Renditions: file name under `media/` → the cached file.
    pub media: Vec<(String, PathBuf)>,
}

/// Write `bytes` at `path` below `dir`, whole: into a temporary file renamed over it.
pub(super) fn write(dir: &Path, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let file = dir.join(path);
    let problem = |e: std::io::Error| {
        Diagnostic::error(format!("cannot write the preview: {e}")).file(file.clone())
    };
    let parent = file.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(problem)?;
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let tmp = parent.join(format!(".{name}.glyph-tmp"));
    std::fs::write(&tmp, bytes).map_err(problem)?;
    std::fs::rename(&tmp, &file).map_err(problem)
}

impl Preview {
    /// After a render that succeeded: write the generated files that changed, delete
    /// what the site no longer has, and list every file for the server.
    pub(super) fn finish(
        &mut self,
        root: &Path,
        dir: &Path,
        files: SiteFiles,
        pages: impl Iterator<Item = String>,
    ) -> Result<Arc<PreviewFiles>, Diagnostic> {
        // Marked as glyph's, as an output folder is, so that a `glyph serve` of another
        // version (which builds its preview as `glyph build` builds) may replace it.
        if !dir.join(output::MARKER).is_file() {
            write(dir, output::MARKER, MARKER_TEXT.as_bytes())?;
        }
        let mut now: HashSet<String> = pages.collect();
        let mut generated = HashMap::with_capacity(files.generated.len());
        for (path, bytes) in &files.generated {
            let hash = crate::util::quick_hash(&bytes);
            if self.generated.get(path) != Some(&hash) || !self.written.contains(path) {
                write(dir, path, bytes).map_err(|d| d.file(rel(root, &dir.join(path))))?;
            }
            generated.insert(path.clone(), hash);
            now.insert(path.clone());
        }
        for gone in self.written.difference(&now) {
            let _ = std::fs::remove_file(dir.join(gone));
        }
        self.generated = generated;
        let mut list: Vec<String> = now.iter().cloned().collect();
        list.sort_unstable();
        self.written = now;
        Ok(Arc::new(PreviewFiles {
            dir: dir.to_path_buf(),
            pages: list,
            statics: files.statics,
            media: files.media,
        }))
    }
}
